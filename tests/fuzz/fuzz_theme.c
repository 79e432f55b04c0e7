/*
 * libFuzzer harness: the theme file parser and resolver of term/theme.h.
 * Besides "no crash", it checks:
 *  - parsing the same input twice gives the same theme (styles, named
 *    roles, version, warnings);
 *  - every style is in range (colours THEME_COLOUR_DEFAULT or 0..255,
 *    attributes within THEME_ATTRS) and a role the input does not name
 *    has DEFAULT's style;
 *  - every warning reads "fuzz.theme:N: reason" with N a line of the
 *    input, holds no control character (quoted text is made safe), and
 *    at most THEME_WARNINGS_MAX are kept;
 *  - resolved for 0, 8, 16, 88 and 256 colours and with NO_COLOR, every
 *    colour is below the terminal's count, none is left in mono, and
 *    no attribute is lost.
 * Also built into tests/unit/test_prom_fuzz.c, which replays corpus/theme/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term/theme.h"

#define THEME_FUZZ_FILE	"fuzz.theme"

static void
theme_fuzz_fail(const char *what, int role, const char *detail)
{
	fprintf(stderr, "fuzz_theme: %s (role %d): %s\n", what, role,
	    detail != NULL ? detail : "");
	abort();
}

static void
theme_fuzz_styles(const struct theme *t)
{
	const struct theme_style	*s, *def = &t->style[ROLE_DEFAULT];
	int				 r;

	for (r = 0; r < ROLE_COUNT; r++) {
		s = &t->style[r];
		if (s->fg < -1 || s->fg > 255 || s->bg < -1 || s->bg > 255)
			theme_fuzz_fail("colour out of range", r, NULL);
		if ((s->attr & ~THEME_ATTRS) != 0)
			theme_fuzz_fail("unknown attribute bit", r, NULL);
		if (t->named[r] > 1)
			theme_fuzz_fail("named is not 0 or 1", r, NULL);
		if (!t->named[r] && memcmp(s, def, sizeof *s) != 0)
			theme_fuzz_fail("unnamed role is not DEFAULT", r, NULL);
	}
}

static void
theme_fuzz_warnings(const struct theme *t, size_t lines)
{
	const char	*w, *p;
	char		*end;
	size_t		 i, prefix = strlen(THEME_FUZZ_FILE ":");
	unsigned long	 n;

	if (t->nwarnings > THEME_WARNINGS_MAX ||
	    (t->ndropped > 0 && t->nwarnings != THEME_WARNINGS_MAX))
		theme_fuzz_fail("warning count", -1, NULL);
	for (i = 0; i < t->nwarnings; i++) {
		w = t->warnings[i];
		if (strncmp(w, THEME_FUZZ_FILE ":", prefix) != 0)
			theme_fuzz_fail("warning does not name the file", -1, w);
		n = strtoul(w + prefix, &end, 10);
		if (end == w + prefix || n < 1 || n > lines ||
		    strncmp(end, ": ", 2) != 0 || end[2] == '\0')
			theme_fuzz_fail("warning line or reason", -1, w);
		for (p = w; *p != '\0'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				theme_fuzz_fail("control character in warning",
				    -1, w);
		}
	}
}

static void
theme_fuzz_same(const struct theme *a, const struct theme *b)
{
	size_t	i;

	if (memcmp(a->style, b->style, sizeof a->style) != 0 ||
	    memcmp(a->named, b->named, sizeof a->named) != 0 ||
	    a->version != b->version || a->nwarnings != b->nwarnings ||
	    a->ndropped != b->ndropped)
		theme_fuzz_fail("second parse differs", -1, NULL);
	for (i = 0; i < a->nwarnings; i++) {
		if (strcmp(a->warnings[i], b->warnings[i]) != 0)
			theme_fuzz_fail("second parse warns differently", -1,
			    a->warnings[i]);
	}
}

static void
theme_fuzz_resolve(const struct theme *t)
{
	static const int		 counts[] = { 0, 8, 16, 88, 256 };
	struct theme_style		 out[ROLE_COUNT];
	size_t				 i;
	int				 r, n, nc, max, mono;

	for (i = 0; i < 2 * sizeof counts / sizeof counts[0]; i++) {
		n = counts[i / 2];
		nc = (int)(i % 2);
		mono = nc || n < 8;
		max = n >= 256 ? 255 : n >= 16 ? 15 : 7;
		theme_resolve(t, n, nc, out);
		for (r = 0; r < ROLE_COUNT; r++) {
			if (out[r].fg < -1 || out[r].fg > max ||
			    out[r].bg < -1 || out[r].bg > max)
				theme_fuzz_fail("resolved colour out of range",
				    r, NULL);
			if (mono && (out[r].fg != -1 || out[r].bg != -1))
				theme_fuzz_fail("colour left in mono", r, NULL);
			if ((out[r].attr & ~THEME_ATTRS) != 0 ||
			    (out[r].attr & t->style[r].attr) != t->style[r].attr)
				theme_fuzz_fail("resolved attributes", r, NULL);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct theme	*a, *b;
	char		*word;
	size_t		 i, lines = 1;
	int		 c;

	for (i = 0; i < size; i++) {
		if (data[i] == '\n' && i + 1 < size)
			lines++;
	}
	a = theme_parse((const char *)data, size, THEME_FUZZ_FILE);
	b = theme_parse((const char *)data, size, THEME_FUZZ_FILE);
	theme_fuzz_styles(a);
	theme_fuzz_warnings(a, lines);
	theme_fuzz_same(a, b);
	theme_fuzz_resolve(a);
	theme_free(a);
	theme_free(b);
	if (size <= 32) {
		word = malloc(size + 1);
		memcpy(word, data, size);
		word[size] = '\0';
		if (theme_colour_parse(word, &c) == 0 && (c < -1 || c > 255))
			theme_fuzz_fail("colour word out of range", -1, word);
		free(word);
	}
	return (0);
}
