/* Unit tests for src/hosts/prom.c: the Prometheus text format parser. */
#include <locale.h>
#include <stdint.h>

#include "testhelp.h"
#include "hosts/prom.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* What modeldeck-hostd and client_golang emit: HELP/TYPE, two versions. */
static const char hostd_body[] =
    "# HELP model_requests_total Requests answered, by HTTP-like code.\n"
    "# TYPE model_requests_total counter\n"
    "model_requests_total{model=\"credit-risk\",version=\"6\",code=\"200\"} 9120\n"
    "model_requests_total{model=\"credit-risk\",version=\"6\",code=\"500\"} 31\n"
    "model_requests_total{model=\"credit-risk\",version=\"6\",code=\"503\"} 4\n"
    "model_requests_total{model=\"credit-risk\",version=\"7\",code=\"200\"} 1010\n"
    "# HELP model_request_duration_seconds Request latency.\n"
    "# TYPE model_request_duration_seconds histogram\n"
    "model_request_duration_seconds_bucket{model=\"credit-risk\",version=\"6\",le=\"0.005\"} 10\n"
    "model_request_duration_seconds_bucket{model=\"credit-risk\",version=\"6\",le=\"0.01\"} 200\n"
    "model_request_duration_seconds_bucket{model=\"credit-risk\",version=\"6\",le=\"0.025\"} 4000\n"
    "model_request_duration_seconds_bucket{model=\"credit-risk\",version=\"6\",le=\"0.05\"} 9000\n"
    "model_request_duration_seconds_bucket{model=\"credit-risk\",version=\"6\",le=\"0.1\"} 9150\n"
    "model_request_duration_seconds_bucket{model=\"credit-risk\",version=\"6\",le=\"+Inf\"} 9155\n"
    "model_request_duration_seconds_sum{model=\"credit-risk\",version=\"6\"} 201.25\n"
    "model_request_duration_seconds_count{model=\"credit-risk\",version=\"6\"} 9155\n"
    "# HELP model_business_kpi Business KPI.\n"
    "# TYPE model_business_kpi gauge\n"
    "model_business_kpi{model=\"credit-risk\",version=\"6\",kpi=\"approval_rate\"} 0.62\n"
    "model_business_kpi{model=\"credit-risk\",version=\"7\",kpi=\"approval_rate\"} 0.58\n"
    "# HELP process_cpu_seconds_total Total user and system CPU time.\n"
    "# TYPE process_cpu_seconds_total counter\n"
    "process_cpu_seconds_total 12.47\n";

/* Triton's own names: failures split by reason, GPU series without model. */
static const char triton_body[] =
    "# HELP nv_inference_request_success Number of successful inference requests, all batch sizes\n"
    "# TYPE nv_inference_request_success counter\n"
    "nv_inference_request_success{model=\"densenet_onnx\",version=\"1\"} 812\n"
    "# HELP nv_inference_request_failure Number of failed inference requests, all batch sizes\n"
    "# TYPE nv_inference_request_failure counter\n"
    "nv_inference_request_failure{model=\"densenet_onnx\",reason=\"REJECTED\",version=\"1\"} 3\n"
    "nv_inference_request_failure{model=\"densenet_onnx\",reason=\"BACKEND\",version=\"1\"} 5\n"
    "# HELP nv_inference_count Number of inferences performed (does not include cached requests)\n"
    "# TYPE nv_inference_count counter\n"
    "nv_inference_count{model=\"densenet_onnx\",version=\"1\"} 1624\n"
    "# HELP nv_inference_request_duration_us Cumulative inference request duration in microseconds (includes cached requests)\n"
    "# TYPE nv_inference_request_duration_us counter\n"
    "nv_inference_request_duration_us{model=\"densenet_onnx\",version=\"1\"} 2436000\n"
    "# HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)\n"
    "# TYPE nv_gpu_utilization gauge\n"
    "nv_gpu_utilization{gpu_uuid=\"GPU-8f3c1b2a-0d1e-4b7c-9a55-1f2e3d4c5b6a\"} 0.05\n";

