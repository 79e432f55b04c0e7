/*
 * audit head [--json]: the hash of the last entry, to keep somewhere else
 * and give to `audit verify --head` later (which then detects a truncated
 * tail).  The call's own audit entry is written after this prints.
 */
#include <stdlib.h>

#include "audit/audit.h"
#include "cmd/cmd.h"

static const struct cmd_opt cmd_audit_head_opts[] = {
	{ "json", 0, "{\"seq\": N, \"hash\": \"...\"}" },
	{ NULL, 0, NULL }
};

static enum cmd_status
cmd_audit_head_exec(struct cmd_ctx *ctx)
{
	struct store *st;
	char hash[65], *cause = NULL;
	int64_t seq;

	if ((st = cmd_store(ctx)) == NULL)
		return CMD_FAILED;
	if (st->ops->audit_tail(st, &seq, hash, &cause) != 0) {
		cmd_error(ctx, "audit head: %s", cause);
		free(cause);
		return CMD_FAILED;
	}
	if (cmd_has(ctx, "json"))
		cmd_print(ctx, "{\"seq\":%lld,\"hash\":\"%s\"}\n", (long long)seq,
		    hash);
	else
		cmd_print(ctx, "%s\n", hash);
	return CMD_OK;
}

const struct cmd_entry cmd_audit_head_entry = {
	.name = "audit head",
	.opts = cmd_audit_head_opts,
	.max_args = 0,
	.usage = "[--json]",
	.summary = "Print the hash of the audit trail's last entry",
	.flags = CMD_READONLY,
	.exec = cmd_audit_head_exec,
};
