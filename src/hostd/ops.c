/*
 * ops.c: the /ops/v1 read endpoints (deployments, reference, samples,
 * labels), the scenario clock and the per-version deployment state.
 *
 * Cursors are opaque to clients but are the index of the next row to
 * consider, so they survive a restart: row i of a version is made on demand
 * from its index (sim.c).  A version logs samples only while it is active
 * (not retired), recorded as scenario-time intervals.  Callers hold
 * h->lock around anything that reads or changes struct hd_state.
 */
#include "hostd/hostd.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timefmt.h"
#include "util/xmalloc.h"

/* The scenario time now, in seconds. */
double
ops_now(const struct hostd *h)
{
	double real = (double)(timefmt_mono_ms() - h->mono0_ms) / 1000;

	return h->start_at + real * h->speed;
}

/* The wall-clock time (ms) at which scenario time t happens. */
int64_t
ops_wall_ms(const struct hostd *h, double t)
{
	double speed = h->speed > 0 ? h->speed : 1;

	return h->epoch_ms + (int64_t)llround((t - h->start_at) / speed * 1000);
}

static double
rps_of(const struct hd_version *v)
{
	double r = v->model->request_rate;

	if (!v->st.loaded)
		return 0;
	switch (v->st.stage) {
	case HD_FULL:
	case HD_CANARY:
		return r * v->st.traffic / 100;
	case HD_SHADOW:
		return r;	/* a shadow scores all the traffic */
	default:
		return 0;
	}
}

static int
active(const struct hd_version *v)
{
	return v->st.loaded && v->st.stage != HD_RETIRED;
}

/*
 * Move version v to a stage, traffic share and loaded state at scenario
 * time t, keeping request counters monotonic and sample intervals right.
 */
void
ops_change(struct hostd *h, struct hd_version *v, enum hd_stage stage,
    int traffic, int loaded, double t)
{
	struct hd_state	*st = &v->st;
	int		 was = active(v);

	if (st->stage == stage && st->traffic == traffic && st->loaded == loaded)
		return;
	st->req_base += st->req_rps * (t - st->req_t0);
	st->req_t0 = t;
	if (st->stage != stage)
		st->since_ms = ops_wall_ms(h, t);
	st->stage = stage;
	st->traffic = stage == HD_FULL || stage == HD_CANARY ? traffic : 0;
	st->loaded = loaded;
	st->req_rps = rps_of(v);
	if (was && !active(v) && st->nivl > 0)
		st->ivl_end[st->nivl - 1] = t;
	else if (!was && active(v) && st->nivl < HD_MAX_INTERVALS) {
		st->ivl_start[st->nivl] = t;
		st->ivl_end[st->nivl++] = INFINITY;
	}
}

/* The model's full version, or NULL. */
struct hd_version *
ops_full(struct hd_model *m)
{
	size_t	i;

	for (i = 0; i < m->nversions; i++) {
		if (m->versions[i].st.stage == HD_FULL)
			return &m->versions[i];
	}
	return NULL;
}

/* Set every served version to its fleet-file deployment at scenario 0. */
void
ops_init_state(struct hostd *h)
{
	struct hd_model		*m;
	struct hd_version	*v;
	size_t			 i, k;

	for (i = 0; i < h->nmodels; i++) {
		m = h->models[i];
		m->nprev_full = 0;
		for (k = 0; k < m->nversions; k++) {
			v = &m->versions[k];
			memset(&v->st, 0, sizeof v->st);
			v->st.stage = v->stage0;
			v->st.traffic = v->stage0 == HD_FULL ||
			    v->stage0 == HD_CANARY ? v->traffic0 : 0;
			v->st.loaded = v->stage0 != HD_RETIRED;
			v->st.since_ms = h->epoch_ms -
			    (int64_t)(v->since_h * 3600 * 1000);
			v->st.req_rps = rps_of(v);
			if (active(v)) {
				v->st.ivl_start[0] = 0;
				v->st.ivl_end[0] = INFINITY;
				v->st.nivl = 1;
			} else if (m->nprev_full < HD_MAX_INTERVALS)
				m->prev_full[m->nprev_full++] = (int)k;
		}
	}
}

