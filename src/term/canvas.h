/*
 * canvas: what screens draw on.  A canvas is a grid of rows x cols cells,
 * each holding one character cluster (a base character and the combining
 * marks attached to it), its width and a semantic role (term/roles.h);
 * colours are the back end's business, never the screen's.  Two back ends
 * sit behind struct canvas_ops: the plain text grid of canvas_grid.c, which
 * unit tests read back ("state in, lines out"), and curses (the console).
 * Neither this header nor a screen needs curses.
 *
 * Invariants: every string drawn with canvas_text or canvas_textw passes
 * sanitize_append (util/sanitize.h) first, so no control byte, escape
 * sequence or bidi override ever reaches a back end; the canvas clips
 * every operation to its bounds and to the clip rectangle (canvas_clip), so
 * a back end's put is only ever called with a cell, and for a wide
 * character both of its cells, inside the canvas.  Any coordinate or size
 * is accepted (negative, zero, past the edge): what falls outside is not
 * drawn, and a role out of range draws as ROLE_DEFAULT.  Widths come from
 * wcwidth(), so the caller sets LC_CTYPE (the console's setlocale(LC_ALL,
 * "")) before drawing: a wide character takes two cells (a space where an
 * edge cuts it), a zero-width mark joins the cell before it (a space when
 * nothing precedes it in the string), a character wcwidth() calls
 * unprintable draws the replacement glyph, and an ASCII canvas draws one
 * '?' per column of any other non-ASCII character.
 *
 * Ownership: canvas_new takes the back end's state and canvas_free releases
 * it through ops->free; strings passed in are only read during the call.
 */
#ifndef MD_CANVAS_H
#define MD_CANVAS_H

#include <stddef.h>

#include "term/roles.h"

/*
 * The longest cluster a cell holds, in bytes with the NUL: a base character
 * and its combining marks; marks past this are dropped, so a string of a
 * thousand stacked accents still costs one cell.
 */
#define CANVAS_CLUSTER_MAX	32

/*
 * The fixed glyphs screens use, one table for UTF-8 terminals and one for
 * ASCII ones (htop's CRT_treeStrUtf8/CRT_treeStrAscii), chosen once by
 * canvas_new.  Every glyph is one column wide.
 */
struct canvas_glyphs {
	const char	*hline;		/* ─  -  rules, canvas_hline */
	const char	*vline;		/* │  |  canvas_vline */
	const char	*corner_tl;	/* ┌  +  box corners */
	const char	*corner_tr;	/* ┐  + */
	const char	*corner_bl;	/* └  + */
	const char	*corner_br;	/* ┘  + */
	const char	*tree_vert;	/* │  |  a tree's continuing branch */
	const char	*tree_rtee;	/* ├  `  a child with siblings after it */
	const char	*tree_bend;	/* └  `  the last child */
	const char	*tree_open;	/* +  +  a collapsed node (it opens) */
	const char	*tree_shut;	/* ─  -  an expanded node (it shuts) */
	const char	*sort_asc;	/* ▲  ^  a column sorted ascending */
	const char	*sort_desc;	/* ▼  v  descending */
	const char	*mark;		/* ●  *  a marked row */
	const char	*ellipsis;	/* …  ~  canvas_textw's cut */
	const char	*replacement;	/* U+FFFD  ?  an unprintable character */
	const char	*spark[8];	/* ▁..█  " .:-=+*#"  lowest to highest */
};

/*
 * A back end.  The canvas calls these only with coordinates inside
 * 0 <= y < rows, 0 <= x < cols of its current size (x + width <= cols for
 * put), in no particular order; `be` is the state given to canvas_new.
 */
struct canvas_ops {
	/*
	 * Required.  Set the cell at (y, x) to `text`, one character cluster
	 * of `width` columns (1, or 2 for a wide character, which also covers
	 * the cell at x + 1), drawn as `role`.  `text` is NUL-terminated,
	 * sanitised UTF-8 of fewer than CANVAS_CLUSTER_MAX bytes (on an ASCII
	 * canvas, ASCII: "??" stands for a wide character), borrowed for the
	 * call: copy it.  When the
	 * put overwrites half of an existing wide character, the back end
	 * blanks the other half (as curses does).
	 */
	void	(*put)(void *be, int y, int x, const char *text, int width,
		    enum role role);
	/* Required.  Make every cell a space drawn as ROLE_DEFAULT. */
	void	(*clear)(void *be);
	/*
	 * Optional (without it the size is fixed and canvas_resize does
	 * nothing).  Take a new size, each >= 0; the contents are undefined
	 * until the clear that canvas_resize calls next.
	 */
	void	(*resize)(void *be, int rows, int cols);
	/* Optional.  The frame is complete: show it (curses: refresh). */
	void	(*flush)(void *be);
	/* Required.  Release `be`; called once, by canvas_free, last. */
	void	(*free)(void *be);
};

