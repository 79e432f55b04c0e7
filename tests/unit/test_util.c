/* Unit tests for src/util: strbuf, xcause, timefmt. */
#include "testhelp.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static void
test_strbuf(void)
{
	struct strbuf b = { 0 };

	CHECK_STR(strbuf_str(&b), "");
	strbuf_adds(&b, "a");
	strbuf_addf(&b, "%d-%s", 42, "x");
	strbuf_add_json_string(&b, "q\"\n\x01");
	CHECK_STR(strbuf_str(&b), "a42-x\"q\\\"\\n\\u0001\"");
	strbuf_reset(&b);
	strbuf_add_json_number(&b, NAN);
	strbuf_addc(&b, ' ');
	strbuf_add_json_number(&b, INFINITY);
	strbuf_addc(&b, ' ');
	strbuf_add_json_number(&b, -INFINITY);
	strbuf_addc(&b, ' ');
	strbuf_add_json_number(&b, 0.1);
	CHECK_STR(strbuf_str(&b), "null \"inf\" \"-inf\" 0.10000000000000001");
	strbuf_free(&b);
}

static void
test_xcause(void)
{
	char *cause = NULL;

	CHECK_INT(xcause(&cause, "bad %s", "thing"), -1);
	CHECK_STR(cause, "bad thing");
	free(cause);
	CHECK_INT(xcause(NULL, "ignored"), -1);
}

static void
test_rfc3339(void)
{
	char buf[TIMEFMT_RFC3339_LEN], *cause = NULL;
	int64_t ms;

	CHECK_STR(timefmt_rfc3339(1763924700123LL, buf), "2025-11-23T19:05:00.123Z");
	CHECK_INT(timefmt_parse_rfc3339("2025-11-23T19:05:00.123Z", &ms, NULL), 0);
	CHECK_INT(ms, 1763924700123LL);
	CHECK_INT(timefmt_parse_rfc3339("2025-11-23T20:05:00+01:00", &ms, NULL), 0);
	CHECK_INT(ms, 1763924700000LL);
	CHECK_INT(timefmt_parse_rfc3339("2025-11-23", &ms, NULL), 0);
	CHECK_INT(ms, 1763856000000LL);
	CHECK_INT(timefmt_parse_rfc3339("2025-13-23", &ms, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "2025-13-23") != NULL);
	free(cause);
	CHECK_INT(timefmt_parse_rfc3339("yesterday", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_rfc3339("2025-11-23T19:05", &ms, NULL), -1);
}

static void
test_duration(void)
{
	int64_t ms;

	CHECK_INT(timefmt_parse_duration("7d", &ms, NULL), 0);
	CHECK_INT(ms, 7LL * 86400000);
	CHECK_INT(timefmt_parse_duration("250ms", &ms, NULL), 0);
	CHECK_INT(ms, 250);
	CHECK_INT(timefmt_parse_duration("30", &ms, NULL), 0);
	CHECK_INT(ms, 30000);
	CHECK_INT(timefmt_parse_duration("-1s", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_duration("5 parsecs", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_duration("", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_duration("0x10s", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_duration("1e3s", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_duration("1.s", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_duration("1.5h", &ms, NULL), 0);
	CHECK_INT(ms, 5400000);
	CHECK_INT(timefmt_parse_duration("99999999999999999999d", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_rfc3339("2025-11-23T20:05:00+99:99", &ms, NULL), -1);
	CHECK_INT(timefmt_parse_since("24h", 100000000, &ms, NULL), 0);
	CHECK_INT(ms, 100000000 - 86400000);
}

int
main(void)
{
	RUN(test_strbuf);
	RUN(test_xcause);
	RUN(test_rfc3339);
	RUN(test_duration);
	return TEST_REPORT();
}
