/*
 * Unit tests for src/hosts/derive.c: histogram_quantile against hand-worked
 * cases and against an independent Python reimplementation of Prometheus
 * 2.42's bucketQuantile over random bucket sets; the figures over one and
 * two scrapes, counter resets, Triton names, KPIs.
 */
#include <stdint.h>
#include <unistd.h>

#include "testhelp.h"
#include "hosts/derive.h"
#include "hosts/prom.h"
#include "util/xmalloc.h"

#define INF	INFINITY

static double
hq(double q, const struct prom_bucket *b, size_t n)
{
	return (derive_histogram_quantile(q, b, n));
}

/*
 * Worked by hand from the algorithm: bounds 0.1/0.5/1/+Inf, cumulative
 * 10/20/30/40.  q=0.5: rank 20, first count >= 20 is le 0.5, so
 * 0.1 + (0.5-0.1) * (20-10)/(20-10) = 0.5.  q=0.25: rank 10 in the first
 * bucket, 0 + 0.1 * 10/10 = 0.1.  q=0.3: rank 12, 0.1 + 0.4 * 2/10 = 0.18.
 * q=0.99: rank 39.6 is above every finite bucket: the highest finite
 * bound, 1.
 */
static void
test_quantile_by_hand(void)
{
	struct prom_bucket b[] = { { 0.5, 20 }, { INF, 40 }, { 0.1, 10 },
	    { 1, 30 } };
	struct prom_bucket neg[] = { { -1, 5 }, { 0, 10 }, { INF, 10 } };
	struct prom_bucket nonmono[] = { { 0.1, 10 }, { 0.5, 8 }, { INF, 12 } };
	struct prom_bucket dup[] = { { 0.1, 3 }, { INF, 10 }, { 0.1, 2 } };
	struct prom_bucket noinf[] = { { 0.1, 3 }, { 1, 10 } };
	struct prom_bucket zero[] = { { 0.1, 0 }, { INF, 0 } };
	struct prom_bucket one[] = { { INF, 7 } };

	CHECK_NEAR(hq(0.5, b, 4), 0.5, 1e-15, 0);
	CHECK_NEAR(hq(0.25, b, 4), 0.1, 1e-15, 0);
	CHECK_NEAR(hq(0.3, b, 4), 0.18, 1e-15, 0);
	CHECK(hq(0.99, b, 4) == 1);
	CHECK(hq(1, b, 4) == 1);
	CHECK(hq(0, b, 4) == 0);	/* rank 0: first bucket, 0 + 0.1*0 */
	CHECK(hq(-0.1, b, 4) == -INF);
	CHECK(hq(1.1, b, 4) == INF);
	CHECK(isnan(hq(NAN, b, 4)));
	/* The input is left as it was (a copy is sorted). */
	CHECK(b[0].le == 0.5 && b[1].le == INF);
	/* Lowest bound <= 0 is returned as such: rank 2 in le=-1. */
	CHECK(hq(0.2, neg, 3) == -1);
	/* rank 7.5 in (−1, 0]: -1 + 1 * (7.5-5)/(10-5) = -0.5. */
	CHECK_NEAR(hq(0.75, neg, 3), -0.5, 1e-15, 0);
	/* Counts forced to 10/10/12: rank 6 -> 0.1*6/10; rank 10.8 -> 0.5. */
	CHECK_NEAR(hq(0.5, nonmono, 3), 0.06, 1e-15, 0);
	CHECK(hq(0.9, nonmono, 3) == 0.5);
	/* Equal bounds merged: 0.1 holds 5 of 10, rank 5 -> 0.1. */
	CHECK_NEAR(hq(0.5, dup, 3), 0.1, 1e-15, 0);
	CHECK(isnan(hq(0.5, noinf, 2)));
	CHECK(isnan(hq(0.5, zero, 2)));
	CHECK(isnan(hq(0.5, one, 1)));
	CHECK(isnan(hq(0.5, NULL, 0)));
}

