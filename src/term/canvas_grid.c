/*
 * canvas_grid: the plain text back end of the canvas (canvas.h), our
 * version of tmux's struct screen.  It keeps rows x cols cells in memory,
 * each with its cluster, width and role, and reads them back as lines, so
 * a screen test draws and compares text ("state in, lines out").
 *
 * A wide character occupies its cell (width 2) and the one to its right
 * (width 0, a continuation that prints nothing); writing over either half
 * blanks the other, so a row always reads back as whole characters.
 */
#include <stdlib.h>
#include <string.h>

#include "term/canvas.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

struct grid_cell {
	char		text[CANVAS_CLUSTER_MAX];
	unsigned char	width;		/* 1, 2 (wide) or 0 (its right half) */
	unsigned char	role;
};

struct grid {
	int			 rows;
	int			 cols;
	struct grid_cell	*cells;
	struct strbuf		 line;	/* canvas_grid_line's answer */
};

_Static_assert(ROLE_COUNT <= 256, "a cell keeps its role in a byte");

static struct grid_cell *
cell_at(struct grid *g, int y, int x)
{
	return &g->cells[(size_t)y * (size_t)g->cols + (size_t)x];
}

static void
cell_blank(struct grid_cell *gc, unsigned char role)
{
	gc->text[0] = ' ';
	gc->text[1] = '\0';
	gc->width = 1;
	gc->role = role;
}

static void
grid_put(void *be, int y, int x, const char *text, int width, enum role role)
{
	struct grid		*g = be;
	struct grid_cell	*gc;
	int			 last = x + width - 1;

	if (y < 0 || y >= g->rows || x < 0 || width < 1 || width > 2 ||
	    last >= g->cols)
		return;
	/* Overwriting half of a wide character blanks its other half. */
	if (cell_at(g, y, x)->width == 0 && x > 0)
		cell_blank(cell_at(g, y, x - 1), cell_at(g, y, x - 1)->role);
	if (cell_at(g, y, last)->width == 2 && last + 1 < g->cols)
		cell_blank(cell_at(g, y, last + 1), cell_at(g, y, last)->role);
	gc = cell_at(g, y, x);
	strncpy(gc->text, text, sizeof gc->text - 1);
	gc->text[sizeof gc->text - 1] = '\0';
	gc->width = (unsigned char)width;
	gc->role = (unsigned char)role;
	if (width == 2) {
		gc = cell_at(g, y, x + 1);
		gc->text[0] = '\0';
		gc->width = 0;
		gc->role = (unsigned char)role;
	}
}

static void
grid_clear(void *be)
{
	struct grid	*g = be;
	size_t		 i, n = (size_t)g->rows * (size_t)g->cols;

	for (i = 0; i < n; i++)
		cell_blank(&g->cells[i], ROLE_DEFAULT);
}

static void
grid_resize(void *be, int rows, int cols)
{
	struct grid	*g = be;

	free(g->cells);
	g->rows = rows;
	g->cols = cols;
	/* One cell at least, so an empty grid still has a valid pointer. */
	g->cells = xcalloc((size_t)rows * (size_t)cols + 1, sizeof *g->cells);
}

static void
grid_free(void *be)
{
	struct grid	*g = be;

	free(g->cells);
	strbuf_free(&g->line);
	free(g);
}

static const struct canvas_ops grid_ops = {
	.put = grid_put,
	.clear = grid_clear,
	.resize = grid_resize,
	.free = grid_free
};

struct canvas *
canvas_grid_new(int rows, int cols, int utf8)
{
	struct grid	*g = xcalloc(1, sizeof *g);

	rows = rows > 0 ? rows : 0;
	cols = cols > 0 ? cols : 0;
	grid_resize(g, rows, cols);
	grid_clear(g);
	return canvas_new(&grid_ops, g, rows, cols, utf8);
}

void
canvas_grid_free(struct canvas *c)
{
	canvas_free(c);
}

/* Row y into b, trailing spaces trimmed. */
static void
grid_line(struct grid *g, int y, struct strbuf *b)
{
	struct grid_cell	*gc;
	size_t			 start = b->len;
	int			 x;

	for (x = 0; x < g->cols; x++) {
		gc = cell_at(g, y, x);
		if (gc->width != 0)
			strbuf_adds(b, gc->text);
	}
	while (b->len > start && b->s[b->len - 1] == ' ')
		b->len--;
	if (b->s != NULL)
		b->s[b->len] = '\0';
}

const char *
canvas_grid_line(struct canvas *c, int y)
{
	struct grid	*g = canvas_backend(c, &grid_ops);

	if (g == NULL || y < 0 || y >= g->rows)
		return NULL;
	strbuf_reset(&g->line);
	grid_line(g, y, &g->line);
	return strbuf_str(&g->line);
}

char *
canvas_grid_dump(struct canvas *c)
{
	struct grid	*g = canvas_backend(c, &grid_ops);
	struct strbuf	 b = { 0 };
	int		 y;

	if (g == NULL)
		return NULL;
	for (y = 0; y < g->rows; y++) {
		grid_line(g, y, &b);
		strbuf_addc(&b, '\n');
	}
	return strbuf_take(&b);
}

int
canvas_grid_role(struct canvas *c, int y, int x)
{
	struct grid	*g = canvas_backend(c, &grid_ops);

	if (g == NULL || y < 0 || y >= g->rows || x < 0 || x >= g->cols)
		return -1;
	return cell_at(g, y, x)->role;
}
