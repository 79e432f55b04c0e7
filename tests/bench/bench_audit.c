/*
 * bench_audit DIR [APPENDS] [CHAIN]: the audit trail's cost, side by side
 * in one run on one machine.
 *
 * 1. APPENDS audit appends (audit_append: one BEGIN IMMEDIATE transaction
 *    each, tail read, canonical encoding, SHA-256, insert) against bare
 *    SQLite inserts of the same rows, one autocommit transaction each, into
 *    a table of the same shape in a file with the same settings (WAL,
 *    synchronous=NORMAL, busy_timeout).  Prints both rates and the ratio.
 * 2. A CHAIN-entry chain (default 1,000,000) built with the same sealing
 *    code in batches of one transaction, then `audit_verify` timed over it.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "store/store.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define BATCH 50000

static double
secs_since(int64_t t0)
{
	return (double)(timefmt_mono_ms() - t0) / 1000.0;
}

static void
row(int i, char *details, size_t len)
{
	snprintf(details, len, "{\"args\":[\"credit-risk\",\"--reason\","
	    "\"canary %d ok\"],\"origin\":\"cli\"}", i);
}

static int
bench_audit_appends(const char *path, int n, double *rate)
{
	struct store *st;
	char details[128], *cause = NULL;
	int64_t t0;
	int i;

	if ((st = store_open(path, STORE_CREATE, &cause)) == NULL) {
		fprintf(stderr, "bench_audit: %s\n", cause);
		return -1;
	}
	t0 = timefmt_mono_ms();
	for (i = 0; i < n; i++) {
		row(i, details, sizeof details);
		if (audit_append(st, "alice", "approve", "credit-risk@7", details,
		    "allowed", &cause) != 0) {
			fprintf(stderr, "bench_audit: %s\n", cause);
			return -1;
		}
	}
	*rate = n / secs_since(t0);
	st->ops->close(st);
	return 0;
}

static int
bench_bare_inserts(const char *path, int n, double *rate)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	char details[128];
	int64_t t0;
	int i, rc = 0;

	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous ="
	    " NORMAL; PRAGMA foreign_keys = ON; CREATE TABLE audit (seq INTEGER"
	    " PRIMARY KEY, ts_ms INTEGER NOT NULL, actor TEXT NOT NULL, action"
	    " TEXT NOT NULL, target TEXT NOT NULL, details TEXT NOT NULL,"
	    " outcome TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT"
	    " NULL); CREATE INDEX audit_by_ts ON audit(ts_ms)", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO audit (ts_ms, actor, action,"
	    " target, details, outcome, prev_hash, hash) VALUES (?1, 'alice',"
	    " 'approve', 'credit-risk@7', ?2, 'allowed', ?3, ?3)", -1, &stmt,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_audit: bare: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	t0 = timefmt_mono_ms();
	for (i = 0; i < n && rc == 0; i++) {
		row(i, details, sizeof details);
		sqlite3_bind_int64(stmt, 1, timefmt_now_ms());
		sqlite3_bind_text(stmt, 2, details, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, AUDIT_ZERO_HASH, -1, SQLITE_STATIC);
		rc = sqlite3_step(stmt) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(stmt);
	}
	*rate = n / secs_since(t0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc;
}

static int
build_chain(struct store *st, int n)
{
	struct store_audit_entry *e = xcalloc(BATCH, sizeof *e);
	char details[128], *cause = NULL;
	int done = 0, k, i;

	while (done < n) {
		k = n - done < BATCH ? n - done : BATCH;
		for (i = 0; i < k; i++) {
			row(done + i, details, sizeof details);
			audit_entry_init(&e[i], timefmt_now_ms(), "alice",
			    "approve", "credit-risk@7", details, "allowed", NULL);
		}
		if (st->ops->audit_append_batch(st, e, (size_t)k, audit_seal,
		    &cause) != 0) {
			fprintf(stderr, "bench_audit: %s\n", cause);
			return -1;
		}
		for (i = 0; i < k; i++)
			store_audit_entry_clear(&e[i]);
		done += k;
	}
	free(e);
	return 0;
}

static int
bench_verify(const char *path, int n)
{
	struct audit_verify r;
	struct store *st;
	char *cause = NULL;
	int64_t t0;
	double build, verify;
	int rc;

	if ((st = store_open(path, STORE_CREATE, &cause)) == NULL) {
		fprintf(stderr, "bench_audit: %s\n", cause);
		return -1;
	}
	t0 = timefmt_mono_ms();
	if (build_chain(st, n) != 0)
		return -1;
	build = secs_since(t0);
	t0 = timefmt_mono_ms();
	rc = audit_verify(st, NULL, &r, &cause);
	verify = secs_since(t0);
	if (rc != 0 || r.entries != n) {
		fprintf(stderr, "bench_audit: verify gave %d, %lld entries\n", rc,
		    (long long)r.entries);
		return -1;
	}
	printf("chain of %d entries: built in %.2f s (%.0f entries/s, batches "
	    "of %d per transaction)\n", n, build, n / build, BATCH);
	printf("verify %d-entry chain: %.2f s (%.0f entries/s)\n", n, verify,
	    n / verify);
	audit_verify_free(&r);
	st->ops->close(st);
	return 0;
}

int
main(int argc, char **argv)
{
	char *a, *b, *c;
	int appends, chain;
	double audit_rate, bare_rate;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_audit DIR [APPENDS] [CHAIN]\n");
		return 2;
	}
	appends = argc > 2 ? atoi(argv[2]) : 5000;
	chain = argc > 3 ? atoi(argv[3]) : 1000000;
	a = xasprintf("%s/appends.db", argv[1]);
	b = xasprintf("%s/bare.db", argv[1]);
	c = xasprintf("%s/chain.db", argv[1]);
	if (bench_bare_inserts(b, appends, &bare_rate) != 0 ||
	    bench_audit_appends(a, appends, &audit_rate) != 0)
		return 1;
	printf("bare sqlite inserts: %.0f rows/s (%d rows, one transaction each)\n",
	    bare_rate, appends);
	printf("audit appends:       %.0f entries/s (%d entries, one transaction each)\n",
	    audit_rate, appends);
	printf("ratio audit/bare:    %.2f (audit appends run at %.0f%% of bare inserts)\n",
	    audit_rate / bare_rate, 100.0 * audit_rate / bare_rate);
	if (bench_verify(c, chain) != 0)
		return 1;
	free(a);
	free(b);
	free(c);
	return 0;
}
