/*
 * store_sqlite: the SQLite back end's core - opening a connection with the
 * settings every op relies on, the statement table and cache, transaction
 * helpers, and the ops struct that ties store_fleet.c, store_samples.c and
 * store_audit.c together.
 *
 * Settings (see store_sqlite.h for the invariants): journal_mode=WAL so
 * readers never block the writer; synchronous=NORMAL, which in WAL mode
 * keeps every committed transaction across a killed process (a power cut
 * may lose the last commits, never corrupt the file or the audit chain);
 * foreign_keys=ON; busy_timeout 5 s so concurrent writers queue instead of
 * failing.  All SQL is in the constant table below: callers bind values,
 * never build SQL text.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "util/xmalloc.h"

#define BUSY_TIMEOUT_MS 5000

static const char *const stmt_sql[STMT__COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_HOST_ENSURE] =
	    "INSERT INTO hosts (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
	[STMT_HOST_ID] = "SELECT id FROM hosts WHERE name = ?1",
	[STMT_HOST_PUT] =
	    "INSERT INTO hosts (name, url, state, error, last_ok_ms, updated_ms)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO UPDATE SET"
	    " url = excluded.url, state = excluded.state, error = excluded.error,"
	    " last_ok_ms = excluded.last_ok_ms, updated_ms = excluded.updated_ms",
	[STMT_HOST_LIST] =
	    "SELECT name, url, state, error, last_ok_ms, updated_ms"
	    " FROM hosts ORDER BY name",
	[STMT_MODEL_ENSURE] =
	    "INSERT INTO models (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
	[STMT_MODEL_ID] = "SELECT id FROM models WHERE name = ?1",
	[STMT_VERSION_ENSURE] =
	    "INSERT INTO versions (model_id, version) VALUES (?1, ?2)"
	    " ON CONFLICT (model_id, version) DO NOTHING",
	[STMT_VERSION_ID] =
	    "SELECT id FROM versions WHERE model_id = ?1 AND version = ?2",
	[STMT_STREAM_ENSURE] =
	    "INSERT INTO streams (host_id, version_id) VALUES (?1, ?2)"
	    " ON CONFLICT (host_id, version_id) DO NOTHING",
	[STMT_STREAM_ID] =
	    "SELECT id FROM streams WHERE host_id = ?1 AND version_id = ?2",
	[STMT_DEPLOY_CLEAR] = "DELETE FROM deployments"
	    " WHERE host_id = (SELECT id FROM hosts WHERE name = ?1)",
	[STMT_DEPLOY_ADD] =
	    "INSERT INTO deployments (host_id, version_id, stage,"
	    " traffic_percent, since_ms) SELECT host_id, version_id, ?2, ?3, ?4"
	    " FROM streams WHERE id = ?1"
	    " ON CONFLICT (host_id, version_id) DO UPDATE SET"
	    " stage = excluded.stage, traffic_percent = excluded.traffic_percent,"
	    " since_ms = excluded.since_ms",
	[STMT_DEPLOY_LIST] =
	    "SELECT h.name, m.name, v.version, d.stage, d.traffic_percent,"
	    " d.since_ms FROM deployments d JOIN hosts h ON h.id = d.host_id"
	    " JOIN versions v ON v.id = d.version_id"
	    " JOIN models m ON m.id = v.model_id"
	    " ORDER BY h.name, m.name, v.version",
	[STMT_METRIC_ADD] =
	    "INSERT INTO metrics (stream_id, name, value, ts_ms)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[STMT_METRIC_HISTORY] =
	    "SELECT value, ts_ms FROM metrics WHERE stream_id = ?1"
	    " AND name = ?2 AND ts_ms >= ?3 ORDER BY ts_ms, rowid",
	[STMT_REF_PUT] =
	    "INSERT INTO refs (stream_id, body) VALUES (?1, ?2)"
	    " ON CONFLICT (stream_id) DO UPDATE SET body = excluded.body",
	[STMT_REF_GET] = "SELECT body FROM refs WHERE stream_id = ?1",
	[STMT_CURSOR_GET] =
	    "SELECT cursor FROM cursors WHERE stream_id = ?1 AND stream = ?2",
	[STMT_CURSOR_PUT] =
	    "INSERT INTO cursors (stream_id, stream, cursor) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (stream_id, stream) DO UPDATE SET cursor = excluded.cursor",
	[STMT_SAMPLE_ADD] =
	    "INSERT INTO samples (stream_id, sample_id, ts_ms, features, prediction)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (stream_id, sample_id) DO NOTHING",
	[STMT_LABEL_ADD] =
	    "INSERT INTO labels (stream_id, sample_id, label, ts_ms)"
	    " VALUES (?1, ?2, ?3, ?4)"
	    " ON CONFLICT (stream_id, sample_id) DO NOTHING",
	/* The newest ?3 by (stream, ts) index, then oldest first. */
	[STMT_SAMPLE_WINDOW] =
	    "SELECT w.sample_id, w.ts_ms, w.features, w.prediction, l.label"
	    " FROM (SELECT rowid AS r, sample_id, ts_ms, features, prediction"
	    "  FROM samples WHERE stream_id = ?1 AND ts_ms >= ?2"
	    "  ORDER BY ts_ms DESC, rowid DESC LIMIT ?3) w"
	    " LEFT JOIN labels l ON l.stream_id = ?1 AND l.sample_id = w.sample_id"
	    " ORDER BY w.ts_ms, w.r",
	[STMT_SAMPLE_PRUNE] =
	    "DELETE FROM samples WHERE stream_id = ?1 AND ts_ms < ?2",
	[STMT_LABEL_PRUNE] =
	    "DELETE FROM labels WHERE stream_id = ?1 AND ts_ms < ?2",
	[STMT_AUDIT_TAIL] =
	    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
	[STMT_AUDIT_ADD] =
	    "INSERT INTO audit (seq, ts_ms, actor, action, target, details,"
	    " outcome, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STMT_AUDIT_SCAN] =
	    "SELECT seq, ts_ms, actor, action, target, details, outcome,"
	    " prev_hash, hash FROM audit WHERE seq > ?1 AND ts_ms >= ?2"
	    " ORDER BY seq LIMIT ?3",
};

