/*
 * Unit tests for the command table and the one execution path (cmd.c):
 * find, parse, split, and cmd_run's gate with exactly one audit entry per
 * call, against a real configuration file and a real SQLite database.
 */
#include "testhelp.h"

#include <pwd.h>
#include <unistd.h>

#include "app.h"
#include "audit/audit.h"
#include "cmd/cmd.h"
#include "config/config.h"
#include "store/store.h"
#include "util/xmalloc.h"

static char tmpdir[] = "/tmp/md-test-cmd.XXXXXX";

static const char *
login(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw != NULL ? pw->pw_name : "root";
}

/* An app whose person holds `roles` (a JSON array text). */
static void
app_setup(struct app *app, const char *name, const char *roles)
{
	char *cfg = xasprintf("%s/%s.json", tmpdir, name), *text;
	FILE *f = fopen(cfg, "w");

	text = xasprintf("{\"hosts\": [], \"users\": {\"%s\": %s}}", login(),
	    roles);
	fputs(text, f);
	fclose(f);
	free(text);
	memset(app, 0, sizeof *app);
	app->config_path = cfg;
	app->db_path = xasprintf("%s/%s.db", tmpdir, name);
	if (identity_init(&app->id, NULL, NULL) != 0)
		abort();
}

static void
app_teardown(struct app *app)
{
	app_free(app);
}

/* Count audit entries; the last one's action and outcome into the buffers. */
struct last {
	int64_t	 n;
	char	 action[64];
	char	 outcome[16];
	char	 details[512];
};

static int
visit(void *arg, const struct store_audit_entry *e)
{
	struct last *l = arg;

	l->n++;
	snprintf(l->action, sizeof l->action, "%s", e->action);
	snprintf(l->outcome, sizeof l->outcome, "%s", e->outcome);
	snprintf(l->details, sizeof l->details, "%s", e->details);
	return 0;
}

static struct last
audit_last(struct app *app)
{
	struct store_audit_query q = { 0 };
	struct last l = { 0 };

	if (app->store != NULL)
		app->store->ops->audit_scan(app->store, &q, visit, &l, NULL);
	return l;
}

static int
run(struct app *app, const char *line, enum cmd_status *st, char **out)
{
	return cmd_run_line(app, line, CMD_ORIGIN_CONSOLE, st, out);
}

static void
test_find(void)
{
	char *a1[] = { "audit", "verify", "--head", "x" }, *a2[] = { "aud" };
	char *a3[] = { "w" }, *a4[] = { "nosuch" }, *a5[] = { "audit", "x" };
	char *cause = NULL;
	const struct cmd_entry *e;
	int used = 0;

	e = cmd_find(4, a1, &used, NULL);
	CHECK(e != NULL && strcmp(e->name, "audit verify") == 0);
	CHECK_INT(used, 2);
	e = cmd_find(2, a5, &used, NULL);
	CHECK(e != NULL && strcmp(e->name, "audit") == 0);
	CHECK_INT(used, 1);
	e = cmd_find(1, a3, &used, NULL);
	CHECK(e != NULL && strcmp(e->name, "whoami") == 0);
	/* "aud" is a prefix of "audit" only among one-word names. */
	e = cmd_find(1, a2, &used, NULL);
	CHECK(e != NULL && strcmp(e->name, "audit") == 0);
	CHECK(cmd_find(1, a4, &used, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "unknown command \"nosuch\""));
	free(cause);
	CHECK(cmd_find(0, a4, &used, NULL) == NULL);
}

static void
test_find_ambiguous(void)
{
	char *a[] = { "v" }, *cause = NULL;
	int used;

	/* "v" could only be "version"; "" matches nothing. */
	CHECK(cmd_find(1, a, &used, NULL) != NULL);
	a[0] = "";
	CHECK(cmd_find(1, a, &used, &cause) == NULL);
	free(cause);
	a[0] = "c";	/* config check, config options are two words: no */
	CHECK(cmd_find(1, a, &used, &cause) == NULL);
	free(cause);
	cause = NULL;
	a[0] = "config";
	CHECK(cmd_find(1, a, &used, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "config needs a subcommand: check, options"));
	free(cause);
}

static void
test_parse(void)
{
	extern const struct cmd_entry cmd_audit_entry;
	char *ok[] = { "--json", "--grep=a b", "--since", "24h" };
	char *bad1[] = { "--grep" }, *bad2[] = { "--json=1" };
	char *bad3[] = { "--frob" }, *bad4[] = { "extra" };
	struct cmd_args a;
	struct cmd_ctx ctx;
	char *cause = NULL;

	CHECK_INT(cmd_parse(&cmd_audit_entry, 4, ok, &a, NULL), 0);
	memset(&ctx, 0, sizeof ctx);
	ctx.args = a;
	CHECK(cmd_has(&ctx, "json"));
	CHECK_STR(cmd_get(&ctx, "grep"), "a b");
	CHECK_STR(cmd_get(&ctx, "since"), "24h");
	CHECK(cmd_get(&ctx, "json") == NULL);
	CHECK(!cmd_has(&ctx, "nope"));
	cmd_args_free(&ctx.args);
	CHECK_INT(cmd_parse(&cmd_audit_entry, 1, bad1, &a, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "--grep needs a value"));
	free(cause);
	CHECK_INT(cmd_parse(&cmd_audit_entry, 1, bad2, &a, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "takes no value"));
	free(cause);
	CHECK_INT(cmd_parse(&cmd_audit_entry, 1, bad3, &a, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "unknown option \"--frob\""));
	free(cause);
	CHECK_INT(cmd_parse(&cmd_audit_entry, 1, bad4, &a, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "usage:"));
	free(cause);
}

