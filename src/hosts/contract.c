/*
 * contract: the host contract's JSON bodies, read with cJSON into the plain
 * structs of contract.h.  About 1,200 lines, past the 1,000-line mark:
 * every parser shares the typed getters and the lazy JSON-path error
 * messages below, and the public names (contract_parse_*) are fixed by
 * contract.h; the way to split it is to move the getters into a module of
 * their own (jsonget_*), then the OIP and the row parsers into two files.
 *
 * Error paths are built only when an error happens: each level of the
 * descent keeps a struct jpath on the stack (parent, key or index), and
 * jerr() walks it to write "rows[3].features.income: ...".  So the hot
 * loop over rows allocates nothing but the values it keeps.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/contract.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

/* A step of the path from the document root; key NULL means index idx. */
struct jpath {
	const struct jpath	*up;
	const char		*key;
	size_t			 idx;
};

/* The interned strings of one categorical column: open addressing. */
struct contract_dict {
	char	**slot;
	size_t	  size;		/* a power of two, or 0 */
	size_t	  used;
};

static void
path_write(const struct jpath *p, struct strbuf *b)
{
	if (p == NULL)
		return;
	path_write(p->up, b);
	if (p->key != NULL) {
		if (b->len > 0)
			strbuf_addc(b, '.');
		strbuf_adds(b, p->key);
	} else
		strbuf_addf(b, "[%zu]", p->idx);
}

/* Fail with "path.key: message"; key may be NULL. */
static int
jerr(char **cause, const struct jpath *p, const char *key, const char *fmt,
    ...)
{
	struct strbuf	b = { 0 };
	struct jpath	last = { p, key, 0 };
	va_list		ap;
	char		*msg;

	path_write(key != NULL ? &last : p, &b);
	if (b.len == 0)
		strbuf_adds(&b, "(body)");
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_addf(&b, ": %s", msg);
	free(msg);
	if (cause != NULL)
		*cause = strbuf_take(&b);
	else
		strbuf_free(&b);
	return (-1);
}

static cJSON *
parse_json(const char *buf, size_t len, char **cause)
{
	const char	*end = NULL;
	cJSON		*root;

	if (buf == NULL || len == 0) {
		xcause(cause, "empty body, expected JSON");
		return (NULL);
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		xcause(cause, "invalid JSON at byte %zu",
		    end != NULL && end >= buf ? (size_t)(end - buf) : (size_t)0);
		return (NULL);
	}
	while (end < buf + len && (*end == ' ' || *end == '\t' ||
	    *end == '\n' || *end == '\r'))
		end++;
	if (end != buf + len) {
		xcause(cause, "invalid JSON at byte %zu: data after the value",
		    (size_t)(end - buf));
		cJSON_Delete(root);
		return (NULL);
	}
	return (root);
}

static const char *
type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return ("a string");
	if (cJSON_IsNumber(v))
		return ("a number");
	if (cJSON_IsBool(v))
		return ("a boolean");
	if (cJSON_IsNull(v))
		return ("null");
	if (cJSON_IsArray(v))
		return ("an array");
	return ("an object");
}

/* Copy a string value, checking the length cap. */
static int
take_string(const cJSON *v, const struct jpath *p, const char *key,
    char **out, char **cause)
{
	size_t	len;

	if (!cJSON_IsString(v))
		return (jerr(cause, p, key, "expected a string, not %s",
		    type_name(v)));
	if ((len = strlen(v->valuestring)) > CONTRACT_MAX_STRING)
		return (jerr(cause, p, key, "longer than %d bytes",
		    CONTRACT_MAX_STRING));
	*out = xstrndup(v->valuestring, len);
	return (0);
}

/*
 * A string member: required, or else dflt when absent or null (a NULL dflt
 * leaves *out NULL).
 */
static int
get_string(const cJSON *o, const char *key, const struct jpath *p,
    int required, const char *dflt, char **out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return (jerr(cause, p, key, "missing"));
		*out = dflt != NULL ? xstrdup(dflt) : NULL;
		return (0);
	}
	return (take_string(v, p, key, out, cause));
}

/* An id or version: a string, or an integral number written as such. */
static int
get_id(const cJSON *o, const char *key, const struct jpath *p, int required,
    char **out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);
	double		 d;

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return (jerr(cause, p, key, "missing"));
		*out = xstrdup("");
		return (0);
	}
	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (d != floor(d) || fabs(d) > 9007199254740992.0)
			return (jerr(cause, p, key, "expected a string or an "
			    "integer"));
		*out = xasprintf("%.0f", d);
		return (0);
	}
	return (take_string(v, p, key, out, cause));
}

