/*
 * snapshot: the fleet copied out of the poller at one instant and joined
 * with the configuration (snapshot.h).  Every string is copied, the
 * status deep-copied, so nothing here points into the poller.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/snapshot.h"
#include "config/config.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
take_host(struct snapshot_host *h, const struct poller_host_view *v)
{
	h->name = xstrdup(v->name);
	h->url = xstrdup(v->url);
	h->state = v->state;
	h->error = dup_or_null(v->error);
	h->note = dup_or_null(v->note);
	h->last_ok_ms = v->last_ok_ms;
	h->cycles = v->cycles;
	h->last_cycle_ms = v->last_cycle_ms;
	h->busy = v->busy;
}

static void
take_version(struct snapshot_version *s, const struct poller_version_view *v,
    const struct config *cfg)
{
	const struct config_model *m;

	s->host = xstrdup(v->host);
	s->model = xstrdup(v->model);
	s->version = xstrdup(v->version);
	s->stage = xstrdup(v->stage);
	s->traffic_percent = v->traffic_percent;
	s->since_ms = v->since_ms;
	if ((s->has_metrics = v->metrics != NULL))
		s->metrics = *v->metrics;
	if ((s->has_status = v->status != NULL))
		status_copy(&s->status, v->status);
	s->window_rows = v->window_rows;
	s->samples_seen = v->samples_seen;
	s->labels_seen = v->labels_seen;
	s->error = dup_or_null(v->error);
	m = cfg != NULL ? config_model_find(cfg, v->model) : NULL;
	if ((s->configured = m != NULL)) {
		s->team = dup_or_null(m->team);
		s->tier = (int)m->tier;
	}
}

void
snapshot_take(struct snapshot *out, const struct poller *p,
    const struct config *cfg)
{
	struct poller_host_view		h;
	struct poller_version_view	v;
	size_t				i;

	memset(out, 0, sizeof *out);
	out->taken_ms = timefmt_now_ms();
	out->nhosts = poller_nhosts(p);
	out->hosts = xcalloc(out->nhosts ? out->nhosts : 1, sizeof *out->hosts);
	for (i = 0; i < out->nhosts; i++) {
		poller_host(p, i, &h);
		take_host(&out->hosts[i], &h);
	}
	out->nversions = poller_nversions(p);
	out->versions = xcalloc(out->nversions ? out->nversions : 1,
	    sizeof *out->versions);
	for (i = 0; i < out->nversions; i++) {
		poller_version(p, i, &v);
		take_version(&out->versions[i], &v, cfg);
	}
}

void
snapshot_free(struct snapshot *s)
{
	size_t	i;

	for (i = 0; i < s->nhosts; i++) {
		free(s->hosts[i].name);
		free(s->hosts[i].url);
		free(s->hosts[i].error);
		free(s->hosts[i].note);
	}
	for (i = 0; i < s->nversions; i++) {
		struct snapshot_version *v = &s->versions[i];

		free(v->host);
		free(v->model);
		free(v->version);
		free(v->stage);
		free(v->error);
		free(v->team);
		if (v->has_status)
			status_free(&v->status);
	}
	free(s->hosts);
	free(s->versions);
	memset(s, 0, sizeof *s);
}

int
snapshot_all_up(const struct snapshot *s)
{
	size_t	i;

	for (i = 0; i < s->nhosts; i++)
		if (s->hosts[i].state != POLLER_UP || s->hosts[i].busy)
			return 0;
	return 1;
}

const char *
snapshot_host_error(const struct snapshot_host *h)
{
	/* A cycle still running says so instead of a stale state. */
	return h->busy ? "poll not finished in time" : h->error;
}

int
snapshot_version_listed(const struct snapshot_version *v)
{
	return strcmp(v->stage, "gone") != 0;
}

const char *
snapshot_drift_name(const struct snapshot_version *v)
{
	return v->has_status ? stats_status_name(v->status.drift) : "unknown";
}

/* ---- JSON --------------------------------------------------------------- */

static cJSON *
num_or_null(double x)
{
	return isnan(x) || isinf(x) ? cJSON_CreateNull() : cJSON_CreateNumber(x);
}

static cJSON *
str_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *
time_or_null(int64_t ms)
{
	char	buf[TIMEFMT_RFC3339_LEN];

	return ms > 0 ? cJSON_CreateString(timefmt_rfc3339(ms, buf)) :
	    cJSON_CreateNull();
}

