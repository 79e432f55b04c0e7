/*
 * status [--json]: one poll cycle of every configured host (src/hosts/
 * poller.c: states, store, windows), then the fleet: hosts with their
 * state, last error and last success, and every deployed model version
 * with the figures of host-api.md's "What the console derives".  Exit 0
 * when every host is up, 1 otherwise (the call is still audited as
 * allowed: looking succeeded).  Models the configuration does not name
 * are shown with "no RACI".
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "cmd/cmd.h"
#include "config/config.h"
#include "hosts/poller.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static const struct cmd_opt status_opts[] = {
	{ "json", 0, "print one JSON object" },
	{ NULL, 0, NULL }
};

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
	char buf[TIMEFMT_RFC3339_LEN];

	return ms > 0 ? cJSON_CreateString(timefmt_rfc3339(ms, buf)) :
	    cJSON_CreateNull();
}

/* A cycle still running at the deadline says so instead of a stale state. */
static const char *
host_error(const struct poller_host_view *h)
{
	return h->busy ? "poll not finished in time" : h->error;
}

static cJSON *
host_json(const struct poller_host_view *h)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", h->name);
	cJSON_AddStringToObject(o, "url", h->url);
	cJSON_AddStringToObject(o, "state", poller_state_name(h->state));
	cJSON_AddItemToObject(o, "error", str_or_null(host_error(h)));
	cJSON_AddItemToObject(o, "last_ok", time_or_null(h->last_ok_ms));
	cJSON_AddItemToObject(o, "note", str_or_null(h->note));
	cJSON_AddNumberToObject(o, "poll_ms", (double)h->last_cycle_ms);
	return o;
}

/* The figures of one version; NaN (unknown) figures print as null. */
struct figures {
	const char	*drift;
	double		 accuracy, accuracy_estimated, p99, p50, error_rate;
	double		 labels, window_rows;
};

static void
figures_of(const struct poller_version_view *v, struct figures *f)
{
	f->drift = v->status != NULL ? stats_status_name(v->status->drift) :
	    "unknown";
	f->accuracy = v->status != NULL ? v->status->accuracy : NAN;
	f->accuracy_estimated = v->status != NULL ?
	    v->status->accuracy_estimated : NAN;
	f->labels = v->status != NULL ? (double)v->status->labels : 0;
	f->window_rows = (double)v->window_rows;
	f->p99 = v->metrics != NULL ? v->metrics->p99_latency_ms : NAN;
	f->p50 = v->metrics != NULL ? v->metrics->p50_latency_ms : NAN;
	f->error_rate = v->metrics != NULL ? v->metrics->error_rate : NAN;
}

static cJSON *
version_json(const struct config *cfg, const struct poller_version_view *v)
{
	cJSON *o = cJSON_CreateObject();
	struct figures f;

	figures_of(v, &f);
	cJSON_AddStringToObject(o, "model", v->model);
	cJSON_AddStringToObject(o, "version", v->version);
	cJSON_AddStringToObject(o, "host", v->host);
	cJSON_AddStringToObject(o, "stage", v->stage);
	cJSON_AddNumberToObject(o, "traffic_percent", v->traffic_percent);
	cJSON_AddStringToObject(o, "drift_status", f.drift);
	cJSON_AddItemToObject(o, "accuracy", num_or_null(f.accuracy));
	cJSON_AddItemToObject(o, "accuracy_estimated",
	    num_or_null(f.accuracy_estimated));
	cJSON_AddNumberToObject(o, "labels", f.labels);
	cJSON_AddItemToObject(o, "p99_latency_ms", num_or_null(f.p99));
	cJSON_AddItemToObject(o, "p50_latency_ms", num_or_null(f.p50));
	cJSON_AddItemToObject(o, "error_rate", num_or_null(f.error_rate));
	cJSON_AddItemToObject(o, "mean_latency_ms", num_or_null(v->metrics ?
	    v->metrics->mean_latency_ms : NAN));
	cJSON_AddNumberToObject(o, "window_rows", f.window_rows);
	cJSON_AddNumberToObject(o, "samples_new", (double)v->samples_seen);
	cJSON_AddNumberToObject(o, "labels_new", (double)v->labels_seen);
	cJSON_AddBoolToObject(o, "raci", config_model_find(cfg, v->model) != NULL);
	cJSON_AddItemToObject(o, "error", str_or_null(v->error));
	return o;
}

