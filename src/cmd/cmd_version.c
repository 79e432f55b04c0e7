/*
 * version: the program's version.  Touches no store: not audited.
 */
#include "cmd/cmd.h"

#ifndef MD_VERSION
#define MD_VERSION "0.1.0"
#endif

static enum cmd_status
cmd_version_exec(struct cmd_ctx *ctx)
{
	cmd_print(ctx, "modeldeck %s\n", MD_VERSION);
	return CMD_OK;
}

const struct cmd_entry cmd_version_entry = {
	.name = "version",
	.max_args = 0,
	.summary = "Print the version",
	.flags = CMD_READONLY | CMD_NO_STORE,
	.exec = cmd_version_exec,
};
