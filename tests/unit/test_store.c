/*
 * Unit tests for src/store: opening (modes, migrations, refusals), the
 * fleet, metric, reference, sample and label ops, and that a killed writer
 * never splits a page from its cursor.  Real SQLite files in a temporary
 * folder; the sqlite3 API is used directly only to look behind the store.
 */
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testhelp.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "util/xmalloc.h"

static char tmpdir[] = "/tmp/mdstore.XXXXXX";

static char *
tpath(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static struct store *
open_new(const char *name)
{
	char *p = tpath(name), *cause = NULL;
	struct store *st = store_open(p, STORE_CREATE, &cause);

	if (st == NULL)
		printf("# open %s: %s\n", p, cause);
	free(cause);
	free(p);
	return st;
}

/* One value from a side connection (behind the store's back). */
static char *
side_query(const char *name, const char *sql)
{
	char *p = tpath(name), *out = NULL;
	sqlite3 *db;
	sqlite3_stmt *stmt;

	if (sqlite3_open(p, &db) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		/* Every row's last column, joined (EXPLAIN QUERY PLAN). */
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(stmt,
			    sqlite3_column_count(stmt) - 1);
			char *joined = xasprintf("%s%s%s", out != NULL ? out : "",
			    out != NULL ? "\n" : "", t != NULL ? t : "(null)");

			free(out);
			out = joined;
		}
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
	free(p);
	return out != NULL ? out : xstrdup("(error)");
}

static int
side_exec(const char *name, const char *sql)
{
	char *p = tpath(name);
	sqlite3 *db;
	int rc;

	rc = sqlite3_open(p, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	free(p);
	return rc;
}

static void
test_open_creates_private(void)
{
	char *dir = tpath("new/sub"), *db = tpath("new/sub/m.db"), *cause = NULL;
	struct store *st;
	struct stat sb;
	char *v;

	st = store_open(db, STORE_CREATE, &cause);
	CHECK(st != NULL);
	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 07777) == 0700);
	CHECK(stat(db, &sb) == 0 && (sb.st_mode & 07777) == 0600);
	if (st != NULL)
		st->ops->close(st);
	v = side_query("new/sub/m.db", "PRAGMA journal_mode");
	CHECK_STR(v, "wal");
	free(v);
	v = side_query("new/sub/m.db", "PRAGMA user_version");
	CHECK_INT(atoi(v), store_schema_latest());
	free(v);
	free(dir);
	free(db);
}

static void
test_open_group_folder(void)
{
	char *dir = tpath("grp"), *db = tpath("grp/m.db");
	struct store *st;
	struct stat sb;

	CHECK(mkdir(dir, 0770) == 0 && chmod(dir, 02770) == 0);
	umask(007);
	st = store_open(db, STORE_CREATE, NULL);
	umask(022);
	CHECK(st != NULL);
	CHECK(stat(db, &sb) == 0 && (sb.st_mode & 07777) == 0660);
	if (st != NULL)
		st->ops->close(st);
	free(dir);
	free(db);
}

static void
test_refuse_world_writable(void)
{
	char *dir = tpath("ww"), *db = tpath("ww/m.db"), *cause = NULL;
	struct store *st;

	CHECK(mkdir(dir, 0700) == 0 && chmod(dir, 0777) == 0);
	st = store_open(db, STORE_CREATE, &cause);
	CHECK(st == NULL);
	CHECK(cause != NULL && strstr(cause, dir) != NULL &&
	    strstr(cause, "world-writable") != NULL);
	free(cause);
	cause = NULL;
	CHECK(chmod(dir, 0700) == 0);
	st = store_open(db, STORE_CREATE, NULL);
	CHECK(st != NULL);
	if (st != NULL)
		st->ops->close(st);
	CHECK(chmod(db, 0666) == 0);
	st = store_open(db, 0, &cause);
	CHECK(st == NULL);
	CHECK(cause != NULL && strstr(cause, db) != NULL &&
	    strstr(cause, "world-writable") != NULL);
	free(cause);
	free(dir);
	free(db);
}

