/*
 * contract_rows: the "rows" of a reference or a samples page, read by
 * column into struct contract_rows (contract.h), with each categorical
 * column's strings interned in a dictionary of its own (open addressing)
 * so a million rows of a few values hold a few strings.  The rows own their
 * arrays and dictionaries; contract_rows_free releases them.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/contract.h"
#include "hosts/contract_int.h"
#include "hosts/jsonget.h"
#include "util/xmalloc.h"

/* The interned strings of one categorical column: open addressing. */
struct contract_dict {
	char	**slot;
	size_t	  size;		/* a power of two, or 0 */
	size_t	  used;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h);
}

/* The interned copy of s in d (added when new); NULL past the cap. */
static const char *
dict_intern(struct contract_dict *d, const char *s)
{
	char	**old;
	size_t	  i, j, oldsize;

	if (d->used * 2 >= d->size) {
		if (d->used >= CONTRACT_MAX_ITEMS)
			goto find_only;
		old = d->slot;
		oldsize = d->size;
		d->size = d->size ? d->size * 2 : 16;
		d->slot = xcalloc(d->size, sizeof *d->slot);
		for (i = 0; i < oldsize; i++) {
			if (old[i] == NULL)
				continue;
			j = hash_str(old[i]) & (d->size - 1);
			while (d->slot[j] != NULL)
				j = (j + 1) & (d->size - 1);
			d->slot[j] = old[i];
		}
		free(old);
	}
find_only:
	i = hash_str(s) & (d->size - 1);
	while (d->slot[i] != NULL) {
		if (strcmp(d->slot[i], s) == 0)
			return (d->slot[i]);
		i = (i + 1) & (d->size - 1);
	}
	if (d->used >= CONTRACT_MAX_ITEMS)
		return (NULL);
	d->used++;
	return (d->slot[i] = xstrdup(s));
}

static void
dict_free(struct contract_dict *d)
{
	size_t	i;

	for (i = 0; i < d->size; i++)
		free(d->slot[i]);
	free(d->slot);
}

void
contract_rows_free(struct contract_rows *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		free(r->id[i]);
	for (i = 0; r->cols != NULL && i < r->nfeatures; i++) {
		free(r->cols[i].num);
		free(r->cols[i].cat);
		if (r->dicts != NULL)
			dict_free(&r->dicts[i]);
	}
	free(r->id);
	free(r->ts_ms);
	free(r->prediction);
	free(r->label);
	free(r->cols);
	free(r->dicts);
	memset(r, 0, sizeof *r);
}

/* Room for cap rows of a schema; the columns start all missing. */
static void
rows_init(struct contract_rows *r, const struct contract_feature *schema,
    size_t nf, size_t cap, int with_label)
{
	size_t	i, k;

	memset(r, 0, sizeof *r);
	r->nfeatures = nf;
	r->cap = cap;
	r->id = xcalloc(cap + 1, sizeof *r->id);
	r->ts_ms = xcalloc(cap + 1, sizeof *r->ts_ms);
	r->prediction = xcalloc(cap + 1, sizeof *r->prediction);
	if (with_label)
		r->label = xcalloc(cap + 1, sizeof *r->label);
	r->cols = xcalloc(nf + 1, sizeof *r->cols);
	r->dicts = xcalloc(nf + 1, sizeof *r->dicts);
	for (i = 0; i < nf; i++) {
		if (schema[i].kind == CONTRACT_CATEGORICAL) {
			r->cols[i].cat = xcalloc(cap + 1,
			    sizeof *r->cols[i].cat);
			continue;
		}
		r->cols[i].num = xreallocarray(NULL, cap + 1, sizeof (double));
		for (k = 0; k < cap; k++)
			r->cols[i].num[k] = NAN;
	}
}

/* A name -> schema index table for the rows' feature objects. */
struct name_index {
	const struct contract_feature	*schema;
	size_t				 nf;
	int				*slot;	/* index + 1, 0 empty */
	size_t				 size;
};

static void
index_build(struct name_index *x, const struct contract_feature *schema,
    size_t nf)
{
	size_t	i, j;

	x->schema = schema;
	x->nf = nf;
	for (x->size = 16; x->size < nf * 2; x->size *= 2)
		;
	x->slot = xcalloc(x->size, sizeof *x->slot);
	for (i = 0; i < nf; i++) {
		j = hash_str(schema[i].name) & (x->size - 1);
		while (x->slot[j] != 0)
			j = (j + 1) & (x->size - 1);
		x->slot[j] = (int)i + 1;
	}
}

static int
index_find(const struct name_index *x, const char *name, size_t hint)
{
	size_t	j;

	if (hint < x->nf && strcmp(x->schema[hint].name, name) == 0)
		return ((int)hint);
	j = hash_str(name) & (x->size - 1);
	while (x->slot[j] != 0) {
		if (strcmp(x->schema[x->slot[j] - 1].name, name) == 0)
			return (x->slot[j] - 1);
		j = (j + 1) & (x->size - 1);
	}
	return (-1);
}

