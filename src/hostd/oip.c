/*
 * oip.c: the Open Inference Protocol v2 group: server and model metadata,
 * readiness, inference computed with the version's own weights, and the
 * Triton repository extension (index, load, unload).
 *
 * Load and unload keep the deployment rules of action.c: unloading the
 * full version hands its traffic to a canary or the newest other loaded
 * version, so "load 6, unload 7" is a rollback for a host with only OIP v2.
 * Like an action, a load or unload is saved to the --state file before it
 * is answered, and undone (503) when it cannot be.
 */
#include "hostd/hostd.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

#define MAX_BATCH 10000

/* GET /v2: server metadata. */
void
oip_server(struct hostd *h, struct hd_reply *r)
{
	struct strbuf b = { 0 };

	strbuf_adds(&b, "{\"name\":\"modeldeck-hostd\",\"version\":\"1\","
	    "\"extensions\":[\"model_repository\",\"ops_v1\"],\"host\":");
	strbuf_add_json_string(&b, h->name);
	strbuf_addc(&b, '}');
	server_reply_json(r, 200, strbuf_take(&b));
}

/* GET /v2/models/{m} and /v2/models/{m}/versions/{v} (v may be NULL). */
void
oip_model(struct hostd *h, struct hd_model *m, struct hd_version *v,
    struct hd_reply *r)
{
	struct strbuf	b = { 0 };
	size_t		i, n = 0;

	strbuf_adds(&b, "{\"name\":");
	strbuf_add_json_string(&b, m->name);
	strbuf_adds(&b, ",\"versions\":[");
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < m->nversions; i++) {
		if ((v != NULL && v != &m->versions[i]) ||
		    (v == NULL && !m->versions[i].st.loaded))
			continue;
		if (n++ > 0)
			strbuf_addc(&b, ',');
		strbuf_add_json_string(&b, m->versions[i].name);
	}
	pthread_mutex_unlock(&h->lock);
	strbuf_addf(&b, "],\"platform\":\"modeldeck-%s\",\"inputs\":[",
	    m->task == HD_BINARY ? "logistic" : "linear");
	for (i = 0; i < m->nfeatures; i++) {
		strbuf_adds(&b, i > 0 ? ",{\"name\":" : "{\"name\":");
		strbuf_add_json_string(&b, m->features[i].name);
		strbuf_addf(&b, ",\"datatype\":\"%s\",\"shape\":[-1]}",
		    m->features[i].kind == HD_NUMERIC ? "FP64" : "BYTES");
	}
	if (m->task == HD_BINARY)
		strbuf_adds(&b, "],\"outputs\":[{\"name\":\"probability\","
		    "\"datatype\":\"FP64\",\"shape\":[-1]},{\"name\":\"label\","
		    "\"datatype\":\"INT64\",\"shape\":[-1]}]}");
	else
		strbuf_adds(&b, "],\"outputs\":[{\"name\":\"prediction\","
		    "\"datatype\":\"FP64\",\"shape\":[-1]}]}");
	server_reply_json(r, 200, strbuf_take(&b));
}

/* GET /v2/models/{m}/versions/{v}/ready */
void
oip_ready(struct hostd *h, struct hd_version *v, struct hd_reply *r)
{
	int loaded;

	pthread_mutex_lock(&h->lock);
	loaded = v->st.loaded;
	pthread_mutex_unlock(&h->lock);
	if (!loaded) {
		server_reply_error(r, 503, "version %s of %s is not loaded",
		    v->name, v->model->name);
		return;
	}
	server_reply_json(r, 200, xasprintf("{\"name\":\"%s\",\"version\":"
	    "\"%s\",\"ready\":true}", v->model->name, v->name));
}

/* Fill row k of the batch from the inputs; -1 with *why on a bad value. */
static int
fill_row(struct hd_model *m, const cJSON **in, int k, struct hd_row *row,
    char **why)
{
	const cJSON	*x;
	size_t		 f, j;

	for (f = 0; f < m->nfeatures; f++) {
		x = cJSON_GetArrayItem(in[f], k);
		row->num[f] = NAN;
		row->cat[f] = SIZE_MAX;
		if (x == NULL || cJSON_IsNull(x))
			continue;
		if (m->features[f].kind == HD_NUMERIC) {
			if (!cJSON_IsNumber(x))
				return xcause(why, "input %s: element %d is not "
				    "a number", m->features[f].name, k);
			row->num[f] = x->valuedouble;
			continue;
		}
		if (!cJSON_IsString(x))
			return xcause(why, "input %s: element %d is not a "
			    "string", m->features[f].name, k);
		for (j = 0; j < m->features[f].nvalues; j++) {
			if (strcmp(m->features[f].values[j], x->valuestring) == 0)
				row->cat[f] = j;
		}
	}
	return 0;
}

