/*
 * whoami [--json]: the acting person (from the real uid), the roles the
 * configuration gives them, and where this run's configuration and
 * database are.  Any person may run it; it is audited like every call
 * that needs the configuration, so a refused --config is recorded.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "app.h"
#include "cmd/cmd.h"
#include "util/strbuf.h"

static const struct cmd_opt whoami_opts[] = {
	{ "json", 0, "print one JSON object" },
	{ NULL, 0, NULL }
};

static void
print_json(struct cmd_ctx *ctx)
{
	const struct app *app = ctx->app;
	const struct identity *id = &app->id;
	cJSON *o = cJSON_CreateObject(), *roles;
	char *s;
	size_t i;

	cJSON_AddStringToObject(o, "user", id->user);
	cJSON_AddStringToObject(o, "login", id->login);
	cJSON_AddStringToObject(o, "actor", id->actor);
	cJSON_AddNumberToObject(o, "uid", (double)id->uid);
	roles = cJSON_AddArrayToObject(o, "roles");
	for (i = 0; i < id->nroles; i++)
		cJSON_AddItemToArray(roles, cJSON_CreateString(id->roles[i]));
	cJSON_AddBoolToObject(o, "known", id->known);
	cJSON_AddBoolToObject(o, "installed", app->installed);
	cJSON_AddBoolToObject(o, "privileged", app->privileged);
	if (app->config_path != NULL)
		cJSON_AddStringToObject(o, "config", app->config_path);
	if (app->db_path != NULL)
		cJSON_AddStringToObject(o, "db", app->db_path);
	s = cJSON_PrintUnformatted(o);
	cmd_print(ctx, "%s\n", s);
	free(s);
	cJSON_Delete(o);
}

static void
print_text(struct cmd_ctx *ctx)
{
	const struct app *app = ctx->app;
	const struct identity *id = &app->id;
	struct strbuf b = { 0 };
	size_t i;

	for (i = 0; i < id->nroles; i++)
		strbuf_addf(&b, "%s%s", i ? ", " : "", id->roles[i]);
	cmd_print(ctx, "user:     %s%s\n", id->user,
	    id->known ? "" : " (not in the configuration)");
	if (id->as_user != NULL)
		cmd_print(ctx, "actor:    %s\n", id->actor);
	cmd_print(ctx, "roles:    %s\n", b.len ? strbuf_str(&b) : "(none)");
	cmd_print(ctx, "build:    %s%s\n", app->installed ? "installed" :
	    "personal", app->privileged ? ", setgid" : "");
	cmd_print(ctx, "config:   %s\n", app->config_path != NULL ?
	    app->config_path : "(none)");
	cmd_print(ctx, "database: %s\n", app->db_path != NULL ?
	    app->db_path : "(none)");
	strbuf_free(&b);
}

static enum cmd_status
cmd_whoami_exec(struct cmd_ctx *ctx)
{
	cmd_target(ctx, "%s", ctx->app->id.user);
	if (cmd_has(ctx, "json"))
		print_json(ctx);
	else
		print_text(ctx);
	return CMD_OK;
}

const struct cmd_entry cmd_whoami_entry = {
	.name = "whoami",
	.opts = whoami_opts,
	.max_args = 0,
	.usage = "[--json]",
	.summary = "Show who you are to modeldeck: user, roles, paths",
	.flags = CMD_READONLY,
	.exec = cmd_whoami_exec,
};
