/*
 * derive: metric figures from one or two scrapes (see derive.h for the
 * NaN convention and the counter-reset rule).  histogram_quantile follows
 * promql/quantile.go of Prometheus 2.42, the version Debian ships and the
 * integration tests run against: sort by bound, coalesce equal bounds,
 * force monotonic counts, then interpolate.  (Later Prometheus versions
 * also snap counts within a relative 1e-12 of each other before forcing
 * monotonicity; with integer counters that never changes a result.)
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/derive.h"
#include "util/xmalloc.h"

static int
cmp_bucket(const void *a, const void *b)
{
	double	x = ((const struct prom_bucket *)a)->le;
	double	y = ((const struct prom_bucket *)b)->le;

	return ((x > y) - (x < y));
}

/* The quantile of sorted, coalesced, monotonic buckets. */
static double
bucket_quantile(double q, const struct prom_bucket *b, size_t n)
{
	double	rank, start = 0, count;
	size_t	lo, hi, mid, i;

	if (n < 2 || b[n - 1].count == 0)
		return (NAN);
	rank = q * b[n - 1].count;
	/* sort.Search over [0, n-1): the first bucket with count >= rank. */
	lo = 0;
	hi = n - 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (!(b[mid].count >= rank))
			lo = mid + 1;
		else
			hi = mid;
	}
	i = lo;
	if (i == n - 1)
		return (b[n - 2].le);
	if (i == 0 && b[0].le <= 0)
		return (b[0].le);
	count = b[i].count;
	if (i > 0) {
		start = b[i - 1].le;
		count -= b[i - 1].count;
		rank -= b[i - 1].count;
	}
	return (start + (b[i].le - start) * (rank / count));
}

double
derive_histogram_quantile(double q, const struct prom_bucket *in, size_t n)
{
	struct prom_bucket	*b;
	double			 max, r;
	size_t			 i, k;

	if (isnan(q))
		return (NAN);
	if (q < 0)
		return (-INFINITY);
	if (q > 1)
		return (INFINITY);
	if (n == 0)
		return (NAN);
	b = xreallocarray(NULL, n, sizeof *b);
	memcpy(b, in, n * sizeof *b);
	qsort(b, n, sizeof *b, cmp_bucket);
	if (!isinf(b[n - 1].le) || b[n - 1].le < 0) {
		free(b);
		return (NAN);
	}
	for (i = 1, k = 0; i < n; i++) {
		if (b[i].le == b[k].le)
			b[k].count += b[i].count;
		else
			b[++k] = b[i];
	}
	n = k + 1;
	for (i = 1, max = b[0].count; i < n; i++) {
		if (b[i].count > max)
			max = b[i].count;
		else if (b[i].count < max)
			b[i].count = max;
	}
	r = bucket_quantile(q, b, n);
	free(b);
	return (r);
}

int
derive_code_is_5xx(const char *code)
{
	return (code[0] == '5' && code[1] >= '0' && code[1] <= '9' &&
	    code[2] >= '0' && code[2] <= '9' && code[3] == '\0');
}

static double
prev_code(const struct prom_model *prev, const char *code)
{
	size_t	i;

	for (i = 0; prev != NULL && i < prev->ncodes; i++) {
		if (strcmp(prev->codes[i].code, code) == 0)
			return (prev->codes[i].count);
	}
	return (0);
}

static double
prev_bucket(const struct prom_model *prev, double le)
{
	size_t	i;

	for (i = 0; prev != NULL && i < prev->nbuckets; i++) {
		if (prev->buckets[i].le == le)
			return (prev->buckets[i].count);
	}
	return (0);
}

/* Error rate and request count from model_requests_total. */
static void
requests_figures(const struct prom_model *prev, const struct prom_model *cur,
    struct derive_figures *out)
{
	double	total = 0, bad = 0, d;
	size_t	i;

	if (prev != NULL && !(prev->has & PROM_HAS_REQUESTS))
		prev = NULL;
	for (i = 0; prev != NULL && i < cur->ncodes; i++) {
		if (cur->codes[i].count < prev_code(prev, cur->codes[i].code)) {
			out->reset = 1;
			prev = NULL;
		}
	}
	for (i = 0; i < cur->ncodes; i++) {
		d = cur->codes[i].count - prev_code(prev, cur->codes[i].code);
		total += d;
		if (derive_code_is_5xx(cur->codes[i].code))
			bad += d;
	}
	out->requests = total;
	out->error_rate = total > 0 ? bad / total : NAN;
}