/* A categorical value as text: string, number (shortest form), boolean. */
static int
cat_value(const cJSON *v, char *buf, size_t size, const char **out)
{
	if (cJSON_IsString(v)) {
		*out = v->valuestring;
		return (strlen(*out) <= CONTRACT_MAX_STRING ? 0 : -1);
	}
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v) ? "true" : "false";
		return (0);
	}
	if (!cJSON_IsNumber(v))
		return (-1);
	snprintf(buf, size, "%.15g", v->valuedouble);
	if (strtod(buf, NULL) != v->valuedouble)
		snprintf(buf, size, "%.17g", v->valuedouble);
	*out = buf;
	return (0);
}

static int
parse_features(const cJSON *f, const struct jsonget_path *p, size_t row,
    const struct name_index *x, struct contract_rows *r, char **cause)
{
	const cJSON	*v;
	const char	*s;
	char		 num[40];
	size_t		 hint = 0;
	int		 j;

	if (jsonget_need_object(f, p, cause) != 0)
		return (-1);
	for (v = f->child; v != NULL; v = v->next) {
		if ((j = index_find(x, v->string, hint)) < 0)
			continue;
		hint = (size_t)j + 1;
		if (cJSON_IsNull(v))
			continue;
		if (r->cols[j].num != NULL) {
			if (!cJSON_IsNumber(v))
				return (jsonget_error(cause, p, v->string,
				    "expected number or null"));
			r->cols[j].num[row] = v->valuedouble;
			continue;
		}
		if (cat_value(v, num, sizeof num, &s) != 0)
			return (jsonget_error(cause, p, v->string, "expected "
			    "string, number or null (at most %d bytes)",
			    CONTRACT_MAX_STRING));
		r->cols[j].cat[row] = dict_intern(&r->dicts[j], s);
		if (r->cols[j].cat[row] == NULL)
			return (jsonget_error(cause, p, v->string, "more than "
			    "%d distinct values", CONTRACT_MAX_ITEMS));
	}
	return (0);
}

/* A label as the task says: 1/0 for binary, the number for regression. */
int
contract_rows_task_label(const struct contract_task *task, const cJSON *v,
    double *out)
{
	if (cJSON_IsNull(v)) {
		*out = NAN;
		return (0);
	}
	if (task == NULL || task->kind == CONTRACT_TASK_REGRESSION) {
		if (!cJSON_IsNumber(v))
			return (-1);
		*out = v->valuedouble;
		return (0);
	}
	if (cJSON_IsString(v))
		*out = task->positive_str != NULL &&
		    strcmp(task->positive_str, v->valuestring) == 0;
	else if (cJSON_IsNumber(v))
		*out = task->positive_str == NULL &&
		    v->valuedouble == task->positive_num;
	else if (cJSON_IsBool(v))
		*out = task->positive_str == NULL &&
		    (cJSON_IsTrue(v) ? 1.0 : 0.0) == task->positive_num;
	else
		return (-1);
	return (0);
}

static int
parse_row(const cJSON *e, const struct jsonget_path *p,
    const struct name_index *x, const struct contract_task *task,
    struct contract_rows *r, char **cause)
{
	struct jsonget_path	 fp = { p, "features", 0 };
	const cJSON		*f, *l;
	size_t			 i = r->n;

	if (jsonget_need_object(e, p, cause) != 0 ||
	    jsonget_id(e, "id", p, 1, &r->id[i], cause) != 0)
		return (-1);
	r->n++;
	if (jsonget_time(e, "ts", p, &r->ts_ms[i], cause) != 0 ||
	    jsonget_number(e, "prediction", p, 0, NAN, &r->prediction[i],
	    cause) != 0)
		return (-1);
	if ((f = cJSON_GetObjectItemCaseSensitive(e, "features")) == NULL)
		return (jsonget_error(cause, p, "features", "missing"));
	if (parse_features(f, &fp, i, x, r, cause) != 0)
		return (-1);
	if (r->label == NULL)
		return (0);
	r->label[i] = NAN;
	if ((l = cJSON_GetObjectItemCaseSensitive(e, "label")) != NULL &&
	    contract_rows_task_label(task, l, &r->label[i]) != 0)
		return (jsonget_error(cause, p, "label", "expected %s or null",
		    task->kind == CONTRACT_TASK_REGRESSION ? "a number" :
		    "a number, string or boolean"));
	return (0);
}

int
contract_rows_parse(const cJSON *o, const struct contract_feature *schema,
    size_t nf, const struct contract_task *task, struct contract_rows *r,
    char **cause)
{
	struct jsonget_path	 p = { NULL, "rows", 0 }, q = { &p, NULL, 0 };
	struct name_index	 x;
	const cJSON		*arr, *e;
	size_t			 n;
	int			 rc = 0;

	if (jsonget_array(o, "rows", NULL, 1, CONTRACT_MAX_ROWS, &arr, &n,
	    cause) != 0)
		return (-1);
	rows_init(r, schema, nf, n, task != NULL);
	index_build(&x, schema, nf);
	cJSON_ArrayForEach(e, arr) {
		if ((rc = parse_row(e, &q, &x, task, r, cause)) != 0)
			break;
		q.idx++;
	}
	free(x.slot);
	return (rc);
}