/* Check the inputs and find each feature's data array; -1 with *why. */
static int
find_inputs(struct hd_model *m, const cJSON *req, const cJSON **in, int *n,
    char **why)
{
	const cJSON	*inputs, *j, *name, *data;
	size_t		 f;

	inputs = cJSON_GetObjectItemCaseSensitive(req, "inputs");
	if (!cJSON_IsArray(inputs))
		return xcause(why, "\"inputs\" must be an array");
	*n = -1;
	for (f = 0; f < m->nfeatures; f++) {
		in[f] = NULL;
		cJSON_ArrayForEach(j, inputs) {
			name = cJSON_GetObjectItemCaseSensitive(j, "name");
			if (cJSON_IsString(name) && strcmp(name->valuestring,
			    m->features[f].name) == 0)
				break;
		}
		data = cJSON_GetObjectItemCaseSensitive(j, "data");
		if (j == NULL || !cJSON_IsArray(data))
			return xcause(why, "missing input %s (with a \"data\" "
			    "array)", m->features[f].name);
		if (*n >= 0 && cJSON_GetArraySize(data) != *n)
			return xcause(why, "input %s has %d elements, not %d",
			    m->features[f].name, cJSON_GetArraySize(data), *n);
		*n = cJSON_GetArraySize(data);
		in[f] = data;
	}
	if (*n < 1 || *n > MAX_BATCH)
		return xcause(why, "a batch holds 1 to %d rows", MAX_BATCH);
	return 0;
}

static char *
infer_answer(struct hd_model *m, struct hd_version *v, const cJSON *req,
    const cJSON **in, int n, char **why)
{
	struct strbuf	 b = { 0 }, lab = { 0 };
	const cJSON	*id = cJSON_GetObjectItemCaseSensitive(req, "id");
	struct hd_row	 row;
	double		 p;
	int		 k;

	row.num = xcalloc(m->nfeatures, sizeof *row.num);
	row.cat = xcalloc(m->nfeatures, sizeof *row.cat);
	strbuf_adds(&b, "{\"model_name\":");
	strbuf_add_json_string(&b, m->name);
	strbuf_adds(&b, ",\"model_version\":");
	strbuf_add_json_string(&b, v->name);
	if (cJSON_IsString(id)) {
		strbuf_adds(&b, ",\"id\":");
		strbuf_add_json_string(&b, id->valuestring);
	}
	strbuf_addf(&b, ",\"outputs\":[{\"name\":\"%s\",\"datatype\":\"FP64\","
	    "\"shape\":[%d],\"data\":[", m->task == HD_BINARY ? "probability" :
	    "prediction", n);
	for (k = 0; k < n; k++) {
		if (fill_row(m, in, k, &row, why) != 0) {
			strbuf_free(&b);
			b.s = NULL;
			break;
		}
		p = sim_predict(&v->lin, m, &row);
		if (k > 0)
			strbuf_addc(&b, ',');
		sim_add_number(&b, p);
		strbuf_addf(&lab, "%s%d", k > 0 ? "," : "", p >= m->threshold);
	}
	sim_row_free(&row);
	if (b.s != NULL) {
		if (m->task == HD_BINARY)
			strbuf_addf(&b, "]},{\"name\":\"label\",\"datatype\":"
			    "\"INT64\",\"shape\":[%d],\"data\":[%s", n,
			    strbuf_str(&lab));
		strbuf_adds(&b, "]}]}");
	}
	strbuf_free(&lab);
	return strbuf_take(&b);
}

/* POST .../infer: score the batch with the version's weights. */
void
oip_infer(struct hostd *h, struct hd_model *m, struct hd_version *v,
    const char *body, size_t len, struct hd_reply *r)
{
	cJSON		*req = cJSON_ParseWithLength(body, len);
	const cJSON	**in;
	char		*why = NULL, *out = NULL;
	int		 n = 0, loaded;

	pthread_mutex_lock(&h->lock);
	if (v == NULL)
		v = ops_full(m);
	loaded = v != NULL && v->st.loaded;
	pthread_mutex_unlock(&h->lock);
	if (!loaded) {
		server_reply_error(r, 503, "model %s: version %s is not loaded",
		    m->name, v != NULL ? v->name : "(full)");
		cJSON_Delete(req);
		return;
	}
	in = xcalloc(m->nfeatures, sizeof *in);
	if (req == NULL || !cJSON_IsObject(req))
		xcause(&why, "request body is not a JSON object");
	else if (find_inputs(m, req, in, &n, &why) == 0)
		out = infer_answer(m, v, req, in, n, &why);
	if (out != NULL && why == NULL) {
		pthread_mutex_lock(&h->lock);
		v->st.infer_ok += (uint64_t)n;
		pthread_mutex_unlock(&h->lock);
		server_reply_json(r, 200, out);
	} else {
		server_reply_error(r, 400, "%s", why);
		free(out);
	}
	free(why);
	free(in);
	cJSON_Delete(req);
}