/* A number member; absent or null gives dflt unless required. */
static int
get_number(const cJSON *o, const char *key, const struct jpath *p,
    int required, double dflt, double *out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = dflt;
	if (v == NULL || cJSON_IsNull(v))
		return (required ? jerr(cause, p, key, "missing") : 0);
	if (!cJSON_IsNumber(v))
		return (jerr(cause, p, key, "expected a number, not %s",
		    type_name(v)));
	*out = v->valuedouble;
	return (0);
}

/* A time: milliseconds since the epoch, or an RFC 3339 string. */
static int
get_time(const cJSON *o, const char *key, const struct jpath *p,
    int64_t *out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (cJSON_IsNumber(v) && fabs(v->valuedouble) < 9.2e15) {
		*out = (int64_t)v->valuedouble;
		return (0);
	}
	if (cJSON_IsString(v) &&
	    timefmt_parse_rfc3339(v->valuestring, out, NULL) == 0)
		return (0);
	return (jerr(cause, p, key, "expected milliseconds since the epoch "
	    "or an RFC 3339 time"));
}

static int
get_bool(const cJSON *o, const char *key, const struct jpath *p, int *out,
    char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (!cJSON_IsBool(v))
		return (jerr(cause, p, key, "expected true or false, not %s",
		    type_name(v)));
	*out = cJSON_IsTrue(v);
	return (0);
}

/* An array member with at most max items; absent gives NULL unless required. */
static int
get_array(const cJSON *o, const char *key, const struct jpath *p,
    int required, size_t max, const cJSON **out, size_t *n, char **cause)
{
	const cJSON	*v = o != NULL ? cJSON_GetObjectItemCaseSensitive(o, key) :
			    NULL;

	*out = NULL;
	*n = 0;
	if (v == NULL || cJSON_IsNull(v))
		return (required ? jerr(cause, p, key, "missing") : 0);
	if (!cJSON_IsArray(v))
		return (jerr(cause, p, key, "expected an array, not %s",
		    type_name(v)));
	*n = (size_t)cJSON_GetArraySize(v);
	if (*n > max)
		return (jerr(cause, p, key, "more than %zu entries", max));
	*out = v;
	return (0);
}

static int
need_object(const cJSON *v, const struct jpath *p, char **cause)
{
	if (!cJSON_IsObject(v))
		return (jerr(cause, p, NULL, "expected an object, not %s",
		    type_name(v)));
	return (0);
}

/* A whole body that must be one JSON object: the start of most parsers. */
static cJSON *
parse_object(const char *buf, size_t len, char **cause)
{
	cJSON	*root;

	if ((root = parse_json(buf, len, cause)) != NULL &&
	    need_object(root, NULL, cause) != 0) {
		cJSON_Delete(root);
		root = NULL;
	}
	return (root);
}

/* ---- OIP v2 ---- */

static void
tensor_free(struct contract_tensor *t)
{
	free(t->name);
	free(t->datatype);
	free(t->shape);
}

static int
parse_tensors(const cJSON *o, const char *key, const struct jpath *up,
    struct contract_tensor **out, size_t *n, char **cause)
{
	const cJSON		*arr, *t, *d;
	struct jpath		 p = { up, key, 0 }, q = { &p, NULL, 0 };
	struct jpath		 sp = { &q, "shape", 0 }, dp = { &sp, NULL, 0 };
	struct contract_tensor	*v;
	size_t			 count, nd;

	if (get_array(o, key, up, 0, CONTRACT_MAX_ITEMS, &arr, &count,
	    cause) != 0)
		return (-1);
	*out = v = xcalloc(count + 1, sizeof *v);
	cJSON_ArrayForEach(t, arr) {
		if (need_object(t, &q, cause) != 0 ||
		    get_string(t, "name", &q, 1, NULL, &v[*n].name, cause) != 0)
			return (-1);
		(*n)++;
		if (get_string(t, "datatype", &q, 0, "", &v[*n - 1].datatype,
		    cause) != 0 || get_array(t, "shape", &q, 0, 64, &d, &nd,
		    cause) != 0)
			return (-1);
		v[*n - 1].shape = xcalloc(nd + 1, sizeof *v[*n - 1].shape);
		for (d = d != NULL ? d->child : NULL; d != NULL; d = d->next) {
			if (!cJSON_IsNumber(d) || d->valuedouble < -1 ||
			    d->valuedouble != floor(d->valuedouble))
				return (jerr(cause, &dp, NULL, "expected an "
				    "integer >= -1"));
			v[*n - 1].shape[v[*n - 1].nshape++] =
			    (int64_t)d->valuedouble;
			dp.idx++;
		}
		q.idx++;
	}
	return (0);
}

