/*
 * contract: the host contract's JSON bodies, read with cJSON into the plain
 * structs of contract.h: the OIP v2 model metadata and repository index,
 * the /ops/v1 deployments, action answers, error bodies, references,
 * samples and labels pages.  The typed getters and the JSON-path error
 * messages are jsonget.c's; the rows of a reference or samples page are
 * read by contract_rows.c (through contract_int.h).
 *
 * About 650 lines: one parser per body of the contract; the rows and the
 * JSON getters already live in contract_rows.c and jsonget.c.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/contract.h"
#include "hosts/contract_int.h"
#include "hosts/jsonget.h"
#include "util/xmalloc.h"

/* ---- OIP v2 ---- */

static void
tensor_free(struct contract_tensor *t)
{
	free(t->name);
	free(t->datatype);
	free(t->shape);
}

static int
parse_tensors(const cJSON *o, const char *key, const struct jsonget_path *up,
    struct contract_tensor **out, size_t *n, char **cause)
{
	const cJSON		*arr, *t, *d;
	struct jsonget_path	 p = { up, key, 0 }, q = { &p, NULL, 0 };
	struct jsonget_path	 sp = { &q, "shape", 0 }, dp = { &sp, NULL, 0 };
	struct contract_tensor	*v;
	size_t			 count, nd;

