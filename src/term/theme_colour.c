/*
 * theme_colour: colour words and the xterm-256 palette for themes (see
 * theme.h for the degradation rules).  The palette is xterm's default:
 * 0-15 its system colours, 16-231 the 6x6x6 cube on the levels 0, 95,
 * 135, 175, 215, 255, and 232-255 the greys 8, 18, ..., 238.  "Nearest"
 * is the smallest squared RGB distance, the lower index on a tie.
 * Everything here is constant; nothing allocates.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "term/theme.h"

static const char *const colour_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

/* xterm's default system colours, 0-15. */
static const unsigned char system_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 }
};

static const int cube_levels[6] = { 0, 95, 135, 175, 215, 255 };

static void
palette_rgb(int c, int rgb[3])
{
	int	i;

	if (c < 16) {
		for (i = 0; i < 3; i++)
			rgb[i] = system_rgb[c][i];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = cube_levels[c / 36];
		rgb[1] = cube_levels[(c / 6) % 6];
		rgb[2] = cube_levels[c % 6];
	} else
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
}

/* The index in [lo, hi] nearest to r, g, b. */
static int
nearest(int r, int g, int b, int lo, int hi)
{
	int	c, best = lo, rgb[3];
	long	d, best_d = -1;

	for (c = lo; c <= hi; c++) {
		palette_rgb(c, rgb);
		d = (long)(rgb[0] - r) * (rgb[0] - r) +
		    (long)(rgb[1] - g) * (rgb[1] - g) +
		    (long)(rgb[2] - b) * (rgb[2] - b);
		if (best_d < 0 || d < best_d) {
			best = c;
			best_d = d;
		}
	}
	return (best);
}

int
theme_colour_rgb(int r, int g, int b)
{
	return (nearest(r, g, b, 16, 255));
}

int
theme_colour_degrade(int c, int ncolours)
{
	int	rgb[3];

	if (c < 0 || c > 255 || ncolours < 8)
		return (THEME_COLOUR_DEFAULT);
	if (ncolours >= 256 || c < 8)
		return (c);
	if (ncolours >= 16 && c < 16)
		return (c);
	if (ncolours < 16 && c < 16)
		return (c - 8);
	palette_rgb(c, rgb);
	return (nearest(rgb[0], rgb[1], rgb[2], 0, ncolours >= 16 ? 15 : 7));
}

static int
hex_digit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return (ch - '0');
	ch = tolower((unsigned char)ch);
	if (ch >= 'a' && ch <= 'f')
		return (ch - 'a' + 10);
	return (-1);
}

/* "#rrggbb" to the nearest cube or grey index; -1 if malformed. */
static int
parse_hex(const char *s)
{
	int	i, hi, lo, v[3];

	if (strlen(s) != 7)
		return (-1);
	for (i = 0; i < 3; i++) {
		hi = hex_digit(s[1 + 2 * i]);
		lo = hex_digit(s[2 + 2 * i]);
		if (hi < 0 || lo < 0)
			return (-1);
		v[i] = hi * 16 + lo;
	}
	return (theme_colour_rgb(v[0], v[1], v[2]));
}

/* The digits after "colour"/"color": 0..255, at most three digits. */
static int
parse_index(const char *s)
{
	size_t	n = strlen(s), i;
	int	v = 0;

	if (n == 0 || n > 3)
		return (-1);
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v <= 255 ? v : -1);
}

int
theme_colour_parse(const char *s, int *c)
{
	int	i, v = -1;

	if (strcasecmp(s, "default") == 0) {
		*c = THEME_COLOUR_DEFAULT;
		return (0);
	}
	if (s[0] == '#')
		v = parse_hex(s);
	else if (strncasecmp(s, "colour", 6) == 0)
		v = parse_index(s + 6);
	else if (strncasecmp(s, "color", 5) == 0)
		v = parse_index(s + 5);
	else {
		for (i = 0; i < 8 && v < 0; i++) {
			if (strcasecmp(s, colour_names[i]) == 0)
				v = i;
			else if (strncasecmp(s, "bright", 6) == 0 &&
			    strcasecmp(s + 6, colour_names[i]) == 0)
				v = 8 + i;
		}
	}
	if (v < 0)
		return (-1);
	*c = v;
	return (0);
}