void
contract_model_meta_free(struct contract_model_meta *m)
{
	size_t	i;

	free(m->name);
	free(m->platform);
	for (i = 0; i < m->nversions; i++)
		free(m->versions[i]);
	free(m->versions);
	for (i = 0; i < m->ninputs; i++)
		tensor_free(&m->inputs[i]);
	free(m->inputs);
	for (i = 0; i < m->noutputs; i++)
		tensor_free(&m->outputs[i]);
	free(m->outputs);
	memset(m, 0, sizeof *m);
}

int
contract_parse_model_meta(const char *buf, size_t len,
    struct contract_model_meta *out, char **cause)
{
	cJSON		*root;
	const cJSON	*arr, *v;
	struct jpath	 vp = { NULL, "versions", 0 }, ip = { &vp, NULL, 0 };
	size_t		 n;
	int		 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (get_string(root, "name", NULL, 1, NULL, &out->name, cause) != 0 ||
	    get_string(root, "platform", NULL, 0, "", &out->platform,
	    cause) != 0 ||
	    get_array(root, "versions", NULL, 0, CONTRACT_MAX_ITEMS, &arr, &n,
	    cause) != 0)
		goto out;
	out->versions = xcalloc(n + 1, sizeof *out->versions);
	cJSON_ArrayForEach(v, arr) {
		if (take_string(v, &ip, NULL, &out->versions[out->nversions],
		    cause) != 0)
			goto out;
		out->nversions++;
		ip.idx++;
	}
	if (parse_tensors(root, "inputs", NULL, &out->inputs, &out->ninputs,
	    cause) != 0 || parse_tensors(root, "outputs", NULL, &out->outputs,
	    &out->noutputs, cause) != 0)
		goto out;
	r = 0;
out:
	cJSON_Delete(root);
	if (r != 0)
		contract_model_meta_free(out);
	return (r);
}

void
contract_repo_index_free(struct contract_repo_index *r)
{
	size_t	i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].version);
		free(r->v[i].reason);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

static enum contract_repo_state
repo_state(const char *s)
{
	if (s == NULL)
		return (CONTRACT_REPO_UNKNOWN);
	if (strcmp(s, "READY") == 0)
		return (CONTRACT_REPO_READY);
	if (strcmp(s, "UNAVAILABLE") == 0)
		return (CONTRACT_REPO_UNAVAILABLE);
	if (strcmp(s, "LOADING") == 0)
		return (CONTRACT_REPO_LOADING);
	return (CONTRACT_REPO_UNKNOWN);
}

int
contract_parse_repo_index(const char *buf, size_t len,
    struct contract_repo_index *out, char **cause)
{
	cJSON		*root;
	const cJSON	*e;
	struct jpath	 p = { NULL, NULL, 0 };
	char		*state = NULL;
	size_t		 n;
	int		 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = parse_json(buf, len, cause)) == NULL)
		return (-1);
	if (!cJSON_IsArray(root)) {
		jerr(cause, NULL, NULL, "expected an array, not %s",
		    type_name(root));
		goto out;
	}
	if ((n = (size_t)cJSON_GetArraySize(root)) > CONTRACT_MAX_ITEMS) {
		jerr(cause, NULL, NULL, "more than %d entries",
		    CONTRACT_MAX_ITEMS);
		goto out;
	}
	out->v = xcalloc(n + 1, sizeof *out->v);
	cJSON_ArrayForEach(e, root) {
		struct contract_repo_entry *x = &out->v[out->n];

		if (need_object(e, &p, cause) != 0 ||
		    get_string(e, "name", &p, 1, NULL, &x->name, cause) != 0)
			goto out;
		out->n++;
		if (get_id(e, "version", &p, 0, &x->version, cause) != 0 ||
		    get_string(e, "reason", &p, 0, "", &x->reason, cause) != 0 ||
		    get_string(e, "state", &p, 0, NULL, &state, cause) != 0)
			goto out;
		x->state = repo_state(state);
		free(state);
		state = NULL;
		p.idx++;
	}
	r = 0;