/* A piece of a real Prometheus server's own /metrics: nothing recognised. */
static const char prometheus_self[] =
    "# HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.\n"
    "# TYPE go_gc_duration_seconds summary\n"
    "go_gc_duration_seconds{quantile=\"0\"} 2.7502e-05\n"
    "go_gc_duration_seconds{quantile=\"0.25\"} 5.2951e-05\n"
    "go_gc_duration_seconds_sum 0.012389731\n"
    "go_gc_duration_seconds_count 142\n"
    "# HELP prometheus_http_request_duration_seconds Histogram of latencies for HTTP requests.\n"
    "# TYPE prometheus_http_request_duration_seconds histogram\n"
    "prometheus_http_request_duration_seconds_bucket{handler=\"/api/v1/query\",le=\"0.1\"} 17\n"
    "prometheus_http_request_duration_seconds_bucket{handler=\"/api/v1/query\",le=\"+Inf\"} 17\n"
    "go_memstats_alloc_bytes 2.4883896e+07\n"
    "prometheus_tsdb_lowest_timestamp_seconds 1.763800000e+09\n"
    "net_conntrack_dialer_conn_failed_total{dialer_name=\"default\",reason=\"refused\"} 0\n";

static int
parse(const char *body, struct prom_scrape *s)
{
	return (prom_parse(body, strlen(body), 0, s, NULL));
}

static void
test_hostd_body(void)
{
	struct prom_scrape	 s;
	struct prom_model	*m;

	CHECK_INT(parse(hostd_body, &s), 0);
	CHECK_INT(s.nmodels, 2);
	CHECK_INT(s.samples, 15);
	CHECK_INT(s.recognised, 14);
	m = prom_scrape_find(&s, "credit-risk", "6");
	CHECK(m != NULL);
	if (m == NULL)
		goto out;
	CHECK_INT(m->has, PROM_HAS_REQUESTS | PROM_HAS_BUCKETS | PROM_HAS_SUM |
	    PROM_HAS_COUNT | PROM_HAS_KPI);
	CHECK_INT(m->ncodes, 3);
	CHECK_STR(m->codes[1].code, "500");
	CHECK(m->codes[1].count == 31);
	CHECK_INT(m->nbuckets, 6);
	CHECK(m->buckets[0].le == 0.005 && m->buckets[0].count == 10);
	CHECK(m->buckets[4].le == 0.1 && m->buckets[4].count == 9150);
	CHECK(isinf(m->buckets[5].le) && m->buckets[5].count == 9155);
	CHECK(m->sum == 201.25 && m->count == 9155);
	CHECK_INT(m->nkpis, 1);
	CHECK_STR(m->kpis[0].kpi, "approval_rate");
	CHECK(m->kpis[0].value == 0.62);
	m = prom_scrape_find(&s, "credit-risk", "7");
	CHECK(m != NULL && m->ncodes == 1 && m->codes[0].count == 1010);
	CHECK(prom_scrape_find(&s, "credit-risk", "8") == NULL);
out:
	prom_scrape_free(&s);
	CHECK(s.models == NULL && s.nmodels == 0);
}

static void
test_triton_body(void)
{
	struct prom_scrape	 s;
	struct prom_model	*m;

	CHECK_INT(parse(triton_body, &s), 0);
	CHECK_INT(s.nmodels, 1);
	m = prom_scrape_find(&s, "densenet_onnx", "1");
	CHECK(m != NULL);
	if (m != NULL) {
		CHECK(m->nv_success == 812);
		CHECK(m->nv_failure == 8);	/* REJECTED + BACKEND */
		CHECK(m->nv_count == 1624);
		CHECK(m->nv_duration_us == 2436000);
		CHECK_INT(m->has, PROM_HAS_NV_SUCCESS | PROM_HAS_NV_FAILURE |
		    PROM_HAS_NV_COUNT | PROM_HAS_NV_DURATION);
	}
	prom_scrape_free(&s);
}

static void
test_unknown_series(void)
{
	struct prom_scrape	s;

	CHECK_INT(parse(prometheus_self, &s), 0);
	CHECK_INT(s.nmodels, 0);
	CHECK_INT(s.samples, 9);
	CHECK_INT(s.recognised, 0);
	CHECK_INT(s.lines, 13);
	prom_scrape_free(&s);
}

