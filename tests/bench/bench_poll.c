/*
 * bench_poll: the poller measured from inside one process (no process
 * start, no store), for tests/bench/poll.sh.
 *   bench_poll CONFIG cycles N   one warm-up cycle (references), then N
 *                                full poll cycles of every host: wall and
 *                                CPU milliseconds per cycle (median, min)
 *   bench_poll CONFIG ingest     one cycle over the hosts' whole history:
 *                                feature values taken in through HTTP, JSON
 *                                and the windows per CPU second
 * Prints "key value" lines; exits 1 when a host was not up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config/config.h"
#include "hosts/poller.h"
#include "util/timefmt.h"

static double
cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int
all_up(const struct poller *p)
{
	struct poller_host_view h;
	size_t i;
	int bad = 0;

	for (i = 0; i < poller_nhosts(p); i++) {
		poller_host(p, i, &h);
		if (h.state != POLLER_UP && bad++ < 3)
			fprintf(stderr, "bench_poll: %s %s: %s\n", h.name,
			    poller_state_name(h.state), h.error ? h.error : "");
	}
	return bad == 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
cycles(struct poller *p, int n)
{
	double *wall = calloc((size_t)n, sizeof *wall);
	double *cpu = calloc((size_t)n, sizeof *cpu);
	double c0;
	int64_t t0;
	int i, ok;

	poller_run_once(p, timefmt_mono_ms() + 120000);
	ok = all_up(p);
	for (i = 0; i < n; i++) {
		t0 = timefmt_mono_ms();
		c0 = cpu_ms();
		poller_run_once(p, timefmt_mono_ms() + 120000);
		wall[i] = (double)(timefmt_mono_ms() - t0);
		cpu[i] = cpu_ms() - c0;
	}
	ok &= all_up(p);
	qsort(wall, (size_t)n, sizeof *wall, cmp_double);
	qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
	printf("hosts %zu\nversions %zu\n", poller_nhosts(p), poller_nversions(p));
	printf("cycle_wall_ms_median %.1f\ncycle_wall_ms_min %.1f\n",
	    wall[n / 2], wall[0]);
	printf("cycle_cpu_ms_median %.1f\ncycle_cpu_ms_min %.1f\n", cpu[n / 2],
	    cpu[0]);
	free(wall);
	free(cpu);
	return ok ? 0 : 1;
}

static int
ingest(struct poller *p)
{
	struct poller_version_view v;
	double c0 = cpu_ms(), cpu, values = 0, rows = 0;
	int64_t t0 = timefmt_mono_ms();
	size_t i;

	poller_run_once(p, timefmt_mono_ms() + 600000);
	cpu = cpu_ms() - c0;
	for (i = 0; i < poller_nversions(p); i++) {
		poller_version(p, i, &v);
		if (v.status == NULL)
			continue;
		rows += (double)v.samples_seen;
		values += (double)v.samples_seen * (double)v.status->nfeatures;
	}
	printf("ingest_rows %.0f\ningest_feature_values %.0f\n", rows, values);
	printf("ingest_wall_ms %lld\ningest_cpu_ms %.1f\n",
	    (long long)(timefmt_mono_ms() - t0), cpu);
	printf("ingest_values_per_cpu_second %.0f\n", values / (cpu / 1e3));
	return all_up(p) ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct config *cfg;
	struct poller *p;
	char *cause = NULL;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_poll CONFIG cycles N | ingest\n");
		return 2;
	}
	if ((cfg = config_load(argv[1], &cause)) == NULL) {
		fprintf(stderr, "bench_poll: %s\n", cause);
		free(cause);
		return 2;
	}
	p = poller_new_config(cfg, 0, NULL);
	if (strcmp(argv[2], "cycles") == 0)
		rc = cycles(p, argc > 3 ? atoi(argv[3]) : 5);
	else
		rc = ingest(p);
	poller_free(p);
	config_free(cfg);
	return rc;
}