static void
test_refuse_missing_and_newer(void)
{
	char *db = tpath("missing.db"), *cause = NULL;
	struct store *st;

	CHECK(store_open(db, 0, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "missing.db") != NULL);
	free(cause);
	cause = NULL;
	CHECK(store_open(db, STORE_READONLY, &cause) == NULL);
	free(cause);
	cause = NULL;
	CHECK(store_open("", STORE_CREATE, &cause) == NULL);
	free(cause);
	cause = NULL;
	free(db);

	st = open_new("newer.db");
	CHECK(st != NULL);
	if (st != NULL)
		st->ops->close(st);
	CHECK_INT(side_exec("newer.db", "PRAGMA user_version = 99"), SQLITE_OK);
	db = tpath("newer.db");
	CHECK(store_open(db, 0, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "99") != NULL &&
	    strstr(cause, "newer") != NULL);
	free(cause);
	free(db);
}

static void
test_migrate_from_v1(void)
{
	char *db = tpath("old.db"), *v, *sql;
	struct store_host *h = NULL;
	struct store *st;
	size_t n = 0;

	CHECK(store_schema_latest() >= 2);
	sql = xasprintf("%s PRAGMA user_version = 1;"
	    "INSERT INTO hosts (name, url) VALUES ('old-host', 'http://x');",
	    store_schema_step(0));
	CHECK_INT(side_exec("old.db", sql), SQLITE_OK);
	free(sql);
	CHECK(chmod(db, 0600) == 0);
	st = store_open(db, STORE_READONLY, NULL);
	CHECK(st == NULL);	/* read-only cannot migrate */
	st = store_open(db, 0, NULL);
	CHECK(st != NULL);
	if (st == NULL)
		goto out;
	CHECK_INT(st->ops->host_list(st, &h, &n, NULL), 0);
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK_STR(h[0].name, "old-host");
	store_host_free(h, n);
	st->ops->close(st);
	v = side_query("old.db", "PRAGMA user_version");
	CHECK_INT(atoi(v), store_schema_latest());
	free(v);
	v = side_query("old.db", "SELECT count(*) FROM sqlite_master WHERE "
	    "name IN ('change_requests', 'approvals', 'raci', 'users', "
	    "'user_roles')");
	CHECK_STR(v, "5");
	free(v);
out:
	free(db);
}

static void
test_hosts_and_deployments(void)
{
	struct store *st = open_new("fleet.db");
	struct store_host h = { "h1", "http://127.0.0.1:1", "up", NULL, 5, 6 };
	struct store_host *out = NULL;
	struct store_deployment d[2] = {
		{ NULL, "credit", "7", "full", 100, 10 },
		{ NULL, "credit", "8", "canary", 5, 20 },
	};
	struct store_deployment *dl = NULL;
	char *cause = NULL;
	size_t n = 0;

	if (st == NULL) {
		CHECK(st != NULL);
		return;
	}
	CHECK_INT(st->ops->host_put(st, &h, NULL), 0);
	h.state = "down";
	h.error = "connection refused";
	CHECK_INT(st->ops->host_put(st, &h, NULL), 0);
	CHECK_INT(st->ops->host_list(st, &out, &n, NULL), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_STR(out[0].state, "down");
		CHECK_STR(out[0].error, "connection refused");
		CHECK_INT(out[0].updated_ms, 6);
	}
	store_host_free(out, n);
	h.name = NULL;
	CHECK_INT(st->ops->host_put(st, &h, &cause), -1);
	CHECK(cause != NULL);
	free(cause);

	CHECK_INT(st->ops->deployments_put(st, "h1", d, 2, NULL), 0);
	CHECK_INT(st->ops->deployments_put(st, "h1", d + 1, 1, NULL), 0);
	CHECK_INT(st->ops->deployment_list(st, &dl, &n, NULL), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_STR(dl[0].host, "h1");
		CHECK_STR(dl[0].version, "8");
		CHECK_STR(dl[0].stage, "canary");
		CHECK(dl[0].traffic_percent == 5);
	}
	store_deployment_free(dl, n);
	d[0].model = NULL;
	cause = NULL;
	CHECK_INT(st->ops->deployments_put(st, "h1", d, 2, &cause), -1);
	free(cause);
	st->ops->close(st);
}

