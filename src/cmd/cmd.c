/*
 * cmd: the command table and the one execution path (see cmd.h).
 *
 * cmd_run is the only way to run a command:
 *   find -> parse -> load context -> gate (a list of named checks) ->
 *   confirm (destructive, console) -> exec -> one audit entry -> counters.
 * Front ends (CLI, `:` line, key bindings) never check roles themselves;
 * they call cmd_run, or cmd_may_run to grey out what a user may not do.
 *
 * Past the 600-line aim on purpose: table, lookup, parser and gate are the
 * one execution path, read top to bottom; splitting them would scatter it.
 */
#include "cmd/cmd.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audit/audit.h"
#include "config/config.h"
#include "store/store.h"
#include "util/sanitize.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

extern const struct cmd_entry cmd_audit_entry;
extern const struct cmd_entry cmd_audit_export_entry;
extern const struct cmd_entry cmd_audit_head_entry;
extern const struct cmd_entry cmd_audit_verify_entry;
extern const struct cmd_entry cmd_config_check_entry;
extern const struct cmd_entry cmd_config_options_entry;
extern const struct cmd_entry cmd_drift_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_version_entry;
extern const struct cmd_entry cmd_whoami_entry;

/* The table: help lists commands in this order. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_help_entry,
	&cmd_whoami_entry,
	&cmd_status_entry,
	&cmd_drift_entry,
	&cmd_audit_entry,
	&cmd_audit_verify_entry,
	&cmd_audit_head_entry,
	&cmd_audit_export_entry,
	&cmd_config_check_entry,
	&cmd_config_options_entry,
	&cmd_version_entry,
	NULL
};

static size_t
table_size(void)
{
	size_t n = 0;

	while (cmd_table[n] != NULL)
		n++;
	return n;
}

/* Number of words in an entry name ("audit verify" = 2). */
static int
name_words(const char *name)
{
	int n = 1;

	for (; *name != '\0'; name++)
		n += *name == ' ';
	return n;
}

/* Does the entry's name equal the first `words` argv words? */
static int
name_matches(const char *name, int argc, char **argv, int words)
{
	size_t len;
	int i;

	if (argc < words)
		return 0;
	for (i = 0; i < words; i++) {
		len = strlen(argv[i]);
		if (strncmp(name, argv[i], len) != 0)
			return 0;
		name += len;
		if (i + 1 < words) {
			if (*name != ' ')
				return 0;
			name++;
		}
	}
	return *name == '\0';
}

/* The second words of the two-word names whose first word is `word`. */
static int
subcommands(const char *word, struct strbuf *list)
{
	const struct cmd_entry *e;
	size_t i, len = strlen(word);
	int n = 0;

	for (i = 0; (e = cmd_table[i]) != NULL; i++) {
		if (strncmp(e->name, word, len) == 0 && e->name[len] == ' ')
			strbuf_addf(list, "%s%s", n++ ? ", " : "", e->name + len + 1);
	}
	return n;
}

const struct cmd_entry *
cmd_find(int argc, char **argv, int *used, char **cause)
{
	const struct cmd_entry *e, *found = NULL;
	struct strbuf amb = { 0 };
	size_t i, len;
	int w, nfound = 0;

	if (argc < 1)
		return xcause(cause, "no command given (try: modeldeck help)"), NULL;
	/* Longest exact name first: "audit verify" before "audit". */
	for (w = 2; w >= 1; w--) {
		for (i = 0; (e = cmd_table[i]) != NULL; i++) {
			if (name_words(e->name) == w &&
			    name_matches(e->name, argc, argv, w)) {
				*used = w;
				return e;
			}
		}
	}
	for (i = 0; (e = cmd_table[i]) != NULL; i++) {
		if (e->alias != NULL && strcmp(e->alias, argv[0]) == 0) {
			*used = 1;
			return e;
		}
	}
	/* A unique prefix of a one-word name ("stat" for "status"). */
	len = strlen(argv[0]);
	for (i = 0; len > 0 && (e = cmd_table[i]) != NULL; i++) {
		if (name_words(e->name) != 1 || strncmp(e->name, argv[0], len))
			continue;
		strbuf_addf(&amb, "%s%s", nfound ? ", " : "", e->name);
		found = e;
		nfound++;
	}
	if (nfound == 1) {
		strbuf_free(&amb);
		*used = 1;
		return found;
	}
	if (nfound == 0 && subcommands(argv[0], &amb) > 0)
		xcause(cause, "%s needs a subcommand: %s", argv[0],
		    strbuf_str(&amb));
	else if (nfound > 1)
		xcause(cause, "ambiguous command \"%s\": could be %s", argv[0],
		    strbuf_str(&amb));
	else
		xcause(cause, "unknown command \"%s\" (try: modeldeck help)",
		    argv[0]);
	strbuf_free(&amb);
	return NULL;
}

