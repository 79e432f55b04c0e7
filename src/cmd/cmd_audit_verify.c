/*
 * audit verify [--head HASH]: check the whole hash chain.  Exit 0 when
 * valid, 1 when broken (naming the first bad sequence number), 2 for bad
 * input.  A broken chain is a finding, not a failed call: the audit
 * outcome stays "allowed" and the finding goes into the entry's details.
 */
#include <stdlib.h>

#include "audit/audit.h"
#include "cmd/cmd.h"

static const struct cmd_opt cmd_audit_verify_opts[] = {
	{ "head", 1, "a hash printed earlier by `audit head`: detect a truncated tail" },
	{ NULL, 0, NULL }
};

static enum cmd_status
cmd_audit_verify_exec(struct cmd_ctx *ctx)
{
	const char *head = cmd_get(ctx, "head");
	struct audit_verify r;
	struct store *st;
	char *cause = NULL;
	int rc;

	if (head != NULL && audit_check_hash(head, &cause) != 0) {
		cmd_error(ctx, "audit verify: --head: %s", cause);
		free(cause);
		ctx->exit_code = 2;
		return CMD_FAILED;
	}
	if ((st = cmd_store(ctx)) == NULL)
		return CMD_FAILED;
	if ((rc = audit_verify(st, head, &r, &cause)) < 0) {
		cmd_error(ctx, "audit verify: %s", cause);
		free(cause);
		return CMD_FAILED;
	}
	if (rc == 0) {
		cmd_print(ctx, "audit trail valid: %lld entries, head %s\n",
		    (long long)r.entries, r.head);
		cmd_detail(ctx, "result", "valid");
	} else {
		cmd_print(ctx, "audit trail BROKEN at seq %lld: %s\n",
		    (long long)r.bad_seq, r.why);
		cmd_detail(ctx, "result", "broken");
		cmd_detail(ctx, "why", r.why);
		ctx->exit_code = 1;
	}
	audit_verify_free(&r);
	return CMD_OK;
}

const struct cmd_entry cmd_audit_verify_entry = {
	.name = "audit verify",
	.opts = cmd_audit_verify_opts,
	.max_args = 0,
	.usage = "[--head HASH]",
	.summary = "Verify the audit trail's hash chain",
	.flags = CMD_READONLY,
	.exec = cmd_audit_verify_exec,
};
