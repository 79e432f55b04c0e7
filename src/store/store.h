/*
 * store: the one door to persistent state.  Every read and write of the
 * database goes through `struct store_ops`; no SQL exists outside
 * src/store/.  The SQLite back end (store_sqlite.c) is the only one today;
 * the ops are written so that a PostgreSQL back end (libpq) can fill the
 * same struct: no caller relies on SQLite-only behaviour.
 *
 * Ownership: functions that return records allocate them; the caller frees
 * them with the matching *_free helper below.  Strings passed in are
 * borrowed for the duration of the call.  Every op returns 0 on success
 * and -1 with an allocated, readable *cause ("store: approve 42: database
 * is locked") on failure.
 */
#ifndef MD_STORE_H
#define MD_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* A model host as last polled. */
struct store_host {
	char	*name;
	char	*url;
	char	*state;		/* "up", "degraded", "down", "unauthorized", "unknown" */
	char	*error;		/* last error in plain words, NULL when none */
	int64_t	 last_ok_ms;	/* time of the last success, 0 = never */
	int64_t	 updated_ms;	/* time of the last poll */
};

/* One deployed model version as the host reported it. */
struct store_deployment {
	char	*host;
	char	*model;
	char	*version;
	char	*stage;		/* shadow, canary, full, retired */
	double	 traffic_percent;
	int64_t	 since_ms;
};

/* One derived figure of one version at one time (history for trends). */
struct store_metric {
	char	*host;
	char	*model;
	char	*version;
	char	*name;		/* "p99_latency_ms", "error_rate", "psi:income", ... */
	double	 value;
	int64_t	 ts_ms;
};

/* Identifies one model version's stream on one host. */
struct store_key {
	const char *host;
	const char *model;
	const char *version;
};

/* One live sample: features kept as the host's JSON object text. */
struct store_sample {
	char	*id;
	int64_t	 ts_ms;
	char	*features_json;
	char	*prediction_json;	/* number or string, as JSON text */
	char	*label_json;		/* NULL until a label arrived */
};

/* One late label, joined to its sample by id. */
struct store_label {
	char	*id;
	char	*label_json;
	int64_t	 ts_ms;
};

/* One audit entry: see src/audit/audit.h for the chain rules. */
struct store_audit_entry {
	int64_t	 seq;		/* 1, 2, 3 ... assigned by the store */
	int64_t	 ts_ms;		/* UTC, milliseconds */
	char	*actor;		/* "alice", or "root as alice" */
	char	*action;	/* command name */
	char	*target;	/* "credit-risk@7", "" when none */
	char	*details;	/* JSON object text */
	char	*outcome;	/* "allowed", "denied", "failed" */
	char	 prev_hash[65];	/* hex SHA-256 of the previous entry, 64 zeros first */
	char	 hash[65];
};

/*
 * Called by audit_append inside the write transaction, after the store has
 * filled seq and prev_hash, to compute e->hash.  Keeping the hash outside
 * the store keeps the chain rule in one place (src/audit/).
 */
typedef void (*store_audit_seal_fn)(struct store_audit_entry *e);

/* Called for each entry in sequence order; return non-zero to stop. */
typedef int (*store_audit_visit_fn)(void *arg, const struct store_audit_entry *e);

struct store_audit_query {
	int64_t	 after_seq;	/* entries with seq > after_seq (0 = from the
				   start; INT64_MIN also shows forged seq <= 0) */
	int64_t	 since_ms;	/* and ts_ms >= since_ms (0 = any) */
	int64_t	 limit;		/* at most this many (0 = no limit) */
};

struct store_ops {
	const char *name;	/* "sqlite" */

	/* Release everything; the handle is invalid afterwards. */
	void	(*close)(struct store *st);

	/* Hosts: insert or update by name. */
	int	(*host_put)(struct store *st, const struct store_host *h, char **cause);
	/* All hosts by name; *out is an array of *n records. */
	int	(*host_list)(struct store *st, struct store_host **out, size_t *n, char **cause);

	/*
	 * Replace a host's deployments with the list it reported (models and
	 * versions are created as seen, "no RACI" until configured).
	 */
	int	(*deployments_put)(struct store *st, const char *host,
		    const struct store_deployment *d, size_t n, char **cause);
	int	(*deployment_list)(struct store *st, struct store_deployment **out,
		    size_t *n, char **cause);

