/*
 * theme: colour themes as data (design 6.7).  A theme file maps each
 * semantic role of roles.h to a style, one `role = style` line each, in
 * tmux's style syntax; docs/themes.md is the format reference.  This
 * module parses and resolves themes and draws nothing: no curses here,
 * and no environment is read (the caller says whether NO_COLOR is set).
 *
 * Parsing never fails on content: an unknown role, attribute or colour, a
 * missing '=', an overlong line, a control character or a bad or newer
 * version line each add one warning "file:line: reason" to the theme and
 * the rest of the file still applies.  Only an unreadable (or oversized)
 * file is an error.  A role named twice takes its last line.
 *
 * Styles: a named role starts from DEFAULT's style and applies its items
 * in order (`none` clears the attributes, `default` goes back to DEFAULT's
 * style); a role the theme does not name takes DEFAULT's style unchanged.
 * Colours are stored as xterm-256 indexes (#rrggbb becomes the nearest
 * entry of the 6x6x6 cube or grey ramp, as tmux's colour_find_rgb does:
 * 0-15 are left out because terminals redefine them) or THEME_COLOUR_DEFAULT.
 *
 * Degradation (theme_resolve): with 16 to 255 colours, an index past 15
 * becomes the nearest of 0-15 by the xterm palette; with 8 to 15 colours,
 * a bright name (8-15) becomes its plain name and an index past 15 the
 * nearest of 0-7.  With fewer than 8 colours, or no_colour, colours are
 * dropped and attributes kept, and two marks keep what colour showed: a
 * role whose background differed from DEFAULT's (selections, bars, the
 * prompt) gets THEME_REVERSE, and ERROR, STATUS_ALERT and HOST_DOWN, when
 * they differed from DEFAULT only by foreground colour, get THEME_BOLD.
 * Other colour-only roles read as plain text in mono.
 *
 * Ownership: theme_parse, theme_load and theme_default return a theme the
 * caller frees with theme_free; the theme owns its file name and warnings.
 */
#ifndef MD_THEME_H
#define MD_THEME_H

#include <stddef.h>

#include "term/roles.h"

#define THEME_VERSION		1	/* the format version this code reads */
#define THEME_LINE_MAX		1024	/* longer lines are skipped, with a warning */
#define THEME_FILE_MAX		(256 * 1024)	/* theme_load refuses larger files */
#define THEME_WARNINGS_MAX	64	/* warnings kept; the rest only counted */

#define THEME_COLOUR_DEFAULT	(-1)	/* the terminal's own colour */

#define THEME_BOLD		0x01
#define THEME_DIM		0x02
#define THEME_UNDERLINE		0x04
#define THEME_REVERSE		0x08
#define THEME_ITALIC		0x10
#define THEME_ATTRS		0x1f	/* every attribute bit */

struct theme_style {
	int	fg;	/* THEME_COLOUR_DEFAULT or 0..255 */
	int	bg;	/* THEME_COLOUR_DEFAULT or 0..255 */
	int	attr;	/* THEME_BOLD | THEME_DIM | ... */
};

struct theme {
	char			*file;		/* as named in warnings */
	int			 version;	/* from the version line; 1 if none */
	struct theme_style	 style[ROLE_COUNT];	/* 256-colour styles */
	unsigned char		 named[ROLE_COUNT];	/* 1: the file set it */
	char			**warnings;	/* "file:line: reason" */
	size_t			 nwarnings;
	size_t			 ndropped;	/* warnings past THEME_WARNINGS_MAX */
};

/* The text of themes/default.theme, compiled in (theme_default.c). */
extern const char theme_default_text[];

/* Parse len bytes of theme text; file names it in warnings. */
struct theme	*theme_parse(const char *text, size_t len, const char *file);
/* Read and parse the file at path; NULL and *cause if it cannot be read. */
struct theme	*theme_load(const char *path, char **cause);
/* The built-in default theme (theme_default_text). */
struct theme	*theme_default(void);
void		 theme_free(struct theme *t);

/* The effective style of every role on a terminal with ncolours colours. */
void		 theme_resolve(const struct theme *t, int ncolours,
		    int no_colour, struct theme_style out[ROLE_COUNT]);

/* Parse a colour word into *c (THEME_COLOUR_DEFAULT or 0..255); 0 or -1. */
int		 theme_colour_parse(const char *s, int *c);
/* The nearest cube or grey-ramp index (16..255) to an RGB colour. */
int		 theme_colour_rgb(int r, int g, int b);
/* Colour c (0..255) on a terminal with ncolours (8, 16 or 256) colours. */
int		 theme_colour_degrade(int c, int ncolours);

#endif