static const struct cmd_opt *
find_opt(const struct cmd_entry *e, const char *name, size_t len)
{
	const struct cmd_opt *o;

	for (o = e->opts; o != NULL && o->name != NULL; o++) {
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	}
	return NULL;
}

static void
args_add_opt(struct cmd_args *a, const char *name, size_t len, const char *value)
{
	a->opt_name = xreallocarray(a->opt_name, a->nopt + 1, sizeof *a->opt_name);
	a->opt_value = xreallocarray(a->opt_value, a->nopt + 1, sizeof *a->opt_value);
	a->opt_name[a->nopt] = xstrndup(name, len);
	a->opt_value[a->nopt] = value != NULL ? xstrdup(value) : NULL;
	a->nopt++;
}

int
cmd_parse(const struct cmd_entry *e, int argc, char **argv,
    struct cmd_args *a, char **cause)
{
	const struct cmd_opt *o;
	const char *arg, *eq, *value;
	size_t len;
	int i, only_args = 0;

	memset(a, 0, sizeof *a);
	a->argv = xcalloc((size_t)argc + 1, sizeof *a->argv);
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (only_args || arg[0] != '-' || arg[1] == '\0') {
			a->argv[a->argc++] = xstrdup(arg);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (arg[1] != '-')
			goto unknown;
		arg += 2;
		eq = strchr(arg, '=');
		len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		if ((o = find_opt(e, arg, len)) == NULL)
			goto unknown;
		value = NULL;
		if (o->has_arg && eq != NULL)
			value = eq + 1;
		else if (o->has_arg && i + 1 < argc)
			value = argv[++i];
		else if (o->has_arg) {
			cmd_args_free(a);
			return xcause(cause, "%s: option --%s needs a value",
			    e->name, o->name);
		} else if (eq != NULL) {
			cmd_args_free(a);
			return xcause(cause, "%s: option --%s takes no value",
			    e->name, o->name);
		}
		args_add_opt(a, arg, len, value);
	}
	if (a->argc < e->min_args || (e->max_args >= 0 && a->argc > e->max_args)) {
		cmd_args_free(a);
		return xcause(cause, "usage: modeldeck %s %s", e->name,
		    e->usage != NULL ? e->usage : "");
	}
	return 0;
unknown:
	xcause(cause, "%s: unknown option \"%s\" (usage: modeldeck %s %s)",
	    e->name, argv[i], e->name, e->usage != NULL ? e->usage : "");
	cmd_args_free(a);
	return -1;
}

void
cmd_args_free(struct cmd_args *a)
{
	size_t i;
	int j;

	for (j = 0; j < a->argc; j++)
		free(a->argv[j]);
	free(a->argv);
	for (i = 0; i < a->nopt; i++) {
		free(a->opt_name[i]);
		free(a->opt_value[i]);
	}
	free(a->opt_name);
	free(a->opt_value);
	memset(a, 0, sizeof *a);
}

/* The last occurrence wins, as with most command-line tools. */
static ssize_t
opt_index(const struct cmd_args *a, const char *name)
{
	size_t i;

	for (i = a->nopt; i > 0; i--) {
		if (strcmp(a->opt_name[i - 1], name) == 0)
			return (ssize_t)(i - 1);
	}
	return -1;
}

const char *
cmd_get(const struct cmd_ctx *ctx, const char *name)
{
	ssize_t i = opt_index(&ctx->args, name);

	return i < 0 ? NULL : ctx->args.opt_value[i];
}

int
cmd_has(const struct cmd_ctx *ctx, const char *name)
{
	return opt_index(&ctx->args, name) >= 0;
}

