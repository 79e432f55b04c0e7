/*
 * config check [FILE]: validate a configuration file and name every error
 * by its JSON path ("models[2].raci.accountable[0]: unknown user
 * \"carol\""), exit 2; a one-line summary and exit 0 when it is valid.
 * Without FILE it checks the configuration this run would use.  Touches
 * no store: not audited.  A FILE given by the user is opened with the
 * user's own rights, even in a setgid run.
 */
#include <stdlib.h>

#include "app.h"
#include "cmd/cmd.h"
#include "config/config.h"
#include "config/trust.h"

static enum cmd_status
cmd_config_check_exec(struct cmd_ctx *ctx)
{
	struct config_errors errors = { 0 };
	struct config *cfg;
	const char *file = ctx->app->config_path;
	char *text, *cause = NULL;
	size_t len, i;
	int as_user = ctx->args.argc > 0;

	if (as_user)
		file = ctx->args.argv[0];
	ctx->exit_code = 2;
	if (file == NULL) {
		cmd_error(ctx, "config check: no configuration file (give FILE, "
		    "--config FILE or set MODELDECK_CONFIG)");
		return CMD_FAILED;
	}
	if (trust_read_file(file, CONFIG_MAX_SIZE, as_user, &text, &len,
	    &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_FAILED;
	}
	cfg = config_parse(text, len, &errors);
	free(text);
	for (i = 0; i < errors.n; i++)
		cmd_error(ctx, "%s: %s", file, errors.v[i]);
	if (cfg == NULL) {
		cmd_error(ctx, "%s: %zu error%s", file, errors.n,
		    errors.n == 1 ? "" : "s");
		config_errors_free(&errors);
		return CMD_FAILED;
	}
	cmd_print(ctx, "%s: valid: %zu hosts, %zu users, %zu teams, %zu models, "
	    "%zu policies\n", file, cfg->nhosts, cfg->nusers, cfg->nteams,
	    cfg->nmodels, cfg->npolicies);
	config_free(cfg);
	ctx->exit_code = 0;
	return CMD_OK;
}

const struct cmd_entry cmd_config_check_entry = {
	.name = "config check",
	.min_args = 0,
	.max_args = 1,
	.usage = "[FILE]",
	.summary = "Validate a configuration file, naming every error",
	.flags = CMD_READONLY | CMD_NO_STORE,
	.exec = cmd_config_check_exec,
};