/* POST /v2/repository/index */
void
oip_index(struct hostd *h, struct hd_reply *r)
{
	struct strbuf		 b = { 0 };
	struct hd_version	*v;
	size_t			 i, k, n = 0;

	strbuf_addc(&b, '[');
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->nmodels; i++) {
		for (k = 0; k < h->models[i]->nversions; k++) {
			v = &h->models[i]->versions[k];
			strbuf_adds(&b, n++ > 0 ? ",{\"name\":" : "{\"name\":");
			strbuf_add_json_string(&b, h->models[i]->name);
			strbuf_adds(&b, ",\"version\":");
			strbuf_add_json_string(&b, v->name);
			strbuf_addf(&b, ",\"state\":\"%s\"}", v->st.loaded ?
			    "READY" : "UNAVAILABLE");
		}
	}
	pthread_mutex_unlock(&h->lock);
	strbuf_addc(&b, ']');
	server_reply_json(r, 200, strbuf_take(&b));
}

static void
unload_one(struct hostd *h, struct hd_model *m, struct hd_version *v, double t)
{
	struct hd_version	*f = ops_full(m), *to = NULL, *c;
	size_t			 i;
	int			 canaries = 0;

	ops_change(h, v, HD_RETIRED, 0, 0, t);
	for (i = 0; i < m->nversions; i++) {
		c = &m->versions[i];
		if (c->st.stage == HD_CANARY)
			canaries += c->st.traffic;
		if (v == f && c->st.loaded && (to == NULL ||
		    c->st.stage == HD_CANARY))
			to = c;
	}
	if (v != f)
		to = f;
	else if (to != NULL && to->st.stage == HD_CANARY)
		canaries -= to->st.traffic;
	if (to != NULL)
		ops_change(h, to, HD_FULL, 100 - canaries, 1, t);
}

static void
load_one(struct hostd *h, struct hd_model *m, struct hd_version *v, int load,
    double t)
{
	if (!load) {
		if (v->st.loaded)
			unload_one(h, m, v, t);
		return;
	}
	if (v->st.loaded)
		return;
	if (ops_full(m) == NULL)
		ops_change(h, v, HD_FULL, 100, 1, t);
	else
		ops_change(h, v, HD_RETIRED, 0, 1, t);
}

/*
 * POST /v2/repository/models/{m}/load or unload.  The body may name one
 * version, {"parameters": {"version": "6"}} or {"version": "6"}; without
 * one, every version is loaded or unloaded.
 */
void
oip_load(struct hostd *h, struct hd_model *m, int load, const char *body,
    size_t len, struct hd_reply *r)
{
	cJSON			*req = len > 0 ? cJSON_ParseWithLength(body, len) :
				    NULL;
	const cJSON		*jv;
	struct hd_version	*v = NULL;
	struct strbuf		 b = { 0 };
	struct hd_saved		 saved;
	char			*cause = NULL;
	size_t			 i;
	double			 t;

	if (len > 0 && (req == NULL || !cJSON_IsObject(req))) {
		server_reply_error(r, 400, "request body is not a JSON object");
		cJSON_Delete(req);
		return;
	}
	jv = cJSON_GetObjectItemCaseSensitive(req, "version");
	if (jv == NULL)
		jv = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(req, "parameters"), "version");
	if (jv != NULL && (!cJSON_IsString(jv) ||
	    (v = fleet_version(m, jv->valuestring)) == NULL)) {
		server_reply_error(r, 404, "model %s has no such version",
		    m->name);
		cJSON_Delete(req);
		return;
	}
	pthread_mutex_lock(&h->lock);
	state_snapshot(m, &saved);
	t = ops_now(h);
	for (i = 0; i < m->nversions; i++) {
		if (v == NULL || v == &m->versions[i])
			load_one(h, m, &m->versions[i], load, t);
	}
	if (state_save(h, &cause) != 0) {
		/* not saved, so not done: a restart would not know of it */
		state_restore(m, &saved);
		pthread_mutex_unlock(&h->lock);
		fprintf(stderr, "modeldeck-hostd: %s\n", cause);
		server_reply_error(r, 503, "%s; not %sed", cause,
		    load ? "load" : "unload");
		free(cause);
		cJSON_Delete(req);
		return;
	}
	free(saved.st);
	strbuf_adds(&b, "{\"deployments\":[");
	ops_add_deployments(h, &b, m);
	pthread_mutex_unlock(&h->lock);
	strbuf_adds(&b, "]}");
	server_reply_json(r, 200, strbuf_take(&b));
	cJSON_Delete(req);
}
