/*
 * Unit tests for src/audit: the canonical encoding and hash against
 * vectors computed with Python's json and hashlib (see vectors below),
 * validation, verification of edited/deleted/truncated chains, the --grep
 * filter and its limits, and the output formats.
 *
 * With arguments it is also the tool the shell tests drive (real files,
 * the library's own code, no configuration needed):
 *   test_audit append DB N [ACTOR]    N entries, one transaction each
 *   test_audit batch DB N             N entries in one transaction
 *   test_audit add DB ACTOR ACTION TARGET DETAILS OUTCOME   one entry
 *   test_audit verify DB [HEAD]       exit 0 valid, 1 broken, 2 bad input
 *   test_audit head DB                the last entry's hash
 *   test_audit list DB FORMAT [REGEX] text|json|jsonl|csv; exit 2 on a bad
 *                                     or runaway pattern
 */
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testhelp.h"
#include "audit/audit.h"
#include "store/store.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static char tmpdir[] = "/tmp/mdaudit.XXXXXX";

/*
 * Vectors from Python 3:
 *   c = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
 *   hashlib.sha256((prev + c).encode()).hexdigest()
 */
#define V1_CANON "[1,1763924700123,\"root as alice\",\"approve\"," \
	"\"credit-risk@7\",\"{\\\"reason\\\":\\\"ok \\\\\\\"q\\\\\\\"\\\\n\\\"}\"," \
	"\"allowed\"]"
#define V1_HASH "2daa6d0838e2cfa63678ae120e04ce8ad3f6805472e653e2f42df72b39bd765d"
#define V2_CANON "[2,5,\"b\xc3\xa9\\u0001\x7f\",\"x\\ty\",\"t\\\\\",\"{}\",\"denied\"]"
#define V2_HASH "d63dd200a0c3fc28086f8e284b636f39fde163989ec1b2b18bf573b7a02889c2"

static struct store *
open_db(const char *path)
{
	char *cause = NULL;
	struct store *st = store_open(path, STORE_CREATE, &cause);

	if (st == NULL)
		fprintf(stderr, "modeldeck: %s\n", cause);
	free(cause);
	return st;
}

static struct store *
open_tmp(const char *name, char **path)
{
	*path = xasprintf("%s/%s", tmpdir, name);
	return open_db(*path);
}

static void
test_vectors(void)
{
	struct store_audit_entry e = {
		.seq = 1, .ts_ms = 1763924700123LL, .actor = "root as alice",
		.action = "approve", .target = "credit-risk@7",
		.details = "{\"reason\":\"ok \\\"q\\\"\\n\"}", .outcome = "allowed",
	};
	struct strbuf b = { 0 };
	char h[65];

	audit_canonical(&b, &e);
	CHECK_STR(strbuf_str(&b), V1_CANON);
	audit_hash(AUDIT_ZERO_HASH, &e, h);
	CHECK_STR(h, V1_HASH);
	e = (struct store_audit_entry){ .seq = 2, .ts_ms = 5,
	    .actor = "b\xc3\xa9\x01\x7f", .action = "x\ty", .target = "t\\",
	    .details = "{}", .outcome = "denied" };
	memcpy(e.prev_hash, V1_HASH, 65);
	strbuf_reset(&b);
	audit_canonical(&b, &e);
	CHECK_STR(strbuf_str(&b), V2_CANON);
	audit_seal(&e);
	CHECK_STR(e.hash, V2_HASH);
	strbuf_free(&b);
}