int
store_sqlite_fail(struct sqlite_store *s, const char *what, char **cause)
{
	return xcause(cause, "store: %s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *
store_sqlite_stmt(struct sqlite_store *s, enum store_stmt id, char **cause)
{
	sqlite3_stmt *stmt = s->stmt[id];

	if (stmt == NULL) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
			store_sqlite_fail(s, "prepare", cause);
			return NULL;
		}
		s->stmt[id] = stmt;
		return stmt;
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return stmt;
}

int
store_sqlite_done(struct sqlite_store *s, sqlite3_stmt *stmt,
    const char *what, char **cause)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_sqlite_fail(s, what, cause);
		sqlite3_reset(stmt);
		return -1;
	}
	sqlite3_reset(stmt);
	return 0;
}

static int
run_simple(struct sqlite_store *s, enum store_stmt id, const char *what,
    char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = store_sqlite_stmt(s, id, cause)) == NULL)
		return -1;
	return store_sqlite_done(s, stmt, what, cause);
}

int
store_sqlite_begin(struct sqlite_store *s, const char *what, char **cause)
{
	if (s->readonly)
		return xcause(cause, "store: %s: database opened read-only", what);
	return run_simple(s, STMT_BEGIN, what, cause);
}

int
store_sqlite_commit(struct sqlite_store *s, const char *what, char **cause)
{
	if (run_simple(s, STMT_COMMIT, what, cause) != 0) {
		store_sqlite_rollback(s);
		return -1;
	}
	return 0;
}

void
store_sqlite_rollback(struct sqlite_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		run_simple(s, STMT_ROLLBACK, "rollback", NULL);
}

char *
store_sqlite_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

void *
store_sqlite_grow(void *arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		arr = xreallocarray(arr, *cap, size);
	}
	memset((char *)arr + *n * size, 0, size);
	(*n)++;
	return arr;
}

/* Run an "ensure" insert (create) then a lookup; *id 0 when absent. */
static int
ensure_id(struct sqlite_store *s, enum store_stmt ensure, enum store_stmt get,
    int64_t parent, const char *name, int create, int64_t *id, char **cause)
{
	sqlite3_stmt *stmt;
	int i = 1, rc;

	if (create) {
		if ((stmt = store_sqlite_stmt(s, ensure, cause)) == NULL)
			return -1;
		if (parent != 0)
			sqlite3_bind_int64(stmt, i++, parent);
		sqlite3_bind_text(stmt, i, name, -1, SQLITE_STATIC);
		if (store_sqlite_done(s, stmt, name, cause) != 0)
			return -1;
	}
	if ((stmt = store_sqlite_stmt(s, get, cause)) == NULL)
		return -1;
	i = 1;
	if (parent != 0)
		sqlite3_bind_int64(stmt, i++, parent);
	sqlite3_bind_text(stmt, i, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, name, cause);
	return 0;
}

