/*
 * status [--json]: one poll cycle of every configured host (src/hosts/
 * poller.c: states, store, windows), then the fleet: hosts with their
 * state, last error and last success, and every deployed model version
 * with the figures of host-api.md's "What the console derives".  Exit 0
 * when every host is up, 1 otherwise (the call is still audited as
 * allowed: looking succeeded).  Models the configuration does not name
 * are shown with "no RACI".  What it prints comes from a snapshot
 * (app/snapshot.h), the same one the console's screens read.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "app/snapshot.h"
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
print_hosts(struct cmd_ctx *ctx, const struct snapshot *s)
{
	const struct snapshot_host *h;
	const char *err;
	char t[TIMEFMT_RFC3339_LEN];
	size_t i;

	cmd_print(ctx, "%-20s %-12s %-24s %s\n", "HOST", "STATE", "LAST OK",
	    "ERROR");
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		err = snapshot_host_error(h);
		cmd_print(ctx, "%-20s %-12s %-24s %s%s%s\n", h->name,
		    poller_state_name(h->state), h->last_ok_ms > 0 ?
		    timefmt_rfc3339(h->last_ok_ms, t) : "never",
		    err != NULL ? err : "", h->note != NULL && err != NULL ?
		    "; " : "", h->note != NULL ? h->note : "");
	}
}

static void
print_versions(struct cmd_ctx *ctx, const struct snapshot *s)
{
	const struct snapshot_version *v;
	const struct status *st;
	char a[32], b[32], c[32];
	size_t i;

	cmd_print(ctx, "\n%-22s %-7s %-16s %-8s %7s %-12s %8s %7s %9s %7s\n",
	    "MODEL", "VERSION", "HOST", "STAGE", "TRAFFIC", "DRIFT", "ACCURACY",
	    "LABELS", "P99 MS", "ERRORS");
	for (i = 0; i < s->nversions; i++) {
		v = &s->versions[i];
		if (!snapshot_version_listed(v))
			continue;
		st = v->has_status ? &v->status : NULL;
		cmd_print(ctx, "%-22s %-7s %-16s %-8s %6.0f%% %-12s %8s %7zu "
		    "%9s %7s%s\n", v->model, v->version, v->host, v->stage,
		    v->traffic_percent, snapshot_drift_name(v),
		    cell(a, sizeof a, "%.3f", st ? st->accuracy : NAN),
		    st ? st->labels : 0,
		    cell(b, sizeof b, "%.1f", v->has_metrics ?
		    v->metrics.p99_latency_ms : NAN),
		    cell(c, sizeof c, "%.2f%%", v->has_metrics ?
		    v->metrics.error_rate * 100 : NAN),
		    v->configured ? "" : "  no RACI");
	}
}

static enum cmd_status
cmd_status_exec(struct cmd_ctx *ctx)
{
	struct app *app = ctx->app;
	struct store *st;
	struct poller *p;
	struct snapshot s;
	struct strbuf b = { 0 };
	int64_t wait;

	if ((st = cmd_store(ctx)) == NULL)
		return CMD_FAILED;
	p = poller_new_config(app->cfg, app->installed, st);
	/* Each step of a cycle has its own timeout; allow a few in a row. */
	wait = 6 * app->cfg->options.timeout_ms;
	poller_run_once(p, timefmt_mono_ms() + wait);
	snapshot_take(&s, p, app->cfg);
	poller_free(p);
	if (cmd_has(ctx, "json")) {
		snapshot_json(&s, &b);
		cmd_print(ctx, "%s\n", strbuf_str(&b));
		strbuf_free(&b);
	} else {
		print_hosts(ctx, &s);
		print_versions(ctx, &s);
	}
	ctx->exit_code = snapshot_all_up(&s) ? 0 : 1;
	snapshot_free(&s);
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