static void
test_escapes_and_specials(void)
{
	static const char body[] =
	    "# HELP model_business_kpi A \\\\ help \\n text with \"quotes\"\r\n"
	    "\r\n"
	    "   model_business_kpi { kpi = \"a\\\"b\" , model=\"m\\\\x\\ny\",version=\"2\", } NaN\r\n"
	    "model_business_kpi{model=\"m\\\\x\\ny\",version=\"2\",kpi=\"up\"} +Inf 1763800000123\r\n"
	    "model_business_kpi{model=\"m\\\\x\\ny\",version=\"2\",kpi=\"down\"}\t-Inf\t-5\n"
	    "model_business_kpi{model=\"m\\\\x\\ny\",version=\"2\",kpi=\"e\"} 1.5e-3\n"
	    "model_business_kpi{model=\"m\\\\x\\ny\",version=\"2\",kpi=\"h\"} 0x1p-2\n"
	    "model_requests_total{model=\"n\",code=\"200\"} 7\n"
	    "model_requests_total{code=\"200\"} 7\n"
	    "model_requests_total{model=\"n\"} 7\n"
	    "model_request_duration_seconds_bucket{model=\"n\",le=\"NaN\"} 7\n"
	    "model_request_duration_seconds_bucket{model=\"n\",le=\"1e-1\"} 3\n"
	    "model_request_duration_seconds_bucket{model=\"n\",le=\"Inf\"} 9\n"
	    "model_request_duration_seconds_bucket{model=\"n\",le=\"0.1\"} 1\n"
	    "model_request_duration_seconds_bucket{model=\"n\",le=\"0.05\"} 2";
	struct prom_scrape	 s;
	struct prom_model	*m;

	CHECK_INT(parse(body, &s), 0);
	CHECK_INT(s.nmodels, 2);
	m = prom_scrape_find(&s, "m\\x\ny", "2");
	CHECK(m != NULL && m->nkpis == 5);
	if (m != NULL && m->nkpis == 5) {
		CHECK_STR(m->kpis[0].kpi, "a\"b");
		CHECK(isnan(m->kpis[0].value));
		CHECK(isinf(m->kpis[1].value) && m->kpis[1].value > 0);
		CHECK_INT(m->kpis[1].ts_ms, 1763800000123LL);
		CHECK(isinf(m->kpis[2].value) && m->kpis[2].value < 0);
		CHECK_INT(m->kpis[2].ts_ms, -5);
		CHECK(m->kpis[3].value == 1.5e-3);
		CHECK(m->kpis[4].value == 0.25);
	}
	/* No version label: version ""; no code: not counted; NaN le dropped. */
	m = prom_scrape_find(&s, "n", "");
	CHECK(m != NULL);
	if (m != NULL) {
		CHECK_INT(m->ncodes, 1);
		CHECK_INT(m->nbuckets, 3);	/* 0.05, 0.1 (1e-1 + 0.1), +Inf */
		CHECK(m->buckets[0].le == 0.05 && m->buckets[0].count == 2);
		CHECK(m->buckets[1].le == 0.1 && m->buckets[1].count == 4);
		CHECK(isinf(m->buckets[2].le) && m->buckets[2].count == 9);
	}
	prom_scrape_free(&s);
}

static void
test_kpi_latest(void)
{
	static const char body[] =
	    "model_business_kpi{model=\"a\",version=\"1\",kpi=\"k\",region=\"x\"} 1 2000\n"
	    "model_business_kpi{model=\"a\",version=\"1\",kpi=\"k\",region=\"y\"} 2 1000\n"
	    "model_business_kpi{model=\"a\",version=\"1\",kpi=\"j\"} 3\n"
	    "model_business_kpi{model=\"a\",version=\"1\",kpi=\"j\",region=\"y\"} 4\n";
	struct prom_scrape	 s;
	struct prom_model	*m;

	CHECK_INT(parse(body, &s), 0);
	m = prom_scrape_find(&s, "a", "1");
	CHECK(m != NULL && m->nkpis == 2);
	if (m != NULL && m->nkpis == 2) {
		CHECK(m->kpis[0].value == 1);	/* the newer timestamp */
		CHECK(m->kpis[1].value == 4);	/* no timestamps: the last */
	}
	prom_scrape_free(&s);
}

static const struct {
	const char	*body;
	const char	*error;
} bad_bodies[] = {
	{ "# TYPE x counter\nx 1\n9bad 1\n", "line 3: invalid metric name" },
	{ "x{a=\"1\" 1\n", "line 1: expected ',' or '}' after label value" },
	{ "x{a=1} 1\n", "line 1: expected '\"' to start the label value" },
	{ "x{a \"1\"} 1\n", "line 1: expected '=' after label name" },
	{ "x{1a=\"1\"} 1\n", "line 1: invalid label name" },
	{ "x{a=\"1} 1\n", "line 1: label value not terminated by '\"'" },
	{ "x{a=\"\\t\"} 1\n", "line 1: invalid escape sequence" },
	{ "x{,} 1\n", "line 1: invalid label name" },
	{ "x\n", "line 1: missing sample value" },
	{ "x{}\n", "line 1: missing sample value" },
	{ "x abc\n", "line 1: sample value is not a number" },
	{ "x 1,5\n", "line 1: sample value is not a number" },
	{ "x 1 12.5\n", "line 1: timestamp is not an integer" },
	{ "x 1 99999999999999999999\n", "line 1: timestamp is not an integer" },
	{ "x 1 2 3\n", "line 1: unexpected text after the timestamp" },
	{ "x- 1\n", "line 1: invalid character after metric name" },
	{ "\n\n# TYPE x countr\n", "line 3: unknown metric type in TYPE line" },
	{ "# TYPE x counter extra\n", "line 1: unknown metric type" },
	{ "# HELP 1x help\n", "line 1: invalid metric name in HELP" },
	{ "# TYPE\n", "line 1: invalid metric name in HELP or TYPE line" },
	{ "model_requests_total{model=\"a\",model=\"b\",code=\"200\"} 1\n",
	  "line 1: duplicate label name" },
	{ "x{a=\"\\", "line 1: label value not terminated" },
};