out:
	cJSON_Delete(root);
	if (r != 0)
		contract_repo_index_free(out);
	return (r);
}

/* ---- /ops/v1: deployments, actions, errors ---- */

static const char *const stage_names[] = {
	[CONTRACT_STAGE_SHADOW] = "shadow",
	[CONTRACT_STAGE_CANARY] = "canary",
	[CONTRACT_STAGE_FULL] = "full",
	[CONTRACT_STAGE_RETIRED] = "retired",
};

const char *
contract_stage_name(enum contract_stage stage)
{
	if ((size_t)stage >= sizeof stage_names / sizeof stage_names[0])
		return ("unknown");
	return (stage_names[stage]);
}

int
contract_stage_from_name(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof stage_names / sizeof stage_names[0]; i++) {
		if (strcmp(stage_names[i], name) == 0)
			return ((int)i);
	}
	return (-1);
}

void
contract_deployments_free(struct contract_deployments *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].model);
		free(d->v[i].version);
	}
	free(d->v);
	free(d->host);
	memset(d, 0, sizeof *d);
}

static int
parse_deployment(const cJSON *e, const struct jpath *p,
    struct contract_deployments *d, char **cause)
{
	struct contract_deployment	*x = &d->v[d->n];
	const cJSON			*st;
	int				 stage;

	if (need_object(e, p, cause) != 0 ||
	    get_string(e, "model", p, 1, NULL, &x->model, cause) != 0)
		return (-1);
	d->n++;
	if (get_id(e, "version", p, 1, &x->version, cause) != 0)
		return (-1);
	st = cJSON_GetObjectItemCaseSensitive(e, "stage");
	if (st == NULL)
		return (jerr(cause, p, "stage", "missing"));
	if (!cJSON_IsString(st) ||
	    (stage = contract_stage_from_name(st->valuestring)) < 0)
		return (jerr(cause, p, "stage", "expected \"shadow\", "
		    "\"canary\", \"full\" or \"retired\""));
	x->stage = stage;
	if (get_number(e, "traffic_percent", p, 0, 0, &x->traffic_percent,
	    cause) != 0)
		return (-1);
	if (!(x->traffic_percent >= 0 && x->traffic_percent <= 100))
		return (jerr(cause, p, "traffic_percent", "expected a number "
		    "from 0 to 100"));
	return (get_time(e, "since", p, &x->since_ms, cause));
}

static int
parse_deployment_list(const cJSON *o, const struct jpath *up,
    struct contract_deployments *d, int required, char **cause)
{
	const cJSON	*arr, *e;
	struct jpath	 p = { up, "deployments", 0 }, q = { &p, NULL, 0 };
	size_t		 n;

	if (get_array(o, "deployments", up, required, CONTRACT_MAX_ITEMS, &arr,
	    &n, cause) != 0)
		return (-1);
	d->v = xcalloc(n + 1, sizeof *d->v);
	cJSON_ArrayForEach(e, arr) {
		if (parse_deployment(e, &q, d, cause) != 0)
			return (-1);
		q.idx++;
	}
	return (0);
}

int
contract_parse_deployments(const char *buf, size_t len,
    struct contract_deployments *out, char **cause)
{
	cJSON	*root;
	int	 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (get_string(root, "host", NULL, 0, "", &out->host, cause) == 0 &&
	    parse_deployment_list(root, NULL, out, 1, cause) == 0)
		r = 0;
	cJSON_Delete(root);
	if (r != 0)
		contract_deployments_free(out);
	return (r);
}

void
contract_action_answer_free(struct contract_action_answer *a)
{
	free(a->request_id);
	free(a->status);
	contract_deployments_free(&a->deployments);
	memset(a, 0, sizeof *a);
}

int
contract_parse_action_answer(const char *buf, size_t len,
    struct contract_action_answer *out, char **cause)
{
	cJSON	*root;
	int	 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (get_string(root, "request_id", NULL, 1, NULL, &out->request_id,
	    cause) == 0 &&
	    get_string(root, "status", NULL, 1, NULL, &out->status,
	    cause) == 0 &&
	    parse_deployment_list(root, NULL, &out->deployments, 0,
	    cause) == 0) {
		out->deployments.host = xstrdup("");
		r = 0;
	}
	cJSON_Delete(root);
	if (r != 0)
		contract_action_answer_free(out);
	return (r);
}

