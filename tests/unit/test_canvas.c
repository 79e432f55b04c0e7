/*
 * test_canvas: the canvas (src/term/canvas.c) drawn on the text grid
 * (canvas_grid.c) and read back as lines.  Expected lines are written by
 * hand from the definitions in canvas.h: they are layout, not statistics.
 * Widths are glibc's wcwidth() in C.UTF-8.
 */
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <wchar.h>

#include "testhelp.h"
#include "term/canvas.h"
#include "util/sanitize.h"

#define CJK_ZHONG	"\xe4\xb8\xad"		/* 中, width 2 */
#define CJK_WEN		"\xe6\x96\x87"		/* 文, width 2 */
#define CJK_ZI		"\xe5\xad\x97"		/* 字, width 2 */
#define ACUTE		"\xcc\x81"		/* U+0301 combining acute */
#define GRIN		"\xf0\x9f\x98\x80"	/* U+1F600, width 2 */
#define HEART		"\xe2\x9d\xa4"		/* U+2764 */
#define VS16		"\xef\xb8\x8f"		/* U+FE0F, width 0 */
#define ZWJ		"\xe2\x80\x8d"		/* U+200D, escaped */
#define RLO		"\xe2\x80\xae"		/* U+202E bidi override */
#define UNASSIGNED	"\xcd\xb8"		/* U+0378: wcwidth -1 */
#define FFFD		"\xef\xbf\xbd"
#define ELLIPSIS	"\xe2\x80\xa6"
#define HLINE		"\xe2\x94\x80"

static const char *spark_utf8[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};

/* The spark glyphs for the levels in `levels` ('0'..'7', ' ' a gap). */
static const char *
sparks(const char *levels)
{
	static char	buf[256];
	size_t		i;

	buf[0] = '\0';
	for (i = 0; levels[i] != '\0'; i++) {
		if (levels[i] == ' ')
			strcat(buf, " ");
		else
			strcat(buf, spark_utf8[levels[i] - '0']);
	}
	return buf;
}

static void
test_text_basic(void)
{
	struct canvas	*c = canvas_grid_new(3, 10, 1);
	char		*d;

	CHECK_INT(canvas_rows(c), 3);
	CHECK_INT(canvas_cols(c), 10);
	CHECK_INT(canvas_utf8(c), 1);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_TITLE, "hello"), 5);
	CHECK_INT(canvas_text(c, 2, 3, ROLE_DEFAULT, "x y"), 3);
	CHECK_INT(canvas_text(c, 1, 0, ROLE_DEFAULT, ""), 0);
	CHECK_INT(canvas_text(c, 1, 0, ROLE_DEFAULT, NULL), 0);
	CHECK_STR(canvas_grid_line(c, 0), "hello");
	CHECK_STR(canvas_grid_line(c, 1), "");
	CHECK_STR(canvas_grid_line(c, 2), "   x y");
	CHECK(canvas_grid_line(c, 3) == NULL);
	CHECK(canvas_grid_line(c, -1) == NULL);
	d = canvas_grid_dump(c);
	CHECK_STR(d, "hello\n\n   x y\n");
	free(d);
	canvas_clear(c);
	d = canvas_grid_dump(c);
	CHECK_STR(d, "\n\n\n");
	free(d);
	CHECK_INT(canvas_grid_role(c, 0, 0), ROLE_DEFAULT);
	canvas_grid_free(c);
}

static void
test_clip_canvas_edges(void)
{
	struct canvas	*c = canvas_grid_new(3, 5, 1);

	/* Right, left, top, bottom. */
	CHECK_INT(canvas_text(c, 0, 2, ROLE_DEFAULT, "abcdef"), 3);
	CHECK_INT(canvas_text(c, 1, -2, ROLE_DEFAULT, "abcdef"), 6);
	CHECK_INT(canvas_text(c, -1, 0, ROLE_DEFAULT, "top"), 0);
	CHECK_INT(canvas_text(c, 3, 0, ROLE_DEFAULT, "bottom"), 0);
	CHECK_STR(canvas_grid_line(c, 0), "  abc");
	CHECK_STR(canvas_grid_line(c, 1), "cdef");
	CHECK_STR(canvas_grid_line(c, 2), "");
	/* Wholly outside, and the extremes of int. */
	CHECK_INT(canvas_text(c, 2, 5, ROLE_DEFAULT, "x"), 0);
	CHECK_INT(canvas_text(c, 2, INT_MAX, ROLE_DEFAULT, "x"), 0);
	canvas_text(c, 2, INT_MIN, ROLE_DEFAULT, "abc");
	canvas_text(c, INT_MIN, INT_MIN, ROLE_DEFAULT, "abc");
	canvas_text(c, INT_MAX, 0, ROLE_DEFAULT, "abc");
	CHECK_STR(canvas_grid_line(c, 2), "");
	/* Ending exactly at the edge. */
	CHECK_INT(canvas_text(c, 2, 0, ROLE_DEFAULT, "abcde"), 5);
	CHECK_STR(canvas_grid_line(c, 2), "abcde");
	canvas_grid_free(c);
}

