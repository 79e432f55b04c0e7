/*
 * store_audit: the audit table's ops.  An append reads the tail and inserts
 * the next entry inside one BEGIN IMMEDIATE transaction, so concurrent
 * writers (several consoles, the CLI) are serialised by SQLite's write lock
 * and every entry links to the one really before it.  The hash rule itself
 * is not here: the caller's seal function (src/audit/) computes it.
 * UPDATE and DELETE are refused by triggers (store_schema.c).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_sqlite.h"
#include "util/xmalloc.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Copy a 64-character hash column; anything else becomes "" (never valid). */
static void
copy_hash(char dst[65], sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	dst[0] = '\0';
	if (t != NULL && sqlite3_column_bytes(stmt, col) == 64)
		memcpy(dst, t, 65);
}

static int
read_tail(struct sqlite_store *s, int64_t *seq, char hash[65], char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_sqlite_stmt(s, STMT_AUDIT_TAIL, cause)) == NULL)
		return -1;
	*seq = 0;
	memcpy(hash, ZERO_HASH, 65);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(stmt, 0);
		copy_hash(hash, stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_fail(s, "audit tail", cause);
	return 0;
}

static int
insert_one(struct sqlite_store *s, struct store_audit_entry *e,
    store_audit_seal_fn seal, int64_t *seq, char hash[65], char **cause)
{
	sqlite3_stmt *stmt;

	if (e->actor == NULL || e->action == NULL || e->outcome == NULL)
		return xcause(cause, "store: audit entry without actor, action "
		    "or outcome");
	e->seq = *seq + 1;
	memcpy(e->prev_hash, hash, 65);
	seal(e);
	if ((stmt = store_sqlite_stmt(s, STMT_AUDIT_ADD, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, e->seq);
	sqlite3_bind_int64(stmt, 2, e->ts_ms);
	sqlite3_bind_text(stmt, 3, e->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, e->target != NULL ? e->target : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, e->details != NULL ? e->details : "{}", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, e->outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, e->prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, e->hash, -1, SQLITE_STATIC);
	if (store_sqlite_done(s, stmt, "audit append", cause) != 0)
		return -1;
	*seq = e->seq;
	memcpy(hash, e->hash, 65);
	return 0;
}

int
store_audit_append_batch(struct store *st, struct store_audit_entry *e,
    size_t n, store_audit_seal_fn seal, char **cause)
{
	struct sqlite_store *s = SQ(st);
	char hash[65];
	int64_t seq;
	size_t i;

	if (store_sqlite_begin(s, "audit append", cause) != 0)
		return -1;
	if (read_tail(s, &seq, hash, cause) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if (insert_one(s, &e[i], seal, &seq, hash, cause) != 0)
			goto fail;
	}
	return store_sqlite_commit(s, "audit append", cause);
fail:
	store_sqlite_rollback(s);
	return -1;
}

int
store_audit_append(struct store *st, struct store_audit_entry *e,
    store_audit_seal_fn seal, char **cause)
{
	return store_audit_append_batch(st, e, 1, seal, cause);
}

static void
read_entry(sqlite3_stmt *stmt, struct store_audit_entry *e)
{
	e->seq = sqlite3_column_int64(stmt, 0);
	e->ts_ms = sqlite3_column_int64(stmt, 1);
	/* Borrowed: valid until the next step, as the visitor is told. */
	e->actor = (char *)sqlite3_column_text(stmt, 2);
	e->action = (char *)sqlite3_column_text(stmt, 3);
	e->target = (char *)sqlite3_column_text(stmt, 4);
	e->details = (char *)sqlite3_column_text(stmt, 5);
	e->outcome = (char *)sqlite3_column_text(stmt, 6);
	copy_hash(e->prev_hash, stmt, 7);
	copy_hash(e->hash, stmt, 8);
	if (e->actor == NULL)
		e->actor = (char *)"";
	if (e->action == NULL)
		e->action = (char *)"";
	if (e->target == NULL)
		e->target = (char *)"";
	if (e->details == NULL)
		e->details = (char *)"";
	if (e->outcome == NULL)
		e->outcome = (char *)"";
}

int
store_audit_scan(struct store *st, const struct store_audit_query *q,
    store_audit_visit_fn visit, void *arg, char **cause)
{
	struct sqlite_store *s = SQ(st);
	struct store_audit_entry e;
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_sqlite_stmt(s, STMT_AUDIT_SCAN, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, q != NULL ? q->after_seq : 0);
	sqlite3_bind_int64(stmt, 2, q != NULL && q->since_ms != 0 ?
	    q->since_ms : INT64_MIN);
	sqlite3_bind_int64(stmt, 3, q != NULL && q->limit > 0 ? q->limit : -1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&e, 0, sizeof e);
		read_entry(stmt, &e);
		if (visit(arg, &e) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_sqlite_fail(s, "audit scan", cause);
	return 0;
}

int
store_audit_tail(struct store *st, int64_t *seq, char hash[65], char **cause)
{
	return read_tail(SQ(st), seq, hash, cause);
}