static cJSON *
host_json(const struct snapshot_host *h)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", h->name);
	cJSON_AddStringToObject(o, "url", h->url);
	cJSON_AddStringToObject(o, "state", poller_state_name(h->state));
	cJSON_AddItemToObject(o, "error", str_or_null(snapshot_host_error(h)));
	cJSON_AddItemToObject(o, "last_ok", time_or_null(h->last_ok_ms));
	cJSON_AddItemToObject(o, "note", str_or_null(h->note));
	cJSON_AddNumberToObject(o, "poll_ms", (double)h->last_cycle_ms);
	return o;
}

/* The window's figures: accuracy, labels, statuses (null without one). */
static void
status_keys(cJSON *o, const struct snapshot_version *v)
{
	const struct status *s = v->has_status ? &v->status : NULL;

	cJSON_AddStringToObject(o, "drift_status", snapshot_drift_name(v));
	cJSON_AddItemToObject(o, "accuracy", num_or_null(s ? s->accuracy : NAN));
	cJSON_AddItemToObject(o, "accuracy_estimated",
	    num_or_null(s ? s->accuracy_estimated : NAN));
	cJSON_AddNumberToObject(o, "labels", s ? (double)s->labels : 0);
	cJSON_AddItemToObject(o, "accuracy_status", str_or_null(s ?
	    stats_status_name(s->accuracy_status) : NULL));
	cJSON_AddItemToObject(o, "disparate_impact",
	    num_or_null(s ? s->disparate_impact : NAN));
	cJSON_AddItemToObject(o, "fairness_status", str_or_null(s ?
	    stats_status_name(s->fairness_status) : NULL));
	cJSON_AddItemToObject(o, "overall_status", str_or_null(s ?
	    stats_status_name(s->overall) : NULL));
}

static cJSON *
version_json(const struct snapshot_version *v)
{
	const struct derive_figures *m = v->has_metrics ? &v->metrics : NULL;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "model", v->model);
	cJSON_AddStringToObject(o, "version", v->version);
	cJSON_AddStringToObject(o, "host", v->host);
	cJSON_AddStringToObject(o, "stage", v->stage);
	cJSON_AddNumberToObject(o, "traffic_percent", v->traffic_percent);
	status_keys(o, v);
	cJSON_AddItemToObject(o, "p99_latency_ms",
	    num_or_null(m ? m->p99_latency_ms : NAN));
	cJSON_AddItemToObject(o, "p50_latency_ms",
	    num_or_null(m ? m->p50_latency_ms : NAN));
	cJSON_AddItemToObject(o, "error_rate", num_or_null(m ? m->error_rate :
	    NAN));
	cJSON_AddItemToObject(o, "mean_latency_ms",
	    num_or_null(m ? m->mean_latency_ms : NAN));
	cJSON_AddNumberToObject(o, "window_rows", (double)v->window_rows);
	cJSON_AddNumberToObject(o, "samples_new", (double)v->samples_seen);
	cJSON_AddNumberToObject(o, "labels_new", (double)v->labels_seen);
	cJSON_AddBoolToObject(o, "raci", v->configured);
	cJSON_AddItemToObject(o, "team", str_or_null(v->team));
	if (v->tier > 0)
		cJSON_AddNumberToObject(o, "tier", v->tier);
	else
		cJSON_AddNullToObject(o, "tier");
	cJSON_AddItemToObject(o, "error", str_or_null(v->error));
	return o;
}

void
snapshot_json(const struct snapshot *s, struct strbuf *b)
{
	cJSON	*o = cJSON_CreateObject(), *hosts, *models;
	char	*text;
	size_t	 i;

	cJSON_AddItemToObject(o, "taken", time_or_null(s->taken_ms));
	hosts = cJSON_AddArrayToObject(o, "hosts");
	for (i = 0; i < s->nhosts; i++)
		cJSON_AddItemToArray(hosts, host_json(&s->hosts[i]));
	models = cJSON_AddArrayToObject(o, "models");
	for (i = 0; i < s->nversions; i++)
		if (snapshot_version_listed(&s->versions[i]))
			cJSON_AddItemToArray(models,
			    version_json(&s->versions[i]));
	text = cJSON_Print(o);
	strbuf_adds(b, text);
	free(text);
	cJSON_Delete(o);
}