static void
test_metrics_and_reference(void)
{
	struct store *st = open_new("metrics.db");
	struct store_key k = { "h1", "credit", "7" }, other = { "h1", "x", "1" };
	struct store_metric m[3] = {
		{ "h1", "credit", "7", "error_rate", 0.5, 100 },
		{ "h1", "credit", "7", "error_rate", 0.25, 200 },
		{ "h1", "credit", "7", "p99", 9, 150 },
	};
	struct store_metric *out = NULL;
	char *json = NULL, *cause = NULL;
	size_t n = 0;

	if (st == NULL) {
		CHECK(st != NULL);
		return;
	}
	CHECK_INT(st->ops->metrics_add(st, m, 3, NULL), 0);
	CHECK_INT(st->ops->metric_history(st, &k, "error_rate", 150, &out, &n,
	    NULL), 0);
	CHECK_INT(n, 1);
	if (n == 1)
		CHECK(out[0].value == 0.25 && out[0].ts_ms == 200);
	store_metric_free(out, n);
	CHECK_INT(st->ops->metric_history(st, &other, "error_rate", 0, &out, &n,
	    NULL), 0);
	CHECK_INT(n, 0);
	/* A batch with one bad record adds nothing. */
	m[1].name = NULL;
	CHECK_INT(st->ops->metrics_add(st, m, 3, &cause), -1);
	free(cause);
	CHECK_INT(st->ops->metric_history(st, &k, "error_rate", 0, &out, &n,
	    NULL), 0);
	CHECK_INT(n, 2);
	store_metric_free(out, n);

	CHECK_INT(st->ops->reference_get(st, &k, &json, NULL), 0);
	CHECK(json == NULL);
	CHECK_INT(st->ops->reference_put(st, &k, "{\"a\":1}", NULL), 0);
	CHECK_INT(st->ops->reference_put(st, &k, "{\"a\":2}", NULL), 0);
	CHECK_INT(st->ops->reference_get(st, &k, &json, NULL), 0);
	CHECK_STR(json, "{\"a\":2}");
	free(json);
	st->ops->close(st);
}

static void
test_samples_labels_window(void)
{
	struct store *st = open_new("samples.db");
	struct store_key k = { "h1", "credit", "7" };
	struct store_sample s[4] = {
		{ "a", 100, "{\"x\":1}", "0", NULL },
		{ "b", 200, "{\"x\":2}", "1", NULL },
		{ "c", 300, "{\"x\":3}", "1", NULL },
		{ "a", 100, "{\"x\":1}", "0", NULL },	/* repeated id */
	};
	struct store_label l[1] = { { "b", "0", 250 } };
	struct store_sample *w = NULL;
	char *cur = NULL;
	size_t n = 0, added = 0;

	if (st == NULL) {
		CHECK(st != NULL);
		return;
	}
	CHECK_INT(st->ops->cursor_get(st, &k, "samples", &cur, NULL), 0);
	CHECK(cur == NULL);
	CHECK_INT(st->ops->samples_add(st, &k, s, 4, "c1", &added, NULL), 0);
	CHECK_INT(added, 3);
	CHECK_INT(st->ops->samples_add(st, &k, s, 2, "c1", &added, NULL), 0);
	CHECK_INT(added, 0);
	CHECK_INT(st->ops->cursor_get(st, &k, "samples", &cur, NULL), 0);
	CHECK_STR(cur, "c1");
	free(cur);
	CHECK_INT(st->ops->labels_add(st, &k, l, 1, "L1", &added, NULL), 0);
	CHECK_INT(added, 1);
	CHECK_INT(st->ops->cursor_get(st, &k, "labels", &cur, NULL), 0);
	CHECK_STR(cur, "L1");
	free(cur);
	/* The newest two, oldest first, label joined. */
	CHECK_INT(st->ops->samples_window(st, &k, 0, 2, &w, &n, NULL), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(w[0].id, "b");
		CHECK_STR(w[0].label_json, "0");
		CHECK_STR(w[1].id, "c");
		CHECK(w[1].label_json == NULL);
	}
	store_sample_free(w, n);
	CHECK_INT(st->ops->samples_prune(st, &k, 250, NULL), 0);
	CHECK_INT(st->ops->samples_window(st, &k, 0, 0, &w, &n, NULL), 0);
	CHECK_INT(n, 1);
	store_sample_free(w, n);
	st->ops->close(st);
}

