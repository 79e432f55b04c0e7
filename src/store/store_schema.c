/*
 * store_schema: the database schema as a list of forward migration steps.
 * steps[v] takes a database from PRAGMA user_version v to v + 1; a new
 * schema change is a new step at the end, never an edit of an old one
 * (databases in the field have run the old ones).  Opening an older
 * database runs the missing steps in one BEGIN IMMEDIATE transaction; a
 * database newer than this binary is refused, naming both versions.
 *
 * Step 0 -> 1: the fleet (hosts, models, versions, deployments, streams),
 * metric history, references, cursors, samples, labels, and the audit
 * trail with the triggers that make it append-only.
 * Step 1 -> 2: governance (users, roles, RACI, change requests, approvals).
 */
#include <stdlib.h>

#include "store/store_sqlite.h"
#include "util/xmalloc.h"

static const char *const steps[] = {
	/* 0 -> 1 */
	"CREATE TABLE hosts ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  url TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL DEFAULT 'unknown',"
	"  error TEXT,"
	"  last_ok_ms INTEGER NOT NULL DEFAULT 0,"
	"  updated_ms INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE models ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  team TEXT,"
	"  tier TEXT);"
	"CREATE TABLE versions ("
	"  id INTEGER PRIMARY KEY,"
	"  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,"
	"  version TEXT NOT NULL,"
	"  UNIQUE (model_id, version));"
	"CREATE TABLE deployments ("
	"  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,"
	"  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
	"  stage TEXT NOT NULL,"
	"  traffic_percent REAL NOT NULL DEFAULT 0,"
	"  since_ms INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (host_id, version_id));"
	"CREATE INDEX deployments_by_version ON deployments(version_id);"
	/* One model version's stream of data on one host. */
	"CREATE TABLE streams ("
	"  id INTEGER PRIMARY KEY,"
	"  host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,"
	"  version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
	"  UNIQUE (host_id, version_id));"
	"CREATE INDEX streams_by_version ON streams(version_id);"
	"CREATE TABLE metrics ("
	"  stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  value REAL,"
	"  ts_ms INTEGER NOT NULL);"
	"CREATE INDEX metrics_by_name_ts ON metrics(stream_id, name, ts_ms);"
	"CREATE TABLE refs ("
	"  stream_id INTEGER PRIMARY KEY REFERENCES streams(id) ON DELETE CASCADE,"
	"  body TEXT NOT NULL);"
	"CREATE TABLE cursors ("
	"  stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,"
	"  stream TEXT NOT NULL,"
	"  cursor TEXT NOT NULL,"
	"  PRIMARY KEY (stream_id, stream));"
	"CREATE TABLE samples ("
	"  stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,"
	"  sample_id TEXT NOT NULL,"
	"  ts_ms INTEGER NOT NULL,"
	"  features TEXT NOT NULL,"
	"  prediction TEXT,"
	"  UNIQUE (stream_id, sample_id));"
	"CREATE INDEX samples_by_ts ON samples(stream_id, ts_ms);"
	"CREATE TABLE labels ("
	"  stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,"
	"  sample_id TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  ts_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (stream_id, sample_id));"
	"CREATE TABLE audit ("
	"  seq INTEGER PRIMARY KEY,"
	"  ts_ms INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  target TEXT NOT NULL,"
	"  details TEXT NOT NULL,"
	"  outcome TEXT NOT NULL"
	"    CHECK (outcome IN ('allowed', 'denied', 'failed')),"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL);"
	"CREATE INDEX audit_by_ts ON audit(ts_ms);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
	"  SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused');"
	"  END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
	"  SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused');"
	"  END;",

	/* 1 -> 2 */
	"CREATE TABLE users ("
	"  name TEXT PRIMARY KEY,"
	"  updated_ms INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE user_roles ("
	"  user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
	"  role TEXT NOT NULL,"
	"  PRIMARY KEY (user, role));"
	/* phase '' is the default assignment; a phase row overrides it. */
	"CREATE TABLE raci ("
	"  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,"
	"  phase TEXT NOT NULL DEFAULT '' CHECK (phase IN"
	"    ('', 'promote', 'rollback', 'retire', 'retrain')),"
	"  letter TEXT NOT NULL CHECK (letter IN ('R', 'A', 'C', 'I')),"
	"  member TEXT NOT NULL,"
	"  PRIMARY KEY (model_id, phase, letter, member));"
	"CREATE TABLE change_requests ("
	"  id INTEGER PRIMARY KEY,"
	"  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,"
	"  version_id INTEGER REFERENCES versions(id) ON DELETE SET NULL,"
	"  phase TEXT NOT NULL CHECK (phase IN"
	"    ('promote', 'rollback', 'retire', 'retrain')),"
	"  requester TEXT NOT NULL,"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN"
	"    ('open', 'approved', 'rejected', 'applied', 'cancelled', 'expired')),"
	"  details TEXT NOT NULL DEFAULT '{}',"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL);"
	"CREATE INDEX change_requests_by_state ON change_requests(state, created_ms);"
	"CREATE TABLE approvals ("
	"  id INTEGER PRIMARY KEY,"
	"  request_id INTEGER NOT NULL"
	"    REFERENCES change_requests(id) ON DELETE CASCADE,"
	"  approver TEXT NOT NULL,"
	"  decision TEXT NOT NULL CHECK (decision IN"
	"    ('approve', 'reject', 'sign-off')),"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  ts_ms INTEGER NOT NULL,"
	"  UNIQUE (request_id, approver, decision));",
};