enum canvas_align {
	CANVAS_LEFT,		/* text first, padding after */
	CANVAS_RIGHT		/* padding first, text after */
};

struct canvas;

/* A canvas of rows x cols over a back end, with the UTF-8 or ASCII glyphs. */
struct canvas	*canvas_new(const struct canvas_ops *ops, void *be, int rows,
		    int cols, int utf8);
/* Release the canvas and, through ops->free, its back end. */
void		 canvas_free(struct canvas *c);
/* The back end's state when the canvas runs on `ops`, else NULL. */
void		*canvas_backend(const struct canvas *c,
		    const struct canvas_ops *ops);
/* Change the size (negative means 0), which clears the canvas and the clip. */
void		 canvas_resize(struct canvas *c, int rows, int cols);
/* Number of rows. */
int		 canvas_rows(const struct canvas *c);
/* Number of columns. */
int		 canvas_cols(const struct canvas *c);
/* Whether the canvas draws UTF-8 (1) or only ASCII (0). */
int		 canvas_utf8(const struct canvas *c);
/* The glyph table chosen when the canvas was made. */
const struct canvas_glyphs *canvas_glyphs(const struct canvas *c);
/* Restrict drawing to the h x w rectangle at (y, x), inside the canvas. */
void		 canvas_clip(struct canvas *c, int y, int x, int h, int w);
/* Drop the clip rectangle: draw anywhere on the canvas again. */
void		 canvas_unclip(struct canvas *c);
/* Blank every cell as ROLE_DEFAULT, whatever the clip. */
void		 canvas_clear(struct canvas *c);
/* Tell the back end the frame is complete. */
void		 canvas_flush(struct canvas *c);
/*
 * Draw the sanitised UTF-8 `s` from (y, x), clipped, and return the columns
 * it advanced: its width, less where the clip's right edge cut it, 0 when
 * row y is clipped away.
 */
int		 canvas_text(struct canvas *c, int y, int x, enum role role,
		    const char *s);
/*
 * Draw `s` in exactly `width` columns: padded as `align` says, or cut with
 * an ellipsis, never inside a character; the result as canvas_text's.
 */
int		 canvas_textw(struct canvas *c, int y, int x, int width,
		    enum role role, const char *s, enum canvas_align align);
/* Draw a horizontal rule of w cells from (y, x). */
void		 canvas_hline(struct canvas *c, int y, int x, int w,
		    enum role role);
/* Draw a vertical rule of h cells down from (y, x). */
void		 canvas_vline(struct canvas *c, int y, int x, int h,
		    enum role role);
/* Fill the h x w rectangle at (y, x) with spaces drawn as `role`. */
void		 canvas_fill(struct canvas *c, int y, int x, int h, int w,
		    enum role role);
/*
 * Draw v[0..n) as a sparkline, one cell each from (y, x), scaled from lo to
 * hi (NaN: the smallest or largest finite value in v); NaN values are gaps.
 */
void		 canvas_spark(struct canvas *c, int y, int x, const double *v,
		    size_t n, double lo, double hi, enum role role);

/* A text-grid canvas (canvas_grid.c) of rows x cols, blank. */
struct canvas	*canvas_grid_new(int rows, int cols, int utf8);
/* Release a canvas made by canvas_grid_new. */
void		 canvas_grid_free(struct canvas *c);
/*
 * Row y as UTF-8 with trailing spaces trimmed, owned by the canvas until the
 * next canvas_grid_line or canvas_free; NULL when y is out of range or the
 * canvas is not a grid.
 */
const char	*canvas_grid_line(struct canvas *c, int y);
/*
 * Every row as canvas_grid_line gives it, each followed by a newline (as
 * `tmux capture-pane -p` prints), allocated; NULL when not a grid.
 */
char		*canvas_grid_dump(struct canvas *c);
/* The role of the cell at (y, x), or -1 when out of range or not a grid. */
int		 canvas_grid_role(struct canvas *c, int y, int x);

#endif
