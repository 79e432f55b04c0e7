/*
 * dataset: files into typed columns (see dataset.h).  This file holds the
 * columns themselves and the CSV side; dataset_json.c the JSON side.
 *
 * Inference on the reference reads each column as numbers until a cell of
 * text turns it categorical.  The numbers already read then have to become
 * categories as they were written ("1.0" and "1" are two categories), so
 * the file is read again for that column up to that row: rare, and only
 * possible for a regular file (a pipe cannot be re-read: that is an error).
 *
 * Past the 600-line aim by a little: type inference, whole and chunked
 * loading share the cell rules kept here; the JSON form is dataset_json.c.
 */
#include "data/dataset.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/csv.h"
#include "util/xmalloc.h"

struct dataset_reader {
	struct dataset		*ref;
	struct dataset		*chunk;
	struct csv_reader	*csv;		/* NULL for JSON (read at open) */
	int			 json_done;
	size_t			 nfields;
	long			*map;		/* field -> column, -1 = skipped */
	long			 absent;	/* column not in the file, or -1 */
};

/* Per-column state while inferring types. */
struct infer {
	int		 had_number;
	unsigned long	 inf_line;	/* first infinite cell, 0 = none */
	size_t		 inf_field;
};

static struct dataset *
dataset_new(const char *path)
{
	struct dataset *ds = xcalloc(1, sizeof *ds);

	ds->path = xstrdup(path);
	ds->threshold = NAN;
	ds->baseline_accuracy = NAN;
	return ds;
}

void
dataset_free(struct dataset *ds)
{
	size_t j;

	if (ds == NULL)
		return;
	for (j = 0; j < ds->ncols; j++) {
		free(ds->cols[j].name);
		free(ds->cols[j].num);
		free(ds->cols[j].cat);
		if (ds->cols[j].own_dict)
			cat_dict_free(ds->cols[j].dict);
	}
	free(ds->cols);
	free(ds->path);
	free(ds->task);
	free(ds->segment_by);
	free(ds);
}

long
dataset_column_index(const struct dataset *ds, const char *name)
{
	size_t j;

	for (j = 0; j < ds->ncols; j++) {
		if (strcmp(ds->cols[j].name, name) == 0)
			return (long)j;
	}
	return -1;
}

static void
column_alloc(struct dataset_column *c, size_t cap)
{
	if (c->kind == STATS_NUMERIC)
		c->num = xreallocarray(c->num, cap ? cap : 1, sizeof *c->num);
	else
		c->cat = xreallocarray(c->cat, cap ? cap : 1, sizeof *c->cat);
}

struct dataset_column *
dataset_add_column(struct dataset *ds, const char *name, enum stats_kind kind,
    struct cat_dict *dict)
{
	struct dataset_column *c;

	ds->cols = xreallocarray(ds->cols, ds->ncols + 1, sizeof *ds->cols);
	c = &ds->cols[ds->ncols++];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->kind = kind;
	if (kind == STATS_CATEGORICAL) {
		c->dict = dict != NULL ? dict : cat_dict_new();
		c->own_dict = dict == NULL;
	}
	column_alloc(c, ds->cap);
	return c;
}

void
dataset_reserve(struct dataset *ds, size_t rows)
{
	size_t j, cap = ds->cap ? ds->cap : 1024;

	if (rows <= ds->cap)
		return;
	while (cap < rows)
		cap *= 2;
	ds->cap = cap;
	for (j = 0; j < ds->ncols; j++)
		column_alloc(&ds->cols[j], cap);
}

/*
 * Is the file JSON?  Its first non-blank byte (after a BOM) says; a pipe
 * cannot be peeked at without losing what was read, so there the name
 * decides (".json").
 */
static int
sniff_json(const char *path, int *is_json, char **cause)
{
	unsigned char b[512];
	struct stat st;
	size_t len = strlen(path);
	ssize_t n, i = 0;
	int fd;

	*is_json = 0;
	if (strcmp(path, "-") == 0)
		return 0;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*is_json = len >= 5 && strcmp(path + len - 5, ".json") == 0;
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return xcause(cause, "%s: %s", path, strerror(errno));
	n = read(fd, b, sizeof b);
	close(fd);
	if (n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' ||
	    b[i] == '\n'))
		i++;
	*is_json = i < n && (b[i] == '{' || b[i] == '[');
	return 0;
}