#define NSTEPS ((int)(sizeof steps / sizeof steps[0]))

int
store_schema_latest(void)
{
	return NSTEPS;
}

const char *
store_schema_step(int v)
{
	return v >= 0 && v < NSTEPS ? steps[v] : NULL;
}

static int
user_version(struct sqlite_store *s, int *v, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	/* Not cached: runs once per open. */
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK)
		return store_sqlite_fail(s, "schema version", cause);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return store_sqlite_fail(s, "schema version", cause);
	return 0;
}

static int
check_not_newer(struct sqlite_store *s, int v, char **cause)
{
	if (v <= NSTEPS)
		return 0;
	return xcause(cause, "store: %s: database schema version %d is newer "
	    "than this modeldeck knows (%d); use a newer modeldeck", s->path,
	    v, NSTEPS);
}

/* Run the missing steps; the caller holds the write transaction. */
static int
run_steps(struct sqlite_store *s, int from, char **cause)
{
	char *sql, *err = NULL;
	int v, rc;

	for (v = from; v < NSTEPS; v++) {
		if (sqlite3_exec(s->db, steps[v], NULL, NULL, &err) != SQLITE_OK) {
			rc = xcause(cause, "store: %s: migration %d -> %d: %s",
			    s->path, v, v + 1, err != NULL ? err : "failed");
			sqlite3_free(err);
			return rc;
		}
	}
	/* PRAGMA takes no bound parameter; the number is ours, not input. */
	sql = xasprintf("PRAGMA user_version = %d", NSTEPS);
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(s, "schema version", cause);
	return 0;
}

int
store_schema_migrate(struct sqlite_store *s, char **cause)
{
	int v;

	if (user_version(s, &v, cause) != 0 || check_not_newer(s, v, cause) != 0)
		return -1;
	if (v == NSTEPS)
		return 0;
	if (s->readonly)
		return xcause(cause, "store: %s: database schema version %d is "
		    "older than %d; open it once read-write to migrate it",
		    s->path, v, NSTEPS);
	if (store_sqlite_begin(s, "migrate", cause) != 0)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (user_version(s, &v, cause) != 0 || check_not_newer(s, v, cause) != 0 ||
	    (v < NSTEPS && run_steps(s, v, cause) != 0)) {
		store_sqlite_rollback(s);
		return -1;
	}
	return store_sqlite_commit(s, "migrate", cause);
}
