/*
 * bins: the reference-decile bins of a numeric feature.  Edges are
 * np.unique(np.quantile(ref, [0.1, ..., 0.9])) with NumPy 1.24's default
 * linear method and its _lerp rule (x[i] + d*g below g = 0.5, x[i+1] -
 * d*(1-g) from it), so a value sitting on an edge falls in the same bin as
 * in NumPy; a value's bin is np.searchsorted(edges, x, side="right").
 */
#include <math.h>

#include "stats/stats.h"

static const double deciles[BINS_MAX_EDGES] = {
	0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
};

static double
quantile_sorted(const double *x, size_t n, double q)
{
	double	v = (double)(n - 1) * q, g, d;
	size_t	i;

	if (v >= (double)(n - 1))
		return x[n - 1];
	i = (size_t)floor(v);
	g = v - (double)i;
	d = x[i + 1] - x[i];
	if (g >= 0.5)
		return x[i + 1] - d * (1 - g);
	return x[i] + d * g;
}

size_t
bins_edges(const double *sorted_ref, size_t n, double *edges)
{
	size_t	k, nedges = 0;
	double	e;

	if (n == 0)
		return 0;
	for (k = 0; k < BINS_MAX_EDGES; k++) {
		e = quantile_sorted(sorted_ref, n, deciles[k]);
		/* Quantiles of sorted data are non-decreasing: unique = skip equal. */
		if (nedges == 0 || e != edges[nedges - 1])
			edges[nedges++] = e;
	}
	return nedges;
}

size_t
bins_index(const double *edges, size_t nedges, double x)
{
	size_t	k, b = 0;

	/* At most nine edges: a branch-free count beats a binary search. */
	for (k = 0; k < nedges; k++)
		b += (edges[k] <= x);
	return b;
}

static size_t
count_sign(const double *edges, size_t nedges, const double *x, size_t n,
    long *counts, long sign)
{
	size_t	i, skipped = 0;

	for (i = 0; i < n; i++) {
		if (isnan(x[i])) {
			skipped++;
			continue;
		}
		counts[bins_index(edges, nedges, x[i])] += sign;
	}
	return skipped;
}

size_t
bins_count(const double *edges, size_t nedges, const double *x, size_t n,
    long *counts)
{
	return count_sign(edges, nedges, x, n, counts, 1);
}

size_t
bins_uncount(const double *edges, size_t nedges, const double *x, size_t n,
    long *counts)
{
	return count_sign(edges, nedges, x, n, counts, -1);
}
