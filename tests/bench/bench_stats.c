/*
 * bench_stats FILE: the modeldeck side of tests/bench/stats.sh.  Reads the
 * data written by stats_ref.py gen (format there), times each statistic
 * from raw rows (copies, sorting and binning included) with
 * CLOCK_PROCESS_CPUTIME_ID, best of 3, and prints "name seconds value".
 * "ks" is a KS-only request: statistic and p-value straight from the raw
 * columns by ks_statistic_unsorted, with no copy and no sort; "ks_sorted"
 * copies without NaN, sorts both sides and walks them (ks_statistic), the
 * work KS costs when the sorts are done anyway, as for Wasserstein.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats/stats.h"
#include "util/xmalloc.h"

struct data {
	size_t	  n;
	double	 *ref, *cur, *p, *y;
	char	**cref, **ccur;
};

static double
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double *
read_doubles(FILE *f, size_t n)
{
	double	*a = xmalloc(n * sizeof *a);

	if (fread(a, sizeof *a, n, f) != n) {
		fprintf(stderr, "bench_stats: short data file\n");
		exit(1);
	}
	return a;
}

static char **
read_cats(FILE *f, size_t n, char names[][16])
{
	int32_t	*codes = xmalloc(n * sizeof *codes);
	char	**s = xmalloc(n * sizeof *s);
	size_t	 i;

	if (fread(codes, sizeof *codes, n, f) != n) {
		fprintf(stderr, "bench_stats: short data file\n");
		exit(1);
	}
	for (i = 0; i < n; i++)
		s[i] = names[codes[i] < 0 || codes[i] > 20 ? 0 : codes[i]];
	free(codes);
	return s;
}

static void
load(const char *path, struct data *d, char names[][16])
{
	FILE	*f = fopen(path, "rb");
	int64_t	 n;
	int	 k;

	if (f == NULL || fread(&n, sizeof n, 1, f) != 1 || n <= 0) {
		fprintf(stderr, "bench_stats: cannot read %s\n", path);
		exit(1);
	}
	for (k = 0; k <= 20; k++)
		snprintf(names[k], 16, "cat%02d", k);
	d->n = (size_t)n;
	d->ref = read_doubles(f, d->n);
	d->cur = read_doubles(f, d->n);
	d->p = read_doubles(f, d->n);
	d->y = read_doubles(f, d->n);
	d->cref = read_cats(f, d->n, names);
	d->ccur = read_cats(f, d->n, names);
	fclose(f);
}

static double
run_numeric(const struct data *d, unsigned which)
{
	struct stats_feature	f;

	stats_numeric(d->ref, d->n, d->cur, d->n, which, &f);
	switch (which) {
	case STATS_WASSERSTEIN:
		return f.wasserstein;
	case STATS_PSI:
		return f.psi;
	default:
		return f.js;
	}
}

/* KS alone from raw columns: no copy, no sort (NaN is skipped inside). */
static double
run_ks_unsorted(const struct data *d)
{
	size_t	i, n = 0, m = 0;
	double	ks, p;

	for (i = 0; i < d->n; i++) {
		n += !isnan(d->ref[i]);
		m += !isnan(d->cur[i]);
	}
	ks = ks_statistic_unsorted(d->ref, d->n, d->cur, d->n);
	p = ks_pvalue(ks, n, m);
	return isnan(p) ? p : ks;
}

/* KS by sorting: copies without NaN, both sorted, then the walk. */
static double
run_ks_sorted(const struct data *d)
{
	double	*a = xmalloc(d->n * sizeof *a), *b = xmalloc(d->n * sizeof *b);
	double	*scratch = xmalloc(d->n * sizeof *scratch), ks, p;
	size_t	 n, m;

	n = stats_drop_missing(d->ref, d->n, a);
	m = stats_drop_missing(d->cur, d->n, b);
	sort_doubles_buf(a, n, scratch);
	sort_doubles_buf(b, m, scratch);
	ks = ks_statistic(a, n, b, m);
	p = ks_pvalue(ks, n, m);
	free(a);
	free(b);
	free(scratch);
	return isnan(p) ? p : ks;
}

static double
run_case(const struct data *d, const char *name)
{
	struct stats_feature	f;

	if (strcmp(name, "ks") == 0)
		return run_ks_unsorted(d);
	if (strcmp(name, "ks_sorted") == 0)
		return run_ks_sorted(d);
	if (strcmp(name, "wasserstein") == 0)
		return run_numeric(d, STATS_WASSERSTEIN);
	if (strcmp(name, "psi") == 0)
		return run_numeric(d, STATS_PSI);
	if (strcmp(name, "js") == 0)
		return run_numeric(d, STATS_JS);
	if (strcmp(name, "roc_auc") == 0)
		return perf_roc_auc(d->p, d->y, d->n);
	stats_categorical((const char *const *)d->cref, d->n,
	    (const char *const *)d->ccur, d->n, STATS_CHI2, &f);
	return f.chi2_statistic;
}

int
main(int argc, char **argv)
{
	static const char	*cases[] = {
		"ks", "ks_sorted", "wasserstein", "roc_auc", "psi", "js",
		"chi2",
	};
	static char		 names[21][16];
	struct data		 d;
	double			 t0, dt, best, v = 0;
	size_t			 i;
	int			 r;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_stats DATAFILE\n");
		return 2;
	}
	load(argv[1], &d, names);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		best = -1;
		for (r = 0; r < 3; r++) {
			t0 = cpu_now();
			v = run_case(&d, cases[i]);
			dt = cpu_now() - t0;
			if (best < 0 || dt < best)
				best = dt;
		}
		printf("%s %.6f %.17g\n", cases[i], best, v);
		fflush(stdout);
	}
	free(d.ref);
	free(d.cur);
	free(d.p);
	free(d.y);
	free(d.cref);
	free(d.ccur);
	return 0;
}