static void
test_clip_rect(void)
{
	struct canvas	*c = canvas_grid_new(4, 6, 1);

	canvas_clip(c, 1, 1, 2, 3);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "zzzzzz"), 0);
	CHECK_INT(canvas_text(c, 3, 0, ROLE_DEFAULT, "zzzzzz"), 0);
	CHECK_INT(canvas_text(c, 1, 0, ROLE_DEFAULT, "abcdef"), 4);
	CHECK_INT(canvas_text(c, 2, 3, ROLE_DEFAULT, "xyz"), 1);
	canvas_hline(c, 0, 0, 6, ROLE_BORDER);
	CHECK_STR(canvas_grid_line(c, 0), "");
	CHECK_STR(canvas_grid_line(c, 1), " bcd");
	CHECK_STR(canvas_grid_line(c, 2), "   x");
	canvas_fill(c, 0, 0, 4, 6, ROLE_ERROR);
	CHECK_STR(canvas_grid_line(c, 1), "");
	CHECK_STR(canvas_grid_line(c, 2), "");
	CHECK_INT(canvas_grid_role(c, 0, 0), ROLE_DEFAULT);
	CHECK_INT(canvas_grid_role(c, 1, 0), ROLE_DEFAULT);
	CHECK_INT(canvas_grid_role(c, 1, 1), ROLE_ERROR);
	CHECK_INT(canvas_grid_role(c, 2, 3), ROLE_ERROR);
	CHECK_INT(canvas_grid_role(c, 2, 4), ROLE_DEFAULT);
	CHECK_INT(canvas_grid_role(c, 3, 1), ROLE_DEFAULT);
	/* A clip partly off the canvas is cut to it. */
	canvas_clip(c, -5, 4, 100, INT_MAX);
	canvas_hline(c, 3, 0, 6, ROLE_BORDER);
	CHECK_STR(canvas_grid_line(c, 3), "    " HLINE HLINE);
	/* An empty or negative clip draws nothing. */
	canvas_clip(c, 0, 0, 0, 6);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "no"), 0);
	canvas_clip(c, 0, 0, 4, -3);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "no"), 0);
	canvas_fill(c, 0, 0, 4, 6, ROLE_ERROR);
	CHECK_STR(canvas_grid_line(c, 0), "");
	CHECK_INT(canvas_grid_role(c, 0, 0), ROLE_DEFAULT);
	canvas_unclip(c);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "abcdefgh"), 6);
	CHECK_STR(canvas_grid_line(c, 0), "abcdef");
	canvas_grid_free(c);
}

static void
test_wide_edges(void)
{
	struct canvas	*c = canvas_grid_new(4, 5, 1);

	/* 中 fits in columns 2-3; 文 at column 4 would need 5: a space. */
	CHECK_INT(canvas_text(c, 0, 0, ROLE_NOTICE, "ab" CJK_ZHONG CJK_WEN), 5);
	CHECK_STR(canvas_grid_line(c, 0), "ab" CJK_ZHONG);
	CHECK_INT(canvas_grid_role(c, 0, 4), ROLE_NOTICE);
	/* Cut by the left edge: its visible half is a space. */
	CHECK_INT(canvas_text(c, 1, -1, ROLE_DEFAULT, CJK_ZHONG "x"), 3);
	CHECK_STR(canvas_grid_line(c, 1), " x");
	/* Cut by a clip's right edge. */
	canvas_clip(c, 2, 0, 1, 2);
	CHECK_INT(canvas_text(c, 2, 0, ROLE_DEFAULT, "a" CJK_ZHONG), 2);
	canvas_unclip(c);
	canvas_text(c, 2, 2, ROLE_DEFAULT, "|");
	CHECK_STR(canvas_grid_line(c, 2), "a |");
	/* Writing over half of a wide character blanks the other half. */
	canvas_text(c, 3, 0, ROLE_DEFAULT, CJK_ZHONG CJK_WEN);
	CHECK_STR(canvas_grid_line(c, 3), CJK_ZHONG CJK_WEN);
	canvas_text(c, 3, 1, ROLE_DEFAULT, "x");
	CHECK_STR(canvas_grid_line(c, 3), " x" CJK_WEN);
	canvas_text(c, 3, 2, ROLE_DEFAULT, "y");
	CHECK_STR(canvas_grid_line(c, 3), " xy");
	canvas_text(c, 3, 0, ROLE_DEFAULT, CJK_ZHONG CJK_WEN);
	canvas_text(c, 3, 1, ROLE_DEFAULT, CJK_ZI);
	CHECK_STR(canvas_grid_line(c, 3), " " CJK_ZI);
	canvas_grid_free(c);

	/* An ASCII canvas keeps the layout: one '?' per column. */
	c = canvas_grid_new(1, 5, 0);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "a" CJK_ZHONG CJK_WEN), 5);
	CHECK_STR(canvas_grid_line(c, 0), "a????");
	canvas_clear(c);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "ab" CJK_ZHONG CJK_WEN), 5);
	CHECK_STR(canvas_grid_line(c, 0), "ab??");
	canvas_grid_free(c);
}

