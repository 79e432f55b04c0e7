/*
 * audit [--json] [--grep REGEX] [--since TIME]: list the audit trail.
 * Reading the trail is itself audited (by cmd_run, after this returns).
 */
#include <stdlib.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "util/timefmt.h"

static const struct cmd_opt cmd_audit_opts[] = {
	{ "json", 0, "one JSON array instead of text" },
	{ "grep", 1, "only entries whose text line matches this PCRE2 regex" },
	{ "since", 1, "only entries since TIME (RFC 3339, or a duration: 24h)" },
	{ NULL, 0, NULL }
};

static void
emit(void *arg, const char *text)
{
	cmd_print(arg, "%s", text);
}

/*
 * Shared with audit export: build the filter from --grep and --since and
 * write the entries out.  Sets exit code 2 for bad input.
 */
enum cmd_status
cmd_audit_list(struct cmd_ctx *ctx, enum audit_format fmt)
{
	struct audit_filter *f;
	struct store *st;
	const char *since = cmd_get(ctx, "since");
	char *cause = NULL;
	int64_t since_ms = 0, count;
	int rc;

	if (since != NULL && timefmt_parse_since(since, timefmt_now_ms(),
	    &since_ms, &cause) != 0) {
		cmd_error(ctx, "%s: --since: %s", ctx->entry->name, cause);
		free(cause);
		ctx->exit_code = 2;
		return CMD_FAILED;
	}
	if ((f = audit_filter_new(cmd_get(ctx, "grep"), since_ms, &cause)) == NULL) {
		cmd_error(ctx, "%s: %s", ctx->entry->name, cause);
		free(cause);
		ctx->exit_code = 2;
		return CMD_FAILED;
	}
	if ((st = cmd_store(ctx)) == NULL) {
		audit_filter_free(f);
		return CMD_FAILED;
	}
	rc = audit_filter_list(st, f, fmt, emit, ctx, &count, &cause);
	audit_filter_free(f);
	if (rc != 0) {
		cmd_error(ctx, "%s: %s", ctx->entry->name, cause);
		free(cause);
		if (rc == -2)
			ctx->exit_code = 2;
		return CMD_FAILED;
	}
	return CMD_OK;
}

static enum cmd_status
cmd_audit_exec(struct cmd_ctx *ctx)
{
	return cmd_audit_list(ctx, cmd_has(ctx, "json") ? AUDIT_FORMAT_JSON :
	    AUDIT_FORMAT_TEXT);
}

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.opts = cmd_audit_opts,
	.max_args = 0,
	.usage = "[--json] [--grep REGEX] [--since TIME]",
	.summary = "List the audit trail",
	.roles = "governance,head-of-ml",
	.flags = CMD_READONLY,
	.exec = cmd_audit_exec,
};
