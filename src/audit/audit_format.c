/*
 * audit_format: how entries are written out - text for people (each field
 * on one line through util/sanitize.h, so a hostile target cannot drive
 * the terminal even through a pipe into a pager),
 * JSON, JSON lines, and RFC 4180 CSV (every field quoted when it holds a
 * comma, quote, CR or LF; quotes doubled).
 */
#include <string.h>

#include "audit/audit.h"
#include "util/sanitize.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

int
audit_format_parse(const char *s, enum audit_format *fmt, char **cause)
{
	static const char *const names[] = {
		[AUDIT_FORMAT_TEXT] = "text", [AUDIT_FORMAT_JSON] = "json",
		[AUDIT_FORMAT_JSONL] = "jsonl", [AUDIT_FORMAT_CSV] = "csv",
	};
	size_t i;

	for (i = 0; s != NULL && i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*fmt = (enum audit_format)i;
			return 0;
		}
	}
	return xcause(cause, "unknown format \"%s\" (use jsonl or csv)",
	    s != NULL ? s : "");
}

/* One field of the text listing: on one line, nothing a terminal obeys. */
static void
add_visible(struct strbuf *b, const char *s)
{
	sanitize_append(b, s, strlen(s), 0);
}

static void
add_csv(struct strbuf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		strbuf_adds(b, s);
		return;
	}
	strbuf_addc(b, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			strbuf_addc(b, '"');
		strbuf_addc(b, *p);
	}
	strbuf_addc(b, '"');
}

static void
format_text(struct strbuf *b, const struct store_audit_entry *e)
{
	char t[TIMEFMT_RFC3339_LEN];

	strbuf_addf(b, "%6lld  %s  %-7s  ", (long long)e->seq,
	    timefmt_rfc3339(e->ts_ms, t), e->outcome);
	add_visible(b, e->actor);
	strbuf_adds(b, "  ");
	add_visible(b, e->action);
	strbuf_adds(b, "  ");
	add_visible(b, *e->target != '\0' ? e->target : "-");
	strbuf_adds(b, "  ");
	add_visible(b, e->details);
	strbuf_addc(b, '\n');
}

static void
format_json(struct strbuf *b, const struct store_audit_entry *e)
{
	char t[TIMEFMT_RFC3339_LEN];

	strbuf_addf(b, "{\"seq\":%lld,\"ts_ms\":%lld,\"time\":\"%s\",\"actor\":",
	    (long long)e->seq, (long long)e->ts_ms, timefmt_rfc3339(e->ts_ms, t));
	strbuf_add_json_string(b, e->actor);
	strbuf_adds(b, ",\"action\":");
	strbuf_add_json_string(b, e->action);
	strbuf_adds(b, ",\"target\":");
	strbuf_add_json_string(b, e->target);
	/* details are stored as a JSON object's text: embed them as text. */
	strbuf_adds(b, ",\"details\":");
	strbuf_add_json_string(b, e->details);
	strbuf_adds(b, ",\"outcome\":");
	strbuf_add_json_string(b, e->outcome);
	strbuf_addf(b, ",\"prev_hash\":\"%s\",\"hash\":\"%s\"}", e->prev_hash,
	    e->hash);
}

static void
format_csv(struct strbuf *b, const struct store_audit_entry *e)
{
	char t[TIMEFMT_RFC3339_LEN];

	strbuf_addf(b, "%lld,%lld,%s,", (long long)e->seq, (long long)e->ts_ms,
	    timefmt_rfc3339(e->ts_ms, t));
	add_csv(b, e->actor);
	strbuf_addc(b, ',');
	add_csv(b, e->action);
	strbuf_addc(b, ',');
	add_csv(b, e->target);
	strbuf_addc(b, ',');
	add_csv(b, e->details);
	strbuf_addc(b, ',');
	add_csv(b, e->outcome);
	strbuf_addf(b, ",%s,%s\r\n", e->prev_hash, e->hash);
}

void
audit_format_entry(struct strbuf *b, enum audit_format fmt,
    const struct store_audit_entry *e)
{
	switch (fmt) {
	case AUDIT_FORMAT_TEXT:
		format_text(b, e);
		break;
	case AUDIT_FORMAT_JSON:
		format_json(b, e);
		break;
	case AUDIT_FORMAT_JSONL:
		format_json(b, e);
		strbuf_addc(b, '\n');
		break;
	case AUDIT_FORMAT_CSV:
		format_csv(b, e);
		break;
	}
}