char *
contract_error_message(const char *buf, size_t len)
{
	cJSON		*root;
	const cJSON	*v;
	char		*msg = NULL;

	if (buf == NULL || len == 0 ||
	    (root = cJSON_ParseWithLengthOpts(buf, len, NULL, 0)) == NULL)
		return (NULL);
	v = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsObject(root) && cJSON_IsString(v))
		msg = xstrndup(v->valuestring, CONTRACT_MAX_STRING);
	cJSON_Delete(root);
	return (msg);
}

/* ---- rows: reference and samples ---- */

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
			r->cols[i].cat = xcalloc(cap + 1, sizeof *r->cols[i].cat);
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
parse_features(const cJSON *f, const struct jpath *p, size_t row,
    const struct name_index *x, struct contract_rows *r, char **cause)
{
	const cJSON	*v;
	const char	*s;
	char		 num[40];
	size_t		 hint = 0;
	int		 j;

	if (need_object(f, p, cause) != 0)
		return (-1);
	for (v = f->child; v != NULL; v = v->next) {
		if ((j = index_find(x, v->string, hint)) < 0)
			continue;
		hint = (size_t)j + 1;
		if (cJSON_IsNull(v))
			continue;
		if (r->cols[j].num != NULL) {
			if (!cJSON_IsNumber(v))
				return (jerr(cause, p, v->string, "expected "
				    "number or null"));
			r->cols[j].num[row] = v->valuedouble;
			continue;
		}
		if (cat_value(v, num, sizeof num, &s) != 0)
			return (jerr(cause, p, v->string, "expected string, "
			    "number or null (at most %d bytes)",
			    CONTRACT_MAX_STRING));
		if ((r->cols[j].cat[row] = dict_intern(&r->dicts[j], s)) == NULL)
			return (jerr(cause, p, v->string, "more than %d "
			    "distinct values", CONTRACT_MAX_ITEMS));
	}
	return (0);
}

/* A label as the task says: 1/0 for binary, the number for regression. */
static int
task_label(const struct contract_task *task, const cJSON *v, double *out)
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
parse_row(const cJSON *e, const struct jpath *p, const struct name_index *x,
    const struct contract_task *task, struct contract_rows *r, char **cause)
{
	struct jpath	 fp = { p, "features", 0 };
	const cJSON	*f, *l;
	size_t		 i = r->n;

	if (need_object(e, p, cause) != 0 ||
	    get_id(e, "id", p, 1, &r->id[i], cause) != 0)
		return (-1);
	r->n++;
	if (get_time(e, "ts", p, &r->ts_ms[i], cause) != 0 ||
	    get_number(e, "prediction", p, 0, NAN, &r->prediction[i],
	    cause) != 0)
		return (-1);
	if ((f = cJSON_GetObjectItemCaseSensitive(e, "features")) == NULL)
		return (jerr(cause, p, "features", "missing"));
	if (parse_features(f, &fp, i, x, r, cause) != 0)
		return (-1);
	if (r->label == NULL)
		return (0);
	r->label[i] = NAN;
	if ((l = cJSON_GetObjectItemCaseSensitive(e, "label")) != NULL &&
	    task_label(task, l, &r->label[i]) != 0)
		return (jerr(cause, p, "label", "expected %s or null",
		    task->kind == CONTRACT_TASK_REGRESSION ? "a number" :
		    "a number, string or boolean"));
	return (0);
}

