/*
 * canvas: the drawing operations over a back end (canvas.h).  Text is
 * sanitised into the canvas's scratch buffer, cut into clusters (a base
 * character and the combining marks after it) measured by wcwidth(),
 * clipped to the visible area, and handed to ops->put one cluster at a
 * time; the back end never sees a cell outside the canvas.
 *
 * Sparklines use the eight block elements U+2581..U+2588 rather than
 * braille: the brief asks for one cell per value, and a block cell shows
 * one value at eight heights where a braille cell packs two values at
 * four, and block elements are in far more terminal fonts.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "term/canvas.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define SPARK_MIDDLE	3	/* the half-height glyph: ▄ or '-' */

struct canvas {
	const struct canvas_ops		*ops;
	void				*be;
	int				 rows;
	int				 cols;
	int				 utf8;
	const struct canvas_glyphs	*glyphs;

	int				 clipped;
	int				 clip_y, clip_x, clip_h, clip_w;

	struct strbuf			 scratch; /* the sanitised text being drawn */
};

/* The visible area: canvas and clip intersected, half-open, maybe empty. */
struct area {
	int	top, bottom;
	int	left, right;
};

/* One cell's worth of text. */
struct cluster {
	char	text[CANVAS_CLUSTER_MAX];
	int	width;			/* 1 or 2 */
};

/* A walk over sanitised text, cluster by cluster. */
struct walk {
	const unsigned char	*p;
	size_t			 len;
	size_t			 off;
	int			 utf8;
	const char		*replacement;
};

/* Where text is going on one row. */
struct pen {
	struct canvas	*c;
	struct area	 a;
	int		 y;
	long long	 col;		/* next column; may be left of the area */
	enum role	 role;
};

static const struct canvas_glyphs glyphs_utf8 = {
	.hline = "─", .vline = "│",
	.corner_tl = "┌", .corner_tr = "┐", .corner_bl = "└", .corner_br = "┘",
	.tree_vert = "│", .tree_rtee = "├", .tree_bend = "└",
	.tree_open = "+", .tree_shut = "─",
	.sort_asc = "▲", .sort_desc = "▼", .mark = "●",
	.ellipsis = "…", .replacement = "\xef\xbf\xbd",
	.spark = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" }
};

static const struct canvas_glyphs glyphs_ascii = {
	.hline = "-", .vline = "|",
	.corner_tl = "+", .corner_tr = "+", .corner_bl = "+", .corner_br = "+",
	.tree_vert = "|", .tree_rtee = "`", .tree_bend = "`",
	.tree_open = "+", .tree_shut = "-",
	.sort_asc = "^", .sort_desc = "v", .mark = "*",
	.ellipsis = "~", .replacement = "?",
	.spark = { " ", ".", ":", "-", "=", "+", "*", "#" }
};

struct canvas *
canvas_new(const struct canvas_ops *ops, void *be, int rows, int cols,
    int utf8)
{
	struct canvas	*c;

	assert(ops != NULL && ops->put != NULL && ops->clear != NULL &&
	    ops->free != NULL);
	c = xcalloc(1, sizeof *c);
	c->ops = ops;
	c->be = be;
	c->rows = rows > 0 ? rows : 0;
	c->cols = cols > 0 ? cols : 0;
	c->utf8 = utf8 != 0;
	c->glyphs = c->utf8 ? &glyphs_utf8 : &glyphs_ascii;
	return c;
}

void
canvas_free(struct canvas *c)
{
	if (c == NULL)
		return;
	c->ops->free(c->be);
	strbuf_free(&c->scratch);
	free(c);
}

void *
canvas_backend(const struct canvas *c, const struct canvas_ops *ops)
{
	return c != NULL && c->ops == ops ? c->be : NULL;
}

void
canvas_resize(struct canvas *c, int rows, int cols)
{
	if (c->ops->resize == NULL)
		return;
	c->rows = rows > 0 ? rows : 0;
	c->cols = cols > 0 ? cols : 0;
	c->ops->resize(c->be, c->rows, c->cols);
	c->clipped = 0;
	c->ops->clear(c->be);
}

int
canvas_rows(const struct canvas *c)
{
	return c->rows;
}

int
canvas_cols(const struct canvas *c)
{
	return c->cols;
}

int
canvas_utf8(const struct canvas *c)
{
	return c->utf8;
}

const struct canvas_glyphs *
canvas_glyphs(const struct canvas *c)
{
	return c->glyphs;
}

void
canvas_clip(struct canvas *c, int y, int x, int h, int w)
{
	c->clipped = 1;
	c->clip_y = y;
	c->clip_x = x;
	c->clip_h = h;
	c->clip_w = w;
}

void
canvas_unclip(struct canvas *c)
{
	c->clipped = 0;
}

void
canvas_clear(struct canvas *c)
{
	c->ops->clear(c->be);
}