static void
test_combining(void)
{
	struct canvas	*c = canvas_grid_new(4, 6, 1);
	const char	*l;
	char		 many[512];
	int		 i;

	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "e" ACUTE "x"), 2);
	CHECK_STR(canvas_grid_line(c, 0), "e" ACUTE "x");
	/* Nothing before the mark in the string: it sits on a space. */
	CHECK_INT(canvas_text(c, 1, 2, ROLE_DEFAULT, ACUTE "y"), 2);
	CHECK_STR(canvas_grid_line(c, 1), "   " ACUTE "y");
	/* Marks past the cell's capacity are dropped, the cell stays one. */
	strcpy(many, "a");
	for (i = 0; i < 100; i++)
		strcat(many, ACUTE);
	strcat(many, "b");
	CHECK_INT(canvas_text(c, 2, 0, ROLE_DEFAULT, many), 2);
	l = canvas_grid_line(c, 2);
	CHECK_INT(strlen(l), 1 + 15 * 2 + 1);
	CHECK(l != NULL && l[strlen(l) - 1] == 'b');
	/* A mark after a wide character joins it. */
	CHECK_INT(canvas_text(c, 3, 0, ROLE_DEFAULT, CJK_ZHONG ACUTE "z"), 3);
	CHECK_STR(canvas_grid_line(c, 3), CJK_ZHONG ACUTE "z");
	canvas_grid_free(c);

	c = canvas_grid_new(1, 6, 0);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "e" ACUTE "x" ACUTE), 2);
	CHECK_STR(canvas_grid_line(c, 0), "ex");
	canvas_grid_free(c);
}

static void
test_unprintable(void)
{
	struct canvas	*c = canvas_grid_new(1, 6, 1);

	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "a" UNASSIGNED "b"), 3);
	CHECK_STR(canvas_grid_line(c, 0), "a" FFFD "b");
	canvas_grid_free(c);
	c = canvas_grid_new(1, 6, 0);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "a" UNASSIGNED "b"), 3);
	CHECK_STR(canvas_grid_line(c, 0), "a?b");
	canvas_grid_free(c);
}

static void
test_emoji(void)
{
	struct canvas	*c = canvas_grid_new(4, 8, 1);
	int		 heart = wcwidth(0x2764);

	CHECK_INT(canvas_text(c, 0, 0, ROLE_STATUS_OK, "a" GRIN "b"), 4);
	CHECK_STR(canvas_grid_line(c, 0), "a" GRIN "b");
	CHECK_INT(canvas_grid_role(c, 0, 2), ROLE_STATUS_OK);
	/* The variation selector is zero-width: it joins the heart. */
	CHECK(heart == 1 || heart == 2);
	CHECK_INT(canvas_text(c, 1, 0, ROLE_DEFAULT, HEART VS16 "x"), heart + 1);
	CHECK_STR(canvas_grid_line(c, 1), HEART VS16 "x");
	/* The sanitizer shows a joiner: two emoji and a visible escape. */
	canvas_text(c, 2, 0, ROLE_DEFAULT, GRIN ZWJ GRIN);
	CHECK_STR(canvas_grid_line(c, 2), GRIN "\\u200d");
	/* At the right edge. */
	CHECK_INT(canvas_text(c, 3, 6, ROLE_DEFAULT, "z" GRIN), 2);
	CHECK_STR(canvas_grid_line(c, 3), "      z");
	canvas_grid_free(c);
}

/* Whether any cell holds a C0/C1 control, DEL, a bidi control or ESC. */
static int
has_control(const char *dump)
{
	const unsigned char	*p = (const unsigned char *)dump;
	size_t			 i, n, len = strlen(dump);
	unsigned		 cp;

	for (i = 0; i < len; i += n) {
		n = sanitize_utf8(p + i, len - i, &cp);
		if (n == 0)
			return 1;
		if (cp == '\n')
			continue;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
		    cp == 0x200f || cp == 0x061c)
			return 1;
	}
	return 0;
}

