/*
 * audit export --format jsonl|csv [--grep REGEX] [--since TIME]: the
 * audit trail in a machine-readable form, every field included, so the
 * chain can be checked elsewhere (docs/audit.md).
 */
#include <stdlib.h>

#include "audit/audit.h"
#include "cmd/cmd.h"

enum cmd_status cmd_audit_list(struct cmd_ctx *ctx, enum audit_format fmt);

static const struct cmd_opt cmd_audit_export_opts[] = {
	{ "format", 1, "jsonl (default) or csv" },
	{ "grep", 1, "only entries whose text line matches this PCRE2 regex" },
	{ "since", 1, "only entries since TIME (RFC 3339, or a duration: 24h)" },
	{ NULL, 0, NULL }
};

static enum cmd_status
cmd_audit_export_exec(struct cmd_ctx *ctx)
{
	const char *name = cmd_get(ctx, "format");
	enum audit_format fmt = AUDIT_FORMAT_JSONL;
	char *cause = NULL;

	if (name != NULL && (audit_format_parse(name, &fmt, &cause) != 0 ||
	    (fmt != AUDIT_FORMAT_JSONL && fmt != AUDIT_FORMAT_CSV))) {
		cmd_error(ctx, "audit export: --format: %s", cause != NULL ?
		    cause : "use jsonl or csv");
		free(cause);
		ctx->exit_code = 2;
		return CMD_FAILED;
	}
	cmd_detail(ctx, "format", fmt == AUDIT_FORMAT_CSV ? "csv" : "jsonl");
	return cmd_audit_list(ctx, fmt);
}

const struct cmd_entry cmd_audit_export_entry = {
	.name = "audit export",
	.opts = cmd_audit_export_opts,
	.max_args = 0,
	.usage = "[--format jsonl|csv] [--grep REGEX] [--since TIME]",
	.summary = "Export the audit trail as JSON lines or CSV",
	.roles = "governance,head-of-ml",
	.flags = CMD_READONLY | CMD_NO_UI,
	.exec = cmd_audit_export_exec,
};
