/*
 * bench_parse DIR: parsing speed of the host contract's two bulk bodies.
 * Writes DIR/samples.json (a samples page) and DIR/metrics.txt (a /metrics
 * scrape), times contract_parse_samples (feature values per second, with
 * cJSON's own parse alone for comparison) and prom_parse (lines per
 * second), best of 5 in process CPU time, and prints one "key value" line
 * per figure for tests/bench/parse.sh, which times Python on the same
 * files and prints the ratios.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hosts/contract.h"
#include "hosts/prom.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define ROWS		20000
#define NUMERIC		10
#define CATEGORICAL	10
#define MODELS		400
#define RUNS		5

static double
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static unsigned long
lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return (*s >> 33);
}

static void
gen_reference(struct strbuf *b)
{
	int	i;

	strbuf_adds(b, "{\"task\":\"binary_classification\",\"schema\":[");
	for (i = 0; i < NUMERIC + CATEGORICAL; i++)
		strbuf_addf(b, "%s{\"name\":\"f%02d\",\"type\":\"%s\"}", i ? "," : "",
		    i, i < NUMERIC ? "numeric" : "categorical");
	strbuf_adds(b, "],\"rows\":[]}");
}

static void
gen_samples(struct strbuf *b)
{
	static const char *const cats[] = { "north", "south", "east", "west",
	    "centre", "islands", "abroad", "unknown" };
	unsigned long	s = 7;
	int		r, i;

	strbuf_adds(b, "{\"cursor\":\"184467\",\"more\":false,\"rows\":[");
	for (r = 0; r < ROWS; r++) {
		strbuf_addf(b, "%s{\"id\":\"r-%d\",\"ts\":%lld,\"features\":{",
		    r ? "," : "", r, 1763800000000LL + r * 37);
		for (i = 0; i < NUMERIC + CATEGORICAL; i++) {
			strbuf_addf(b, "%s\"f%02d\":", i ? "," : "", i);
			if (lcg(&s) % 50 == 0)
				strbuf_adds(b, "null");
			else if (i < NUMERIC)
				strbuf_addf(b, "%.6g", (double)(lcg(&s) % 1000000) / 7.0);
			else
				strbuf_addf(b, "\"%s\"", cats[lcg(&s) % 8]);
		}
		strbuf_addf(b, "},\"prediction\":%.4f}", (double)(lcg(&s) % 10000) / 1e4);
	}
	strbuf_adds(b, "]}");
}

static size_t
gen_metrics(struct strbuf *b)
{
	static const char *const les[] = { "0.005", "0.01", "0.025", "0.05",
	    "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf" };
	size_t	lines = 0;
	int	m, k;

	for (m = 0; m < MODELS; m++) {
		strbuf_addf(b, "# HELP model_requests_total Requests.\n"
		    "# TYPE model_requests_total counter\n");
		for (k = 0; k < 3; k++)
			strbuf_addf(b, "model_requests_total{model=\"model-%d\","
			    "version=\"%d\",code=\"%s\"} %d\n", m / 2, m % 2,
			    k == 0 ? "200" : k == 1 ? "500" : "404", 1000 * m + k);
		for (k = 0; k < 12; k++)
			strbuf_addf(b, "model_request_duration_seconds_bucket{model="
			    "\"model-%d\",version=\"%d\",le=\"%s\"} %d\n", m / 2,
			    m % 2, les[k], 100 * k + m);
		strbuf_addf(b, "model_request_duration_seconds_sum{model="
		    "\"model-%d\",version=\"%d\"} %.3f\n", m / 2, m % 2, m * 1.5);
		strbuf_addf(b, "model_request_duration_seconds_count{model="
		    "\"model-%d\",version=\"%d\"} %d\n", m / 2, m % 2, 1100 + m);
		strbuf_addf(b, "model_business_kpi{model=\"model-%d\",version="
		    "\"%d\",kpi=\"uplift\"} 0.0%d\n", m / 2, m % 2, m % 10);
		strbuf_addf(b, "process_open_fds{instance=\"h%d\"} %d\n", m, m);
		lines += 2 + 3 + 12 + 3 + 1;
	}
	return (lines);
}

static void
write_file(const char *dir, const char *name, const struct strbuf *b)
{
	char	*path = xasprintf("%s/%s", dir, name);
	FILE	*f = fopen(path, "w");

	if (f == NULL || fwrite(b->s, 1, b->len, f) != b->len) {
		fprintf(stderr, "bench_parse: cannot write %s\n", path);
		exit(1);
	}
	fclose(f);
	free(path);
}

int
main(int argc, char **argv)
{
	struct strbuf		 ref = { 0 }, page = { 0 }, metrics = { 0 };
	struct contract_reference r;
	struct contract_samples	 s;
	struct prom_scrape	 ps;
	double			 t, best_ops = 1e9, best_cjson = 1e9, best_prom = 1e9;
	size_t			 lines, values;
	int			 i;
	cJSON			*j;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_parse DIR\n");
		return (1);
	}
	gen_reference(&ref);
	gen_samples(&page);
	lines = gen_metrics(&metrics);
	write_file(argv[1], "samples.json", &page);
	write_file(argv[1], "metrics.txt", &metrics);
	if (contract_parse_reference(ref.s, ref.len, &r, NULL) != 0)
		return (1);
	values = (size_t)ROWS * (NUMERIC + CATEGORICAL);
	/* One loop per parser, so one's frees do not land in another's time. */
	for (i = 0; i < RUNS; i++) {
		t = cpu_now();
		if (prom_parse(metrics.s, metrics.len, 0, &ps, NULL) != 0)
			return (1);
		prom_scrape_free(&ps);
		if ((t = cpu_now() - t) < best_prom)
			best_prom = t;
	}
	for (i = 0; i < RUNS; i++) {
		t = cpu_now();
		if (contract_parse_samples(page.s, page.len, &r, &s, NULL) != 0)
			return (1);
		contract_samples_free(&s);
		if ((t = cpu_now() - t) < best_ops)
			best_ops = t;
	}
	for (i = 0; i < RUNS; i++) {
		t = cpu_now();
		j = cJSON_ParseWithLength(page.s, page.len);
		cJSON_Delete(j);
		if ((t = cpu_now() - t) < best_cjson)
			best_cjson = t;
	}
	printf("samples_rows %d\n", ROWS);
	printf("samples_values %zu\n", values);
	printf("samples_bytes %zu\n", page.len);
	printf("samples_values_per_s %.0f\n", values / best_ops);
	printf("cjson_only_values_per_s %.0f\n", values / best_cjson);
	printf("metrics_lines %zu\n", lines);
	printf("metrics_bytes %zu\n", metrics.len);
	printf("prom_lines_per_s %.0f\n", lines / best_prom);
	contract_reference_free(&r);
	strbuf_free(&ref);
	strbuf_free(&page);
	strbuf_free(&metrics);
	return (0);
}