static void
test_entry_validation(void)
{
	struct store_audit_entry e;
	char *cause = NULL;

	CHECK_INT(audit_entry_init(&e, 1, "a", "x", NULL, "{}", "maybe", &cause), -1);
	CHECK(cause != NULL && strstr(cause, "maybe") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(audit_entry_init(&e, 1, "a", "x", NULL, "[1]", "allowed", &cause), -1);
	CHECK(cause != NULL && strstr(cause, "JSON object") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(audit_entry_init(&e, 1, "a", "x", NULL, "{bad", "allowed", &cause), -1);
	free(cause);
	cause = NULL;
	CHECK_INT(audit_entry_init(&e, 1, "", "x", NULL, NULL, "allowed", &cause), -1);
	free(cause);
	/* Invalid UTF-8 becomes U+FFFD; NULL details become {}. */
	CHECK_INT(audit_entry_init(&e, 1, "a\xff\xc0z", "x", NULL, NULL,
	    "failed", NULL), 0);
	CHECK_STR(e.actor, "a\xef\xbf\xbd\xef\xbf\xbdz");
	CHECK_STR(e.details, "{}");
	CHECK_STR(e.target, "");
	store_audit_entry_clear(&e);
	CHECK_INT(audit_check_hash(V1_HASH, NULL), 0);
	CHECK_INT(audit_check_hash("abc", NULL), -1);
	CHECK_INT(audit_check_hash(V1_HASH "0", NULL), -1);
	CHECK_INT(audit_check_hash("2DAA6D0838E2CFA63678AE120E04CE8AD3F6805472E653E2F42DF72B39BD765D", NULL), -1);
}

static int
append_n(struct store *st, int n, const char *actor)
{
	char details[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(details, sizeof details, "{\"i\":%d}", i);
		if (audit_append(st, actor, i % 2 ? "approve" : "status",
		    "credit-risk@7", details, i % 3 ? "allowed" : "denied",
		    NULL) != 0)
			return -1;
	}
	return 0;
}

static int
side_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc = sqlite3_open(path, &db);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static void
test_chain_and_tamper(void)
{
	struct audit_verify r;
	char *path, *cause = NULL, hash[65];
	struct store *st = open_tmp("chain.db", &path);
	int64_t seq;

	CHECK(st != NULL);
	if (st == NULL)
		goto out;
	CHECK_INT(audit_verify(st, NULL, &r, NULL), 0);
	CHECK_INT(r.entries, 0);
	CHECK_INT(append_n(st, 6, "alice"), 0);
	CHECK_INT(st->ops->audit_tail(st, &seq, hash, NULL), 0);
	CHECK_INT(seq, 6);
	CHECK_INT(audit_verify(st, hash, &r, NULL), 0);
	CHECK_INT(r.entries, 6);
	CHECK_STR(r.head, hash);
	CHECK_INT(audit_verify(st, "nothex", &r, &cause), -1);
	free(cause);
	/* Truncate the last two: valid alone, broken against the head. */
	CHECK_INT(side_exec(path, "DROP TRIGGER audit_no_delete;"
	    "DELETE FROM audit WHERE seq >= 5"), SQLITE_OK);
	CHECK_INT(audit_verify(st, NULL, &r, NULL), 0);
	audit_verify_free(&r);
	CHECK_INT(audit_verify(st, hash, &r, NULL), 1);
	CHECK_INT(r.bad_seq, 5);
	audit_verify_free(&r);
	CHECK_INT(side_exec(path, "DROP TRIGGER audit_no_update;"
	    "UPDATE audit SET details = '{\"i\":9}' WHERE seq = 3"), SQLITE_OK);
	CHECK_INT(audit_verify(st, NULL, &r, NULL), 1);
	CHECK_INT(r.bad_seq, 3);
	CHECK(r.why != NULL && strstr(r.why, "edited") != NULL);
	audit_verify_free(&r);
	CHECK_INT(side_exec(path, "DELETE FROM audit WHERE seq = 2"), SQLITE_OK);
	CHECK_INT(audit_verify(st, NULL, &r, NULL), 1);
	CHECK_INT(r.bad_seq, 2);
	CHECK(r.why != NULL && strstr(r.why, "missing") != NULL);
	audit_verify_free(&r);
	st->ops->close(st);
out:
	free(path);
}

static void
collect(void *arg, const char *text)
{
	strbuf_adds(arg, text);
}

static void
test_filter(void)
{
	struct audit_filter *f;
	struct strbuf out = { 0 };
	char *path, *cause = NULL, *aaa;
	struct store *st = open_tmp("filter.db", &path);
	int64_t count = -1, t0;

	CHECK(st != NULL);
	if (st == NULL)
		goto out;
	CHECK_INT(append_n(st, 4, "bob"), 0);
	f = audit_filter_new("approve.*allowed|allowed.*approve", 0, NULL);
	CHECK(f != NULL);
	CHECK_INT(audit_filter_list(st, f, AUDIT_FORMAT_TEXT, collect, &out,
	    &count, NULL), 0);
	/* i = 1 and 3 are approve; only i = 1 is allowed (3 % 3 == 0). */
	CHECK_INT(count, 1);
	CHECK(strstr(strbuf_str(&out), "{\"i\":1}") != NULL);
	audit_filter_free(f);
	CHECK(audit_filter_new("(unclosed", 0, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "offset") != NULL);
	free(cause);
	cause = NULL;
	/* Entries from the future only: none. */
	f = audit_filter_new(NULL, timefmt_now_ms() + 3600000, NULL);
	CHECK_INT(audit_filter_list(st, f, AUDIT_FORMAT_JSON, collect, &out,
	    &count, NULL), 0);
	CHECK_INT(count, 0);
	audit_filter_free(f);
	/* A pathological pattern on a long line stops quickly. */
	aaa = xcalloc(1, 4001);
	memset(aaa, 'a', 4000);
	CHECK_INT(audit_append(st, "eve", "x", aaa, NULL, "allowed", NULL), 0);
	free(aaa);
	f = audit_filter_new("(a+)+$", 0, NULL);
	t0 = timefmt_mono_ms();
	CHECK_INT(audit_filter_list(st, f, AUDIT_FORMAT_TEXT, collect, &out,
	    &count, &cause), -2);
	CHECK(timefmt_mono_ms() - t0 < 5000);
	CHECK(cause != NULL && strstr(cause, "limit") != NULL);
	free(cause);
	audit_filter_free(f);
	strbuf_free(&out);
	st->ops->close(st);
out:
	free(path);
}

static void
test_formats(void)
{
	struct store_audit_entry e = { .seq = 7, .ts_ms = 0, .actor = "a,b",
	    .action = "say \"hi\"", .target = "line\nbreak", .details = "{}",
	    .outcome = "failed" };
	struct strbuf b = { 0 };
	enum audit_format fmt;

	memcpy(e.prev_hash, AUDIT_ZERO_HASH, 65);
	memcpy(e.hash, V1_HASH, 65);
	audit_format_entry(&b, AUDIT_FORMAT_CSV, &e);
	CHECK_STR(strbuf_str(&b), "7,0,1970-01-01T00:00:00.000Z,\"a,b\","
	    "\"say \"\"hi\"\"\",\"line\nbreak\",{},failed," AUDIT_ZERO_HASH ","
	    V1_HASH "\r\n");
	strbuf_reset(&b);
	audit_format_entry(&b, AUDIT_FORMAT_TEXT, &e);
	CHECK(strstr(strbuf_str(&b), "line\\u000abreak") != NULL);
	strbuf_free(&b);
	CHECK_INT(audit_format_parse("csv", &fmt, NULL), 0);
	CHECK_INT(fmt, AUDIT_FORMAT_CSV);
	CHECK_INT(audit_format_parse("xml", &fmt, NULL), -1);
}

/* --- tool mode for the shell tests --- */

static void
print_out(void *arg, const char *text)
{
	(void)arg;
	fputs(text, stdout);
}

static int
tool_verify(struct store *st, const char *head)
{
	struct audit_verify r;
	char *cause = NULL;
	int rc = audit_verify(st, head, &r, &cause);

	if (rc < 0) {
		fprintf(stderr, "modeldeck: audit verify: %s\n", cause);
		free(cause);
		return 2;
	}
	if (rc == 0)
		printf("audit trail valid: %lld entries, head %s\n",
		    (long long)r.entries, r.head);
	else
		printf("audit trail BROKEN at seq %lld: %s\n",
		    (long long)r.bad_seq, r.why);
	audit_verify_free(&r);
	return rc;
}

static int
tool_batch(struct store *st, int n)
{
	struct store_audit_entry *e = xcalloc((size_t)n, sizeof *e);
	int i, rc;

	for (i = 0; i < n; i++)
		audit_entry_init(&e[i], timefmt_now_ms(), "batch", "status", "",
		    "{}", "allowed", NULL);
	rc = st->ops->audit_append_batch(st, e, (size_t)n, audit_seal, NULL);
	for (i = 0; i < n; i++)
		store_audit_entry_clear(&e[i]);
	free(e);
	return rc == 0 ? 0 : 1;
}

static int
tool_list(struct store *st, const char *format, const char *grep)
{
	struct audit_filter *f;
	enum audit_format fmt;
	char *cause = NULL;
	int rc;

	if (audit_format_parse(format, &fmt, &cause) != 0 ||
	    (f = audit_filter_new(grep, 0, &cause)) == NULL) {
		fprintf(stderr, "modeldeck: %s\n", cause);
		free(cause);
		return 2;
	}
	rc = audit_filter_list(st, f, fmt, print_out, NULL, NULL, &cause);
	audit_filter_free(f);
	if (rc != 0)
		fprintf(stderr, "modeldeck: %s\n", cause);
	free(cause);
	return rc == 0 ? 0 : rc == -2 ? 2 : 1;
}

static int
tool(int argc, char **argv)
{
	struct store *st;
	char hash[65];
	int64_t seq;
	int rc = 2;

	if (argc < 3 || (st = open_db(argv[2])) == NULL)
		return 2;
	if (strcmp(argv[1], "append") == 0 && argc >= 4)
		rc = append_n(st, atoi(argv[3]), argc > 4 ? argv[4] : "tool") ? 1 : 0;
	else if (strcmp(argv[1], "add") == 0 && argc == 8) {
		char *cause = NULL;

		rc = audit_append(st, argv[3], argv[4], argv[5], argv[6], argv[7],
		    &cause) == 0 ? 0 : 1;
		if (rc != 0)
			fprintf(stderr, "modeldeck: %s\n", cause);
		free(cause);
	} else if (strcmp(argv[1], "batch") == 0 && argc == 4)
		rc = tool_batch(st, atoi(argv[3]));
	else if (strcmp(argv[1], "verify") == 0)
		rc = tool_verify(st, argc > 3 ? argv[3] : NULL);
	else if (strcmp(argv[1], "head") == 0 &&
	    st->ops->audit_tail(st, &seq, hash, NULL) == 0) {
		printf("%s\n", hash);
		rc = 0;
	} else if (strcmp(argv[1], "list") == 0 && argc >= 4)
		rc = tool_list(st, argv[3], argc > 4 ? argv[4] : NULL);
	st->ops->close(st);
	return rc;
}

int
main(int argc, char **argv)
{
	char *cmd;

	if (argc > 1)
		return tool(argc, argv);
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_vectors);
	RUN(test_entry_validation);
	RUN(test_chain_and_tamper);
	RUN(test_filter);
	RUN(test_formats);
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (getenv("MD_KEEP") == NULL && system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	free(cmd);
	return TEST_REPORT();
}