static void
test_split(void)
{
	char **argv, *cause = NULL;
	int argc;

	CHECK_INT(cmd_split("rollback  credit-risk --reason 'it \"fell\"' a\\ b "
	    "\"x\\\"y\"", &argc, &argv, NULL), 0);
	CHECK_INT(argc, 6);
	if (argc == 6) {
		CHECK_STR(argv[0], "rollback");
		CHECK_STR(argv[1], "credit-risk");
		CHECK_STR(argv[3], "it \"fell\"");
		CHECK_STR(argv[4], "a b");
		CHECK_STR(argv[5], "x\"y");
	}
	cmd_split_free(argc, argv);
	CHECK_INT(cmd_split("   ", &argc, &argv, NULL), 0);
	CHECK_INT(argc, 0);
	cmd_split_free(argc, argv);
	CHECK_INT(cmd_split("audit --grep 'open", &argc, &argv, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "unterminated"));
	free(cause);
}

/* Allowed, denied, failed: one entry each; help: none. */
static void
test_one_audit_entry_per_call(void)
{
	struct app app;
	enum cmd_status st;
	struct last l;
	char *out = NULL;

	app_setup(&app, "one", "[\"ml-engineer\"]");
	CHECK_INT(run(&app, "whoami", &st, &out), 0);
	CHECK_INT(st, CMD_OK);
	CHECK(out != NULL && strstr(out, login()) != NULL);
	free(out);
	l = audit_last(&app);
	CHECK_INT(l.n, 1);
	CHECK_STR(l.action, "whoami");
	CHECK_STR(l.outcome, "allowed");
	/* audit needs governance or head-of-ml: denied, and audited. */
	CHECK_INT(run(&app, "audit --json", &st, &out), 1);
	CHECK_INT(st, CMD_DENIED);
	CHECK(out != NULL && strstr(out, "permission denied") != NULL);
	free(out);
	l = audit_last(&app);
	CHECK_INT(l.n, 2);
	CHECK_STR(l.action, "audit");
	CHECK_STR(l.outcome, "denied");
	CHECK(strstr(l.details, "permission denied") != NULL);
	/* A bad option fails before the gate, and is audited as failed. */
	CHECK_INT(run(&app, "whoami --frob", &st, &out), 2);
	CHECK_INT(st, CMD_FAILED);
	free(out);
	l = audit_last(&app);
	CHECK_INT(l.n, 3);
	CHECK_STR(l.outcome, "failed");
	/* help touches no store: no entry. */
	CHECK_INT(run(&app, "help", &st, &out), 0);
	CHECK(out != NULL && strstr(out, "audit verify") != NULL);
	free(out);
	CHECK_INT(audit_last(&app).n, 3);
	/* Counters, per command. */
	CHECK(app.counters != NULL);
	app_teardown(&app);
}

static void
test_roles_and_may_run(void)
{
	extern const struct cmd_entry cmd_audit_entry;
	struct app gov, eng;
	char *cause = NULL;

	app_setup(&gov, "gov", "[\"governance\"]");
	app_setup(&eng, "eng", "[\"oncall\"]");
	CHECK_INT(cmd_may_run(&gov, &cmd_audit_entry, NULL), 0);
	CHECK_INT(cmd_may_run(&eng, &cmd_audit_entry, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "governance") != NULL);
	free(cause);
	CHECK_INT(run(&gov, "audit", NULL, NULL), 0);
	CHECK_STR(audit_last(&gov).outcome, "allowed");
	app_teardown(&gov);
	app_teardown(&eng);
}

/* A person the configuration does not name may run nothing role-bound. */
static void
test_unknown_user_and_refusal(void)
{
	struct app app;
	enum cmd_status st;
	char *out = NULL;

	app_setup(&app, "unknown", "[]");
	free(app.id.user);
	app.id.user = xstrdup("nobody-here");
	CHECK_INT(run(&app, "audit", &st, &out), 1);
	CHECK_INT(st, CMD_DENIED);
	free(out);
	app_teardown(&app);

	app_setup(&app, "refused", "[\"governance\"]");
	app.refusal = xstrdup("--db: not allowed for an installed modeldeck");
	CHECK_INT(run(&app, "whoami", &st, &out), 1);
	CHECK_INT(st, CMD_DENIED);
	CHECK(out != NULL && strstr(out, "--db") != NULL);
	free(out);
	CHECK_STR(audit_last(&app).outcome, "denied");
	app_teardown(&app);
}

static void
test_unknown_command_and_bad_config(void)
{
	struct app app;
	enum cmd_status st;
	char *out = NULL;
	FILE *f;

	app_setup(&app, "badcfg", "[\"governance\"]");
	CHECK_INT(run(&app, "frobnicate", &st, &out), 2);
	CHECK_INT(st, CMD_FAILED);
	CHECK(out != NULL && strstr(out, "unknown command") != NULL);
	free(out);
	f = fopen(app.config_path, "w");
	fputs("{\"users\": ", f);
	fclose(f);
	CHECK_INT(run(&app, "whoami", &st, &out), 2);
	CHECK_INT(st, CMD_FAILED);
	free(out);
	CHECK_STR(audit_last(&app).outcome, "failed");
	CHECK_INT(run(&app, "'unterminated", &st, &out), 2);
	free(out);
	app_teardown(&app);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_find);
	RUN(test_find_ambiguous);
	RUN(test_parse);
	RUN(test_split);
	RUN(test_one_audit_entry_per_call);
	RUN(test_roles_and_may_run);
	RUN(test_unknown_user_and_refusal);
	RUN(test_unknown_command_and_bad_config);
	{
		char *rm = xasprintf("rm -rf %s", tmpdir);
		if (system(rm) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
		free(rm);
	}
	return TEST_REPORT();
}
