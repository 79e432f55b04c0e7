/*
 * audit: appending to and verifying the hash chain (rules in audit.h).
 * SHA-256 comes from OpenSSL's EVP interface; the canonical encoding is
 * written here by hand because it must match docs/audit.md byte for byte,
 * whatever a JSON library's defaults become.
 */
#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

/* Length of the valid UTF-8 sequence at s (Python's strict rules), or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* No overlong forms, no UTF-16 surrogates. */
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
		    (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* A copy of s with every invalid UTF-8 byte replaced by U+FFFD. */
static char *
utf8_clean(const char *s)
{
	struct strbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		if ((n = utf8_len(p)) == 0) {
			strbuf_adds(&b, "\xef\xbf\xbd");
			p++;
		} else {
			strbuf_add(&b, p, n);
			p += n;
		}
	}
	return b.s != NULL ? strbuf_take(&b) : xstrdup("");
}

int
audit_entry_init(struct store_audit_entry *e, int64_t ts_ms,
    const char *actor, const char *action, const char *target,
    const char *details, const char *outcome, char **cause)
{
	cJSON *j;

	memset(e, 0, sizeof *e);
	if (actor == NULL || *actor == '\0' || action == NULL || *action == '\0')
		return xcause(cause, "audit: entry without actor or action");
	if (outcome == NULL || (strcmp(outcome, "allowed") != 0 &&
	    strcmp(outcome, "denied") != 0 && strcmp(outcome, "failed") != 0))
		return xcause(cause, "audit: outcome must be allowed, denied or "
		    "failed, not \"%s\"", outcome != NULL ? outcome : "(none)");
	if (details == NULL)
		details = "{}";
	j = cJSON_Parse(details);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return xcause(cause, "audit: details are not a JSON object: %.80s",
		    details);
	}
	cJSON_Delete(j);
	e->ts_ms = ts_ms;
	e->actor = utf8_clean(actor);
	e->action = utf8_clean(action);
	e->target = utf8_clean(target != NULL ? target : "");
	e->details = utf8_clean(details);
	e->outcome = xstrdup(outcome);
	return 0;
}

int
audit_append(struct store *st, const char *actor, const char *action,
    const char *target, const char *details, const char *outcome,
    char **cause)
{
	struct store_audit_entry e;
	int rc;

	if (audit_entry_init(&e, timefmt_now_ms(), actor, action, target,
	    details, outcome, cause) != 0)
		return -1;
	rc = st->ops->audit_append(st, &e, audit_seal, cause);
	store_audit_entry_clear(&e);
	return rc;
}

/* s as a JSON string literal, escaped as Python's json.dumps. */
static void
canon_string(struct strbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	const char *start = s;
	char esc[7];

	strbuf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		strbuf_add(b, start, (size_t)((const char *)p - start));
		start = (const char *)p + 1;
		switch (*p) {
		case '"':  strbuf_adds(b, "\\\""); break;
		case '\\': strbuf_adds(b, "\\\\"); break;
		case '\b': strbuf_adds(b, "\\b"); break;
		case '\f': strbuf_adds(b, "\\f"); break;
		case '\n': strbuf_adds(b, "\\n"); break;
		case '\r': strbuf_adds(b, "\\r"); break;
		case '\t': strbuf_adds(b, "\\t"); break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			esc[6] = '\0';
			strbuf_adds(b, esc);
		}
	}
	strbuf_adds(b, start);
	strbuf_addc(b, '"');
}

void
audit_canonical(struct strbuf *b, const struct store_audit_entry *e)
{
	strbuf_addf(b, "[%lld,%lld,", (long long)e->seq, (long long)e->ts_ms);
	canon_string(b, e->actor);
	strbuf_addc(b, ',');
	canon_string(b, e->action);
	strbuf_addc(b, ',');
	canon_string(b, e->target);
	strbuf_addc(b, ',');
	canon_string(b, e->details);
	strbuf_addc(b, ',');
	canon_string(b, e->outcome);
	strbuf_addc(b, ']');
}

/* out = hex SHA-256(prev || canonical(e)), reusing ctx and buf. */
static void
hash_with(EVP_MD_CTX *ctx, struct strbuf *buf, const char *prev,
    const struct store_audit_entry *e, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	strbuf_reset(buf);
	audit_canonical(buf, e);
	if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, prev, strlen(prev)) != 1 ||
	    EVP_DigestUpdate(ctx, buf->s, buf->len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &len) != 1 || len != 32) {
		/* Only a broken libcrypto gets here; never seal garbage. */
		fprintf(stderr, "modeldeck: audit: SHA-256 failed\n");
		abort();
	}
	for (i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[64] = '\0';
}