/* --- output, routed by origin (tmux cmdq_print / cmdq_error) --- */

void
cmd_write(FILE *f, int tty, const char *s)
{
	struct strbuf	b = { 0 };

	/*
	 * What reaches a terminal is drawn: host and file text in it must
	 * not become escape sequences.  A pipe or a file gets the exact bytes
	 * (an export stays byte for byte what the store holds).
	 */
	if (!tty) {
		fputs(s, f);
		return;
	}
	sanitize_append(&b, s, strlen(s), SANITIZE_KEEP_LINES);
	fputs(strbuf_str(&b), f);
	strbuf_free(&b);
}

void
cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (ctx->origin == CMD_ORIGIN_CLI)
		cmd_write(stdout, ctx->app->tty_out, s);
	else
		strbuf_adds(&ctx->out, s);
	free(s);
}

void
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	free(ctx->error);
	va_start(ap, fmt);
	ctx->error = xvasprintf(fmt, ap);
	va_end(ap);
	if (ctx->origin == CMD_ORIGIN_CLI) {
		cmd_write(stderr, ctx->app->tty_err, "modeldeck: ");
		cmd_write(stderr, ctx->app->tty_err, ctx->error);
		fputc('\n', stderr);
	} else {
		strbuf_adds(&ctx->err, ctx->error);
		strbuf_addc(&ctx->err, '\n');
	}
}

void
cmd_target(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	free(ctx->target);
	va_start(ap, fmt);
	ctx->target = xvasprintf(fmt, ap);
	va_end(ap);
}

void
cmd_detail(struct cmd_ctx *ctx, const char *key, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(ctx->details, key);
	cJSON_AddStringToObject(ctx->details, key, value);
}

/* --- context: configuration and store, loaded on first need --- */

static int
load_config(struct app *app, char **cause)
{
	if (app->cfg != NULL)
		return 0;
	if (app->config_path == NULL)
		return xcause(cause, "no configuration file (use --config FILE "
		    "or set MODELDECK_CONFIG)");
	if ((app->cfg = config_load(app->config_path, cause)) == NULL)
		return -1;
	identity_set_roles(&app->id, app->cfg);
	return 0;
}

struct store *
cmd_store(struct cmd_ctx *ctx)
{
	struct app *app = ctx->app;
	char *cause = NULL;

	if (app->store != NULL)
		return app->store;
	if (app->db_path == NULL) {
		cmd_error(ctx, "no database path");
		return NULL;
	}
	app->store = store_open(app->db_path, STORE_CREATE, &cause);
	if (app->store == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
	}
	return app->store;
}

/* --- the gate: a short list of named checks --- */

/* A setgid run refused a global option (--config, --db, --as...). */
static int
cmd_check_refusal(struct cmd_ctx *ctx)
{
	if (ctx->app->refusal == NULL)
		return 0;
	cmd_error(ctx, "%s", ctx->app->refusal);
	return -1;
}

static int
cmd_check_known(struct cmd_ctx *ctx)
{
	if (ctx->app->id.known || ctx->entry->roles == NULL)
		return 0;
	cmd_error(ctx, "%s: user %s is not in the configuration",
	    ctx->entry->name, ctx->app->id.user);
	return -1;
}

/* Does the comma-separated role list name a role the person holds? */
static int
holds_any(const struct identity *id, const char *list)
{
	const char *p = list, *end;
	char role[64];
	size_t len;

	while (*p != '\0') {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len < sizeof role) {
			memcpy(role, p, len);
			role[len] = '\0';
			if (identity_has_role(id, role))
				return 1;
		}
		p += len + (end != NULL);
	}
	return 0;
}

static int
cmd_check_role(struct cmd_ctx *ctx)
{
	const struct cmd_entry *e = ctx->entry;
	const struct identity *id = &ctx->app->id;

	if ((e->flags & CMD_ROOT_ONLY) && id->uid != 0) {
		cmd_error(ctx, "%s: only root may do this", e->name);
		return -1;
	}
	if (e->roles == NULL || holds_any(id, e->roles))
		return 0;
	cmd_error(ctx, "%s: permission denied: needs role %s; %s has %s",
	    e->name, e->roles, id->user,
	    id->nroles ? "other roles" : "no role");
	return -1;
}

