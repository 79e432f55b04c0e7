/*
 * audit: the tamper-evident audit trail on top of the store.
 *
 * Each entry has seq (1, 2, 3 ...), ts_ms (UTC ms), actor, action, target,
 * details (a JSON object, kept as the exact text given), outcome
 * ("allowed", "denied", "failed"), prev_hash and hash, where
 *
 *   hash = lowercase hex SHA-256( prev_hash || canonical(entry) )
 *
 * prev_hash is the previous entry's hash as 64 ASCII hex characters (64
 * zeros for seq 1), and canonical(entry) is the UTF-8 text of the JSON
 * array [seq,ts_ms,actor,action,target,details,outcome]: integers in plain
 * decimal, strings (details included, as a string) escaped exactly as
 * Python's json.dumps(..., ensure_ascii=False, separators=(",", ":")) does:
 * \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx, nothing else.
 * docs/audit.md gives the rule and an independent checker.  Strings are
 * made valid UTF-8 before sealing (an invalid byte becomes U+FFFD), so the
 * encoding is the same in every language.
 *
 * Ownership: strings passed in are borrowed; results that allocate say so.
 */
#ifndef MD_AUDIT_H
#define MD_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/strbuf.h"

#define AUDIT_ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

/*
 * Append one entry now (UTC ms) to the trail: validates outcome and
 * details (a JSON object; NULL means "{}"), then lets the store link and
 * seal it in one transaction.  0, or -1 with *cause.
 */
int	audit_append(struct store *st, const char *actor, const char *action,
	    const char *target, const char *details, const char *outcome,
	    char **cause);
/*
 * Fill e (allocated strings, e->seq 0) with a validated entry at ts_ms,
 * ready for the store's audit_append or audit_append_batch with
 * audit_seal.  Free with store_audit_entry_clear.  0, or -1 with *cause.
 */
int	audit_entry_init(struct store_audit_entry *e, int64_t ts_ms,
	    const char *actor, const char *action, const char *target,
	    const char *details, const char *outcome, char **cause);
/* Append the canonical encoding of e (seq through outcome) to b. */
void	audit_canonical(struct strbuf *b, const struct store_audit_entry *e);
/* out = hex SHA-256(prev || canonical(e)). */
void	audit_hash(const char *prev, const struct store_audit_entry *e,
	    char out[65]);
/* Set e->hash from e->prev_hash: the store's seal callback. */
void	audit_seal(struct store_audit_entry *e);

/* The result of audit_verify. */
struct audit_verify {
	int64_t	 entries;	/* entries read */
	int64_t	 last_seq;	/* seq of the last entry read, 0 when empty */
	char	 head[65];	/* hash of the last entry (zeros when empty) */
	int64_t	 bad_seq;	/* the first bad sequence number, 0 = valid */
	char	*why;		/* what is wrong at bad_seq (allocated) or NULL */
};

/*
 * Check the whole chain: seq runs 1, 2, 3 ... with no gap, each
 * prev_hash is the hash before it, and each hash is recomputed.  With
 * head (a hash printed earlier by `audit head`) the chain must still
 * contain it, which catches a truncated tail.  Returns 0 when valid, 1
 * when broken (r->bad_seq and r->why say where and what), -1 with *cause
 * when the trail cannot be read or head is malformed.
 */
int	audit_verify(struct store *st, const char *head, struct audit_verify *r,
	    char **cause);
void	audit_verify_free(struct audit_verify *r);
/* Is s a well-formed hash (64 hex digits)?  0, or -1 with *cause. */
int	audit_check_hash(const char *s, char **cause);

enum audit_format {
	AUDIT_FORMAT_TEXT,	/* aligned columns for people; control chars escaped */
	AUDIT_FORMAT_JSON,	/* one JSON array */
	AUDIT_FORMAT_JSONL,	/* one JSON object per line */
	AUDIT_FORMAT_CSV,	/* RFC 4180, header line first */
};

/* "text", "json", "jsonl" or "csv"; 0, or -1 with *cause. */
int	audit_format_parse(const char *s, enum audit_format *fmt, char **cause);

/* Which entries audit_filter_list shows; opaque (holds the compiled regex). */
struct audit_filter;

/*
 * A filter for entries with ts_ms >= since_ms (0 = any) whose text line
 * matches the PCRE2 pattern grep (NULL = any).  The match runs under a
 * match, depth and heap limit, so no pattern can hang the console.  NULL
 * with *cause ("--grep: missing ) at offset 3") for a bad pattern.
 */
struct audit_filter *audit_filter_new(const char *grep, int64_t since_ms,
	    char **cause);
void	audit_filter_free(struct audit_filter *f);

/* Receives each piece of output audit_filter_list produces (a line or more). */
typedef void (*audit_emit_fn)(void *arg, const char *text);

/*
 * Write the entries f lets through in format fmt to emit, *count (may be
 * NULL) being how many.  Returns 0, -1 with *cause when the store fails,
 * or -2 with *cause when the pattern hit its limits (bad input).
 */
int	audit_filter_list(struct store *st, const struct audit_filter *f,
	    enum audit_format fmt, audit_emit_fn emit, void *arg,
	    int64_t *count, char **cause);
/* Append one entry to b in format fmt (no JSON array brackets). */
void	audit_format_entry(struct strbuf *b, enum audit_format fmt,
	    const struct store_audit_entry *e);

#endif