static void
test_sanitized(void)
{
	static const char *nasty[] = {
		"a\x1b[31mred",
		"\x1b]0;pwned\x07t",
		"\x1bP1;2|x\x1b\\",
		"c1\xc2\x9b" "2J",
		"rollback " RLO "ksir-tiderc",
		"bad\xff\xfe",
		"line\nbreak\ttab\r",
		"iso\xe2\x81\xa6x\xe2\x81\xa9",
		"\x7f" "del",
	};
	struct canvas	*c = canvas_grid_new(10, 40, 1);
	char		*d;
	size_t		 i;

	for (i = 0; i < sizeof nasty / sizeof nasty[0]; i++)
		canvas_text(c, (int)i, 0, ROLE_DEFAULT, nasty[i]);
	CHECK_STR(canvas_grid_line(c, 0), "a\\u001b[31mred");
	CHECK_STR(canvas_grid_line(c, 1), "\\u001b]0;pwned\\u0007t");
	CHECK_STR(canvas_grid_line(c, 3), "c1\\u009b2J");
	CHECK_STR(canvas_grid_line(c, 4), "rollback \\u202eksir-tiderc");
	CHECK_STR(canvas_grid_line(c, 5), "bad\\xff\\xfe");
	CHECK_STR(canvas_grid_line(c, 6), "line\\u000abreak\\u0009tab\\u000d");
	CHECK_STR(canvas_grid_line(c, 8), "\\u007fdel");
	/* canvas_textw sanitises too. */
	canvas_textw(c, 9, 0, 12, ROLE_DEFAULT, "\x1b[2Jx", CANVAS_LEFT);
	CHECK_STR(canvas_grid_line(c, 9), "\\u001b[2Jx");
	d = canvas_grid_dump(c);
	CHECK(!has_control(d));
	CHECK(strchr(d, '\x1b') == NULL);
	free(d);
	/* The check itself sees a raw control. */
	CHECK(has_control("a\x1b"));
	CHECK(has_control(RLO));
	canvas_grid_free(c);
}

static void
test_textw(void)
{
	struct canvas	*c = canvas_grid_new(12, 12, 1);

	CHECK_INT(canvas_textw(c, 0, 0, 6, ROLE_HEADER, "abc", CANVAS_LEFT), 6);
	canvas_text(c, 0, 6, ROLE_DEFAULT, "|");
	CHECK_STR(canvas_grid_line(c, 0), "abc   |");
	CHECK_INT(canvas_grid_role(c, 0, 5), ROLE_HEADER);
	CHECK_INT(canvas_grid_role(c, 0, 6), ROLE_DEFAULT);
	CHECK_INT(canvas_textw(c, 1, 0, 6, ROLE_HEADER, "abc", CANVAS_RIGHT), 6);
	canvas_text(c, 1, 6, ROLE_DEFAULT, "|");
	CHECK_STR(canvas_grid_line(c, 1), "   abc|");
	CHECK_INT(canvas_grid_role(c, 1, 0), ROLE_HEADER);
	/* Cut: the head and an ellipsis, either alignment. */
	CHECK_INT(canvas_textw(c, 2, 0, 5, ROLE_DEFAULT, "abcdefgh", CANVAS_LEFT), 5);
	CHECK_STR(canvas_grid_line(c, 2), "abcd" ELLIPSIS);
	CHECK_INT(canvas_textw(c, 3, 0, 5, ROLE_DEFAULT, "abcdefgh", CANVAS_RIGHT), 5);
	CHECK_STR(canvas_grid_line(c, 3), "abcd" ELLIPSIS);
	/* Exact fit: no ellipsis. */
	canvas_textw(c, 4, 0, 3, ROLE_DEFAULT, "abc", CANVAS_LEFT);
	CHECK_STR(canvas_grid_line(c, 4), "abc");
	/* Wide characters are never split: a space makes up the width. */
	canvas_textw(c, 5, 0, 4, ROLE_DEFAULT, CJK_ZHONG CJK_WEN CJK_ZI, CANVAS_LEFT);
	canvas_text(c, 5, 4, ROLE_DEFAULT, "|");
	CHECK_STR(canvas_grid_line(c, 5), CJK_ZHONG ELLIPSIS " |");
	canvas_textw(c, 6, 0, 4, ROLE_DEFAULT, CJK_ZHONG CJK_WEN CJK_ZI, CANVAS_RIGHT);
	canvas_text(c, 6, 4, ROLE_DEFAULT, "|");
	CHECK_STR(canvas_grid_line(c, 6), " " CJK_ZHONG ELLIPSIS "|");
	canvas_textw(c, 7, 0, 4, ROLE_DEFAULT, CJK_ZHONG CJK_WEN, CANVAS_LEFT);
	CHECK_STR(canvas_grid_line(c, 7), CJK_ZHONG CJK_WEN);
	/* Width 1 and 0, and a negative width. */
	CHECK_INT(canvas_textw(c, 8, 0, 1, ROLE_DEFAULT, "abc", CANVAS_LEFT), 1);
	CHECK_INT(canvas_textw(c, 8, 2, 1, ROLE_DEFAULT, "a", CANVAS_LEFT), 1);
	CHECK_INT(canvas_textw(c, 8, 4, 1, ROLE_DEFAULT, CJK_ZHONG, CANVAS_RIGHT), 1);
	CHECK_INT(canvas_textw(c, 8, 6, 0, ROLE_DEFAULT, "abc", CANVAS_LEFT), 0);
	CHECK_INT(canvas_textw(c, 8, 6, -4, ROLE_DEFAULT, "abc", CANVAS_LEFT), 0);
	CHECK_STR(canvas_grid_line(c, 8), ELLIPSIS " a " ELLIPSIS);
	/* The empty string is all padding. */
	CHECK_INT(canvas_textw(c, 9, 0, 3, ROLE_SEL_FOCUS, "", CANVAS_LEFT), 3);
	CHECK_INT(canvas_grid_role(c, 9, 2), ROLE_SEL_FOCUS);
	/* Clipped: only what the clip shows, and the columns up to its edge. */
	canvas_clip(c, 10, 0, 1, 3);
	CHECK_INT(canvas_textw(c, 10, 0, 6, ROLE_DEFAULT, "abc", CANVAS_RIGHT), 3);
	CHECK_INT(canvas_textw(c, 11, 0, 6, ROLE_DEFAULT, "abc", CANVAS_RIGHT), 0);
	canvas_unclip(c);
	CHECK_STR(canvas_grid_line(c, 10), "");
	CHECK_INT(canvas_textw(c, 11, 10, 6, ROLE_DEFAULT, "abcdefgh", CANVAS_LEFT), 2);
	CHECK_STR(canvas_grid_line(c, 11), "          ab");
	canvas_grid_free(c);
}

