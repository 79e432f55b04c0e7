/*
 * derive: the figures of host-api.md's "What the console derives" that come
 * from metrics (error rate, p50/p99 latency, Triton mean latency, business
 * KPIs), computed from one scrape or from two successive scrapes of the
 * same (model, version).  Pure functions over struct prom_model.
 *
 * Convention: a figure that cannot be computed (no traffic, no histogram,
 * no +Inf bucket) is NaN, which JSON writers print as null.
 *
 * Over two scrapes, the figures use the increase prev -> cur.  A counter
 * reset (the process restarted) shows as a decrease: when any series of a
 * group (the buckets with _sum/_count, the codes, the Triton counters)
 * decreased, that group uses cur's cumulative values instead, as
 * Prometheus's increase() counts a reset's new value from zero.  A code or
 * bucket absent from prev counts from zero.
 */
#ifndef MD_DERIVE_H
#define MD_DERIVE_H

#include <stddef.h>

#include "hosts/prom.h"

/*
 * Prometheus's histogram_quantile over cumulative buckets (in any order),
 * as promql/quantile.go bucketQuantile of Prometheus 2.42: q < 0 -> -Inf,
 * q > 1 -> +Inf, NaN q, no +Inf bucket, fewer than 2 buckets or 0
 * observations -> NaN; equal bounds are merged, counts made monotonic;
 * linear interpolation inside the bucket holding rank q * total, from 0
 * for the lowest bucket when its bound is > 0 (else that bound); the upper
 * bound of the highest finite bucket when the rank falls in +Inf.  b is not
 * modified (a copy of up to n buckets is sorted).
 */
double	 derive_histogram_quantile(double q, const struct prom_bucket *b,
	    size_t n);

/* The metric figures of one (model, version). */
struct derive_figures {
	double	requests;		/* requests counted (increase or total) */
	double	error_rate;		/* 5xx share, or Triton failure share */
	double	p50_latency_ms;		/* from the duration histogram */
	double	p99_latency_ms;
	double	mean_latency_ms;	/* _sum/_count, else Triton us/success */
	int	reset;			/* a counter reset was seen */
	int	triton;			/* error rate / mean from Triton names */
};

/*
 * The figures of cur, over the increase since prev (a scrape of the same
 * model and version), or over cur's cumulative values when prev is NULL.
 */
void	 derive_figures(const struct prom_model *prev,
	    const struct prom_model *cur, struct derive_figures *out);

/* The latest value of KPI kpi in m, NaN when m has none. */
double	 derive_kpi(const struct prom_model *m, const char *kpi);

/* 1 when an HTTP-like code is 5xx ("500".."599"), else 0. */
int	 derive_code_is_5xx(const char *code);

#endif
