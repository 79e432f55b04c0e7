/*
 * store_sqlite: the SQLite back end's private header, shared by the
 * store_*.c files of src/store/ and by nothing else.
 *
 * Invariants: the connection is in WAL mode with foreign keys on and a
 * busy timeout; every write runs inside store_sqlite_begin (BEGIN
 * IMMEDIATE) .. store_sqlite_commit; every statement is a constant SQL text
 * from the table in store_sqlite.c, prepared once and cached in the handle
 * (sqlite_store.stmt).  store_sqlite_stmt hands out a reset statement with
 * no bindings; the caller must not keep it across another op.
 */
#ifndef MD_STORE_SQLITE_H
#define MD_STORE_SQLITE_H

#include <sqlite3.h>

#include "store/store.h"

enum store_stmt {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_HOST_ENSURE,
	STMT_HOST_ID,
	STMT_HOST_PUT,
	STMT_HOST_LIST,
	STMT_MODEL_ENSURE,
	STMT_MODEL_ID,
	STMT_VERSION_ENSURE,
	STMT_VERSION_ID,
	STMT_STREAM_ENSURE,
	STMT_STREAM_ID,
	STMT_DEPLOY_CLEAR,
	STMT_DEPLOY_ADD,
	STMT_DEPLOY_LIST,
	STMT_METRIC_ADD,
	STMT_METRIC_HISTORY,
	STMT_REF_PUT,
	STMT_REF_GET,
	STMT_CURSOR_GET,
	STMT_CURSOR_PUT,
	STMT_SAMPLE_ADD,
	STMT_LABEL_ADD,
	STMT_SAMPLE_WINDOW,
	STMT_SAMPLE_PRUNE,
	STMT_LABEL_PRUNE,
	STMT_AUDIT_TAIL,
	STMT_AUDIT_ADD,
	STMT_AUDIT_SCAN,
	STMT__COUNT
};

struct sqlite_store {
	struct store	 base;		/* must be first: (struct store *) casts */
	sqlite3		*db;
	char		*path;
	int		 readonly;
	sqlite3_stmt	*stmt[STMT__COUNT];	/* prepared on first use */
};

/* The SQLite handle behind a struct store of this back end. */
#define SQ(st) ((struct sqlite_store *)(st))

/* Open an existing database file (store_open checked and created it). */
struct store *store_sqlite_open(const char *path, int flags, char **cause);
/* A cached, reset statement; NULL with *cause when it cannot be prepared. */
sqlite3_stmt *store_sqlite_stmt(struct sqlite_store *s, enum store_stmt id,
	    char **cause);
/* Wrap the connection's last error: "store: what: message"; returns -1. */
int	store_sqlite_fail(struct sqlite_store *s, const char *what, char **cause);
/* Run a statement that returns no rows (SQLITE_DONE expected). */
int	store_sqlite_done(struct sqlite_store *s, sqlite3_stmt *stmt,
	    const char *what, char **cause);
/* BEGIN IMMEDIATE, COMMIT, ROLLBACK (rollback never fails visibly). */
int	store_sqlite_begin(struct sqlite_store *s, const char *what, char **cause);
int	store_sqlite_commit(struct sqlite_store *s, const char *what, char **cause);
void	store_sqlite_rollback(struct sqlite_store *s);
/* A column's text, copied; NULL when the column is NULL. */
char	*store_sqlite_text(sqlite3_stmt *stmt, int col);
/* Append one zeroed record of size bytes to arr (*n of *cap); new arr. */
void	*store_sqlite_grow(void *arr, size_t *n, size_t *cap, size_t size);
/*
 * The id of a host/model/version stream; created when create is set
 * (inside the caller's write transaction), else *id is 0 when unknown.
 */
int	store_sqlite_stream(struct sqlite_store *s, const struct store_key *k,
	    int create, int64_t *id, char **cause);

/* Fleet ops (store_fleet.c). */
int	store_fleet_host_put(struct store *st, const struct store_host *h,
	    char **cause);
int	store_fleet_host_list(struct store *st, struct store_host **out,
	    size_t *n, char **cause);
int	store_fleet_deployments_put(struct store *st, const char *host,
	    const struct store_deployment *d, size_t n, char **cause);
int	store_fleet_deployment_list(struct store *st,
	    struct store_deployment **out, size_t *n, char **cause);
int	store_fleet_metrics_add(struct store *st, const struct store_metric *m,
	    size_t n, char **cause);
int	store_fleet_metric_history(struct store *st, const struct store_key *k,
	    const char *name, int64_t since_ms, struct store_metric **out,
	    size_t *n, char **cause);
int	store_fleet_reference_put(struct store *st, const struct store_key *k,
	    const char *json, char **cause);
int	store_fleet_reference_get(struct store *st, const struct store_key *k,
	    char **json, char **cause);

/* Sample ops (store_samples.c). */
int	store_samples_cursor_get(struct store *st, const struct store_key *k,
	    const char *stream, char **cursor, char **cause);
int	store_samples_add(struct store *st, const struct store_key *k,
	    const struct store_sample *s, size_t n, const char *cursor,
	    size_t *added, char **cause);
int	store_samples_labels_add(struct store *st, const struct store_key *k,
	    const struct store_label *l, size_t n, const char *cursor,
	    size_t *added, char **cause);
int	store_samples_window(struct store *st, const struct store_key *k,
	    int64_t since_ms, size_t limit, struct store_sample **out,
	    size_t *n, char **cause);
int	store_samples_prune(struct store *st, const struct store_key *k,
	    int64_t before_ms, char **cause);

/* Audit ops (store_audit.c). */
int	store_audit_append(struct store *st, struct store_audit_entry *e,
	    store_audit_seal_fn seal, char **cause);
int	store_audit_append_batch(struct store *st, struct store_audit_entry *e,
	    size_t n, store_audit_seal_fn seal, char **cause);
int	store_audit_scan(struct store *st, const struct store_audit_query *q,
	    store_audit_visit_fn visit, void *arg, char **cause);
int	store_audit_tail(struct store *st, int64_t *seq, char hash[65],
	    char **cause);

/*
 * Schema (store_schema.c): bring the database to the current version, in
 * one write transaction; refuse a version newer than this binary knows.
 */
int	store_schema_migrate(struct sqlite_store *s, char **cause);
/* The version this binary writes (PRAGMA user_version). */
int	store_schema_latest(void);
/* The SQL of the step from version v to v + 1 (tests), NULL past the end. */
const char *store_schema_step(int v);

#endif
