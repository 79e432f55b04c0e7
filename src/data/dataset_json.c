/*
 * dataset_json: the JSON side of dataset (see dataset.h), a host contract
 * `rows` body parsed whole with cJSON.  Errors name the file and the
 * place: the line and column of a syntax error, the JSON path of a value
 * (rows[12].features.income), since cJSON keeps no positions for values.
 */
#include "data/dataset.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

/* Where a column's values live in a row. */
struct jcol {
	int	 top;		/* row["prediction"] rather than row.features[..] */
	int	 typed;		/* type fixed (schema or reference) */
};

static int
syntax_error(const char *path, const char *text, size_t len, char **cause)
{
	const char *e = cJSON_GetErrorPtr(), *p;
	unsigned long line = 1, col = 1;

	if (e == NULL || e < text || e > text + len)
		return xcause(cause, "%s: not valid JSON", path);
	for (p = text; p < e; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	return xcause(cause, "%s:%lu:%lu: not valid JSON", path, line, col);
}

static int
is_top(const char *name)
{
	return strcmp(name, "prediction") == 0 || strcmp(name, "label") == 0;
}

/* The value of column name in row (NULL when absent). */
static const cJSON *
value_of(const cJSON *row, const char *name, int top)
{
	if (top)
		return cJSON_GetObjectItemCaseSensitive(row, name);
	return cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(row, "features"), name);
}

static int
is_missing(const cJSON *v)
{
	return v == NULL || cJSON_IsNull(v);
}

/* The reference body's own fields and schema. */
static int
read_reference(struct dataset *ds, const cJSON *root, struct jcol **jc,
    char **cause)
{
	const cJSON *v, *s;
	const char *type;

	if ((v = cJSON_GetObjectItemCaseSensitive(root, "task")) && cJSON_IsString(v))
		ds->task = xstrdup(v->valuestring);
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "threshold")) &&
	    cJSON_IsNumber(v))
		ds->threshold = v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "segment_by")) &&
	    cJSON_IsString(v))
		ds->segment_by = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "baseline");
	if ((v = cJSON_GetObjectItemCaseSensitive(v, "accuracy")) &&
	    cJSON_IsNumber(v))
		ds->baseline_accuracy = v->valuedouble;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(root, "schema")) {
		v = cJSON_GetObjectItemCaseSensitive(s, "name");
		type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s,
		    "type"));
		if (!cJSON_IsString(v) || type == NULL || (strcmp(type,
		    "numeric") != 0 && strcmp(type, "categorical") != 0))
			return xcause(cause, "%s: schema: each entry needs a "
			    "\"name\" and a \"type\" numeric or categorical",
			    ds->path);
		if (dataset_column_index(ds, v->valuestring) >= 0)
			continue;
		dataset_add_column(ds, v->valuestring, strcmp(type, "numeric") ==
		    0 ? STATS_NUMERIC : STATS_CATEGORICAL, NULL);
		*jc = xreallocarray(*jc, ds->ncols, sizeof **jc);
		(*jc)[ds->ncols - 1].top = is_top(v->valuestring);
		(*jc)[ds->ncols - 1].typed = 1;
	}
	return 0;
}

/* A column seen in the rows but not yet known. */
static int
new_column(struct dataset *ds, struct dataset *ref, const char *optional,
    const char *name, int top, struct jcol **jc, char **cause)
{
	if (ref != NULL) {
		if (optional == NULL || strcmp(name, optional) != 0)
			return xcause(cause, "%s: column \"%s\" is not in the "
			    "reference %s", ds->path, name, ref->path);
		dataset_add_column(ref, name, STATS_NUMERIC, NULL);
		dataset_reserve(ref, ref->nrows);
		for (size_t i = 0; i < ref->nrows; i++)
			ref->cols[ref->ncols - 1].num[i] = NAN;
		ref->cols[ref->ncols - 1].missing = ref->nrows;
	}
	dataset_add_column(ds, name, STATS_NUMERIC, NULL);
	*jc = xreallocarray(*jc, ds->ncols, sizeof **jc);
	(*jc)[ds->ncols - 1].top = top;
	(*jc)[ds->ncols - 1].typed = ref != NULL;
	return 0;
}

/* Find every column of the rows; infer types where not fixed. */
static int
scan_columns(struct dataset *ds, struct dataset *ref, const char *optional,
    const cJSON *rows, struct jcol **jc, char **cause)
{
	static const char *tops[] = { "prediction", "label" };
	const cJSON *row, *v;
	long j;
	size_t k;

	cJSON_ArrayForEach(row, rows) {
		if (!cJSON_IsObject(row))
			return xcause(cause, "%s: rows[]: each row must be an "
			    "object", ds->path);
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(row,
		    "features")) {
			if ((j = dataset_column_index(ds, v->string)) < 0 &&
			    new_column(ds, ref, optional, v->string, 0, jc,
			    cause) != 0)
				return -1;
		}
		for (k = 0; k < 2; k++) {
			if (cJSON_GetObjectItemCaseSensitive(row, tops[k]) &&
			    dataset_column_index(ds, tops[k]) < 0 &&
			    new_column(ds, ref, optional, tops[k], 1, jc,
			    cause) != 0)
				return -1;
		}
	}
	cJSON_ArrayForEach(row, rows) {
		for (k = 0; k < ds->ncols; k++) {
			v = value_of(row, ds->cols[k].name, (*jc)[k].top);
			if (!(*jc)[k].typed && cJSON_IsString(v) &&
			    ds->cols[k].kind == STATS_NUMERIC) {
				ds->cols[k].kind = STATS_CATEGORICAL;
				ds->cols[k].dict = cat_dict_new();
				ds->cols[k].own_dict = 1;
				free(ds->cols[k].num);
				ds->cols[k].num = NULL;
			}
		}
	}
	return 0;
}

