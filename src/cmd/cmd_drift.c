/*
 * drift: compare a current file with a reference file, for pipelines
 * (issue 5 item 3).  Needs no configuration and no database
 * (CMD_NO_STORE), so CI can run it anywhere.  Exit codes: 0, 1 when
 * --fail-on is reached, 2 for bad input or bad options.  The work is in
 * src/data/drift.c; this file only reads the options and prints.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "data/csv.h"
#include "data/drift.h"
#include "util/xmalloc.h"

static const struct cmd_opt cmd_drift_opts[] = {
	{ "reference", 1, "the reference file (CSV or JSON rows)" },
	{ "current", 1, "the current file (CSV or JSON rows)" },
	{ "method", 1, "psi|ks|js|wasserstein: which statistic sets status" },
	{ "prediction", 1, "the prediction column (default \"prediction\")" },
	{ "label", 1, "the label column (default \"label\")" },
	{ "threshold", 1, "classification threshold (default the reference's, else 0.5)" },
	{ "segment", 1, "the column to measure fairness by" },
	{ "stats", 1, "compute only these: psi,js,ks,wasserstein,chi2,missing,performance,fairness" },
	{ "json", 0, "print JSON" },
	{ "fail-on", 1, "warn|alert: exit 1 when the status reaches it" },
	{ NULL, 0, NULL }
};

static enum cmd_status
bad(struct cmd_ctx *ctx, char *cause)
{
	cmd_error(ctx, "drift: %s", cause);
	free(cause);
	ctx->exit_code = 2;
	return CMD_FAILED;
}

/* Options into o; NULL, or an allocated reason they are wrong. */
static char *
read_opts(struct cmd_ctx *ctx, struct drift_opts *o, int *fail_on)
{
	const char *s;
	char *cause = NULL;

	drift_opts_init(o);
	if ((o->reference = cmd_get(ctx, "reference")) == NULL)
		return xstrdup("--reference FILE is required");
	if ((o->current = cmd_get(ctx, "current")) == NULL)
		return xstrdup("--current FILE is required");
	o->prediction = cmd_get(ctx, "prediction");
	o->label = cmd_get(ctx, "label");
	o->segment = cmd_get(ctx, "segment");
	if ((s = cmd_get(ctx, "method")) != NULL &&
	    drift_parse_method(s, &o->t.method, &cause) != 0)
		return cause;
	if ((s = cmd_get(ctx, "stats")) != NULL &&
	    drift_parse_stats(s, &o->which, &cause) != 0)
		return cause;
	if ((s = cmd_get(ctx, "threshold")) != NULL) {
		if (csv_number(s, strlen(s), &o->threshold) != CSV_NUM_FINITE)
			return xasprintf("--threshold: \"%s\" is not a number", s);
	}
	*fail_on = -1;
	if ((s = cmd_get(ctx, "fail-on")) != NULL) {
		if (strcmp(s, "warn") == 0)
			*fail_on = STATS_WARN;
		else if (strcmp(s, "alert") == 0)
			*fail_on = STATS_ALERT;
		else
			return xasprintf("--fail-on: \"%s\" is not warn or alert", s);
	}
	return NULL;
}

static enum cmd_status
cmd_drift_exec(struct cmd_ctx *ctx)
{
	struct drift_opts o;
	struct drift_report r;
	struct strbuf b = { 0 };
	char *cause;
	int fail_on;

	if ((cause = read_opts(ctx, &o, &fail_on)) != NULL)
		return bad(ctx, cause);
	if (drift_report_build(&o, &r, &cause) != 0)
		return bad(ctx, cause);
	if (cmd_has(ctx, "json"))
		drift_print_json(&r, &b);
	else
		drift_print_table(&r, &b);
	cmd_print(ctx, "%s", strbuf_str(&b));
	strbuf_free(&b);
	ctx->exit_code = 0;
	if (fail_on >= 0 && (r.status == STATS_ALERT ||
	    (fail_on == STATS_WARN && r.status == STATS_WARN)))
		ctx->exit_code = 1;
	drift_report_free(&r);
	return CMD_OK;
}

const struct cmd_entry cmd_drift_entry = {
	.name = "drift",
	.opts = cmd_drift_opts,
	.max_args = 0,
	.usage = "--reference REF --current CUR [--method psi|ks|js|wasserstein] "
	    "[--prediction COL] [--label COL] [--threshold T] [--segment COL] "
	    "[--stats LIST] [--json] [--fail-on warn|alert]",
	.summary = "Compare a current file with a reference: drift, "
	    "performance, fairness",
	.flags = CMD_READONLY | CMD_NO_STORE,
	.exec = cmd_drift_exec,
};
