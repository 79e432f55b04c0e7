/*
 * config options [--markdown]: every setting of the options table with
 * its type, default, range and meaning.  docs/configuration.md embeds the
 * --markdown output (a test checks it matches).  Touches no store.
 */
#include <stdlib.h>

#include "cmd/cmd.h"
#include "config/options.h"
#include "util/strbuf.h"

static const struct cmd_opt config_options_opts[] = {
	{ "markdown", 0, "print Markdown tables (for docs/configuration.md)" },
	{ NULL, 0, NULL }
};

static enum cmd_status
cmd_config_options_exec(struct cmd_ctx *ctx)
{
	struct strbuf b = { 0 };
	int md = cmd_has(ctx, "markdown");

	options_describe(options_global, "options", md, &b);
	options_describe(options_thresholds, "thresholds", md, &b);
	cmd_print(ctx, "%s", strbuf_str(&b));
	strbuf_free(&b);
	return CMD_OK;
}

const struct cmd_entry cmd_config_options_entry = {
	.name = "config options",
	.opts = config_options_opts,
	.max_args = 0,
	.usage = "[--markdown]",
	.summary = "List the configuration settings with defaults and ranges",
	.flags = CMD_READONLY | CMD_NO_STORE,
	.exec = cmd_config_options_exec,
};