	/* Append derived figures (one transaction for the batch). */
	int	(*metrics_add)(struct store *st, const struct store_metric *m,
		    size_t n, char **cause);
	/* History of one figure of one version since since_ms, oldest first. */
	int	(*metric_history)(struct store *st, const struct store_key *k,
		    const char *name, int64_t since_ms, struct store_metric **out,
		    size_t *n, char **cause);

	/* A version's reference body (JSON text), cached once fetched. */
	int	(*reference_put)(struct store *st, const struct store_key *k,
		    const char *json, char **cause);
	/* *json is NULL when not cached yet. */
	int	(*reference_get)(struct store *st, const struct store_key *k,
		    char **json, char **cause);

	/*
	 * Cursor of a stream ("samples" or "labels"): *cursor NULL when none.
	 */
	int	(*cursor_get)(struct store *st, const struct store_key *k,
		    const char *stream, char **cursor, char **cause);
	/*
	 * Store a page of samples and the cursor after it in ONE transaction,
	 * so a killed process neither loses nor double-counts a page: a
	 * sample id already stored is ignored.  *added is how many were new.
	 */
	int	(*samples_add)(struct store *st, const struct store_key *k,
		    const struct store_sample *s, size_t n, const char *cursor,
		    size_t *added, char **cause);
	/* Same for a page of labels. */
	int	(*labels_add)(struct store *st, const struct store_key *k,
		    const struct store_label *l, size_t n, const char *cursor,
		    size_t *added, char **cause);
	/*
	 * The newest `limit` samples of a version with ts_ms >= since_ms,
	 * oldest first, label joined when one arrived.
	 */
	int	(*samples_window)(struct store *st, const struct store_key *k,
		    int64_t since_ms, size_t limit, struct store_sample **out,
		    size_t *n, char **cause);
	/* Delete samples older than before_ms (window eviction by age). */
	int	(*samples_prune)(struct store *st, const struct store_key *k,
		    int64_t before_ms, char **cause);

	/*
	 * Append one audit entry atomically: in one write transaction, read
	 * the tail, set e->seq and e->prev_hash, call seal(e), insert.
	 */
	int	(*audit_append)(struct store *st, struct store_audit_entry *e,
		    store_audit_seal_fn seal, char **cause);
	/*
	 * Visit entries matching q in sequence order.  The entry's strings
	 * are borrowed until visit returns; visit must not call the store.
	 */
	int	(*audit_scan)(struct store *st, const struct store_audit_query *q,
		    store_audit_visit_fn visit, void *arg, char **cause);
	/*
	 * Append n entries in ONE write transaction, sealing each in turn
	 * (bulk import and benchmarks); all or nothing.
	 */
	int	(*audit_append_batch)(struct store *st, struct store_audit_entry *e,
		    size_t n, store_audit_seal_fn seal, char **cause);
	/* The last entry's seq and hash (seq 0, 64 zeros when empty). */
	int	(*audit_tail)(struct store *st, int64_t *seq, char hash[65],
		    char **cause);
};

/* Every back end's handle starts with its ops. */
struct store {
	const struct store_ops *ops;
};

/* Open flags for store_open. */
#define STORE_CREATE	0x1	/* create the file and its folder when missing */
#define STORE_READONLY	0x2

/*
 * Open (and create or migrate) the SQLite database at path.  Refuses a
 * world-writable file or folder, naming it, and a schema newer than this
 * binary.  With STORE_CREATE a missing folder is made 0700 and a missing
 * file 0600 (0660 inside a setgid group-writable folder), umask applied.
 * NULL with *cause on failure.
 */
struct store *store_open(const char *path, int flags, char **cause);

void	store_host_free(struct store_host *h, size_t n);
void	store_deployment_free(struct store_deployment *d, size_t n);
void	store_metric_free(struct store_metric *m, size_t n);
void	store_sample_free(struct store_sample *s, size_t n);
void	store_label_free(struct store_label *l, size_t n);
void	store_audit_entry_clear(struct store_audit_entry *e);

#endif