static void
test_textw_ascii(void)
{
	struct canvas	*c = canvas_grid_new(3, 8, 0);

	canvas_textw(c, 0, 0, 5, ROLE_DEFAULT, "abcdefgh", CANVAS_LEFT);
	CHECK_STR(canvas_grid_line(c, 0), "abcd~");
	canvas_textw(c, 1, 0, 4, ROLE_DEFAULT, CJK_ZHONG CJK_WEN CJK_ZI, CANVAS_LEFT);
	canvas_text(c, 1, 4, ROLE_DEFAULT, "|");
	CHECK_STR(canvas_grid_line(c, 1), "??~ |");
	canvas_textw(c, 2, 0, 6, ROLE_DEFAULT, "ab", CANVAS_RIGHT);
	canvas_text(c, 2, 6, ROLE_DEFAULT, "|");
	CHECK_STR(canvas_grid_line(c, 2), "    ab|");
	canvas_grid_free(c);
}

static void
test_spark(void)
{
	static const double	ramp[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const double		gaps[] = { 0, NAN, 1 };
	const double		flat[] = { 5, 5, 5 };
	const double		out[] = { -10, 0, 5, 10, 20 };
	const double		inf[] = { -INFINITY, 0, 1, INFINITY };
	const double		huge[] = { -DBL_MAX, 0, DBL_MAX };
	const double		nans[] = { NAN, NAN };
	struct canvas		*c = canvas_grid_new(9, 10, 1);

	canvas_spark(c, 0, 0, ramp, 8, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 0), sparks("01234567"));
	CHECK_INT(canvas_grid_role(c, 0, 7), ROLE_SPARK);
	canvas_spark(c, 1, 0, gaps, 3, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 1), sparks("0 7"));
	CHECK_INT(canvas_grid_role(c, 1, 1), ROLE_SPARK);
	canvas_spark(c, 2, 0, flat, 3, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 2), sparks("333"));
	canvas_spark(c, 3, 0, out, 5, 0, 10, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 3), sparks("00477"));
	/* Only lo given: hi is the data's (20), so 5 is t = 15/30. */
	canvas_spark(c, 4, 0, out, 5, -10, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 4), sparks("02457"));
	canvas_spark(c, 5, 0, inf, 4, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 5), sparks("0077"));
	canvas_spark(c, 6, 0, huge, 3, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 6), sparks("047"));
	canvas_spark(c, 7, 0, nans, 2, NAN, NAN, ROLE_SPARK);
	canvas_spark(c, 7, 0, ramp, 0, NAN, NAN, ROLE_SPARK);
	canvas_spark(c, 7, 0, NULL, 5, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 7), "");
	/* Clipped on both sides: the scale is still the whole data's. */
	canvas_clip(c, 8, 0, 1, 3);
	canvas_spark(c, 8, -2, ramp, 8, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 8), sparks("234"));
	canvas_grid_free(c);

	c = canvas_grid_new(2, 10, 0);
	canvas_spark(c, 0, 0, ramp, 8, NAN, NAN, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 0), " .:-=+*#");
	canvas_spark(c, 1, 0, flat, 3, 7, 7, ROLE_SPARK);
	CHECK_STR(canvas_grid_line(c, 1), "---");
	canvas_grid_free(c);
}