static const char py_quantile[] =
    "import math, sys\n"
    "def div(a, b):\n"
    "    if b != 0: return a / b\n"
    "    return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)\n"
    "def bucket_quantile(q, bs):\n"
    "    if math.isnan(q): return math.nan\n"
    "    if q < 0: return -math.inf\n"
    "    if q > 1: return math.inf\n"
    "    if not bs: return math.nan\n"
    "    bs = sorted(bs)\n"
    "    if bs[-1][0] != math.inf: return math.nan\n"
    "    merged = []\n"
    "    for le, c in bs:\n"
    "        if merged and merged[-1][0] == le: merged[-1][1] += c\n"
    "        else: merged.append([le, c])\n"
    "    top = merged[0][1]\n"
    "    for m in merged[1:]:\n"
    "        top = max(top, m[1]); m[1] = top\n"
    "    if len(merged) < 2 or merged[-1][1] == 0: return math.nan\n"
    "    rank = q * merged[-1][1]\n"
    "    i = next((i for i in range(len(merged) - 1) if merged[i][1] >= rank),\n"
    "             len(merged) - 1)\n"
    "    if i == len(merged) - 1: return merged[-2][0]\n"
    "    if i == 0 and merged[0][0] <= 0: return merged[0][0]\n"
    "    start, count = 0.0, merged[i][1]\n"
    "    if i > 0:\n"
    "        start = merged[i-1][0]; count -= merged[i-1][1]; rank -= merged[i-1][1]\n"
    "    return start + (merged[i][0] - start) * div(rank, count)\n"
    "for line in open(sys.argv[1]):\n"
    "    f = [float(x) for x in line.split()]\n"
    "    bs = [(f[2 + 2*k], f[3 + 2*k]) for k in range(int(f[1]))]\n"
    "    print(repr(bucket_quantile(f[0], bs)))\n";

static uint64_t
next_rand(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (*s >> 33);
}

#define NCASES 2000