static int
cmd_check_reason(struct cmd_ctx *ctx)
{
	if (!(ctx->entry->flags & CMD_NEEDS_REASON) || ctx->reason != NULL)
		return 0;
	cmd_error(ctx, "%s: a reason is required (--reason TEXT)",
	    ctx->entry->name);
	return -1;
}

static int
cmd_check_entry(struct cmd_ctx *ctx)
{
	return ctx->entry->authorize != NULL ? ctx->entry->authorize(ctx) : 0;
}

/* The checks, in order; the first that fails denies the call. */
static int (*const cmd_checks[])(struct cmd_ctx *) = {
	cmd_check_refusal,
	cmd_check_known,
	cmd_check_role,
	cmd_check_entry,
};

static int
run_checks(struct cmd_ctx *ctx)
{
	size_t i;

	for (i = 0; i < sizeof cmd_checks / sizeof cmd_checks[0]; i++) {
		if (cmd_checks[i](ctx) != 0)
			return -1;
	}
	return 0;
}

static void
ctx_init(struct cmd_ctx *ctx, struct app *app, enum cmd_origin origin)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->app = app;
	ctx->origin = origin;
	ctx->exit_code = -1;
	ctx->details = cJSON_CreateObject();
}

static void
ctx_free(struct cmd_ctx *ctx)
{
	cmd_args_free(&ctx->args);
	free(ctx->target);
	free(ctx->error);
	free(ctx->reason);
	cJSON_Delete(ctx->details);
	strbuf_free(&ctx->out);
	strbuf_free(&ctx->err);
}

int
cmd_may_run(struct app *app, const struct cmd_entry *e, char **cause)
{
	struct cmd_ctx ctx;
	int rc = 0;

	if (e->flags & CMD_NO_STORE)
		return 0;
	if (load_config(app, cause) != 0)
		return -1;
	ctx_init(&ctx, app, CMD_ORIGIN_CONSOLE);
	ctx.entry = e;
	if (cmd_check_refusal(&ctx) || cmd_check_known(&ctx) ||
	    cmd_check_role(&ctx))
		rc = xcause(cause, "%s", ctx.error);
	ctx_free(&ctx);
	return rc;
}

static const char *const outcome_names[] = {
	[CMD_OK] = "allowed", [CMD_DENIED] = "denied", [CMD_FAILED] = "failed",
};

/*
 * Exactly one audit entry per call of a store command, whatever happened.
 * If even the store cannot be opened there is nowhere to write: say so.
 */
static int
audit_call(struct cmd_ctx *ctx, enum cmd_status status)
{
	struct store *st;
	char *details, *cause = NULL;
	int rc;

	if (ctx->error != NULL)
		cmd_detail(ctx, "error", ctx->error);
	if ((st = ctx->app->store) == NULL &&
	    (st = store_open(ctx->app->db_path, STORE_CREATE, &cause)) == NULL) {
		cmd_error(ctx, "audit trail unavailable: %s", cause);
		free(cause);
		return -1;
	}
	ctx->app->store = st;
	details = cJSON_PrintUnformatted(ctx->details);
	rc = audit_append(st, ctx->app->id.actor, ctx->entry->name,
	    ctx->target != NULL ? ctx->target : "", details,
	    outcome_names[status], &cause);
	free(details);
	if (rc != 0) {
		cmd_error(ctx, "audit trail: %s", cause);
		free(cause);
	}
	return rc;
}

static void
count_call(struct app *app, const struct cmd_entry *e, enum cmd_status status,
    int64_t usec)
{
	size_t i, n = table_size();

	if (app->counters == NULL)
		app->counters = xcalloc(n, sizeof *app->counters);
	for (i = 0; i < n && cmd_table[i] != e; i++)
		;
	if (i == n)
		return;
	app->counters[i].calls++;
	app->counters[i].denied += status == CMD_DENIED;
	app->counters[i].failed += status == CMD_FAILED;
	app->counters[i].usec += (uint64_t)usec;
}