static void
test_rules_fill_roles(void)
{
	struct canvas	*c = canvas_grid_new(4, 6, 1);

	canvas_hline(c, 0, 1, 4, ROLE_BORDER);
	CHECK_STR(canvas_grid_line(c, 0), " " HLINE HLINE HLINE HLINE);
	CHECK_INT(canvas_grid_role(c, 0, 0), ROLE_DEFAULT);
	CHECK_INT(canvas_grid_role(c, 0, 1), ROLE_BORDER);
	CHECK_INT(canvas_grid_role(c, 0, 4), ROLE_BORDER);
	CHECK_INT(canvas_grid_role(c, 0, 5), ROLE_DEFAULT);
	canvas_vline(c, 1, 0, 10, ROLE_BORDER);
	CHECK_STR(canvas_grid_line(c, 3), canvas_glyphs(c)->vline);
	canvas_text(c, 1, 1, ROLE_DEFAULT, CJK_ZHONG);
	canvas_fill(c, 1, 2, 2, 3, ROLE_SEL_FOCUS);
	CHECK_STR(canvas_grid_line(c, 1), canvas_glyphs(c)->vline);
	CHECK_INT(canvas_grid_role(c, 1, 1), ROLE_DEFAULT);
	CHECK_INT(canvas_grid_role(c, 2, 4), ROLE_SEL_FOCUS);
	CHECK_INT(canvas_grid_role(c, 2, 5), ROLE_DEFAULT);
	CHECK_INT(canvas_grid_role(c, 3, 2), ROLE_DEFAULT);
	/* Out of range asks, and a role from a bad cast. */
	CHECK_INT(canvas_grid_role(c, -1, 0), -1);
	CHECK_INT(canvas_grid_role(c, 0, 6), -1);
	CHECK_INT(canvas_grid_role(c, 4, 0), -1);
	canvas_text(c, 3, 3, (enum role)999, "r");
	CHECK_INT(canvas_grid_role(c, 3, 3), ROLE_DEFAULT);
	canvas_text(c, 3, 4, (enum role)-1, "r");
	CHECK_INT(canvas_grid_role(c, 3, 4), ROLE_DEFAULT);
	canvas_hline(c, 3, 0, -5, ROLE_BORDER);
	canvas_fill(c, 3, 0, INT_MAX, INT_MAX, ROLE_TITLE);
	CHECK_INT(canvas_grid_role(c, 3, 0), ROLE_TITLE);
	CHECK_INT(canvas_grid_role(c, 3, 5), ROLE_TITLE);
	CHECK_INT(canvas_grid_role(c, 2, 0), ROLE_BORDER);
	canvas_grid_free(c);

	c = canvas_grid_new(1, 4, 0);
	canvas_hline(c, 0, 0, 4, ROLE_BORDER);
	CHECK_STR(canvas_grid_line(c, 0), "----");
	canvas_grid_free(c);
}

/* Every operation on a canvas that has no cells, or almost none. */
static void
draw_all(struct canvas *c)
{
	const double	v[] = { 1, 2, NAN };

	canvas_text(c, 0, 0, ROLE_DEFAULT, "abc" CJK_ZHONG);
	canvas_text(c, -1, -1, ROLE_DEFAULT, "abc");
	canvas_textw(c, 0, 0, 3, ROLE_DEFAULT, "abcdef", CANVAS_LEFT);
	canvas_textw(c, 0, -2, 3, ROLE_DEFAULT, "abcdef", CANVAS_RIGHT);
	canvas_hline(c, 0, 0, 5, ROLE_BORDER);
	canvas_vline(c, 0, 0, 5, ROLE_BORDER);
	canvas_fill(c, -1, -1, 3, 3, ROLE_ERROR);
	canvas_spark(c, 0, 0, v, 3, NAN, NAN, ROLE_SPARK);
	canvas_clip(c, 0, 0, 1, 1);
	canvas_text(c, 0, 0, ROLE_DEFAULT, "xyz");
	canvas_unclip(c);
	canvas_flush(c);
}