void
canvas_flush(struct canvas *c)
{
	if (c->ops->flush != NULL)
		c->ops->flush(c->be);
}

static long long
clamp(long long v, long long lo, long long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* In long long, so that y + h near INT_MAX cannot overflow. */
static void
area_get(const struct canvas *c, struct area *a)
{
	long long	top = 0, bottom = c->rows, left = 0, right = c->cols;

	if (c->clipped) {
		top = clamp(c->clip_y, 0, c->rows);
		left = clamp(c->clip_x, 0, c->cols);
		bottom = clamp((long long)c->clip_y + c->clip_h, top, c->rows);
		right = clamp((long long)c->clip_x + c->clip_w, left, c->cols);
	}
	a->top = (int)top;
	a->bottom = (int)bottom;
	a->left = (int)left;
	a->right = (int)right;
}

/* A role from a bad cast must not index past a back end's tables. */
static enum role
role_checked(enum role role)
{
	return (unsigned)role < ROLE_COUNT ? role : ROLE_DEFAULT;
}

/* Set up a pen at (y, x); 0 when row y is not visible. */
static int
pen_start(struct canvas *c, struct pen *p, int y, int x, enum role role)
{
	p->c = c;
	area_get(c, &p->a);
	p->y = y;
	p->col = x;
	p->role = role_checked(role);
	return y >= p->a.top && y < p->a.bottom && p->a.left < p->a.right;
}

/* Draw one cluster at the pen and move it on. */
static void
pen_put(struct pen *p, const char *text, int width)
{
	const struct canvas_ops	*ops = p->c->ops;
	long long		 end = p->col + width, x;

	if (p->col >= p->a.left && end <= p->a.right)
		ops->put(p->c->be, p->y, (int)p->col, text, width, p->role);
	else {
		/* A wide character cut by an edge: its visible half is a space. */
		x = p->col > p->a.left ? p->col : p->a.left;
		for (; x < end && x < p->a.right; x++)
			ops->put(p->c->be, p->y, (int)x, " ", 1, p->role);
	}
	p->col = end;
}

/* Columns advanced from x0, counting only up to the area's right edge. */
static int
pen_result(const struct pen *p, int x0)
{
	long long	end = p->col < p->a.right ? p->col : p->a.right;

	return end > x0 ? (int)(end - x0) : 0;
}

static void
walk_start(struct canvas *c, struct walk *w, const char *s)
{
	strbuf_reset(&c->scratch);
	if (s != NULL)
		sanitize_append(&c->scratch, s, strlen(s), 0);
	w->p = (const unsigned char *)strbuf_str(&c->scratch);
	w->len = c->scratch.len;
	w->off = 0;
	w->utf8 = c->utf8;
	w->replacement = c->glyphs->replacement;
}

static void
walk_rewind(struct walk *w)
{
	w->off = 0;
}

/* The width of the character at p (-1 when unprintable), its length in *n. */
static int
decode(const unsigned char *p, size_t len, size_t *n)
{
	unsigned	cp;

	*n = sanitize_utf8(p, len, &cp);
	if (*n == 0) {
		*n = 1;
		return -1;
	}
	return wcwidth((wchar_t)cp);
}

static void
cluster_set(struct cluster *cl, const char *text, int width)
{
	strncpy(cl->text, text, sizeof cl->text - 1);
	cl->text[sizeof cl->text - 1] = '\0';
	cl->width = width;
}

/* The next cluster of the walk into *cl; 0 at the end. */
static int
walk_next(struct walk *w, struct cluster *cl)
{
	size_t	n, tl;
	int	wd, marks = 0;

	if (w->off >= w->len)
		return 0;
	wd = decode(w->p + w->off, w->len - w->off, &n);
	if (wd == 0) {
		/* A mark with no base before it in the string sits on a space. */
		cluster_set(cl, " ", 1);
		marks = w->utf8;
		n = 0;
	} else if (wd < 0)
		cluster_set(cl, w->replacement, 1);
	else if (w->p[w->off] >= 0x80 && !w->utf8) {
		/* One '?' per column keeps the layout of the UTF-8 canvas. */
		cluster_set(cl, wd == 2 ? "??" : "?", wd);
	} else {
		memcpy(cl->text, w->p + w->off, n);
		cl->text[n] = '\0';
		cl->width = wd;
		marks = w->utf8;
	}
	w->off += n;
	tl = strlen(cl->text);
	while (w->off < w->len) {
		if (decode(w->p + w->off, w->len - w->off, &n) != 0)
			break;
		if (marks && tl + n < sizeof cl->text) {
			memcpy(cl->text + tl, w->p + w->off, n);
			tl += n;
			cl->text[tl] = '\0';
		}
		w->off += n;
	}
	return 1;
}

int
canvas_text(struct canvas *c, int y, int x, enum role role, const char *s)
{
	struct pen	p;
	struct walk	w;
	struct cluster	cl;

	if (!pen_start(c, &p, y, x, role))
		return 0;
	walk_start(c, &w, s);
	while (p.col < p.a.right && walk_next(&w, &cl))
		pen_put(&p, cl.text, cl.width);
	return pen_result(&p, x);
}

static void
pen_pad(struct pen *p, int n)
{
	for (; n > 0 && p->col < p->a.right; n--)
		pen_put(p, " ", 1);
	p->col += n;
}

int
canvas_textw(struct canvas *c, int y, int x, int width, enum role role,
    const char *s, enum canvas_align align)
{
	struct pen	p;
	struct walk	w;
	struct cluster	cl;
	long long	total = 0;
	int		kept = 0, full = 1, cut, shown, drawn = 0;

	if (width <= 0 || !pen_start(c, &p, y, x, role))
		return 0;
	walk_start(c, &w, s);
	/* kept: what fits before an ellipsis, should one be needed. */
	while (total <= width && walk_next(&w, &cl)) {
		if (full && kept + cl.width <= width - 1)
			kept += cl.width;
		else
			full = 0;
		total += cl.width;
	}
	cut = total > width;
	shown = cut ? kept : (int)total;
	if (align == CANVAS_RIGHT)
		pen_pad(&p, width - shown - cut);
	walk_rewind(&w);
	while (drawn < shown && walk_next(&w, &cl)) {
		pen_put(&p, cl.text, cl.width);
		drawn += cl.width;
	}
	if (cut)
		pen_put(&p, c->glyphs->ellipsis, 1);
	if (align != CANVAS_RIGHT)
		pen_pad(&p, width - shown - cut);
	return pen_result(&p, x);
}

/* Draw `text` in every visible cell of the h x w rectangle at (y, x). */
static void
rect(struct canvas *c, int y, int x, int h, int w, const char *text,
    enum role role)
{
	struct area	a;
	long long	top, bottom, left, right, yy, xx;

	area_get(c, &a);
	role = role_checked(role);
	top = clamp(y, a.top, a.bottom);
	bottom = clamp((long long)y + (h > 0 ? h : 0), top, a.bottom);
	left = clamp(x, a.left, a.right);
	right = clamp((long long)x + (w > 0 ? w : 0), left, a.right);
	for (yy = top; yy < bottom; yy++) {
		for (xx = left; xx < right; xx++)
			c->ops->put(c->be, (int)yy, (int)xx, text, 1, role);
	}
}

void
canvas_hline(struct canvas *c, int y, int x, int w, enum role role)
{
	rect(c, y, x, 1, w, c->glyphs->hline, role);
}

void
canvas_vline(struct canvas *c, int y, int x, int h, enum role role)
{
	rect(c, y, x, h, 1, c->glyphs->vline, role);
}

void
canvas_fill(struct canvas *c, int y, int x, int h, int w, enum role role)
{
	rect(c, y, x, h, w, " ", role);
}

/* Fill a NaN lo or hi with the smallest or largest finite value in v. */
static void
spark_range(const double *v, size_t n, double *lo, double *hi)
{
	double	mn = NAN, mx = NAN;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (isnan(mn) || v[i] < mn)
			mn = v[i];
		if (isnan(mx) || v[i] > mx)
			mx = v[i];
	}
	if (isnan(*lo))
		*lo = mn;
	if (isnan(*hi))
		*hi = mx;
}