static void
print_json(struct cmd_ctx *ctx, const struct poller *p)
{
	struct poller_host_view h;
	struct poller_version_view v;
	cJSON *o = cJSON_CreateObject(), *hosts, *models;
	char *s;
	size_t i;

	hosts = cJSON_AddArrayToObject(o, "hosts");
	for (i = 0; i < poller_nhosts(p); i++) {
		poller_host(p, i, &h);
		cJSON_AddItemToArray(hosts, host_json(&h));
	}
	models = cJSON_AddArrayToObject(o, "models");
	for (i = 0; i < poller_nversions(p); i++) {
		poller_version(p, i, &v);
		if (v.stage[0] != 'g')		/* "gone": no longer listed */
			cJSON_AddItemToArray(models,
			    version_json(ctx->app->cfg, &v));
	}
	s = cJSON_Print(o);
	cmd_print(ctx, "%s\n", s);
	free(s);
	cJSON_Delete(o);
}

/* A figure for the table: "-" when unknown. */
static const char *
cell(char *buf, size_t len, const char *fmt, double x)
{
	if (isnan(x) || isinf(x))
		return "-";
	snprintf(buf, len, fmt, x);
	return buf;
}

static void
print_table(struct cmd_ctx *ctx, const struct poller *p)
{
	struct poller_host_view h;
	struct poller_version_view v;
	struct figures f;
	char t[TIMEFMT_RFC3339_LEN], a[32], b[32], c[32];
	size_t i;

	cmd_print(ctx, "%-20s %-12s %-24s %s\n", "HOST", "STATE", "LAST OK",
	    "ERROR");
	for (i = 0; i < poller_nhosts(p); i++) {
		poller_host(p, i, &h);
		cmd_print(ctx, "%-20s %-12s %-24s %s%s%s\n", h.name,
		    poller_state_name(h.state), h.last_ok_ms > 0 ?
		    timefmt_rfc3339(h.last_ok_ms, t) : "never",
		    host_error(&h) != NULL ? host_error(&h) : "",
		    h.note != NULL && host_error(&h) != NULL ? "; " : "",
		    h.note != NULL ? h.note : "");
	}
	cmd_print(ctx, "\n%-22s %-7s %-16s %-8s %7s %-12s %8s %7s %9s %7s\n",
	    "MODEL", "VERSION", "HOST", "STAGE", "TRAFFIC", "DRIFT", "ACCURACY",
	    "LABELS", "P99 MS", "ERRORS");
	for (i = 0; i < poller_nversions(p); i++) {
		poller_version(p, i, &v);
		if (v.stage[0] == 'g')
			continue;
		figures_of(&v, &f);
		cmd_print(ctx, "%-22s %-7s %-16s %-8s %6.0f%% %-12s %8s %7.0f "
		    "%9s %7s%s\n", v.model, v.version, v.host, v.stage,
		    v.traffic_percent, f.drift,
		    cell(a, sizeof a, "%.3f", f.accuracy), f.labels,
		    cell(b, sizeof b, "%.1f", f.p99),
		    cell(c, sizeof c, "%.2f%%", f.error_rate * 100),
		    config_model_find(ctx->app->cfg, v.model) != NULL ? "" :
		    "  no RACI");
	}
}

static enum cmd_status
cmd_status_exec(struct cmd_ctx *ctx)
{
	struct app *app = ctx->app;
	struct store *st;
	struct poller *p;
	struct poller_host_view h;
	int64_t wait;
	size_t i;
	int all_up = 1;

	if ((st = cmd_store(ctx)) == NULL)
		return CMD_FAILED;
	p = poller_new_config(app->cfg, app->installed, st);
	/* Each step of a cycle has its own timeout; allow a few in a row. */
	wait = 6 * app->cfg->options.timeout_ms;
	poller_run_once(p, timefmt_mono_ms() + wait);
	for (i = 0; i < poller_nhosts(p); i++) {
		poller_host(p, i, &h);
		all_up &= h.state == POLLER_UP && !h.busy;
	}
	if (cmd_has(ctx, "json"))
		print_json(ctx, p);
	else
		print_table(ctx, p);
	poller_free(p);
	ctx->exit_code = all_up ? 0 : 1;
	return CMD_OK;
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.opts = status_opts,
	.max_args = 0,
	.usage = "[--json]",
	.summary = "Poll every host once and show the fleet (exit 1 unless "
	    "every host is up)",
	.flags = CMD_READONLY,
	.exec = cmd_status_exec,
};