static void
test_degenerate(void)
{
	static const int sizes[][2] = { { 0, 0 }, { 0, 5 }, { 5, 0 }, { -3, -3 } };
	struct canvas	*c;
	char		*d;
	size_t		 i;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		c = canvas_grid_new(sizes[i][0], sizes[i][1], 1);
		draw_all(c);
		CHECK(canvas_grid_line(c, 0) == NULL || sizes[i][0] > 0);
		CHECK_INT(canvas_grid_role(c, 0, 0), -1);
		d = canvas_grid_dump(c);
		CHECK_INT(strlen(d), sizes[i][0] > 0 ? sizes[i][0] : 0);
		free(d);
		canvas_grid_free(c);
	}
	c = canvas_grid_new(1, 1, 1);
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, "abc"), 1);
	CHECK_STR(canvas_grid_line(c, 0), "a");
	CHECK_INT(canvas_text(c, 0, 0, ROLE_DEFAULT, CJK_ZHONG), 1);
	CHECK_STR(canvas_grid_line(c, 0), "");
	CHECK_INT(canvas_textw(c, 0, 0, 3, ROLE_DEFAULT, "abcdef", CANVAS_LEFT), 1);
	CHECK_STR(canvas_grid_line(c, 0), "a");
	draw_all(c);
	CHECK_STR(canvas_grid_line(c, 0), "x");
	canvas_resize(c, 2, 3);
	CHECK_INT(canvas_rows(c), 2);
	CHECK_INT(canvas_cols(c), 3);
	CHECK_STR(canvas_grid_line(c, 0), "");
	CHECK_INT(canvas_text(c, 1, 0, ROLE_DEFAULT, "abcd"), 3);
	CHECK_STR(canvas_grid_line(c, 1), "abc");
	canvas_resize(c, -1, 4);
	CHECK_INT(canvas_rows(c), 0);
	draw_all(c);
	canvas_grid_free(c);
	canvas_grid_free(NULL);
}

static void
test_glyphs(void)
{
	struct canvas			*u = canvas_grid_new(1, 1, 1);
	struct canvas			*a = canvas_grid_new(1, 1, 0);
	const struct canvas_glyphs	*gu = canvas_glyphs(u), *ga = canvas_glyphs(a);
	const char *const		 fu[] = { gu->hline, gu->vline,
		gu->corner_tl, gu->corner_tr, gu->corner_bl, gu->corner_br,
		gu->tree_vert, gu->tree_rtee, gu->tree_bend, gu->tree_open,
		gu->tree_shut, gu->sort_asc, gu->sort_desc, gu->mark,
		gu->ellipsis, gu->replacement };
	const char *const		 fa[] = { ga->hline, ga->vline,
		ga->corner_tl, ga->corner_tr, ga->corner_bl, ga->corner_br,
		ga->tree_vert, ga->tree_rtee, ga->tree_bend, ga->tree_open,
		ga->tree_shut, ga->sort_asc, ga->sort_desc, ga->mark,
		ga->ellipsis, ga->replacement };
	size_t				 i, n;
	unsigned			 cp;

	CHECK(gu != ga);
	CHECK_INT(canvas_utf8(a), 0);
	for (i = 0; i < sizeof fu / sizeof fu[0]; i++) {
		/* UTF-8: one printable code point of width 1. */
		n = sanitize_utf8((const unsigned char *)fu[i], strlen(fu[i]), &cp);
		CHECK(n > 0 && n == strlen(fu[i]) && wcwidth((wchar_t)cp) == 1);
		/* ASCII: one printable byte. */
		CHECK(strlen(fa[i]) == 1 && fa[i][0] >= 0x20 && fa[i][0] < 0x7f);
	}
	for (i = 0; i < 8; i++) {
		CHECK_STR(gu->spark[i], spark_utf8[i]);
		CHECK(strlen(ga->spark[i]) == 1);
	}
	canvas_grid_free(u);
	canvas_grid_free(a);
}

/*
 * A back end that checks the contract of canvas_ops on every call: puts
 * inside the canvas and the clip, widths 1 or 2, short text with no
 * control bytes.
 */
struct strict {
	int	rows, cols;
	int	top, bottom, left, right;	/* the clip, as set */
	int	puts, bad, clears, flushes, frees;
};

static void
strict_put(void *be, int y, int x, const char *text, int width, enum role role)
{
	struct strict	*s = be;

	s->puts++;
	if (y < s->top || y >= s->bottom || x < s->left ||
	    x + width > s->right || width < 1 || width > 2 ||
	    (unsigned)role >= ROLE_COUNT || strlen(text) == 0 ||
	    strlen(text) >= CANVAS_CLUSTER_MAX || has_control(text))
		s->bad++;
}