static void
test_malformed(void)
{
	struct prom_scrape	 s;
	char			*cause;
	size_t			 i, n;

	for (i = 0; i < sizeof bad_bodies / sizeof bad_bodies[0]; i++) {
		cause = NULL;
		n = strlen(bad_bodies[i].body);
		CHECK_INT(prom_parse(bad_bodies[i].body, n, 0, &s, &cause), -1);
		CHECK(cause != NULL &&
		    strstr(cause, bad_bodies[i].error) == cause);
		if (cause == NULL || strstr(cause, bad_bodies[i].error) != cause)
			printf("# case %zu: got \"%s\"\n", i,
			    cause ? cause : "(null)");
		CHECK(s.nmodels == 0 && s.models == NULL);
		free(cause);
		/* The same in lenient mode: counted, kept, no failure. */
		CHECK_INT(prom_parse(bad_bodies[i].body, n, PROM_LENIENT, &s,
		    NULL), 0);
		CHECK(s.bad_lines == 1 && s.first_error != NULL &&
		    strstr(s.first_error, bad_bodies[i].error) == s.first_error);
		prom_scrape_free(&s);
	}
}

static void
test_nul_byte(void)
{
	static const char body[] = "model_requests_total{model=\"a\0b\",code=\"200\"} 1\n";
	struct prom_scrape	 s;
	char			*cause = NULL;

	CHECK_INT(prom_parse(body, sizeof body - 1, 0, &s, &cause), -1);
	CHECK_STR(cause, "line 1: NUL byte in label value");
	free(cause);
	CHECK_INT(prom_parse("x 1\0\n", 5, 0, &s, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "line 1: ") == cause);
	free(cause);
}

static void
test_lenient_keeps_good_lines(void)
{
	static const char body[] =
	    "model_requests_total{model=\"a\",version=\"1\",code=\"200\"} 5\n"
	    "model_requests_total{model=\"a\",version=\"1\",code=\"500\"} oops\n"
	    "model_requests_total{model=\"a\",version=\"1\",code=\"500\"} 2\n"
	    "garbage here\n";
	struct prom_scrape	 s;
	struct prom_model	*m;

	CHECK_INT(prom_parse(body, strlen(body), PROM_LENIENT, &s, NULL), 0);
	CHECK_INT(s.bad_lines, 2);
	CHECK_STR(s.first_error, "line 2: sample value is not a number");
	m = prom_scrape_find(&s, "a", "1");
	CHECK(m != NULL && m->ncodes == 2 && m->codes[1].count == 2);
	prom_scrape_free(&s);
}

static void
test_long_label_value(void)
{
	struct strbuf	 b = { 0 };
	struct prom_scrape s;
	char		*cause = NULL;
	int		 i;

	strbuf_adds(&b, "model_requests_total{model=\"");
	for (i = 0; i < PROM_MAX_LABEL_VALUE; i++)
		strbuf_addc(&b, 'x');
	strbuf_adds(&b, "\",code=\"200\"} 1\n");
	CHECK_INT(prom_parse(b.s, b.len, 0, &s, NULL), 0);
	CHECK_INT(s.nmodels, 1);
	prom_scrape_free(&s);
	strbuf_reset(&b);
	strbuf_adds(&b, "model_requests_total{model=\"");
	for (i = 0; i <= PROM_MAX_LABEL_VALUE; i++)
		strbuf_addc(&b, 'x');
	strbuf_adds(&b, "\",code=\"200\"} 1\n");
	CHECK_INT(prom_parse(b.s, b.len, 0, &s, &cause), -1);
	CHECK_STR(cause, "line 1: label value longer than 1024 bytes");
	free(cause);
	strbuf_free(&b);
}

