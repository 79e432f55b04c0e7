/*
 * Tests of term/roles.c and term/theme*.c: role names and aliases, the
 * shipped themes, every warning's exact "file:line: reason", load errors,
 * 256 -> 16 -> 8 -> mono degradation and NO_COLOR.  Expected palette
 * indexes come from this file's own xterm palette formula and brute-force
 * search, not from the code under test.
 */
#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testhelp.h"
#include "term/theme.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* The role names as roles.h spells them, upper case. */
#define ROLE_UPPER(name) #name,
static const char *const upper_names[] = { ROLES_LIST(ROLE_UPPER) };
#undef ROLE_UPPER

static const char *
root(void)
{
	const char	*r = getenv("MD_ROOT");

	return (r != NULL ? r : ".");
}

static char *
read_file(const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	size_t	 n;

	if (f == NULL)
		return (NULL);
	buf = xmalloc(1 << 20);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static struct theme *
parse(const char *text)
{
	return (theme_parse(text, strlen(text), "t.theme"));
}

/* xterm's palette, written out from its definition. */
static void
ref_rgb(int c, int rgb[3])
{
	static const int sys[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 },
		{ 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
		{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 },
		{ 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 }
	};
	int	i, v[3];

	if (c < 16) {
		memcpy(rgb, sys[c], sizeof sys[c]);
		return;
	}
	if (c >= 232) {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
		return;
	}
	v[0] = (c - 16) / 36;
	v[1] = ((c - 16) / 6) % 6;
	v[2] = (c - 16) % 6;
	for (i = 0; i < 3; i++)
		rgb[i] = v[i] == 0 ? 0 : 55 + 40 * v[i];
}

static int
ref_nearest(int r, int g, int b, int lo, int hi)
{
	int	c, best = -1, rgb[3];
	long	d, best_d = 0;

	for (c = lo; c <= hi; c++) {
		ref_rgb(c, rgb);
		d = (long)(r - rgb[0]) * (r - rgb[0]) +
		    (long)(g - rgb[1]) * (g - rgb[1]) +
		    (long)(b - rgb[2]) * (b - rgb[2]);
		if (best < 0 || d < best_d) {
			best = c;
			best_d = d;
		}
	}
	return (best);
}

static void
test_roles_names(void)
{
	char	lower[64];
	size_t	i;
	int	r;

	CHECK_INT(sizeof upper_names / sizeof upper_names[0], ROLE_COUNT);
	CHECK_STR(roles_name(ROLE_SEL_FOCUS), "sel_focus");
	CHECK_STR(roles_name(ROLE_DEFAULT), "default");
	CHECK_STR(roles_name(ROLE_STATUS_UNKNOWN), "status_unknown");
	for (r = 0; r < ROLE_COUNT; r++) {
		for (i = 0; upper_names[r][i] != '\0' && i < sizeof lower - 1; i++)
			lower[i] = (char)tolower((unsigned char)upper_names[r][i]);
		lower[i] = '\0';
		CHECK_STR(roles_name((enum role)r), lower);
		CHECK_INT(roles_find(lower), r);
	}
	CHECK(roles_name(ROLE_COUNT) == NULL);
	CHECK(roles_name((enum role)-1) == NULL);
	CHECK_INT(roles_find("SEL_FOCUS"), -1);
	CHECK_INT(roles_find("sel_focu"), -1);
	CHECK_INT(roles_find("sel_focus_"), -1);
	CHECK_INT(roles_find(""), -1);
}

static void
test_roles_aliases(void)
{
	static const struct roles_alias test_aliases[] = {
		{ "sel_active", ROLE_SEL_FOCUS },
		{ "drift_alert", ROLE_STATUS_ALERT },
		{ NULL, 0 }
	};
	size_t	i;

	CHECK_INT(roles_lookup("sel_active", test_aliases), ROLE_SEL_FOCUS);
	CHECK_INT(roles_lookup("drift_alert", test_aliases), ROLE_STATUS_ALERT);
	CHECK_INT(roles_lookup("sel_focus", test_aliases), ROLE_SEL_FOCUS);
	CHECK_INT(roles_lookup("sel_activ", test_aliases), -1);
	CHECK_INT(roles_lookup("spark", NULL), ROLE_SPARK);
	CHECK_INT(roles_lookup("sel_active", NULL), -1);
	/* The real table: each former name maps to a role, none shadows one. */
	for (i = 0; roles_aliases[i].name != NULL; i++) {
		CHECK((int)roles_aliases[i].role >= 0 &&
		    roles_aliases[i].role < ROLE_COUNT);
		CHECK_INT(roles_lookup(roles_aliases[i].name, NULL), -1);
		CHECK_INT(roles_find(roles_aliases[i].name),
		    roles_aliases[i].role);
	}
	CHECK_INT(roles_find("sel_active"), -1);
}

static void
test_shipped_themes(void)
{
	static const char *const names[] = { "default", "light", "mono" };
	struct theme	*t;
	char		*path, *cause = NULL;
	size_t		 i;
	int		 r;

	for (i = 0; i < 3; i++) {
		path = xasprintf("%s/themes/%s.theme", root(), names[i]);
		t = theme_load(path, &cause);
		CHECK(t != NULL);
		if (t == NULL) {
			free(cause);
			free(path);
			continue;
		}
		CHECK_INT(t->nwarnings, 0);
		CHECK_INT(t->ndropped, 0);
		CHECK_INT(t->version, 1);
		for (r = 0; r < ROLE_COUNT; r++) {
			CHECK_INT(t->named[r], 1);
			if (i == 2) {
				CHECK_INT(t->style[r].fg, THEME_COLOUR_DEFAULT);
				CHECK_INT(t->style[r].bg, THEME_COLOUR_DEFAULT);
			}
		}
		if (i == 2) {
			CHECK_INT(t->style[ROLE_SEL_FOCUS].attr,
			    THEME_REVERSE | THEME_BOLD);
			CHECK_INT(t->style[ROLE_BORDER].attr, 0);
		}
		theme_free(t);
		free(path);
	}
}

static void
test_builtin_identical(void)
{
	struct theme	*file, *built;
	char		*path, *text, *cause = NULL;

	path = xasprintf("%s/themes/default.theme", root());
	text = read_file(path);
	CHECK(text != NULL);
	if (text != NULL)
		CHECK_STR(theme_default_text, text);
	file = theme_load(path, &cause);
	built = theme_default();
	CHECK(file != NULL);
	if (file != NULL)
		CHECK(memcmp(file->style, built->style, sizeof file->style) == 0);
	CHECK_INT(built->nwarnings, 0);
	CHECK_INT(built->style[ROLE_SEL_FOCUS].fg, 0);
	CHECK_INT(built->style[ROLE_SEL_FOCUS].bg, 74);
	theme_free(file);
	theme_free(built);
	free(text);
	free(path);
	free(cause);
}

/* docs/themes.md lists every role, as `name`. */
static void
test_docs_roles(void)
{
	char	*path, *text, *want;
	int	 r;

	path = xasprintf("%s/docs/themes.md", root());
	text = read_file(path);
	CHECK(text != NULL);
	for (r = 0; text != NULL && r < ROLE_COUNT; r++) {
		want = xasprintf("`%s`", roles_name((enum role)r));
		if (strstr(text, want) == NULL)
			CHECK_STR(want, "a role in docs/themes.md");
		free(want);
	}
	free(text);
	free(path);
}

static void
test_styles(void)
{
	struct theme	*t;

	t = parse("version 1\r\n"
	    "title = bold\n"
	    "sel_focus = fg=colour196,bg=#ff8700,reverse\n"
	    "header = fg=red bold   underline\r\n"
	    "border = bold,none,dim\n"
	    "prompt = italic,fg=green,default\n"
	    "notice=fg=BrightRed,bg=COLOR7\n"
	    "spark = fg=blue\n"
	    "spark = fg=cyan\n"
	    "default = fg=white,bg=black,underline\n");
	CHECK_INT(t->nwarnings, 0);
	CHECK_INT(t->style[ROLE_DEFAULT].fg, 7);
	CHECK_INT(t->style[ROLE_DEFAULT].bg, 0);
	CHECK_INT(t->style[ROLE_DEFAULT].attr, THEME_UNDERLINE);
	/* DEFAULT came last and still is every role's base. */
	CHECK_INT(t->style[ROLE_TITLE].fg, 7);
	CHECK_INT(t->style[ROLE_TITLE].attr, THEME_UNDERLINE | THEME_BOLD);
	CHECK_INT(t->style[ROLE_SEL_FOCUS].fg, 196);
	CHECK_INT(t->style[ROLE_SEL_FOCUS].bg, 16 + 36 * 5 + 6 * 2 + 0);
	CHECK_INT(t->style[ROLE_SEL_FOCUS].bg, ref_nearest(0xff, 0x87, 0, 16, 255));
	CHECK_INT(t->style[ROLE_HEADER].fg, 1);
	CHECK_INT(t->style[ROLE_HEADER].attr,
	    THEME_UNDERLINE | THEME_BOLD);
	CHECK_INT(t->style[ROLE_BORDER].attr, THEME_DIM);
	CHECK(memcmp(&t->style[ROLE_PROMPT], &t->style[ROLE_DEFAULT],
	    sizeof t->style[0]) == 0);
	CHECK_INT(t->style[ROLE_NOTICE].fg, 9);
	CHECK_INT(t->style[ROLE_NOTICE].bg, 7);
	CHECK_INT(t->style[ROLE_SPARK].fg, 6);
	/* Unnamed roles take DEFAULT's style. */
	CHECK_INT(t->named[ROLE_DIM], 0);
	CHECK(memcmp(&t->style[ROLE_DIM], &t->style[ROLE_DEFAULT],
	    sizeof t->style[0]) == 0);
	theme_free(t);

	/* Nothing at all: every role the terminal's default. */
	t = theme_parse("", 0, "empty");
	CHECK_INT(t->nwarnings, 0);
	CHECK_INT(t->style[ROLE_ERROR].fg, THEME_COLOUR_DEFAULT);
	CHECK_INT(t->style[ROLE_ERROR].attr, 0);
	theme_free(t);
}

static void
test_colour_words(void)
{
	static const struct {
		const char	*s;
		int		 c;	/* -2: refused */
	} cases[] = {
		{ "default", -1 }, { "DEFAULT", -1 }, { "black", 0 },
		{ "white", 7 }, { "magenta", 5 }, { "brightblack", 8 },
		{ "brightwhite", 15 }, { "colour0", 0 }, { "color255", 255 },
		{ "colour007", 7 }, { "#000000", 16 }, { "#FFFFFF", 231 },
		{ "#808080", 244 }, { "colour256", -2 }, { "colour", -2 },
		{ "colour-1", -2 }, { "colour1000", -2 }, { "colour 1", -2 },
		{ "#12345", -2 }, { "#1234567", -2 }, { "#gggggg", -2 },
		{ "purple", -2 }, { "", -2 }, { "bright", -2 },
		{ "brightcolour1", -2 }, { "red ", -2 },
	};
	size_t	i;
	int	c, rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = 12345;
		rc = theme_colour_parse(cases[i].s, &c);
		if (cases[i].c == -2) {
			CHECK_INT(rc, -1);
			CHECK_INT(c, 12345);
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(c, cases[i].c);
		}
	}
}