void
audit_hash(const char *prev, const struct store_audit_entry *e, char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct strbuf buf = { 0 };

	if (ctx == NULL) {
		fprintf(stderr, "modeldeck: audit: out of memory\n");
		abort();
	}
	hash_with(ctx, &buf, prev, e, out);
	EVP_MD_CTX_free(ctx);
	strbuf_free(&buf);
}

void
audit_seal(struct store_audit_entry *e)
{
	audit_hash(e->prev_hash, e, e->hash);
}

int
audit_check_hash(const char *s, char **cause)
{
	size_t i;

	for (i = 0; s != NULL && i < 64; i++) {
		if (strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			break;
	}
	if (s == NULL || i != 64 || s[64] != '\0')
		return xcause(cause, "audit: \"%.80s\" is not a head hash "
		    "(64 lowercase hex digits, as printed by `modeldeck audit "
		    "head`)", s != NULL ? s : "");
	return 0;
}

struct verify_state {
	struct audit_verify	*r;
	EVP_MD_CTX		*ctx;
	struct strbuf		 buf;
	const char		*head;
	int			 head_seen;
	char			 prev[65];
};

static int
broken(struct verify_state *vs, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
broken(struct verify_state *vs, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	vs->r->bad_seq = seq;
	va_start(ap, fmt);
	vs->r->why = xvasprintf(fmt, ap);
	va_end(ap);
	return 1;
}

static int
verify_one(void *arg, const struct store_audit_entry *e)
{
	struct verify_state *vs = arg;
	int64_t want = vs->r->last_seq + 1;
	char h[65];

	if (e->seq != want) {
		if (e->seq > want)
			return broken(vs, want, "entry %lld is missing (the next "
			    "entry is %lld): deleted", (long long)want,
			    (long long)e->seq);
		return broken(vs, want, "entry %lld found where %lld was "
		    "expected: inserted or renumbered", (long long)e->seq,
		    (long long)want);
	}
	if (strcmp(e->prev_hash, vs->prev) != 0)
		return broken(vs, e->seq, "prev_hash does not match the hash of "
		    "entry %lld: an entry was inserted, deleted or moved",
		    (long long)want - 1);
	hash_with(vs->ctx, &vs->buf, vs->prev, e, h);
	if (strcmp(h, e->hash) != 0)
		return broken(vs, e->seq, "hash does not match the entry's "
		    "contents: edited");
	vs->r->entries++;
	vs->r->last_seq = e->seq;
	memcpy(vs->prev, e->hash, 65);
	if (vs->head != NULL && strcmp(vs->head, e->hash) == 0)
		vs->head_seen = 1;
	return 0;
}

int
audit_verify(struct store *st, const char *head, struct audit_verify *r,
    char **cause)
{
	struct store_audit_query q = { .after_seq = INT64_MIN };
	struct verify_state vs;
	int rc;

	memset(r, 0, sizeof *r);
	memcpy(r->head, AUDIT_ZERO_HASH, 65);
	if (head != NULL && audit_check_hash(head, cause) != 0)
		return -1;
	memset(&vs, 0, sizeof vs);
	vs.r = r;
	vs.head = head;
	memcpy(vs.prev, AUDIT_ZERO_HASH, 65);
	if ((vs.ctx = EVP_MD_CTX_new()) == NULL)
		return xcause(cause, "audit: out of memory");
	rc = st->ops->audit_scan(st, &q, verify_one, &vs, cause);
	EVP_MD_CTX_free(vs.ctx);
	strbuf_free(&vs.buf);
	if (rc != 0)
		return -1;
	memcpy(r->head, vs.prev, 65);
	if (r->bad_seq != 0)
		return 1;
	if (head != NULL && !vs.head_seen && strcmp(head, AUDIT_ZERO_HASH) != 0) {
		broken(&vs, r->last_seq + 1, "the head %.12s... given is not in "
		    "the chain, which ends at entry %lld: entries from %lld on "
		    "were removed (truncated tail) or the chain was rewritten",
		    head, (long long)r->last_seq, (long long)r->last_seq + 1);
		return 1;
	}
	return 0;
}

void
audit_verify_free(struct audit_verify *r)
{
	free(r->why);
	r->why = NULL;
}