static void
test_limits(void)
{
	struct strbuf	 b = { 0 };
	struct prom_scrape s;
	char		*cause = NULL;
	int		 i;

	for (i = 0; i <= PROM_MAX_PER_MODEL; i++)
		strbuf_addf(&b, "model_requests_total{model=\"a\",code=\"%d\"} 1\n", i);
	CHECK_INT(prom_parse(b.s, b.len, 0, &s, &cause), -1);
	CHECK_STR(cause, "line 1001: model a: more than 1000 codes");
	free(cause);
	strbuf_reset(&b);
	for (i = 0; i <= PROM_MAX_PER_MODEL; i++)
		strbuf_addf(&b, "model_request_duration_seconds_bucket{model=\"a\",le=\"%d\"} 1\n", i);
	CHECK_INT(prom_parse(b.s, b.len, 0, &s, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "more than 1000 buckets") != NULL);
	free(cause);
	strbuf_reset(&b);
	for (i = 0; i <= PROM_MAX_PER_MODEL; i++)
		strbuf_addf(&b, "model_business_kpi{model=\"a\",kpi=\"%d\"} 1\n", i);
	CHECK_INT(prom_parse(b.s, b.len, 0, &s, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "more than 1000 KPIs") != NULL);
	free(cause);
	strbuf_reset(&b);
	for (i = 0; i <= PROM_MAX_MODELS; i++)
		strbuf_addf(&b, "nv_inference_count{model=\"m%d\"} 1\n", i);
	CHECK_INT(prom_parse(b.s, b.len, 0, &s, &cause), -1);
	CHECK_STR(cause, "line 10001: more than 10000 (model, version) pairs");
	free(cause);
	strbuf_free(&b);
}

/* Values through prom_parse equal strtod's, fast path or not. */
static void
test_numbers(void)
{
	static const char *const v[] = { "0", "-0", "1", "0.1", "0.3", "123.456",
	    "9007199254740993", "123456789012345", "1234567890123456",
	    "0.000000000000000000001", "0.0000000000000000000000001",
	    "1e300", "2.5E-7", "+3.25", ".5", "5.", "-17.0625",
	    "3.14159265358979323846", "4.9e-324", "1.7976931348623157e308" };
	struct prom_scrape	 s;
	char			 line[128];
	size_t			 i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		snprintf(line, sizeof line,
		    "model_request_duration_seconds_sum{model=\"a\"} %s\n", v[i]);
		CHECK_INT(parse(line, &s), 0);
		CHECK(s.nmodels == 1 && s.models[0].sum == strtod(v[i], NULL));
		prom_scrape_free(&s);
	}
	CHECK_INT(parse("x 1e999\n", &s), -1);
	CHECK_INT(parse("x .\n", &s), -1);
	CHECK_INT(parse("x -\n", &s), -1);
}

static void
test_empty(void)
{
	struct prom_scrape	s;

	CHECK_INT(prom_parse("", 0, 0, &s, NULL), 0);
	CHECK_INT(s.nmodels, 0);
	CHECK_INT(s.lines, 0);
	prom_scrape_free(&s);
	CHECK_INT(parse("\n\n  \r\n# just a comment\n", &s), 0);
	CHECK_INT(s.lines, 4);
	CHECK_INT(s.samples, 0);
	prom_scrape_free(&s);
}

static void
test_series_names(void)
{
	CHECK_INT(prom_series_of("model_requests_total", 20), PROM_SERIES_REQUESTS);
	CHECK_INT(prom_series_of("model_requests_totals", 21), PROM_SERIES_NONE);
	CHECK_INT(prom_series_of("nv_inference_count", 18), PROM_SERIES_NV_COUNT);
	CHECK_INT(prom_series_of("x", 1), PROM_SERIES_NONE);
	CHECK_STR(prom_series_name(PROM_SERIES_KPI), "model_business_kpi");
	CHECK(prom_series_name(PROM_SERIES_NONE) == NULL);
}

int
main(void)
{
	RUN(test_hostd_body);
	RUN(test_triton_body);
	RUN(test_unknown_series);
	RUN(test_escapes_and_specials);
	RUN(test_kpi_latest);
	RUN(test_malformed);
	RUN(test_nul_byte);
	RUN(test_lenient_keeps_good_lines);
	RUN(test_long_label_value);
	RUN(test_limits);
	RUN(test_numbers);
	RUN(test_empty);
	RUN(test_series_names);
	return TEST_REPORT();
}
