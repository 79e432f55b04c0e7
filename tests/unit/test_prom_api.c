/*
 * Unit tests for src/hosts/promapi.c: query building and the Prometheus HTTP
 * API answers, which must give the same struct (and so the same figures)
 * as the text format.
 */
#include "testhelp.h"
#include "hosts/derive.h"
#include "hosts/prom.h"
#include "hosts/promapi.h"
#include "util/xmalloc.h"

#define P(lit) lit, (sizeof lit - 1)

static void
test_selector_and_path(void)
{
	char		*sel, *path, *enc;
	const char	*want;

	sel = promapi_model_selector("credit-risk", NULL);
	want = "{__name__=~\"model_requests_total|"
	    "model_request_duration_seconds_bucket|"
	    "model_request_duration_seconds_sum|"
	    "model_request_duration_seconds_count|model_business_kpi|"
	    "nv_inference_request_success|nv_inference_request_failure|"
	    "nv_inference_count|nv_inference_request_duration_us\","
	    "model=\"credit-risk\"}";
	CHECK(strcmp(sel, want) == 0);
	free(sel);
	sel = promapi_model_selector("a\"b\\c\nd", "instance=\"h:8000\"");
	CHECK(strstr(sel, ",model=\"a\\\"b\\\\c\\nd\",instance=\"h:8000\"}") !=
	    NULL);
	free(sel);
	path = promapi_query_path("model_requests_total{model=\"x y\"}");
	CHECK_STR(path, "/api/v1/query?query=model_requests_total%7Bmodel%3D"
	    "%22x%20y%22%7D");
	free(path);
	enc = promapi_urlencode("aZ09-_.~ /?&=+%\xc3\xa9");
	CHECK_STR(enc, "aZ09-_.~%20%2F%3F%26%3D%2B%25%C3%A9");
	free(enc);
	enc = promapi_urlencode("");
	CHECK_STR(enc, "");
	free(enc);
}

/* What Prometheus 2.42 answers for the selector, two instances summed. */
static const char answer[] =
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
    "{\"metric\":{\"__name__\":\"model_requests_total\",\"code\":\"200\",\"instance\":\"127.0.0.1:9001\",\"job\":\"hosts\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"180\"]},"
    "{\"metric\":{\"__name__\":\"model_requests_total\",\"code\":\"500\",\"instance\":\"127.0.0.1:9001\",\"job\":\"hosts\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"15\"]},"
    "{\"metric\":{\"__name__\":\"model_requests_total\",\"code\":\"503\",\"instance\":\"127.0.0.1:9001\",\"job\":\"hosts\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"5\"]},"
    "{\"metric\":{\"__name__\":\"model_request_duration_seconds_bucket\",\"le\":\"+Inf\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"200\"]},"
    "{\"metric\":{\"__name__\":\"model_request_duration_seconds_bucket\",\"le\":\"0.1\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"70\"]},"
    "{\"metric\":{\"__name__\":\"model_request_duration_seconds_bucket\",\"le\":\"1.0\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"190\"]},"
    "{\"metric\":{\"__name__\":\"model_request_duration_seconds_bucket\",\"le\":\"0.5\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"150\"]},"
    "{\"metric\":{\"__name__\":\"model_request_duration_seconds_sum\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"60\"]},"
    "{\"metric\":{\"__name__\":\"model_request_duration_seconds_count\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"200\"]},"
    "{\"metric\":{\"__name__\":\"model_business_kpi\",\"kpi\":\"uplift\",\"model\":\"m\",\"version\":\"1\"},\"value\":[1763800000.123,\"NaN\"]},"
    "{\"metric\":{\"__name__\":\"up\",\"model\":\"m\"},\"value\":[1763800000.123,\"1\"]},"
    "{\"metric\":{\"model\":\"m\"},\"value\":[1763800000.123,\"1\"]}"
    "]}}";

static const char text[] =
    "model_requests_total{model=\"m\",version=\"1\",code=\"200\"} 180\n"
    "model_requests_total{model=\"m\",version=\"1\",code=\"500\"} 15\n"
    "model_requests_total{model=\"m\",version=\"1\",code=\"503\"} 5\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.1\"} 70\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.5\"} 150\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"1\"} 190\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"+Inf\"} 200\n"
    "model_request_duration_seconds_sum{model=\"m\",version=\"1\"} 60\n"
    "model_request_duration_seconds_count{model=\"m\",version=\"1\"} 200\n";