static void
strict_clear(void *be)
{
	((struct strict *)be)->clears++;
}

static void
strict_flush(void *be)
{
	((struct strict *)be)->flushes++;
}

static void
strict_free(void *be)
{
	((struct strict *)be)->frees++;
}

static const struct canvas_ops strict_ops = {
	.put = strict_put,
	.clear = strict_clear,
	.flush = strict_flush,
	.free = strict_free
};

static uint32_t
rnd(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static int
rnd_coord(uint32_t *state)
{
	static const int	edges[] = { INT_MIN, -7, -1, 0, 1, 5, 9, 10, 11, INT_MAX };

	return rnd(state) % 3 == 0 ? edges[rnd(state) % 10] :
	    (int)(rnd(state) % 16) - 3;
}

/* One random operation of canvas.h, with the strict back end's clip set. */
static void
strict_step(struct canvas *c, struct strict *s, uint32_t *st)
{
	static const char *texts[] = { "abc", CJK_ZHONG CJK_WEN "x", "e" ACUTE,
		ACUTE ACUTE, GRIN ZWJ GRIN, "\x1b[1m" RLO "\xff", UNASSIGNED,
		"a\tb\n", "" };
	const double	v[] = { 1, NAN, 3, -INFINITY, 2 };
	int		y = rnd_coord(st), x = rnd_coord(st);
	const char	*t = texts[rnd(st) % (sizeof texts / sizeof texts[0])];

	switch (rnd(st) % 7) {
	case 0:
		canvas_text(c, y, x, ROLE_DEFAULT, t);
		break;
	case 1:
		canvas_textw(c, y, x, rnd_coord(st), ROLE_HEADER, t,
		    rnd(st) % 2 ? CANVAS_LEFT : CANVAS_RIGHT);
		break;
	case 2:
		canvas_hline(c, y, x, rnd_coord(st), ROLE_BORDER);
		break;
	case 3:
		canvas_fill(c, y, x, rnd_coord(st), rnd_coord(st), ROLE_DIM);
		break;
	case 4:
		canvas_spark(c, y, x, v, 5, NAN, NAN, ROLE_SPARK);
		break;
	case 5: {
		long long	h = rnd_coord(st), w = rnd_coord(st);

		canvas_clip(c, y, x, (int)h, (int)w);
		s->top = y < 0 ? 0 : y > s->rows ? s->rows : y;
		s->left = x < 0 ? 0 : x > s->cols ? s->cols : x;
		s->bottom = (int)((long long)y + h < s->top ? s->top :
		    (long long)y + h > s->rows ? s->rows : (long long)y + h);
		s->right = (int)((long long)x + w < s->left ? s->left :
		    (long long)x + w > s->cols ? s->cols : (long long)x + w);
		break;
	}
	default:
		canvas_unclip(c);
		s->top = s->left = 0;
		s->bottom = s->rows;
		s->right = s->cols;
	}
}

static void
test_ops_contract(void)
{
	struct strict	 s = { .rows = 6, .cols = 9, .bottom = 6, .right = 9 };
	struct canvas	*c = canvas_new(&strict_ops, &s, 6, 9, 1);
	uint32_t	 st = 2463534242u;
	int		 i;

	CHECK(canvas_backend(c, &strict_ops) == &s);
	CHECK(canvas_grid_line(c, 0) == NULL);
	CHECK(canvas_grid_dump(c) == NULL);
	CHECK_INT(canvas_grid_role(c, 0, 0), -1);
	for (i = 0; i < 20000; i++)
		strict_step(c, &s, &st);
	CHECK(s.puts > 1000);
	CHECK_INT(s.bad, 0);
	canvas_clear(c);
	canvas_flush(c);
	CHECK_INT(s.clears, 1);
	CHECK_INT(s.flushes, 1);
	/* No resize op: the size stays. */
	canvas_resize(c, 2, 2);
	CHECK_INT(canvas_rows(c), 6);
	canvas_free(c);
	CHECK_INT(s.frees, 1);
}

int
main(void)
{
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		printf("note: no C.UTF-8 locale; using the environment's\n");
		setlocale(LC_CTYPE, "");
	}
	RUN(test_text_basic);
	RUN(test_clip_canvas_edges);
	RUN(test_clip_rect);
	RUN(test_wide_edges);
	RUN(test_combining);
	RUN(test_unprintable);
	RUN(test_emoji);
	RUN(test_sanitized);
	RUN(test_textw);
	RUN(test_textw_ascii);
	RUN(test_spark);
	RUN(test_rules_fill_roles);
	RUN(test_degenerate);
	RUN(test_glyphs);
	RUN(test_ops_contract);
	return TEST_REPORT();
}