/* Append the model's deployments as JSON objects, comma-separated. */
void
ops_add_deployments(struct hostd *h, struct strbuf *b, struct hd_model *m)
{
	struct hd_version	*v;
	char			 ts[TIMEFMT_RFC3339_LEN];
	size_t			 k;

	(void)h;
	for (k = 0; k < m->nversions; k++) {
		v = &m->versions[k];
		if (k > 0)
			strbuf_addc(b, ',');
		strbuf_adds(b, "{\"model\":");
		strbuf_add_json_string(b, m->name);
		strbuf_adds(b, ",\"version\":");
		strbuf_add_json_string(b, v->name);
		strbuf_addf(b, ",\"stage\":\"%s\",\"traffic_percent\":%d,"
		    "\"since\":\"%s\",\"team\":", fleet_stage_name(v->st.stage),
		    v->st.traffic, timefmt_rfc3339(v->st.since_ms, ts));
		strbuf_add_json_string(b, m->team);
		strbuf_addc(b, '}');
	}
}

/* GET /ops/v1/deployments */
void
ops_deployments(struct hostd *h, struct hd_reply *r)
{
	struct strbuf	b = { 0 };
	size_t		i;

	strbuf_adds(&b, "{\"host\":");
	strbuf_add_json_string(&b, h->name);
	strbuf_adds(&b, ",\"deployments\":[");
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->nmodels; i++) {
		if (i > 0)
			strbuf_addc(&b, ',');
		ops_add_deployments(h, &b, h->models[i]);
	}
	pthread_mutex_unlock(&h->lock);
	strbuf_adds(&b, "]}");
	server_reply_json(r, 200, strbuf_take(&b));
}

static void
add_reference_head(struct strbuf *b, struct hd_version *v)
{
	struct hd_model	*m = v->model;
	size_t		 f;

	if (m->task == HD_BINARY) {
		strbuf_adds(b, "{\"task\":\"binary_classification\","
		    "\"positive_label\":1,\"threshold\":");
		sim_add_number(b, m->threshold);
		strbuf_adds(b, ",\"baseline\":{\"accuracy\":");
		sim_add_number(b, v->base_accuracy);
		strbuf_adds(b, ",\"roc_auc\":");
		sim_add_number(b, v->base_auc);
	} else {
		strbuf_adds(b, "{\"task\":\"regression\",\"baseline\":{\"mae\":");
		sim_add_number(b, v->base_mae);
		strbuf_adds(b, ",\"rmse\":");
		sim_add_number(b, v->base_rmse);
	}
	strbuf_adds(b, "},\"schema\":[");
	for (f = 0; f < m->nfeatures; f++) {
		strbuf_adds(b, f > 0 ? ",{\"name\":" : "{\"name\":");
		strbuf_add_json_string(b, m->features[f].name);
		strbuf_addf(b, ",\"type\":\"%s\"}", m->features[f].kind ==
		    HD_NUMERIC ? "numeric" : "categorical");
	}
	strbuf_adds(b, "],\"importance\":{");
	for (f = 0; f < m->nfeatures; f++) {
		if (f > 0)
			strbuf_addc(b, ',');
		strbuf_add_json_string(b, m->features[f].name);
		strbuf_addf(b, ":%.6g", v->importance[f]);
	}
	strbuf_addc(b, '}');
	if (m->segment_by >= 0) {
		strbuf_adds(b, ",\"segment_by\":");
		strbuf_add_json_string(b, m->features[m->segment_by].name);
	}
}

/* Build the reference document of a version into b (also --write-references). */
void
ops_reference_json(struct strbuf *b, struct hd_version *v, uint64_t seed)
{
	struct hd_model	*m = v->model;
	struct hd_row	 row;
	size_t		 i;

	add_reference_head(b, v);
	strbuf_adds(b, ",\"rows\":[");
	for (i = 0; i < m->reference_rows; i++) {
		sim_row(v, seed, (int64_t)i, 0, 1, &row);
		strbuf_addf(b, "%s{\"id\":\"t-%zu\",\"features\":",
		    i > 0 ? ",\n" : "\n", i + 1);
		sim_add_row_json(b, m, &row);
		strbuf_adds(b, ",\"prediction\":");
		sim_add_number(b, sim_predict(&v->lin, m, &row));
		strbuf_adds(b, ",\"label\":");
		sim_add_number(b, sim_label(v, seed, (int64_t)i, 0, 1, &row));
		strbuf_addc(b, '}');
		sim_row_free(&row);
	}
	strbuf_adds(b, "]}\n");
}

/* GET /ops/v1/models/{m}/versions/{v}/reference */
void
ops_reference(struct hostd *h, struct hd_version *v, struct hd_reply *r)
{
	struct strbuf b = { 0 };

	ops_reference_json(&b, v, h->fleet->seed);
	server_reply_json(r, 200, strbuf_take(&b));
}