/* p50, p99 and mean latency from the duration histogram. */
static void
histogram_figures(const struct prom_model *prev,
    const struct prom_model *cur, struct derive_figures *out)
{
	struct prom_bucket	*inc;
	double			 sum, count;
	size_t			 i;

	if (prev != NULL && !(prev->has & PROM_HAS_BUCKETS))
		prev = NULL;
	for (i = 0; prev != NULL && i < cur->nbuckets; i++) {
		if (cur->buckets[i].count <
		    prev_bucket(prev, cur->buckets[i].le)) {
			out->reset = 1;
			prev = NULL;
		}
	}
	if (prev != NULL && (cur->sum < prev->sum ||
	    cur->count < prev->count)) {
		out->reset = 1;
		prev = NULL;
	}
	inc = xreallocarray(NULL, cur->nbuckets + 1, sizeof *inc);
	for (i = 0; i < cur->nbuckets; i++) {
		inc[i].le = cur->buckets[i].le;
		inc[i].count = cur->buckets[i].count -
		    prev_bucket(prev, cur->buckets[i].le);
	}
	out->p50_latency_ms = derive_histogram_quantile(0.5, inc,
	    cur->nbuckets) * 1000;
	out->p99_latency_ms = derive_histogram_quantile(0.99, inc,
	    cur->nbuckets) * 1000;
	free(inc);
	if ((cur->has & (PROM_HAS_SUM | PROM_HAS_COUNT)) ==
	    (PROM_HAS_SUM | PROM_HAS_COUNT)) {
		sum = cur->sum - (prev != NULL ? prev->sum : 0);
		count = cur->count - (prev != NULL ? prev->count : 0);
		out->mean_latency_ms = count > 0 ? sum / count * 1000 : NAN;
	}
}

/* Error rate (when no model_requests_total) and mean latency, Triton. */
static void
triton_figures(const struct prom_model *prev, const struct prom_model *cur,
    struct derive_figures *out)
{
	double	ok, bad, us;

	if (prev != NULL && (cur->nv_success < prev->nv_success ||
	    cur->nv_failure < prev->nv_failure ||
	    cur->nv_duration_us < prev->nv_duration_us)) {
		out->reset = 1;
		prev = NULL;
	}
	ok = cur->nv_success - (prev != NULL ? prev->nv_success : 0);
	bad = cur->nv_failure - (prev != NULL ? prev->nv_failure : 0);
	us = cur->nv_duration_us - (prev != NULL ? prev->nv_duration_us : 0);
	if (!(cur->has & PROM_HAS_REQUESTS) &&
	    (cur->has & (PROM_HAS_NV_SUCCESS | PROM_HAS_NV_FAILURE))) {
		out->triton = 1;
		out->requests = ok + bad;
		out->error_rate = ok + bad > 0 ? bad / (ok + bad) : NAN;
	}
	if (isnan(out->mean_latency_ms) && (cur->has & PROM_HAS_NV_DURATION) &&
	    (cur->has & PROM_HAS_NV_SUCCESS)) {
		out->triton = 1;
		out->mean_latency_ms = ok > 0 ? us / ok / 1000 : NAN;
	}
}

void
derive_figures(const struct prom_model *prev, const struct prom_model *cur,
    struct derive_figures *out)
{
	out->requests = NAN;
	out->error_rate = NAN;
	out->p50_latency_ms = NAN;
	out->p99_latency_ms = NAN;
	out->mean_latency_ms = NAN;
	out->reset = 0;
	out->triton = 0;
	if (cur->has & PROM_HAS_REQUESTS)
		requests_figures(prev, cur, out);
	if (cur->has & PROM_HAS_BUCKETS)
		histogram_figures(prev, cur, out);
	if (cur->has & (PROM_HAS_NV_SUCCESS | PROM_HAS_NV_FAILURE |
	    PROM_HAS_NV_DURATION))
		triton_figures(prev, cur, out);
}

double
derive_kpi(const struct prom_model *m, const char *kpi)
{
	size_t	i;

	for (i = 0; i < m->nkpis; i++) {
		if (strcmp(m->kpis[i].kpi, kpi) == 0)
			return (m->kpis[i].value);
	}
	return (NAN);
}