/* A cursor that cannot be read is an error, never "no cursor yet". */
static void
test_cursor_read_error(void)
{
	struct store *st = open_new("cursor-err.db");
	struct store_key k = { "h1", "credit", "7" };
	struct store_sample s1 = { "a", 100, "{\"x\":1}", "0", NULL };
	char *cur = NULL, *cause = NULL;
	size_t added;

	if (st == NULL) {
		CHECK(st != NULL);
		return;
	}
	CHECK_INT(st->ops->samples_add(st, &k, &s1, 1, "c1", &added, NULL), 0);
	CHECK_INT(side_exec("cursor-err.db",
	    "ALTER TABLE cursors RENAME TO cursors_gone"), SQLITE_OK);
	CHECK_INT(st->ops->cursor_get(st, &k, "samples", &cur, &cause), -1);
	CHECK(cur == NULL);
	CHECK(cause != NULL && strncmp(cause, "store: ", 7) == 0 &&
	    strstr(cause, "cursors") != NULL);
	free(cause);
	st->ops->close(st);
}

static void
test_window_uses_index(void)
{
	char *plan = side_query("samples.db", "EXPLAIN QUERY PLAN SELECT rowid "
	    "FROM samples WHERE stream_id = 1 AND ts_ms >= 0 "
	    "ORDER BY ts_ms DESC, rowid DESC LIMIT 10");

	CHECK(strstr(plan, "samples_by_ts") != NULL);
	free(plan);
}

static void
test_audit_triggers(void)
{
	struct store *st = open_new("trig.db");

	if (st != NULL)
		st->ops->close(st);
	CHECK_INT(side_exec("trig.db", "INSERT INTO audit VALUES (1, 1, 'a', "
	    "'b', '', '{}', 'allowed', 'x', 'y')"), SQLITE_OK);
	CHECK(side_exec("trig.db", "UPDATE audit SET actor = 'z'") != SQLITE_OK);
	CHECK(side_exec("trig.db", "DELETE FROM audit") != SQLITE_OK);
	CHECK(side_exec("trig.db", "INSERT INTO audit VALUES (2, 1, 'a', "
	    "'b', '', '{}', 'maybe', 'x', 'y')") != SQLITE_OK);
}

/*
 * A child writes pages of 10 samples, each with the cursor naming the
 * page; the parent kills it with SIGKILL mid-stream.  Afterwards the
 * samples stored are exactly the pages up to the cursor.
 */
static void
test_kill_keeps_page_and_cursor(void)
{
	struct store_key k = { "h1", "m", "1" };
	struct store *st = open_new("kill.db");
	struct store_sample *w = NULL;
	char *cur = NULL;
	size_t n = 0;
	pid_t pid;
	int status;

	if (st != NULL)
		st->ops->close(st);
	if ((pid = fork()) == 0) {
		struct store_sample s[10];
		char ids[10][32], cursor[32];
		int page, i;

		st = open_new("kill.db");
		for (page = 0; st != NULL; page++) {
			for (i = 0; i < 10; i++) {
				snprintf(ids[i], sizeof ids[i], "p%d-%d", page, i);
				s[i] = (struct store_sample){ ids[i],
				    page * 10 + i, (char *)"{}", NULL, NULL };
			}
			snprintf(cursor, sizeof cursor, "%d", page);
			st->ops->samples_add(st, &k, s, 10, cursor, NULL, NULL);
		}
		_exit(1);
	}
	usleep(300 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	st = open_new("kill.db");
	if (st == NULL) {
		CHECK(st != NULL);
		return;
	}
	CHECK_INT(st->ops->cursor_get(st, &k, "samples", &cur, NULL), 0);
	CHECK(cur != NULL);
	CHECK_INT(st->ops->samples_window(st, &k, 0, 0, &w, &n, NULL), 0);
	CHECK(n > 0);
	if (cur != NULL)
		CHECK_INT(n, (atoi(cur) + 1) * 10);
	store_sample_free(w, n);
	free(cur);
	st->ops->close(st);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	umask(022);
	RUN(test_open_creates_private);
	RUN(test_open_group_folder);
	RUN(test_refuse_world_writable);
	RUN(test_refuse_missing_and_newer);
	RUN(test_migrate_from_v1);
	RUN(test_hosts_and_deployments);
	RUN(test_metrics_and_reference);
	RUN(test_samples_labels_window);
	RUN(test_cursor_read_error);
	RUN(test_window_uses_index);
	RUN(test_audit_triggers);
	RUN(test_kill_keeps_page_and_cursor);
	if (getenv("MD_KEEP") == NULL) {
		char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpdir);
		free(cmd);
	}
	return TEST_REPORT();
}