static void
test_same_as_text(void)
{
	struct prom_scrape	 a = { 0 }, t;
	struct prom_model	*ma, *mt;
	struct derive_figures	 fa, ft;
	size_t			 i;

	CHECK_INT(promapi_parse(P(answer), &a, NULL), 0);
	CHECK_INT(prom_parse(P(text), 0, &t, NULL), 0);
	ma = prom_scrape_find(&a, "m", "1");
	mt = prom_scrape_find(&t, "m", "1");
	CHECK(ma != NULL && mt != NULL);
	if (ma == NULL || mt == NULL)
		goto out;
	CHECK_INT(a.nmodels, 1);
	CHECK_INT(ma->nbuckets, mt->nbuckets);
	for (i = 0; i < ma->nbuckets && i < mt->nbuckets; i++) {
		CHECK(ma->buckets[i].le == mt->buckets[i].le);
		CHECK(ma->buckets[i].count == mt->buckets[i].count);
	}
	CHECK(isnan(derive_kpi(ma, "uplift")));
	CHECK_INT(ma->kpis[0].ts_ms, 1763800000123LL);
	derive_figures(NULL, ma, &fa);
	derive_figures(NULL, mt, &ft);
	CHECK(fa.error_rate == ft.error_rate && fa.error_rate == 0.1);
	CHECK(fa.p50_latency_ms == ft.p50_latency_ms);
	CHECK(fa.p99_latency_ms == ft.p99_latency_ms);
	CHECK(fa.mean_latency_ms == ft.mean_latency_ms);
out:
	prom_scrape_free(&a);
	prom_scrape_free(&t);
}

/* Two answers (two models' queries) accumulate into one scrape. */
static void
test_accumulate(void)
{
	static const char other[] = "{\"status\":\"success\",\"data\":{"
	    "\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":"
	    "\"nv_inference_request_success\",\"model\":\"t\",\"version\":\"2\"},"
	    "\"value\":[1,\"12\"]}]},\"warnings\":[\"x\"]}";
	struct prom_scrape	s = { 0 };

	CHECK_INT(promapi_parse(P(answer), &s, NULL), 0);
	CHECK_INT(promapi_parse(P(other), &s, NULL), 0);
	CHECK_INT(s.nmodels, 2);
	CHECK(prom_scrape_find(&s, "t", "2") != NULL &&
	    prom_scrape_find(&s, "t", "2")->nv_success == 12);
	prom_scrape_free(&s);
}

static const struct {
	const char	*body;
	const char	*cause;
} bad_answers[] = {
	{ "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse "
	  "error: unexpected \\\"}\\\"\"}",
	  "prometheus: bad_data: 1:5: parse error: unexpected \"}\"" },
	{ "{\"status\":\"error\"}", "prometheus: error: (no message)" },
	{ "{\"data\":{}}", "prometheus: status: expected \"success\" or \"error\"" },
	{ "[1]", "prometheus: expected a JSON object" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
	  "prometheus: data.resultType: expected \"vector\"" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"}}",
	  "prometheus: data.result: expected an array" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	  "[{\"metric\":{},\"value\":[1,\"x\"]}]}}",
	  "prometheus: data.result[0].value: expected [time, \"number\"]" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	  "[{\"metric\":{},\"value\":[1,2]}]}}",
	  "prometheus: data.result[0].value: expected [time, \"number\"]" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
	  "[{\"value\":[1,\"2\"]}]}}",
	  "prometheus: data.result[0].metric: expected an object" },
	{ "<html>", "prometheus: invalid JSON" },
	{ "", "prometheus: empty answer" },
};

static void
test_errors(void)
{
	struct prom_scrape	s;
	size_t			i;

	for (i = 0; i < sizeof bad_answers / sizeof bad_answers[0]; i++) {
		char *cause = NULL;

		memset(&s, 0, sizeof s);
		CHECK_INT(promapi_parse(bad_answers[i].body,
		    strlen(bad_answers[i].body), &s, &cause), -1);
		CHECK_STR(cause, bad_answers[i].cause);
		free(cause);
		prom_scrape_free(&s);
	}
}

static void
test_parse_float(void)
{
	double	d;

	CHECK(prom_parse_float(P("+Inf"), &d) == 0 && isinf(d) && d > 0);
	CHECK(prom_parse_float(P("-Inf"), &d) == 0 && isinf(d) && d < 0);
	CHECK(prom_parse_float(P("NaN"), &d) == 0 && isnan(d));
	CHECK(prom_parse_float(P("1.25e2"), &d) == 0 && d == 125);
	CHECK(prom_parse_float(P("1 "), &d) == -1);
	CHECK(prom_parse_float(P(""), &d) == -1);
}

int
main(void)
{
	RUN(test_selector_and_path);
	RUN(test_same_as_text);
	RUN(test_accumulate);
	RUN(test_errors);
	RUN(test_parse_float);
	return TEST_REPORT();
}