static char *
slurp(const char *path, size_t *len, char **cause)
{
	struct stat st;
	char *buf;
	size_t cap, n = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xcause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 :
	    65536;
	buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		r = read(fd, buf + n, cap - 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (r == -1) {
		free(buf);
		xcause(cause, "%s: read: %s", path, strerror(errno));
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
cell_error(struct csv_reader *r, size_t field, const char *name,
    const char *what, char **cause)
{
	size_t len;
	const char *s = csv_field(r, field, &len);

	return xcause(cause, "%s:%lu: column %zu (\"%s\"): %s: \"%.40s%s\"",
	    csv_name(r), csv_field_line(r, field), field + 1, name, what, s,
	    len > 40 ? "..." : "");
}

/* Read the header row; each name once, none empty. */
static int
read_header(struct csv_reader *r, char **cause)
{
	size_t i, k;
	int rc;

	if ((rc = csv_read(r, cause)) == -1)
		return -1;
	if (rc == 0)
		return xcause(cause, "%s: empty file: no header row", csv_name(r));
	for (i = 0; i < csv_nfields(r); i++) {
		if (*csv_field(r, i, NULL) == '\0')
			return xcause(cause, "%s:%lu: column %zu has no name",
			    csv_name(r), csv_line(r), i + 1);
		for (k = 0; k < i; k++) {
			if (strcmp(csv_field(r, i, NULL), csv_field(r, k, NULL)) == 0)
				return xcause(cause, "%s:%lu: column %zu: "
				    "\"%s\" named twice", csv_name(r),
				    csv_line(r), i + 1, csv_field(r, i, NULL));
		}
	}
	return 0;
}

static int
check_ragged(struct csv_reader *r, size_t nfields, char **cause)
{
	if (csv_nfields(r) == nfields)
		return 0;
	return xcause(cause, "%s:%lu: %zu fields, but the header has %zu",
	    csv_name(r), csv_line(r), csv_nfields(r), nfields);
}

static void
intern_cell(struct dataset_column *c, size_t row, const char *s, size_t len)
{
	double v;

	if (csv_number(s, len, &v) == CSV_NUM_MISSING) {
		c->cat[row] = -1;
		c->missing++;
	} else
		c->cat[row] = (int32_t)cat_dict_intern(c->dict, s);
}

/*
 * Column j (CSV field f) turned categorical at row `rows`: re-read its
 * first rows as text.
 */
static int
reread_as_text(struct dataset *ds, size_t j, size_t f, size_t rows,
    char **cause)
{
	struct dataset_column *c = &ds->cols[j];
	struct csv_reader *r;
	struct stat st;
	size_t row, len;
	const char *s;

	c->kind = STATS_CATEGORICAL;
	c->dict = cat_dict_new();
	c->own_dict = 1;
	c->missing = 0;
	free(c->num);
	c->num = NULL;
	column_alloc(c, ds->cap);
	if (stat(ds->path, &st) != 0 || !S_ISREG(st.st_mode))
		return xcause(cause, "%s: column %zu (\"%s\") has text after "
		    "numbers, and a pipe cannot be read twice to take the "
		    "numbers as text: give a regular file", ds->path, f + 1,
		    c->name);
	if ((r = csv_open(ds->path, cause)) == NULL)
		return -1;
	for (row = 0; row <= rows; row++) {	/* row 0 is the header */
		if (csv_read(r, cause) != 1 || csv_nfields(r) <= f) {
			csv_close(r);
			return xcause(cause, "%s: changed while being read",
			    ds->path);
		}
		if (row > 0) {
			s = csv_field(r, f, &len);
			intern_cell(c, row - 1, s, len);
		}
	}
	csv_close(r);
	return 0;
}

/* One reference cell, inferring as it goes. */
static int
infer_cell(struct dataset *ds, struct csv_reader *r, size_t j, size_t f,
    struct infer *inf, char **cause)
{
	struct dataset_column *c = &ds->cols[j];
	size_t len, k, row = ds->nrows;
	const char *s = csv_field(r, f, &len);

	if (c->kind == STATS_CATEGORICAL) {
		intern_cell(c, row, s, len);
		return 0;
	}
	switch (csv_number(s, len, &c->num[row])) {
	case CSV_NUM_FINITE:
		inf->had_number = 1;
		return 0;
	case CSV_NUM_MISSING:
		c->num[row] = NAN;
		c->missing++;
		return 0;
	case CSV_NUM_INFINITE:
		c->num[row] = NAN;
		if (inf->inf_line == 0) {
			inf->inf_line = csv_field_line(r, f);
			inf->inf_field = f;
		}
		return 0;
	case CSV_NUM_TEXT:
		break;
	}
	if (inf->had_number || inf->inf_line != 0)
		return reread_as_text(ds, j, f, row + 1, cause);
	c->kind = STATS_CATEGORICAL;
	c->dict = cat_dict_new();
	c->own_dict = 1;
	free(c->num);
	c->num = NULL;
	column_alloc(c, ds->cap);
	for (k = 0; k < row; k++)
		c->cat[k] = -1;
	intern_cell(c, row, s, len);
	return 0;
}

static int
load_csv(struct dataset *ds, char **cause)
{
	struct csv_reader *r;
	struct infer *inf = NULL;
	size_t i, n = 0;
	int rc = -1, more;

	if ((r = csv_open(ds->path, cause)) == NULL)
		return -1;
	if (read_header(r, cause) != 0)
		goto out;
	n = csv_nfields(r);
	for (i = 0; i < n; i++)
		dataset_add_column(ds, csv_field(r, i, NULL), STATS_NUMERIC, NULL);
	inf = xcalloc(n, sizeof *inf);
	while ((more = csv_read(r, cause)) == 1) {
		if (check_ragged(r, n, cause) != 0)
			goto out;
		dataset_reserve(ds, ds->nrows + 1);
		for (i = 0; i < n; i++) {
			if (infer_cell(ds, r, i, i, &inf[i], cause) != 0)
				goto out;
		}
		ds->nrows++;
	}
	if (more == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (ds->cols[i].kind == STATS_NUMERIC && inf[i].inf_line != 0) {
			xcause(cause, "%s:%lu: column %zu (\"%s\"): infinite "
			    "value", ds->path, inf[i].inf_line,
			    inf[i].inf_field + 1, ds->cols[i].name);
			goto out;
		}
	}
	rc = 0;
out:
	free(inf);
	csv_close(r);
	return rc;
}

/* Drop the "id" column: it is never a feature and can be large. */
static void
drop_id(struct dataset *ds)
{
	long j = dataset_column_index(ds, "id");
	struct dataset_column *c;

	if (j < 0)
		return;
	c = &ds->cols[j];
	free(c->name);
	free(c->num);
	free(c->cat);
	if (c->own_dict)
		cat_dict_free(c->dict);
	memmove(c, c + 1, (ds->ncols - (size_t)j - 1) * sizeof *c);
	ds->ncols--;
}

struct dataset *
dataset_load(const char *path, char **cause)
{
	struct dataset *ds = dataset_new(path);
	char *text;
	size_t len;
	int is_json, rc;

	if (sniff_json(path, &is_json, cause) != 0) {
		dataset_free(ds);
		return NULL;
	}
	if (is_json) {
		if ((text = slurp(path, &len, cause)) == NULL)
			rc = -1;
		else
			rc = dataset_json_read(ds, NULL, NULL, text, len, cause);
		free(text);
	} else {
		rc = load_csv(ds, cause);
		if (rc == 0)
			drop_id(ds);
	}
	if (rc != 0) {
		dataset_free(ds);
		return NULL;
	}
	return ds;
}

/* An empty dataset with ref's columns, sharing its dictionaries. */
static struct dataset *
chunk_like(const char *path, const struct dataset *ref)
{
	struct dataset *ds = dataset_new(path);
	size_t j;

	for (j = 0; j < ref->ncols; j++)
		dataset_add_column(ds, ref->cols[j].name, ref->cols[j].kind,
		    ref->cols[j].dict);
	return ds;
}

/* Map the header onto ref's columns; the sets must agree. */
static int
map_header(struct dataset_reader *rd, const char *optional, char **cause)
{
	struct csv_reader *r = rd->csv;
	struct dataset *ref = rd->ref;
	size_t i, j, n = csv_nfields(r);
	const char *name;
	long k;
	char *seen = xcalloc(ref->ncols + 1, 1);

	rd->nfields = n;
	rd->map = xcalloc(n, sizeof *rd->map);
	for (i = 0; i < n; i++) {
		name = csv_field(r, i, NULL);
		k = dataset_column_index(ref, name);
		if (k < 0 && optional != NULL && strcmp(name, optional) == 0) {
			dataset_add_column(ref, name, STATS_NUMERIC, NULL);
			dataset_add_column(rd->chunk, name, STATS_NUMERIC, NULL);
			seen = xrealloc(seen, ref->ncols + 1);
			k = (long)ref->ncols - 1;
			for (j = 0; j < ref->nrows; j++)
				ref->cols[k].num[j] = NAN;
			ref->cols[k].missing = ref->nrows;
		}
		if (k < 0 && strcmp(name, "id") != 0) {
			free(seen);
			return xcause(cause, "%s: column \"%s\" is not in the "
			    "reference %s", csv_name(r), name, ref->path);
		}
		rd->map[i] = k;
		if (k >= 0)
			seen[k] = 1;
	}
	rd->absent = -1;
	for (j = 0; j < ref->ncols; j++) {
		if (seen[j])
			continue;
		if (optional != NULL && strcmp(ref->cols[j].name, optional) == 0) {
			rd->absent = (long)j;
			continue;
		}
		free(seen);
		return xcause(cause, "%s: column \"%s\" of the reference %s is "
		    "missing", csv_name(r), ref->cols[j].name, ref->path);
	}
	free(seen);
	return 0;
}

struct dataset_reader *
dataset_open_like(const char *path, struct dataset *ref, const char *optional,
    char **cause)
{
	struct dataset_reader *rd = xcalloc(1, sizeof *rd);
	char *text;
	size_t len;
	int is_json, rc;

	rd->ref = ref;
	rd->chunk = chunk_like(path, ref);
	rd->absent = -1;
	if (sniff_json(path, &is_json, cause) != 0)
		goto fail;
	if (is_json) {
		if ((text = slurp(path, &len, cause)) == NULL)
			goto fail;
		rc = dataset_json_read(rd->chunk, ref, optional, text, len, cause);
		free(text);
		if (rc != 0)
			goto fail;
		return rd;
	}
	if ((rd->csv = csv_open(path, cause)) == NULL)
		goto fail;
	if (read_header(rd->csv, cause) != 0 ||
	    map_header(rd, optional, cause) != 0)
		goto fail;
	return rd;
fail:
	dataset_reader_close(rd);
	return NULL;
}

/* One current cell with the reference's type. */
static int
like_cell(struct dataset_reader *rd, size_t f, char **cause)
{
	struct dataset *ds = rd->chunk;
	struct dataset_column *c = &ds->cols[rd->map[f]];
	size_t len, row = ds->nrows;
	const char *s = csv_field(rd->csv, f, &len);

	if (c->kind == STATS_CATEGORICAL) {
		intern_cell(c, row, s, len);
		return 0;
	}
	switch (csv_number(s, len, &c->num[row])) {
	case CSV_NUM_FINITE:
		return 0;
	case CSV_NUM_MISSING:
		c->num[row] = NAN;
		c->missing++;
		return 0;
	case CSV_NUM_INFINITE:
		return cell_error(rd->csv, f, c->name, "infinite value", cause);
	case CSV_NUM_TEXT:
		break;
	}
	return cell_error(rd->csv, f, c->name, "not a number, but the column "
	    "is numeric in the reference", cause);
}

static void
reset_chunk(struct dataset *ds)
{
	size_t j;

	ds->nrows = 0;
	for (j = 0; j < ds->ncols; j++)
		ds->cols[j].missing = 0;
}

/* The optional column the file lacks: missing, numeric or categorical. */
static void
absent_cell(struct dataset_column *c, size_t row)
{
	if (c->kind == STATS_NUMERIC)
		c->num[row] = NAN;
	else
		c->cat[row] = -1;
	c->missing++;
}

int
dataset_read(struct dataset_reader *rd, size_t max_rows,
    struct dataset **chunk, char **cause)
{
	struct dataset *ds = rd->chunk;
	size_t f;
	int more = 1;

	*chunk = ds;
	if (rd->csv == NULL) {
		if (rd->json_done)
			reset_chunk(ds);
		more = !rd->json_done;
		rd->json_done = 1;
		return more;
	}
	reset_chunk(ds);
	while (ds->nrows < max_rows && (more = csv_read(rd->csv, cause)) == 1) {
		if (check_ragged(rd->csv, rd->nfields, cause) != 0)
			return -1;
		dataset_reserve(ds, ds->nrows + 1);
		for (f = 0; f < rd->nfields; f++) {
			if (rd->map[f] >= 0 && like_cell(rd, f, cause) != 0)
				return -1;
		}
		if (rd->absent >= 0)
			absent_cell(&ds->cols[rd->absent], ds->nrows);
		ds->nrows++;
	}
	if (more == -1)
		return -1;
	return ds->nrows > 0;
}

struct dataset *
dataset_reader_take(struct dataset_reader *rd)
{
	struct dataset *ds = rd->chunk;

	rd->chunk = chunk_like(ds->path, rd->ref);
	return ds;
}

void
dataset_reader_close(struct dataset_reader *rd)
{
	if (rd == NULL)
		return;
	csv_close(rd->csv);
	dataset_free(rd->chunk);
	free(rd->map);
	free(rd);
}

struct dataset *
dataset_load_like(const char *path, struct dataset *ref, const char *optional,
    char **cause)
{
	struct dataset_reader *rd;
	struct dataset *chunk, *ds;

	if ((rd = dataset_open_like(path, ref, optional, cause)) == NULL)
		return NULL;
	if (dataset_read(rd, SIZE_MAX, &chunk, cause) == -1) {
		dataset_reader_close(rd);
		return NULL;
	}
	ds = dataset_reader_take(rd);
	dataset_reader_close(rd);
	return ds;
}