/* The stream row of (host id, version id); created when create is set. */
static int
stream_row(struct sqlite_store *s, int64_t host, int64_t version, int create,
    int64_t *id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (create) {
		if ((stmt = store_sqlite_stmt(s, STMT_STREAM_ENSURE, cause)) == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, host);
		sqlite3_bind_int64(stmt, 2, version);
		if (store_sqlite_done(s, stmt, "stream", cause) != 0)
			return -1;
	}
	if ((stmt = store_sqlite_stmt(s, STMT_STREAM_ID, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, host);
	sqlite3_bind_int64(stmt, 2, version);
	rc = sqlite3_step(stmt);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "stream", cause);
	return 0;
}

int
store_sqlite_stream(struct sqlite_store *s, const struct store_key *k,
    int create, int64_t *id, char **cause)
{
	int64_t host, model, version;

	*id = 0;
	if (k == NULL || k->host == NULL || k->model == NULL ||
	    k->version == NULL)
		return xcause(cause, "store: incomplete stream key");
	if (ensure_id(s, STMT_HOST_ENSURE, STMT_HOST_ID, 0, k->host, create,
	    &host, cause) != 0)
		return -1;
	if (host == 0)
		return 0;
	if (ensure_id(s, STMT_MODEL_ENSURE, STMT_MODEL_ID, 0, k->model, create,
	    &model, cause) != 0)
		return -1;
	if (model == 0)
		return 0;
	if (ensure_id(s, STMT_VERSION_ENSURE, STMT_VERSION_ID, model, k->version,
	    create, &version, cause) != 0)
		return -1;
	if (version == 0)
		return 0;
	return stream_row(s, host, version, create, id, cause);
}

static void
sqlite_close(struct store *st)
{
	struct sqlite_store *s = SQ(st);
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sqlite_close,
	.host_put = store_fleet_host_put,
	.host_list = store_fleet_host_list,
	.deployments_put = store_fleet_deployments_put,
	.deployment_list = store_fleet_deployment_list,
	.metrics_add = store_fleet_metrics_add,
	.metric_history = store_fleet_metric_history,
	.reference_put = store_fleet_reference_put,
	.reference_get = store_fleet_reference_get,
	.cursor_get = store_samples_cursor_get,
	.samples_add = store_samples_add,
	.labels_add = store_samples_labels_add,
	.samples_window = store_samples_window,
	.samples_prune = store_samples_prune,
	.audit_append = store_audit_append,
	.audit_append_batch = store_audit_append_batch,
	.audit_scan = store_audit_scan,
	.audit_tail = store_audit_tail,
};

/* Apply the connection settings; WAL needs a writable database. */
static int
configure(struct sqlite_store *s, char **cause)
{
	sqlite3_stmt *stmt;
	const char *mode;
	int ok;

	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	/*
	 * temp_store = MEMORY: SQLite would otherwise put temporary tables
	 * and sort spills in /var/tmp or /tmp, and a setgid run must write
	 * nothing outside its state directory.
	 */
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON;"
	    "PRAGMA temp_store = MEMORY;"
	    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
		return store_sqlite_fail(s, s->path, cause);
	if (s->readonly)
		return 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &stmt,
	    NULL) != SQLITE_OK)
		return store_sqlite_fail(s, s->path, cause);
	ok = sqlite3_step(stmt) == SQLITE_ROW &&
	    (mode = (const char *)sqlite3_column_text(stmt, 0)) != NULL &&
	    strcmp(mode, "wal") == 0;
	sqlite3_finalize(stmt);
	if (!ok)
		return store_sqlite_fail(s, "cannot switch to WAL mode", cause);
	return 0;
}

struct store *
store_sqlite_open(const char *path, int flags, char **cause)
{
	struct sqlite_store *s = xcalloc(1, sizeof *s);
	int oflags;

	s->base.ops = &sqlite_ops;
	s->path = xstrdup(path);
	s->readonly = (flags & STORE_READONLY) != 0;
	/* The file exists already: store_open created it with our mode. */
	oflags = (s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
	    SQLITE_OPEN_NOFOLLOW;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		xcause(cause, "store: %s: %s", path, s->db != NULL ?
		    sqlite3_errmsg(s->db) : "cannot open");
		sqlite_close(&s->base);
		return NULL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (configure(s, cause) != 0 || store_schema_migrate(s, cause) != 0) {
		sqlite_close(&s->base);
		return NULL;
	}
	return &s->base;
}