/*
 * Which of the eight glyphs draws v: equal eighths of [lo, hi], hi itself
 * in the top one; -1 for a gap.  With no usable range (constant data,
 * hi <= lo, an infinite bound) every value is a flat line at half height.
 */
static int
spark_level(double v, double lo, double hi)
{
	double	t;

	if (isnan(v))
		return -1;
	if (!isfinite(lo) || !isfinite(hi) || !(hi > lo))
		return SPARK_MIDDLE;
	/* Halves first: hi - lo can overflow where hi/2 - lo/2 cannot. */
	t = (v / 2 - lo / 2) / (hi / 2 - lo / 2) * 8;
	if (!(t >= 0))
		return 0;
	return t >= 8 ? 7 : (int)t;
}

void
canvas_spark(struct canvas *c, int y, int x, const double *v, size_t n,
    double lo, double hi, enum role role)
{
	struct pen	p;
	size_t		i = 0;
	int		level;

	if (v == NULL || !pen_start(c, &p, y, x, role))
		return;
	spark_range(v, n, &lo, &hi);
	if (p.col < p.a.left)
		i = (size_t)(p.a.left - p.col);
	for (p.col += (long long)i; i < n && p.col < p.a.right; i++) {
		level = spark_level(v[i], lo, hi);
		pen_put(&p, level < 0 ? " " : c->glyphs->spark[level], 1);
	}
}