/* Random bucket sets, quantiles in C and in Python: equal. */
static void
test_quantile_vs_python(void)
{
	static const double les[] = { -2, -0.5, 0, 0.005, 0.01, 0.025, 0.1,
	    0.25, 0.5, 1, 2.5, 10, INF };
	static const double qs[] = { 0, 0.01, 0.25, 0.5, 0.9, 0.99, 1, -0.5,
	    1.5, 0.333 };
	struct prom_bucket b[10];
	char		 dir[] = "/tmp/test_derive.XXXXXX", path[64], cmd[256];
	char		 line[128];
	double		 got[NCASES], want;
	uint64_t	 seed = 42;
	FILE		*f, *p;
	size_t		 i, k, n, bad = 0, rows = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/py", dir);
	f = fopen(path, "w");
	fputs(py_quantile, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/cases", dir);
	f = fopen(path, "w");
	for (i = 0; i < NCASES; i++) {
		double q = qs[next_rand(&seed) % 10];

		n = 1 + next_rand(&seed) % 8;
		for (k = 0; k < n; k++) {
			b[k].le = les[next_rand(&seed) % 13];
			b[k].count = (double)(next_rand(&seed) % 40);
		}
		if (next_rand(&seed) % 4 != 0)
			b[n - 1].le = INF;
		got[i] = hq(q, b, n);
		fprintf(f, "%.17g %zu", q, n);
		for (k = 0; k < n; k++)
			fprintf(f, " %.17g %.17g", b[k].le, b[k].count);
		fputc('\n', f);
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/py %s/cases", dir, dir);
	p = popen(cmd, "r");
	CHECK(p != NULL);
	while (p != NULL && fgets(line, sizeof line, p) != NULL &&
	    rows < NCASES) {
		want = strtod(line, NULL);
		if (!(isnan(want) && isnan(got[rows])) && want != got[rows] &&
		    fabs(want - got[rows]) > 1e-12 * fabs(want)) {
			if (bad++ == 0)
				printf("# case %zu: C %.17g python %.17g\n",
				    rows, got[rows], want);
		}
		rows++;
	}
	CHECK(p != NULL && pclose(p) == 0);
	CHECK_INT(rows, NCASES);
	CHECK_INT(bad, 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

static const char prev_body[] =
    "model_requests_total{model=\"m\",version=\"1\",code=\"200\"} 100\n"
    "model_requests_total{model=\"m\",version=\"1\",code=\"500\"} 5\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.1\"} 50\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.5\"} 90\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"1\"} 100\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"+Inf\"} 105\n"
    "model_request_duration_seconds_sum{model=\"m\",version=\"1\"} 30\n"
    "model_request_duration_seconds_count{model=\"m\",version=\"1\"} 105\n"
    "model_business_kpi{model=\"m\",version=\"1\",kpi=\"uplift\"} 0.031\n";
static const char cur_body[] =
    "model_requests_total{model=\"m\",version=\"1\",code=\"200\"} 180\n"
    "model_requests_total{model=\"m\",version=\"1\",code=\"500\"} 15\n"
    "model_requests_total{model=\"m\",version=\"1\",code=\"503\"} 5\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.1\"} 70\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.5\"} 150\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"1\"} 190\n"
    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"+Inf\"} 200\n"
    "model_request_duration_seconds_sum{model=\"m\",version=\"1\"} 60\n"
    "model_request_duration_seconds_count{model=\"m\",version=\"1\"} 200\n";

static struct prom_model *
model_of(const char *body, struct prom_scrape *s)
{
	if (prom_parse(body, strlen(body), 0, s, NULL) != 0)
		return (NULL);
	return (prom_scrape_find(s, "m", "1"));
}

/*
 * Increase prev -> cur: codes 80/10/5 (503 new): error rate 15/95.
 * Buckets 20/60/90/95: p50 rank 47.5 in (0.1, 0.5]:
 * 0.1 + 0.4 * 27.5/40 = 0.375 s; p99 rank 94.05 above le=1: 1 s.
 * Mean 30/95 s.
 */
static void
test_figures_increase(void)
{
	struct prom_scrape	 a, b;
	struct prom_model	*p = model_of(prev_body, &a);
	struct prom_model	*c = model_of(cur_body, &b);
	struct derive_figures	 f;

	CHECK(p != NULL && c != NULL);
	if (p == NULL || c == NULL)
		return;
	derive_figures(p, c, &f);
	CHECK(f.requests == 95);
	CHECK_NEAR(f.error_rate, 15.0 / 95, 1e-15, 0);
	CHECK_NEAR(f.p50_latency_ms, 375, 1e-12, 0);
	CHECK_NEAR(f.p99_latency_ms, 1000, 1e-15, 0);
	CHECK_NEAR(f.mean_latency_ms, 30.0 / 95 * 1000, 1e-12, 0);
	CHECK_INT(f.reset, 0);
	CHECK_INT(f.triton, 0);
	CHECK_NEAR(derive_kpi(p, "uplift"), 0.031, 0, 0);
	CHECK(isnan(derive_kpi(c, "uplift")));
	/* No traffic between two equal scrapes: no figure. */
	derive_figures(c, c, &f);
	CHECK(f.requests == 0);
	CHECK(isnan(f.error_rate) && isnan(f.p50_latency_ms) &&
	    isnan(f.p99_latency_ms) && isnan(f.mean_latency_ms));
	prom_scrape_free(&a);
	prom_scrape_free(&b);
}

/*
 * One scrape: cumulative. Error rate 20/200; buckets 70/150/190/200: p50
 * rank 100 -> 0.1 + 0.4 * 30/80 = 0.25 s; p99 rank 198 -> 1 s; mean 0.3 s.
 */
static void
test_figures_cumulative(void)
{
	struct prom_scrape	 b;
	struct prom_model	*c = model_of(cur_body, &b);
	struct derive_figures	 f;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	derive_figures(NULL, c, &f);
	CHECK(f.requests == 200);
	CHECK_NEAR(f.error_rate, 0.1, 1e-15, 0);
	CHECK_NEAR(f.p50_latency_ms, 250, 1e-12, 0);
	CHECK_NEAR(f.p99_latency_ms, 1000, 1e-15, 0);
	CHECK_NEAR(f.mean_latency_ms, 300, 1e-12, 0);
	prom_scrape_free(&b);
}

/* Counters went down (a restart): cur's cumulative values are used. */
static void
test_figures_reset(void)
{
	static const char restarted[] =
	    "model_requests_total{model=\"m\",version=\"1\",code=\"200\"} 10\n"
	    "model_requests_total{model=\"m\",version=\"1\",code=\"500\"} 1\n"
	    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.1\"} 4\n"
	    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"0.5\"} 100\n"
	    "model_request_duration_seconds_bucket{model=\"m\",version=\"1\",le=\"+Inf\"} 110\n"
	    "model_request_duration_seconds_sum{model=\"m\",version=\"1\"} 31\n"
	    "model_request_duration_seconds_count{model=\"m\",version=\"1\"} 110\n";
	struct prom_scrape	 a, b;
	struct prom_model	*p = model_of(prev_body, &a);
	struct prom_model	*c = model_of(restarted, &b);
	struct derive_figures	 f;

	CHECK(p != NULL && c != NULL);
	if (p == NULL || c == NULL)
		return;
	derive_figures(p, c, &f);
	CHECK_INT(f.reset, 1);
	CHECK(f.requests == 11);
	CHECK_NEAR(f.error_rate, 1.0 / 11, 1e-15, 0);
	/* Bucket 0.1 fell 50 -> 4: cumulative 4/100/110, p50 rank 55:
	 * 0.1 + 0.4 * 51/96. */
	CHECK_NEAR(f.p50_latency_ms, (0.1 + 0.4 * 51.0 / 96) * 1000, 1e-12, 0);
	CHECK_NEAR(f.mean_latency_ms, 31.0 / 110 * 1000, 1e-12, 0);
	prom_scrape_free(&a);
	prom_scrape_free(&b);
}

static const char triton_prev[] =
    "nv_inference_request_success{model=\"m\",version=\"1\"} 800\n"
    "nv_inference_request_failure{model=\"m\",version=\"1\",reason=\"BACKEND\"} 8\n"
    "nv_inference_request_duration_us{model=\"m\",version=\"1\"} 2400000\n";
static const char triton_cur[] =
    "nv_inference_request_success{model=\"m\",version=\"1\"} 900\n"
    "nv_inference_request_failure{model=\"m\",version=\"1\",reason=\"BACKEND\"} 10\n"
    "nv_inference_request_failure{model=\"m\",version=\"1\",reason=\"REJECTED\"} 8\n"
    "nv_inference_request_duration_us{model=\"m\",version=\"1\"} 2700000\n";

/* Triton: failures 10 of 110; 300000 us over 100 successes = 3 ms. */
static void
test_figures_triton(void)
{
	struct prom_scrape	 a, b;
	struct prom_model	*p = model_of(triton_prev, &a);
	struct prom_model	*c = model_of(triton_cur, &b);
	struct derive_figures	 f;

	CHECK(p != NULL && c != NULL);
	if (p == NULL || c == NULL)
		return;
	derive_figures(p, c, &f);
	CHECK_INT(f.triton, 1);
	CHECK(f.requests == 110);
	CHECK_NEAR(f.error_rate, 10.0 / 110, 1e-15, 0);
	CHECK_NEAR(f.mean_latency_ms, 3, 1e-15, 0);
	CHECK(isnan(f.p50_latency_ms) && isnan(f.p99_latency_ms));
	derive_figures(NULL, c, &f);
	CHECK_NEAR(f.error_rate, 18.0 / 918, 1e-15, 0);
	CHECK_NEAR(f.mean_latency_ms, 3, 1e-15, 0);
	/* Reset: cur below prev. */
	derive_figures(c, p, &f);
	CHECK_INT(f.reset, 1);
	CHECK_NEAR(f.error_rate, 8.0 / 808, 1e-15, 0);
	prom_scrape_free(&a);
	prom_scrape_free(&b);
}

/* model_requests_total wins over Triton's counters for the error rate. */
static void
test_figures_both(void)
{
	static const char both[] =
	    "model_requests_total{model=\"m\",version=\"1\",code=\"200\"} 3\n"
	    "model_requests_total{model=\"m\",version=\"1\",code=\"502\"} 1\n"
	    "nv_inference_request_success{model=\"m\",version=\"1\"} 10\n"
	    "nv_inference_request_failure{model=\"m\",version=\"1\"} 10\n";
	struct prom_scrape	 b;
	struct prom_model	*c = model_of(both, &b);
	struct derive_figures	 f;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	derive_figures(NULL, c, &f);
	CHECK_NEAR(f.error_rate, 0.25, 0, 0);
	CHECK_INT(f.triton, 0);
	CHECK(isnan(f.mean_latency_ms));
	prom_scrape_free(&b);
}

static void
test_code_5xx(void)
{
	CHECK_INT(derive_code_is_5xx("500"), 1);
	CHECK_INT(derive_code_is_5xx("599"), 1);
	CHECK_INT(derive_code_is_5xx("5xx"), 0);
	CHECK_INT(derive_code_is_5xx("50"), 0);
	CHECK_INT(derive_code_is_5xx("5000"), 0);
	CHECK_INT(derive_code_is_5xx("404"), 0);
	CHECK_INT(derive_code_is_5xx(""), 0);
}

int
main(void)
{
	RUN(test_quantile_by_hand);
	RUN(test_quantile_vs_python);
	RUN(test_figures_increase);
	RUN(test_figures_cumulative);
	RUN(test_figures_reset);
	RUN(test_figures_triton);
	RUN(test_figures_both);
	RUN(test_code_5xx);
	return TEST_REPORT();
}
