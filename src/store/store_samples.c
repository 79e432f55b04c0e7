/*
 * store_samples: live samples, late labels and the cursors that say how
 * far each stream has been read.  A page and the cursor after it are
 * written in ONE transaction: a process killed at any point leaves either
 * both or neither, and a sample or label id already stored is ignored, so
 * a re-read page is never counted twice.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "util/xmalloc.h"

/*
 * The statement `which` with its first two parameters bound: the stream's
 * row id and a text (the cursor's stream name, or the sample or label id).
 */
static sqlite3_stmt *
stream_stmt(struct sqlite_store *s, enum store_stmt which, int64_t id,
    const char *text, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = store_sqlite_stmt(s, which, cause)) == NULL)
		return NULL;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, text, -1, SQLITE_STATIC);
	return stmt;
}

/* Run an insert that ignores known ids, adding the rows it made to *added. */
static int
insert_counted(struct sqlite_store *s, sqlite3_stmt *stmt, const char *what,
    size_t *added, char **cause)
{
	if (store_sqlite_done(s, stmt, what, cause) != 0)
		return -1;
	*added += (size_t)sqlite3_changes(s->db);
	return 0;
}

int
store_samples_cursor_get(struct store *st, const struct store_key *k,
    const char *stream, char **cursor, char **cause)
{
	struct sqlite_store *s = SQ(st);
	sqlite3_stmt *stmt;
	int64_t id;
	int rc;

	*cursor = NULL;
	if (store_sqlite_stream(s, k, 0, &id, cause) != 0)
		return -1;
	if (id == 0)
		return 0;
	if ((stmt = stream_stmt(s, STMT_CURSOR_GET, id, stream, cause)) == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*cursor = store_sqlite_text(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "cursor", cause);
	return 0;
}

static int
cursor_put(struct sqlite_store *s, int64_t id, const char *stream,
    const char *cursor, char **cause)
{
	sqlite3_stmt *stmt;

	if (cursor == NULL)
		return 0;
	if ((stmt = stream_stmt(s, STMT_CURSOR_PUT, id, stream, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 3, cursor, -1, SQLITE_STATIC);
	return store_sqlite_done(s, stmt, "cursor", cause);
}

static int
sample_one(struct sqlite_store *s, int64_t id, const struct store_sample *x,
    size_t *added, char **cause)
{
	sqlite3_stmt *stmt;

	if (x->id == NULL || x->features_json == NULL)
		return xcause(cause, "store: sample without id or features");
	if ((stmt = stream_stmt(s, STMT_SAMPLE_ADD, id, x->id, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 3, x->ts_ms);
	sqlite3_bind_text(stmt, 4, x->features_json, -1, SQLITE_STATIC);
	if (x->prediction_json != NULL)
		sqlite3_bind_text(stmt, 5, x->prediction_json, -1, SQLITE_STATIC);
	return insert_counted(s, stmt, "samples", added, cause);
}

static int
label_one(struct sqlite_store *s, int64_t id, const struct store_label *x,
    size_t *added, char **cause)
{
	sqlite3_stmt *stmt;

	if (x->id == NULL || x->label_json == NULL)
		return xcause(cause, "store: label without id or value");
	if ((stmt = stream_stmt(s, STMT_LABEL_ADD, id, x->id, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 3, x->label_json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, x->ts_ms);
	return insert_counted(s, stmt, "labels", added, cause);
}

/* One page of samples (labels == NULL) or labels, then the cursor. */
static int
add_page(struct store *st, const struct store_key *k,
    const struct store_sample *smp, const struct store_label *lab, size_t n,
    const char *cursor, size_t *added, char **cause)
{
	struct sqlite_store *s = SQ(st);
	const char *what = lab != NULL ? "labels" : "samples";
	int64_t id;
	size_t i, count = 0;

	if (added != NULL)
		*added = 0;
	if (store_sqlite_begin(s, what, cause) != 0)
		return -1;
	if (store_sqlite_stream(s, k, 1, &id, cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((lab != NULL ? label_one(s, id, &lab[i], &count, cause) :
		    sample_one(s, id, &smp[i], &count, cause)) != 0)
			goto fail;
	}
	if (cursor_put(s, id, what, cursor, cause) != 0 ||
	    store_sqlite_commit(s, what, cause) != 0)
		goto fail;
	if (added != NULL)
		*added = count;
	return 0;
fail:
	store_sqlite_rollback(s);
	return -1;
}

int
store_samples_add(struct store *st, const struct store_key *k,
    const struct store_sample *s, size_t n, const char *cursor, size_t *added,
    char **cause)
{
	return add_page(st, k, s, NULL, n, cursor, added, cause);
}

int
store_samples_labels_add(struct store *st, const struct store_key *k,
    const struct store_label *l, size_t n, const char *cursor, size_t *added,
    char **cause)
{
	static const struct store_label none;

	/* A page of zero labels still moves the cursor. */
	return add_page(st, k, NULL, l != NULL ? l : &none, n, cursor, added,
	    cause);
}

int
store_samples_window(struct store *st, const struct store_key *k,
    int64_t since_ms, size_t limit, struct store_sample **out, size_t *n,
    char **cause)
{
	struct sqlite_store *s = SQ(st);
	struct store_sample *arr = NULL, *x;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int64_t id;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sqlite_stream(s, k, 0, &id, cause) != 0)
		return -1;
	if (id == 0)
		return 0;
	if ((stmt = store_sqlite_stmt(s, STMT_SAMPLE_WINDOW, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, since_ms);
	sqlite3_bind_int64(stmt, 3, limit == 0 ? -1 : (int64_t)limit);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		arr = store_sqlite_grow(arr, n, &cap, sizeof *arr);
		x = &arr[*n - 1];
		x->id = store_sqlite_text(stmt, 0);
		x->ts_ms = sqlite3_column_int64(stmt, 1);
		x->features_json = store_sqlite_text(stmt, 2);
		x->prediction_json = store_sqlite_text(stmt, 3);
		x->label_json = store_sqlite_text(stmt, 4);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		store_sample_free(arr, *n);
		*n = 0;
		return store_sqlite_fail(s, "samples window", cause);
	}
	*out = arr;
	return 0;
}

int
store_samples_prune(struct store *st, const struct store_key *k,
    int64_t before_ms, char **cause)
{
	struct sqlite_store *s = SQ(st);
	sqlite3_stmt *stmt;
	int64_t id;
	int i;

	if (store_sqlite_stream(s, k, 0, &id, cause) != 0)
		return -1;
	if (id == 0)
		return 0;
	if (store_sqlite_begin(s, "prune", cause) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		stmt = store_sqlite_stmt(s, i == 0 ? STMT_SAMPLE_PRUNE :
		    STMT_LABEL_PRUNE, cause);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, before_ms);
		if (store_sqlite_done(s, stmt, "prune", cause) != 0)
			goto fail;
	}
	return store_sqlite_commit(s, "prune", cause);
fail:
	store_sqlite_rollback(s);
	return -1;
}