/* Ask the console to confirm a destructive call; fills ctx->reason. */
static int
confirm_call(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct strbuf what = { 0 };
	char *reason = NULL;
	int i, ok;

	if (!(ctx->entry->flags & CMD_DESTRUCTIVE) ||
	    ctx->origin != CMD_ORIGIN_CONSOLE || ctx->app->confirm == NULL)
		return 0;
	for (i = 0; i < argc; i++)
		strbuf_addf(&what, "%s%s", i ? " " : "", argv[i]);
	ok = ctx->app->confirm(ctx->app, strbuf_str(&what), &reason);
	strbuf_free(&what);
	if (!ok) {
		cmd_error(ctx, "%s: cancelled", ctx->entry->name);
		return -1;
	}
	if (reason != NULL && *reason != '\0') {
		free(ctx->reason);
		ctx->reason = reason;
	} else
		free(reason);
	return 0;
}

/* Load the configuration for a store command; exec the call if allowed. */
static enum cmd_status
gate_and_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *cause = NULL;
	const char *reason;

	if (!(ctx->entry->flags & CMD_NO_STORE) &&
	    load_config(ctx->app, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		ctx->exit_code = 2;
		return CMD_FAILED;
	}
	if ((reason = cmd_get(ctx, "reason")) != NULL && *reason != '\0')
		ctx->reason = xstrdup(reason);
	if (!(ctx->entry->flags & CMD_NO_STORE) && run_checks(ctx) != 0)
		return CMD_DENIED;
	if (confirm_call(ctx, argc, argv) != 0)
		return CMD_FAILED;
	if (cmd_check_reason(ctx) != 0) {
		ctx->exit_code = 2;
		return CMD_FAILED;
	}
	if (ctx->reason != NULL)
		cmd_detail(ctx, "reason", ctx->reason);
	return ctx->entry->exec(ctx);
}

int
cmd_run(struct app *app, int argc, char **argv, enum cmd_origin origin,
    enum cmd_status *status, char **out)
{
	struct cmd_ctx ctx;
	enum cmd_status st = CMD_FAILED;
	cJSON *args;
	char *cause = NULL;
	int64_t start = timefmt_mono_ms();
	int i, used = 0;

	ctx_init(&ctx, app, origin);
	if ((ctx.entry = cmd_find(argc, argv, &used, &cause)) == NULL) {
		cmd_error(&ctx, "%s", cause);
		free(cause);
		ctx.exit_code = 2;
		goto done;
	}
	args = cJSON_AddArrayToObject(ctx.details, "args");
	for (i = used; i < argc; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(argv[i]));
	cJSON_AddStringToObject(ctx.details, "origin",
	    origin == CMD_ORIGIN_CLI ? "cli" : "console");
	if (cmd_parse(ctx.entry, argc - used, argv + used, &ctx.args, &cause)) {
		cmd_error(&ctx, "%s", cause);
		free(cause);
		ctx.exit_code = 2;
	} else
		st = gate_and_exec(&ctx, argc, argv);
	if (!(ctx.entry->flags & CMD_NO_STORE) && audit_call(&ctx, st) != 0 &&
	    ctx.exit_code <= 0)
		ctx.exit_code = 1;
	count_call(app, ctx.entry, st, (timefmt_mono_ms() - start) * 1000);
done:
	if (status != NULL)
		*status = st;
	if (out != NULL) {
		if (ctx.err.len > 0)
			strbuf_add(&ctx.out, ctx.err.s, ctx.err.len);
		*out = ctx.out.len > 0 ? strbuf_take(&ctx.out) : NULL;
	}
	i = ctx.exit_code >= 0 ? ctx.exit_code : (st == CMD_OK ? 0 : 1);
	ctx_free(&ctx);
	return i;
}

int
cmd_run_line(struct app *app, const char *line, enum cmd_origin origin,
    enum cmd_status *status, char **out)
{
	char **argv, *cause = NULL;
	int argc, rc;

	if (cmd_split(line, &argc, &argv, &cause) != 0) {
		if (status != NULL)
			*status = CMD_FAILED;
		if (out != NULL)
			*out = cause;
		else
			free(cause);
		return 2;
	}
	rc = cmd_run(app, argc, argv, origin, status, out);
	cmd_split_free(argc, argv);
	return rc;
}
