/*
 * audit_filter: choosing and writing out entries (`audit`, `audit
 * export`).  The --grep pattern is PCRE2, matched against the entry's text
 * line (as `modeldeck audit` prints it) under a match limit, a depth limit
 * and a heap limit: a pathological pattern such as (a+)+$ stops with a
 * clear error instead of hanging the console.  No JIT: the interpreter
 * honours every limit.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/xmalloc.h"

#define MATCH_LIMIT	200000	/* backtracking steps per entry */
#define DEPTH_LIMIT	2000	/* nested backtracking frames */
#define HEAP_LIMIT	8192	/* KiB of backtracking memory */

struct audit_filter {
	pcre2_code		*re;		/* NULL: every entry */
	pcre2_match_context	*mctx;
	int64_t			 since_ms;
};

struct audit_filter *
audit_filter_new(const char *grep, int64_t since_ms, char **cause)
{
	struct audit_filter *f = xcalloc(1, sizeof *f);
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int err;

	f->since_ms = since_ms;
	if (grep == NULL)
		return f;
	f->re = pcre2_compile((PCRE2_SPTR)grep, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
	if (f->re == NULL) {
		pcre2_get_error_message(err, msg, sizeof msg);
		xcause(cause, "--grep: bad regular expression at offset %zu: %s",
		    (size_t)off, (char *)msg);
		free(f);
		return NULL;
	}
	f->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(f->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(f->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(f->mctx, HEAP_LIMIT);
	return f;
}

void
audit_filter_free(struct audit_filter *f)
{
	if (f == NULL)
		return;
	pcre2_code_free(f->re);
	pcre2_match_context_free(f->mctx);
	free(f);
}

struct list_state {
	const struct audit_filter *f;
	enum audit_format	 fmt;
	audit_emit_fn		 emit;
	void			*arg;
	pcre2_match_data	*md;
	struct strbuf		 line;
	struct strbuf		 out;
	int64_t			 count;
	char			*error;	/* pattern limit hit: stop */
};

/* 1 when the entry's text line matches, 0 when not, -1 on a limit. */
static int
matches(struct list_state *ls, const struct store_audit_entry *e)
{
	int rc;

	if (ls->f->re == NULL)
		return 1;
	strbuf_reset(&ls->line);
	audit_format_entry(&ls->line, AUDIT_FORMAT_TEXT, e);
	rc = pcre2_match(ls->f->re, (PCRE2_SPTR)ls->line.s, ls->line.len, 0, 0,
	    ls->md, ls->f->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	ls->error = xasprintf("--grep: the pattern gave up on entry %lld (%s); "
	    "it backtracks too much: make it simpler", (long long)e->seq,
	    rc == PCRE2_ERROR_MATCHLIMIT ? "match limit" :
	    rc == PCRE2_ERROR_DEPTHLIMIT ? "depth limit" :
	    rc == PCRE2_ERROR_HEAPLIMIT ? "heap limit" : "match error");
	return -1;
}

static int
list_one(void *arg, const struct store_audit_entry *e)
{
	struct list_state *ls = arg;
	int m;

	if ((m = matches(ls, e)) <= 0)
		return m < 0;
	strbuf_reset(&ls->out);
	if (ls->fmt == AUDIT_FORMAT_JSON)
		strbuf_adds(&ls->out, ls->count == 0 ? "[\n" : ",\n");
	audit_format_entry(&ls->out, ls->fmt, e);
	ls->emit(ls->arg, strbuf_str(&ls->out));
	ls->count++;
	return 0;
}

int
audit_filter_list(struct store *st, const struct audit_filter *f,
    enum audit_format fmt, audit_emit_fn emit, void *arg, int64_t *count,
    char **cause)
{
	struct store_audit_query q = { .since_ms = f->since_ms };
	struct list_state ls;
	int rc;

	memset(&ls, 0, sizeof ls);
	ls.f = f;
	ls.fmt = fmt;
	ls.emit = emit;
	ls.arg = arg;
	if (f->re != NULL)
		ls.md = pcre2_match_data_create_from_pattern(f->re, NULL);
	if (fmt == AUDIT_FORMAT_CSV)
		emit(arg, "seq,ts_ms,time,actor,action,target,details,outcome,"
		    "prev_hash,hash\r\n");
	rc = st->ops->audit_scan(st, &q, list_one, &ls, cause);
	if (rc == 0 && ls.error != NULL) {
		xcause(cause, "%s", ls.error);
		rc = -2;
	}
	if (rc == 0 && fmt == AUDIT_FORMAT_JSON)
		emit(arg, ls.count == 0 ? "[]\n" : "\n]\n");
	if (count != NULL)
		*count = ls.count;
	free(ls.error);
	pcre2_match_data_free(ls.md);
	strbuf_free(&ls.line);
	strbuf_free(&ls.out);
	return rc;
}