static int
parse_rows(const cJSON *o, const struct contract_feature *schema, size_t nf,
    const struct contract_task *task, struct contract_rows *r, char **cause)
{
	struct jpath		 p = { NULL, "rows", 0 }, q = { &p, NULL, 0 };
	struct name_index	 x;
	const cJSON		*arr, *e;
	size_t			 n;
	int			 rc = 0;

	if (get_array(o, "rows", NULL, 1, CONTRACT_MAX_ROWS, &arr, &n,
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

void
contract_reference_free(struct contract_reference *r)
{
	size_t	i;

	for (i = 0; i < r->nfeatures; i++)
		free(r->schema[i].name);
	free(r->schema);
	for (i = 0; i < r->nbaseline; i++)
		free(r->baseline[i].name);
	free(r->baseline);
	free(r->segment_by);
	free(r->task.positive_str);
	contract_rows_free(&r->rows);
	memset(r, 0, sizeof *r);
}

int
contract_reference_feature(const struct contract_reference *ref,
    const char *name)
{
	size_t	i;

	for (i = 0; i < ref->nfeatures; i++) {
		if (strcmp(ref->schema[i].name, name) == 0)
			return ((int)i);
	}
	return (-1);
}

static int
parse_task(const cJSON *root, struct contract_task *t, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(root, "task");

	if (v == NULL)
		return (jerr(cause, NULL, "task", "missing"));
	if (cJSON_IsString(v) &&
	    strcmp(v->valuestring, "binary_classification") == 0)
		t->kind = CONTRACT_TASK_BINARY;
	else if (cJSON_IsString(v) && strcmp(v->valuestring, "regression") == 0)
		t->kind = CONTRACT_TASK_REGRESSION;
	else
		return (jerr(cause, NULL, "task", "expected "
		    "\"binary_classification\" or \"regression\""));
	if (get_number(root, "threshold", NULL, 0, 0.5, &t->threshold,
	    cause) != 0)
		return (-1);
	t->positive_num = 1;
	v = cJSON_GetObjectItemCaseSensitive(root, "positive_label");
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (cJSON_IsNumber(v))
		t->positive_num = v->valuedouble;
	else if (cJSON_IsBool(v))
		t->positive_num = cJSON_IsTrue(v) ? 1 : 0;
	else if (cJSON_IsString(v))
		return (take_string(v, NULL, "positive_label", &t->positive_str,
		    cause));
	else
		return (jerr(cause, NULL, "positive_label", "expected a number, "
		    "string or boolean"));
	return (0);
}

static int
parse_schema(const cJSON *root, struct contract_reference *ref, char **cause)
{
	struct jpath		 p = { NULL, "schema", 0 }, q = { &p, NULL, 0 };
	const cJSON		*arr, *e, *t;
	struct contract_feature	*f;
	size_t			 n;

	if (get_array(root, "schema", NULL, 1, CONTRACT_MAX_FEATURES, &arr, &n,
	    cause) != 0)
		return (-1);
	ref->schema = xcalloc(n + 1, sizeof *ref->schema);
	cJSON_ArrayForEach(e, arr) {
		f = &ref->schema[ref->nfeatures];
		if (need_object(e, &q, cause) != 0 ||
		    get_string(e, "name", &q, 1, NULL, &f->name, cause) != 0)
			return (-1);
		ref->nfeatures++;
		f->importance = NAN;
		if (contract_reference_feature(ref, f->name) !=
		    (int)ref->nfeatures - 1)
			return (jerr(cause, &q, "name", "feature \"%s\" named "
			    "twice", f->name));
		t = cJSON_GetObjectItemCaseSensitive(e, "type");
		if (cJSON_IsString(t) && strcmp(t->valuestring, "numeric") == 0)
			f->kind = CONTRACT_NUMERIC;
		else if (cJSON_IsString(t) &&
		    strcmp(t->valuestring, "categorical") == 0)
			f->kind = CONTRACT_CATEGORICAL;
		else
			return (jerr(cause, &q, "type", "expected \"numeric\" "
			    "or \"categorical\""));
		q.idx++;
	}
	return (0);
}

/* baseline and importance: objects of numbers. */
static int
parse_extras(const cJSON *root, struct contract_reference *ref, char **cause)
{
	struct jpath	 bp = { NULL, "baseline", 0 };
	struct jpath	 ip = { NULL, "importance", 0 };
	const cJSON	*o, *v;
	int		 j;

	o = cJSON_GetObjectItemCaseSensitive(root, "baseline");
	if (o != NULL && !cJSON_IsNull(o)) {
		if (need_object(o, &bp, cause) != 0)
			return (-1);
		ref->baseline = xcalloc((size_t)cJSON_GetArraySize(o) + 1,
		    sizeof *ref->baseline);
		for (v = o->child; v != NULL; v = v->next) {
			if (!cJSON_IsNumber(v))
				return (jerr(cause, &bp, v->string, "expected "
				    "a number"));
			ref->baseline[ref->nbaseline].name = xstrndup(v->string,
			    CONTRACT_MAX_STRING);
			ref->baseline[ref->nbaseline++].value = v->valuedouble;
		}
	}
	o = cJSON_GetObjectItemCaseSensitive(root, "importance");
	if (o == NULL || cJSON_IsNull(o))
		return (0);
	if (need_object(o, &ip, cause) != 0)
		return (-1);
	for (v = o->child; v != NULL; v = v->next) {
		if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) ||
		    isinf(v->valuedouble))
			return (jerr(cause, &ip, v->string, "expected a "
			    "non-negative number"));
		if ((j = contract_reference_feature(ref, v->string)) >= 0)
			ref->schema[j].importance = v->valuedouble;
	}
	return (0);
}

int
contract_parse_reference(const char *buf, size_t len,
    struct contract_reference *out, char **cause)
{
	cJSON	*root;
	int	 r = -1;

	memset(out, 0, sizeof *out);
	out->segment_index = -1;
	if ((root = parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (parse_task(root, &out->task, cause) != 0 ||
	    parse_schema(root, out, cause) != 0 ||
	    parse_extras(root, out, cause) != 0 ||
	    get_string(root, "segment_by", NULL, 0, NULL, &out->segment_by,
	    cause) != 0)
		goto out;
	if (out->segment_by != NULL &&
	    (out->segment_index = contract_reference_feature(out,
	    out->segment_by)) < 0) {
		jerr(cause, NULL, "segment_by", "no feature named \"%s\" in "
		    "the schema", out->segment_by);
		goto out;
	}
	if (parse_rows(root, out->schema, out->nfeatures, &out->task,
	    &out->rows, cause) != 0)
		goto out;
	r = 0;
out:
	cJSON_Delete(root);
	if (r != 0)
		contract_reference_free(out);
	return (r);
}

/* cursor (string, number or null) and more, shared by the paged bodies. */
static int
parse_page(const cJSON *root, char **cursor, int *more, char **cause)
{
	if (get_id(root, "cursor", NULL, 0, cursor, cause) != 0)
		return (-1);
	return (get_bool(root, "more", NULL, more, cause));
}

void
contract_samples_free(struct contract_samples *s)
{
	free(s->cursor);
	contract_rows_free(&s->rows);
	memset(s, 0, sizeof *s);
}

int
contract_parse_samples(const char *buf, size_t len,
    const struct contract_reference *ref, struct contract_samples *out,
    char **cause)
{
	cJSON	*root;
	int	 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (parse_page(root, &out->cursor, &out->more, cause) == 0 &&
	    parse_rows(root, ref->schema, ref->nfeatures, NULL, &out->rows,
	    cause) == 0)
		r = 0;
	cJSON_Delete(root);
	if (r != 0)
		contract_samples_free(out);
	return (r);
}

void
contract_labels_free(struct contract_labels *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].id);
	free(l->v);
	free(l->cursor);
	memset(l, 0, sizeof *l);
}

int
contract_parse_labels(const char *buf, size_t len,
    const struct contract_task *task, struct contract_labels *out,
    char **cause)
{
	struct jpath	 p = { NULL, "labels", 0 }, q = { &p, NULL, 0 };
	cJSON		*root;
	const cJSON	*arr, *e, *l;
	size_t		 n;
	int		 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (parse_page(root, &out->cursor, &out->more, cause) != 0 ||
	    get_array(root, "labels", NULL, 1, CONTRACT_MAX_ROWS, &arr, &n,
	    cause) != 0)
		goto out;
	out->v = xcalloc(n + 1, sizeof *out->v);
	cJSON_ArrayForEach(e, arr) {
		struct contract_label *x = &out->v[out->n];

		if (need_object(e, &q, cause) != 0 ||
		    get_id(e, "id", &q, 1, &x->id, cause) != 0)
			goto out;
		out->n++;
		if ((l = cJSON_GetObjectItemCaseSensitive(e, "label")) == NULL) {
			jerr(cause, &q, "label", "missing");
			goto out;
		}
		if (task_label(task, l, &x->label) != 0) {
			jerr(cause, &q, "label", "expected %s or null",
			    task == NULL || task->kind ==
			    CONTRACT_TASK_REGRESSION ? "a number" :
			    "a number, string or boolean");
			goto out;
		}
		if (get_time(e, "ts", &q, &x->ts_ms, cause) != 0)
			goto out;
		q.idx++;
	}
	r = 0;
out:
	cJSON_Delete(root);
	if (r != 0)
		contract_labels_free(out);
	return (r);
}