void
dataset_json_number_name(double x, char *buf, size_t len)
{
	int p;

	for (p = 15; p <= 17; p++) {
		snprintf(buf, len, "%.*g", p, x);
		if (strtod(buf, NULL) == x)
			return;
	}
}

static int
cell(struct dataset *ds, size_t j, size_t i, const cJSON *v, int top,
    char **cause)
{
	struct dataset_column *c = &ds->cols[j];
	char buf[40];
	const char *name = buf;

	if (is_missing(v)) {
		if (c->kind == STATS_NUMERIC)
			c->num[i] = NAN;
		else
			c->cat[i] = -1;
		c->missing++;
		return 0;
	}
	if (!cJSON_IsNumber(v) && !cJSON_IsString(v) && !cJSON_IsBool(v))
		return xcause(cause, "%s: rows[%zu].%s%s: not a number or a "
		    "string", ds->path, i, top ? "" : "features.", c->name);
	if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
		return xcause(cause, "%s: rows[%zu].%s%s: infinite value",
		    ds->path, i, top ? "" : "features.", c->name);
	if (c->kind == STATS_NUMERIC) {
		if (cJSON_IsNumber(v))
			c->num[i] = v->valuedouble;
		else if (cJSON_IsBool(v))
			c->num[i] = cJSON_IsTrue(v) ? 1 : 0;
		else
			return xcause(cause, "%s: rows[%zu].%s%s: not a number, "
			    "but the column is numeric", ds->path, i,
			    top ? "" : "features.", c->name);
		return 0;
	}
	if (cJSON_IsString(v))
		name = v->valuestring;
	else if (cJSON_IsNumber(v))
		dataset_json_number_name(v->valuedouble, buf, sizeof buf);
	else
		name = cJSON_IsTrue(v) ? "true" : "false";
	c->cat[i] = (int32_t)cat_dict_intern(c->dict, name);
	return 0;
}

static int
fill(struct dataset *ds, const cJSON *rows, const struct jcol *jc,
    char **cause)
{
	const cJSON *row;
	size_t j, i = 0;

	dataset_reserve(ds, (size_t)cJSON_GetArraySize(rows));
	cJSON_ArrayForEach(row, rows) {
		for (j = 0; j < ds->ncols; j++) {
			if (cell(ds, j, i, value_of(row, ds->cols[j].name,
			    jc[j].top), jc[j].top, cause) != 0)
				return -1;
		}
		i++;
	}
	ds->nrows = i;
	return 0;
}

/* Like a reference: every reference column must be there (or optional). */
static int
check_like(struct dataset *ds, const struct dataset *ref, const char *optional,
    const cJSON *rows, const struct jcol *jc, char **cause)
{
	const cJSON *row;
	size_t j;
	int seen;

	for (j = 0; j < ds->ncols; j++) {
		seen = 0;
		cJSON_ArrayForEach(row, rows) {
			if (value_of(row, ds->cols[j].name, jc[j].top) != NULL) {
				seen = 1;
				break;
			}
		}
		if (!seen && cJSON_GetArraySize(rows) > 0 && (optional == NULL ||
		    strcmp(ds->cols[j].name, optional) != 0))
			return xcause(cause, "%s: column \"%s\" of the reference "
			    "%s is missing", ds->path, ds->cols[j].name,
			    ref->path);
	}
	return 0;
}

int
dataset_json_read(struct dataset *ds, struct dataset *ref, const char *optional,
    const char *text, size_t len, char **cause)
{
	cJSON *root;
	const cJSON *rows;
	struct jcol *jc = NULL;
	size_t j;
	int rc = -1;

	if ((root = cJSON_ParseWithLength(text, len)) == NULL)
		return syntax_error(ds->path, text, len, cause);
	rows = cJSON_IsArray(root) ? root :
	    cJSON_GetObjectItemCaseSensitive(root, "rows");
	if (!cJSON_IsArray(rows)) {
		xcause(cause, "%s: no \"rows\" array", ds->path);
		goto out;
	}
	if (ref == NULL && cJSON_IsObject(root) &&
	    read_reference(ds, root, &jc, cause) != 0)
		goto out;
	if (ref != NULL) {
		jc = xcalloc(ds->ncols + 1, sizeof *jc);
		for (j = 0; j < ds->ncols; j++) {
			jc[j].top = is_top(ds->cols[j].name);
			jc[j].typed = 1;
		}
	}
	if (scan_columns(ds, ref, optional, rows, &jc, cause) != 0)
		goto out;
	if (ref != NULL && check_like(ds, ref, optional, rows, jc, cause) != 0)
		goto out;
	rc = fill(ds, rows, jc, cause);
out:
	free(jc);
	cJSON_Delete(root);
	return rc;
}