	if (jsonget_array(o, key, up, 0, CONTRACT_MAX_ITEMS, &arr, &count,
	    cause) != 0)
		return (-1);
	*out = v = xcalloc(count + 1, sizeof *v);
	cJSON_ArrayForEach(t, arr) {
		if (jsonget_need_object(t, &q, cause) != 0 ||
		    jsonget_string(t, "name", &q, 1, NULL, &v[*n].name,
		    cause) != 0)
			return (-1);
		(*n)++;
		if (jsonget_string(t, "datatype", &q, 0, "",
		    &v[*n - 1].datatype, cause) != 0 ||
		    jsonget_array(t, "shape", &q, 0, 64, &d, &nd, cause) != 0)
			return (-1);
		v[*n - 1].shape = xcalloc(nd + 1, sizeof *v[*n - 1].shape);
		for (d = d != NULL ? d->child : NULL; d != NULL; d = d->next) {
			if (!cJSON_IsNumber(d) || d->valuedouble < -1 ||
			    d->valuedouble != floor(d->valuedouble))
				return (jsonget_error(cause, &dp, NULL,
				    "expected an integer >= -1"));
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
	cJSON			*root;
	const cJSON		*arr, *v;
	struct jsonget_path	 vp = { NULL, "versions", 0 };
	struct jsonget_path	 ip = { &vp, NULL, 0 };
	size_t			 n;
	int			 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = jsonget_parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (jsonget_string(root, "name", NULL, 1, NULL, &out->name,
	    cause) != 0 ||
	    jsonget_string(root, "platform", NULL, 0, "", &out->platform,
	    cause) != 0 ||
	    jsonget_array(root, "versions", NULL, 0, CONTRACT_MAX_ITEMS, &arr,
	    &n, cause) != 0)
		goto out;
	out->versions = xcalloc(n + 1, sizeof *out->versions);
	cJSON_ArrayForEach(v, arr) {
		if (jsonget_take_string(v, &ip, NULL,
		    &out->versions[out->nversions], cause) != 0)
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
	cJSON			*root;
	const cJSON		*e;
	struct jsonget_path	 p = { NULL, NULL, 0 };
	char			*state = NULL;
	size_t			 n;
	int			 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = jsonget_parse(buf, len, cause)) == NULL)
		return (-1);
	if (!cJSON_IsArray(root)) {
		jsonget_error(cause, NULL, NULL, "expected an array, not %s",
		    jsonget_type_name(root));
		goto out;
	}
	if ((n = (size_t)cJSON_GetArraySize(root)) > CONTRACT_MAX_ITEMS) {
		jsonget_error(cause, NULL, NULL, "more than %d entries",
		    CONTRACT_MAX_ITEMS);
		goto out;
	}
	out->v = xcalloc(n + 1, sizeof *out->v);
	cJSON_ArrayForEach(e, root) {
		struct contract_repo_entry *x = &out->v[out->n];

		if (jsonget_need_object(e, &p, cause) != 0 ||
		    jsonget_string(e, "name", &p, 1, NULL, &x->name,
		    cause) != 0)
			goto out;
		out->n++;
		if (jsonget_id(e, "version", &p, 0, &x->version, cause) != 0 ||
		    jsonget_string(e, "reason", &p, 0, "", &x->reason,
		    cause) != 0 ||
		    jsonget_string(e, "state", &p, 0, NULL, &state, cause) != 0)
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
parse_deployment(const cJSON *e, const struct jsonget_path *p,
    struct contract_deployments *d, char **cause)
{
	struct contract_deployment	*x = &d->v[d->n];
	const cJSON			*st;
	int				 stage;

	if (jsonget_need_object(e, p, cause) != 0 ||
	    jsonget_string(e, "model", p, 1, NULL, &x->model, cause) != 0)
		return (-1);
	d->n++;
	if (jsonget_id(e, "version", p, 1, &x->version, cause) != 0)
		return (-1);
	st = cJSON_GetObjectItemCaseSensitive(e, "stage");
	if (st == NULL)
		return (jsonget_error(cause, p, "stage", "missing"));
	if (!cJSON_IsString(st) ||
	    (stage = contract_stage_from_name(st->valuestring)) < 0)
		return (jsonget_error(cause, p, "stage", "expected \"shadow\", "
		    "\"canary\", \"full\" or \"retired\""));
	x->stage = stage;
	if (jsonget_number(e, "traffic_percent", p, 0, 0, &x->traffic_percent,
	    cause) != 0)
		return (-1);
	if (!(x->traffic_percent >= 0 && x->traffic_percent <= 100))
		return (jsonget_error(cause, p, "traffic_percent", "expected "
		    "a number from 0 to 100"));
	return (jsonget_time(e, "since", p, &x->since_ms, cause));
}

static int
parse_deployment_list(const cJSON *o, const struct jsonget_path *up,
    struct contract_deployments *d, int required, char **cause)
{
	const cJSON		*arr, *e;
	struct jsonget_path	 p = { up, "deployments", 0 };
	struct jsonget_path	 q = { &p, NULL, 0 };
	size_t			 n;

	if (jsonget_array(o, "deployments", up, required, CONTRACT_MAX_ITEMS,
	    &arr, &n, cause) != 0)
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
	if ((root = jsonget_parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (jsonget_string(root, "host", NULL, 0, "", &out->host, cause) == 0 &&
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
	if ((root = jsonget_parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (jsonget_string(root, "request_id", NULL, 1, NULL, &out->request_id,
	    cause) == 0 &&
	    jsonget_string(root, "status", NULL, 1, NULL, &out->status,
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
		return (jsonget_error(cause, NULL, "task", "missing"));
	if (cJSON_IsString(v) &&
	    strcmp(v->valuestring, "binary_classification") == 0)
		t->kind = CONTRACT_TASK_BINARY;
	else if (cJSON_IsString(v) && strcmp(v->valuestring, "regression") == 0)
		t->kind = CONTRACT_TASK_REGRESSION;
	else
		return (jsonget_error(cause, NULL, "task", "expected "
		    "\"binary_classification\" or \"regression\""));
	if (jsonget_number(root, "threshold", NULL, 0, 0.5, &t->threshold,
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
		return (jsonget_take_string(v, NULL, "positive_label",
		    &t->positive_str, cause));
	else
		return (jsonget_error(cause, NULL, "positive_label", "expected "
		    "a number, string or boolean"));
	return (0);
}

static int
parse_schema(const cJSON *root, struct contract_reference *ref, char **cause)
{
	struct jsonget_path	 p = { NULL, "schema", 0 }, q = { &p, NULL, 0 };
	const cJSON		*arr, *e, *t;
	struct contract_feature	*f;
	size_t			 n;

	if (jsonget_array(root, "schema", NULL, 1, CONTRACT_MAX_FEATURES, &arr,
	    &n, cause) != 0)
		return (-1);
	ref->schema = xcalloc(n + 1, sizeof *ref->schema);
	cJSON_ArrayForEach(e, arr) {
		f = &ref->schema[ref->nfeatures];
		if (jsonget_need_object(e, &q, cause) != 0 ||
		    jsonget_string(e, "name", &q, 1, NULL, &f->name,
		    cause) != 0)
			return (-1);
		ref->nfeatures++;
		f->importance = NAN;
		if (contract_reference_feature(ref, f->name) !=
		    (int)ref->nfeatures - 1)
			return (jsonget_error(cause, &q, "name", "feature "
			    "\"%s\" named twice", f->name));
		t = cJSON_GetObjectItemCaseSensitive(e, "type");
		if (cJSON_IsString(t) && strcmp(t->valuestring, "numeric") == 0)
			f->kind = CONTRACT_NUMERIC;
		else if (cJSON_IsString(t) &&
		    strcmp(t->valuestring, "categorical") == 0)
			f->kind = CONTRACT_CATEGORICAL;
		else
			return (jsonget_error(cause, &q, "type", "expected "
			    "\"numeric\" or \"categorical\""));
		q.idx++;
	}
	return (0);
}

/* baseline and importance: objects of numbers. */
static int
parse_extras(const cJSON *root, struct contract_reference *ref, char **cause)
{
	struct jsonget_path	 bp = { NULL, "baseline", 0 };
	struct jsonget_path	 ip = { NULL, "importance", 0 };
	const cJSON		*o, *v;
	int			 j;

	o = cJSON_GetObjectItemCaseSensitive(root, "baseline");
	if (o != NULL && !cJSON_IsNull(o)) {
		if (jsonget_need_object(o, &bp, cause) != 0)
			return (-1);
		ref->baseline = xcalloc((size_t)cJSON_GetArraySize(o) + 1,
		    sizeof *ref->baseline);
		for (v = o->child; v != NULL; v = v->next) {
			if (!cJSON_IsNumber(v))
				return (jsonget_error(cause, &bp, v->string,
				    "expected a number"));
			ref->baseline[ref->nbaseline].name = xstrndup(v->string,
			    CONTRACT_MAX_STRING);
			ref->baseline[ref->nbaseline++].value = v->valuedouble;
		}
	}
	o = cJSON_GetObjectItemCaseSensitive(root, "importance");
	if (o == NULL || cJSON_IsNull(o))
		return (0);
	if (jsonget_need_object(o, &ip, cause) != 0)
		return (-1);
	for (v = o->child; v != NULL; v = v->next) {
		if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) ||
		    isinf(v->valuedouble))
			return (jsonget_error(cause, &ip, v->string,
			    "expected a non-negative number"));
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
	if ((root = jsonget_parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (parse_task(root, &out->task, cause) != 0 ||
	    parse_schema(root, out, cause) != 0 ||
	    parse_extras(root, out, cause) != 0 ||
	    jsonget_string(root, "segment_by", NULL, 0, NULL, &out->segment_by,
	    cause) != 0)
		goto out;
	if (out->segment_by != NULL &&
	    (out->segment_index = contract_reference_feature(out,
	    out->segment_by)) < 0) {
		jsonget_error(cause, NULL, "segment_by", "no feature named "
		    "\"%s\" in the schema", out->segment_by);
		goto out;
	}
	if (contract_rows_parse(root, out->schema, out->nfeatures, &out->task,
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
	if (jsonget_id(root, "cursor", NULL, 0, cursor, cause) != 0)
		return (-1);
	return (jsonget_bool(root, "more", NULL, more, cause));
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
	if ((root = jsonget_parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (parse_page(root, &out->cursor, &out->more, cause) == 0 &&
	    contract_rows_parse(root, ref->schema, ref->nfeatures, NULL,
	    &out->rows, cause) == 0)
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
	struct jsonget_path	 p = { NULL, "labels", 0 };
	struct jsonget_path	 q = { &p, NULL, 0 };
	cJSON			*root;
	const cJSON		*arr, *e, *l;
	size_t			 n;
	int			 r = -1;

	memset(out, 0, sizeof *out);
	if ((root = jsonget_parse_object(buf, len, cause)) == NULL)
		return (-1);
	if (parse_page(root, &out->cursor, &out->more, cause) != 0 ||
	    jsonget_array(root, "labels", NULL, 1, CONTRACT_MAX_ROWS, &arr, &n,
	    cause) != 0)
		goto out;
	out->v = xcalloc(n + 1, sizeof *out->v);
	cJSON_ArrayForEach(e, arr) {
		struct contract_label *x = &out->v[out->n];

		if (jsonget_need_object(e, &q, cause) != 0 ||
		    jsonget_id(e, "id", &q, 1, &x->id, cause) != 0)
			goto out;
		out->n++;
		l = cJSON_GetObjectItemCaseSensitive(e, "label");
		if (l == NULL) {
			jsonget_error(cause, &q, "label", "missing");
			goto out;
		}
		if (contract_rows_task_label(task, l, &x->label) != 0) {
			jsonget_error(cause, &q, "label", "expected %s or null",
			    task == NULL || task->kind ==
			    CONTRACT_TASK_REGRESSION ? "a number" :
			    "a number, string or boolean");
			goto out;
		}
		if (jsonget_time(e, "ts", &q, &x->ts_ms, cause) != 0)
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