/* The first index >= i whose row time falls in an active interval; -1 none. */
static int64_t
next_active(const struct hd_version *v, int64_t i, int64_t end)
{
	double	rate = v->model->sample_rate, t;
	size_t	k;

	for (; i <= end; ) {
		t = (double)i / rate;
		for (k = 0; k < v->st.nivl; k++) {
			if (t >= v->st.ivl_start[k] && t < v->st.ivl_end[k])
				return i;
		}
		/* jump to the next interval that starts after t */
		for (k = 0; k < v->st.nivl; k++) {
			if (v->st.ivl_start[k] > t)
				break;
		}
		if (k == v->st.nivl)
			return -1;
		i = (int64_t)ceil(v->st.ivl_start[k] * rate);
	}
	return -1;
}

static int
parse_index(const char *s, int64_t def, int64_t max, int64_t *out)
{
	char		*end;
	long long	 n;

	if (s == NULL || *s == '\0') {
		*out = def;
		return 0;
	}
	if (!isdigit((unsigned char)*s) || strlen(s) > 18)
		return -1;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || n > max)
		return -1;
	*out = n;
	return 0;
}

static void
add_sample(struct hostd *h, struct strbuf *b, struct hd_version *v, int64_t i,
    int labels)
{
	struct hd_model	*m = v->model;
	uint64_t	 seed = h->fleet->seed;
	double		 t = (double)i / m->sample_rate;
	struct hd_row	 row;

	sim_row(v, seed, i, t, 0, &row);
	strbuf_addf(b, "{\"id\":\"r%s-%lld\",", v->name, (long long)i);
	if (labels) {
		strbuf_adds(b, "\"label\":");
		sim_add_number(b, sim_label(v, seed, i, t, 0, &row));
		strbuf_addf(b, ",\"ts\":%lld}", (long long)ops_wall_ms(h,
		    t + m->label_delay_s));
	} else {
		strbuf_addf(b, "\"ts\":%lld,\"features\":",
		    (long long)ops_wall_ms(h, t));
		sim_add_row_json(b, m, &row);
		strbuf_adds(b, ",\"prediction\":");
		sim_add_number(b, sim_predict(&v->lin, m, &row));
		strbuf_addc(b, '}');
	}
	sim_row_free(&row);
}

/* The next row index >= i that the page may return, or -1. */
static int64_t
next_row(struct hostd *h, struct hd_version *v, int64_t i, int64_t end,
    int labels)
{
	while ((i = next_active(v, i, end)) >= 0) {
		if (!labels || sim_labelled(v, h->fleet->seed, i))
			return i;
		i++;
	}
	return -1;
}

/*
 * GET .../samples or .../labels (labels != 0): rows after the cursor,
 * oldest first, at most limit of them.
 */
void
ops_samples(struct hostd *h, struct hd_version *v, const char *after,
    const char *limit_s, int labels, struct hd_reply *r)
{
	struct hd_model	*m = v->model;
	struct strbuf	 b = { 0 };
	double		 t = ops_now(h), rate = m->sample_rate;
	int64_t		 lo, end, i, start, limit, n = 0;

	end = (int64_t)floor((t - (labels ? m->label_delay_s : 0)) * rate);
	lo = (int64_t)ceil((t - m->retain_s) * rate);
	if (lo < 0)
		lo = 0;
	if (parse_index(after, lo, INT64_MAX / 2, &start) != 0) {
		server_reply_error(r, 400, "bad cursor \"%s\"", after);
		return;
	}
	if (parse_index(limit_s, HD_DEFAULT_LIMIT, HD_MAX_LIMIT, &limit) != 0 ||
	    limit < 1) {
		server_reply_error(r, 400, "limit must be a number from 1 to %d",
		    HD_MAX_LIMIT);
		return;
	}
	if (start < lo)
		start = lo;	/* rows older than the retention are gone */
	strbuf_adds(&b, labels ? "{\"labels\":[" : "{\"rows\":[");
	pthread_mutex_lock(&h->lock);
	for (i = start; n < limit; i++, n++) {
		if ((i = next_row(h, v, i, end, labels)) < 0)
			break;
		if (n > 0)
			strbuf_addc(&b, ',');
		add_sample(h, &b, v, i, labels);
		start = i + 1;
	}
	i = n == limit ? next_row(h, v, start, end, labels) : -1;
	pthread_mutex_unlock(&h->lock);
	strbuf_addf(&b, "],\"cursor\":\"%lld\",\"more\":%s}", (long long)start,
	    i >= 0 ? "true" : "false");
	server_reply_json(r, 200, strbuf_take(&b));
}