static void
test_rgb_nearest(void)
{
	int	r, g, b, bad = 0;

	for (r = 0; r < 256; r += 17)
		for (g = 3; g < 256; g += 21)
			for (b = 1; b < 256; b += 13)
				if (theme_colour_rgb(r, g, b) !=
				    ref_nearest(r, g, b, 16, 255))
					bad++;
	CHECK_INT(bad, 0);
	CHECK_INT(theme_colour_rgb(0xff, 0x87, 0x00), 208);
	CHECK_INT(theme_colour_rgb(0x80, 0x80, 0x80), 244);
}

static void
test_degrade(void)
{
	int	c, rgb[3], bad = 0;

	CHECK_INT(theme_colour_degrade(196, 256), 196);
	CHECK_INT(theme_colour_degrade(196, 16), 9);	/* bright red */
	CHECK_INT(theme_colour_degrade(196, 8), 1);	/* red */
	CHECK_INT(theme_colour_degrade(9, 16), 9);
	CHECK_INT(theme_colour_degrade(9, 8), 1);
	CHECK_INT(theme_colour_degrade(15, 8), 7);
	CHECK_INT(theme_colour_degrade(3, 8), 3);
	CHECK_INT(theme_colour_degrade(196, 88), 9);
	CHECK_INT(theme_colour_degrade(196, 2), THEME_COLOUR_DEFAULT);
	CHECK_INT(theme_colour_degrade(196, 0), THEME_COLOUR_DEFAULT);
	CHECK_INT(theme_colour_degrade(256, 256), THEME_COLOUR_DEFAULT);
	CHECK_INT(theme_colour_degrade(-1, 256), THEME_COLOUR_DEFAULT);
	for (c = 16; c < 256; c++) {
		ref_rgb(c, rgb);
		if (theme_colour_degrade(c, 16) !=
		    ref_nearest(rgb[0], rgb[1], rgb[2], 0, 15))
			bad++;
		if (theme_colour_degrade(c, 8) !=
		    ref_nearest(rgb[0], rgb[1], rgb[2], 0, 7))
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void
test_resolve(void)
{
	struct theme		*t;
	struct theme_style	 out[ROLE_COUNT], out2[ROLE_COUNT];
	int			 orange16, orange8, rgb[3];

	ref_rgb(208, rgb);
	orange16 = ref_nearest(rgb[0], rgb[1], rgb[2], 0, 15);
	orange8 = ref_nearest(rgb[0], rgb[1], rgb[2], 0, 7);
	t = parse("version 1\n"
	    "title = fg=colour196,bg=#ff8700,bold\n");
	theme_resolve(t, 256, 0, out);
	CHECK_INT(out[ROLE_TITLE].fg, 196);
	CHECK_INT(out[ROLE_TITLE].bg, 208);
	theme_resolve(t, 16, 0, out);
	CHECK_INT(out[ROLE_TITLE].fg, 9);
	CHECK_INT(out[ROLE_TITLE].bg, orange16);
	theme_resolve(t, 8, 0, out);
	CHECK_INT(out[ROLE_TITLE].fg, 1);
	CHECK_INT(out[ROLE_TITLE].bg, orange8);
	CHECK_INT(out[ROLE_TITLE].attr & THEME_BOLD, THEME_BOLD);
	CHECK_INT(out[ROLE_DEFAULT].fg, THEME_COLOUR_DEFAULT);
	theme_resolve(t, 0, 0, out);
	CHECK_INT(out[ROLE_TITLE].fg, THEME_COLOUR_DEFAULT);
	CHECK_INT(out[ROLE_TITLE].bg, THEME_COLOUR_DEFAULT);
	CHECK_INT(out[ROLE_TITLE].attr & THEME_BOLD, THEME_BOLD);
	/* NO_COLOR on a 256-colour terminal is the same as mono. */
	theme_resolve(t, 256, 1, out2);
	CHECK(memcmp(out, out2, sizeof out) == 0);
	theme_free(t);
}

static void
test_no_colour_shipped(void)
{
	struct theme		*t = theme_default();
	struct theme_style	 mono[ROLE_COUNT], nc[ROLE_COUNT];
	int			 r;

	theme_resolve(t, 0, 0, mono);
	theme_resolve(t, 256, 1, nc);
	CHECK(memcmp(mono, nc, sizeof mono) == 0);
	for (r = 0; r < ROLE_COUNT; r++) {
		CHECK_INT(nc[r].fg, THEME_COLOUR_DEFAULT);
		CHECK_INT(nc[r].bg, THEME_COLOUR_DEFAULT);
		/* Attributes are kept. */
		CHECK_INT(nc[r].attr & t->style[r].attr, t->style[r].attr);
	}
	/* Selections and bars lose their background: reverse keeps them. */
	CHECK_INT(nc[ROLE_SEL_FOCUS].attr, THEME_REVERSE | THEME_BOLD);
	CHECK_INT(nc[ROLE_SEL_UNFOCUS].attr, THEME_REVERSE);
	CHECK_INT(nc[ROLE_STATUS_BAR].attr, THEME_REVERSE);
	CHECK_INT(nc[ROLE_STATUS_ALERT].attr, THEME_BOLD);
	CHECK_INT(nc[ROLE_STATUS_OK].attr, 0);
	CHECK_INT(nc[ROLE_DEFAULT].attr, 0);
	theme_free(t);
}

static void
test_mono_visible(void)
{
	struct theme		*t;
	struct theme_style	 out[ROLE_COUNT];

	t = parse("version 1\n"
	    "default = fg=white\n"
	    "sel_focus = fg=black,bg=cyan\n"
	    "sel_unfocus = bg=colour238\n"
	    "status_alert = fg=red\n"
	    "error = fg=brightred\n"
	    "host_down = fg=red,underline\n"
	    "status_ok = fg=green\n"
	    "title = fg=white\n");
	theme_resolve(t, 0, 0, out);
	CHECK_INT(out[ROLE_SEL_FOCUS].attr, THEME_REVERSE);
	CHECK_INT(out[ROLE_SEL_UNFOCUS].attr, THEME_REVERSE);
	CHECK_INT(out[ROLE_STATUS_ALERT].attr, THEME_BOLD);
	CHECK_INT(out[ROLE_ERROR].attr, THEME_BOLD);
	/* Its own attribute already marks it. */
	CHECK_INT(out[ROLE_HOST_DOWN].attr, THEME_UNDERLINE);
	CHECK_INT(out[ROLE_STATUS_OK].attr, 0);
	CHECK_INT(out[ROLE_TITLE].attr, 0);
	CHECK_INT(out[ROLE_DEFAULT].attr, 0);
	/* With colours there are no marks. */
	theme_resolve(t, 8, 0, out);
	CHECK_INT(out[ROLE_SEL_FOCUS].attr, 0);
	CHECK_INT(out[ROLE_SEL_FOCUS].bg, 6);
	CHECK_INT(out[ROLE_ERROR].attr, 0);
	theme_free(t);
}

static void
check_warnings(struct theme *t, const char *const *want, size_t n)
{
	size_t	i;

	CHECK_INT(t->nwarnings, n);
	for (i = 0; i < n && i < t->nwarnings; i++)
		CHECK_STR(t->warnings[i], want[i]);
}

static void
test_warnings(void)
{
	static const char *const want[] = {
		"t.theme:4: unknown role \"nosuch\"",
		"t.theme:5: unknown attribute \"blink\"",
		"t.theme:6: bad colour \"purple\"",
		"t.theme:7: missing '=' after \"border\"",
		"t.theme:8: no style after '='; prompt ignored",
		"t.theme:9: version must be the first setting; line ignored",
		"t.theme:10: line longer than 1024 bytes; ignored",
		"t.theme:11: control character 0x1b; line ignored",
		"t.theme:12: bad colour \"colour300\"",
		"t.theme:13: unknown role \"\"",
		"t.theme:14: control character 0x00; line ignored",
		"t.theme:15: bad colour \"\"",
		"t.theme:16: unknown attribute \"fg\"",
		"t.theme:16: unknown attribute \"red\"",
		"t.theme:17: unknown role \"\\xff\"",
		"t.theme:18: unknown role "
		    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"",
	};
	struct strbuf	 b = { 0 };
	struct theme	*t;
	int		 i;

	strbuf_adds(&b, "version 1\n# a comment\n\t \n"
	    "nosuch = bold\n"
	    "title = blink,bold\n"
	    "header = fg=purple,underline\n"
	    "border bold\n"
	    "prompt =  \n"
	    "version 1\n");
	for (i = 0; i < THEME_LINE_MAX + 1; i++)
		strbuf_addc(&b, 'x');
	strbuf_adds(&b, "\ndim = bold\x1b[31m\n"
	    "spark = fg=colour300,bold\n"
	    "= bold\n");
	strbuf_add(&b, "notice = bold\0\n", 15);
	strbuf_adds(&b, "host_up = bg=\n"
	    "host_down = fg red\n"
	    "\xff = bold\n");
	for (i = 0; i < 50; i++)
		strbuf_addc(&b, 'a');
	strbuf_adds(&b, " = bold\nstatus_ok = fg=green");
	t = theme_parse(b.s, b.len, "t.theme");
	check_warnings(t, want, sizeof want / sizeof want[0]);
	/* The rest of the file still applies. */
	CHECK_INT(t->style[ROLE_TITLE].attr, THEME_BOLD);
	CHECK_INT(t->style[ROLE_HEADER].attr, THEME_UNDERLINE);
	CHECK_INT(t->style[ROLE_HEADER].fg, THEME_COLOUR_DEFAULT);
	CHECK_INT(t->style[ROLE_SPARK].attr, THEME_BOLD);
	CHECK_INT(t->style[ROLE_STATUS_OK].fg, 2);
	CHECK_INT(t->named[ROLE_BORDER], 0);
	CHECK_INT(t->named[ROLE_PROMPT], 0);
	CHECK_INT(t->named[ROLE_DIM], 0);
	CHECK_INT(t->named[ROLE_NOTICE], 0);
	CHECK_INT(t->version, 1);
	theme_free(t);
	strbuf_free(&b);
}

static void
test_warnings_version(void)
{
	static const char *const none[] = {
		"v.theme:2: no version line; reading as version 1",
	};
	static const char *const newer[] = {
		"v.theme:1: version 2 is newer than 1; reading what version 1 knows",
		"v.theme:3: unknown role \"future_role\"",
	};
	static const char *const bad[] = {
		"v.theme:1: bad version \"one\"; reading as version 1",
	};
	static const char *const zero[] = {
		"v.theme:1: bad version \"0\"; reading as version 1",
	};
	struct theme	*t;
	const char	*s;

	s = "# no version\ntitle = bold\n";
	t = theme_parse(s, strlen(s), "v.theme");
	check_warnings(t, none, 1);
	CHECK_INT(t->style[ROLE_TITLE].attr, THEME_BOLD);
	theme_free(t);
	s = "version 2\ntitle = bold\nfuture_role = dim\n";
	t = theme_parse(s, strlen(s), "v.theme");
	check_warnings(t, newer, 2);
	CHECK_INT(t->version, 2);
	CHECK_INT(t->style[ROLE_TITLE].attr, THEME_BOLD);
	theme_free(t);
	s = "version one\ntitle = bold\n";
	t = theme_parse(s, strlen(s), "v.theme");
	check_warnings(t, bad, 1);
	CHECK_INT(t->version, 1);
	theme_free(t);
	s = "version = 0\n";
	t = theme_parse(s, strlen(s), "v.theme");
	check_warnings(t, zero, 1);
	theme_free(t);
	s = "version = 1\ntitle=bold";
	t = theme_parse(s, strlen(s), "v.theme");
	CHECK_INT(t->nwarnings, 0);
	CHECK_INT(t->style[ROLE_TITLE].attr, THEME_BOLD);
	theme_free(t);
}

static void
test_line_limit(void)
{
	struct strbuf	 b = { 0 };
	struct theme	*t;
	int		 i;

	/* Exactly THEME_LINE_MAX bytes is read (a '\r' not counted). */
	strbuf_adds(&b, "version 1\ntitle = bold");
	for (i = (int)strlen("title = bold"); i < THEME_LINE_MAX; i++)
		strbuf_addc(&b, ' ');
	strbuf_adds(&b, "\r\n#");
	for (i = 1; i < THEME_LINE_MAX + 1; i++)
		strbuf_addc(&b, '#');
	t = theme_parse(b.s, b.len, "l");
	CHECK_INT(t->nwarnings, 1);
	if (t->nwarnings == 1)
		CHECK_STR(t->warnings[0], "l:3: line longer than 1024 bytes; ignored");
	CHECK_INT(t->style[ROLE_TITLE].attr, THEME_BOLD);
	theme_free(t);
	strbuf_free(&b);
}

static void
test_warnings_capped(void)
{
	struct strbuf	 b = { 0 };
	struct theme	*t;
	int		 i;

	strbuf_adds(&b, "version 1\n");
	for (i = 0; i < 100; i++)
		strbuf_addf(&b, "bad%d = bold\n", i);
	strbuf_adds(&b, "title = bold\n");
	t = theme_parse(b.s, b.len, "c");
	CHECK_INT(t->nwarnings, THEME_WARNINGS_MAX);
	CHECK_INT(t->ndropped, 100 - THEME_WARNINGS_MAX);
	CHECK_STR(t->warnings[0], "c:2: unknown role \"bad0\"");
	CHECK_STR(t->warnings[THEME_WARNINGS_MAX - 1],
	    "c:65: unknown role \"bad63\"");
	CHECK_INT(t->style[ROLE_TITLE].attr, THEME_BOLD);
	theme_free(t);
	strbuf_free(&b);
}

static void
test_load_errors(void)
{
	struct theme	*t;
	char		 dir[] = "/tmp/md-theme-XXXXXX";
	char		*path, *cause = NULL, *want;
	FILE		*f;
	int		 i;

	CHECK(mkdtemp(dir) != NULL);
	path = xasprintf("%s/missing.theme", dir);
	t = theme_load(path, &cause);
	CHECK(t == NULL);
	want = xasprintf("theme: cannot read %s: No such file or directory",
	    path);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	cause = NULL;

	t = theme_load(dir, &cause);
	CHECK(t == NULL);
	want = xasprintf("theme: cannot read %s: Is a directory", dir);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	cause = NULL;

	/* Over THEME_FILE_MAX bytes of comments. */
	f = fopen(path, "w");
	for (i = 0; i <= THEME_FILE_MAX / 64; i++)
		fprintf(f, "# %61d\n", i);
	fclose(f);
	t = theme_load(path, &cause);
	CHECK(t == NULL);
	want = xasprintf("theme: %s: larger than %d bytes", path,
	    THEME_FILE_MAX);
	CHECK_STR(cause, want);
	free(want);
	free(cause);
	cause = NULL;

	/* Unreadable: only meaningful when not root. */
	if (geteuid() != 0) {
		chmod(path, 0);
		t = theme_load(path, &cause);
		CHECK(t == NULL);
		want = xasprintf("theme: cannot read %s: Permission denied",
		    path);
		CHECK_STR(cause, want);
		free(want);
		free(cause);
		cause = NULL;
	}

	/* A readable file's warnings name it. */
	f = fopen(path, "w");
	fputs("version 1\ntitle = bolder\n", f);
	fclose(f);
	chmod(path, 0600);
	t = theme_load(path, &cause);
	CHECK(t != NULL);
	if (t != NULL) {
		want = xasprintf("%s:2: unknown attribute \"bolder\"", path);
		CHECK_INT(t->nwarnings, 1);
		if (t->nwarnings == 1)
			CHECK_STR(t->warnings[0], want);
		free(want);
		theme_free(t);
	}
	unlink(path);
	rmdir(dir);
	free(path);
	theme_free(NULL);
}

int
main(void)
{
	RUN(test_roles_names);
	RUN(test_roles_aliases);
	RUN(test_shipped_themes);
	RUN(test_builtin_identical);
	RUN(test_docs_roles);
	RUN(test_styles);
	RUN(test_colour_words);
	RUN(test_rgb_nearest);
	RUN(test_degrade);
	RUN(test_resolve);
	RUN(test_no_colour_shipped);
	RUN(test_mono_visible);
	RUN(test_warnings);
	RUN(test_warnings_version);
	RUN(test_line_limit);
	RUN(test_warnings_capped);
	RUN(test_load_errors);
	return TEST_REPORT();
}
