/*
 * bins: the reference-decile bins of a numeric feature.  Edges are
 * np.unique(np.quantile(ref, [0.1, ..., 0.9])) with NumPy 1.24's default
 * linear method and its _lerp rule (x[i] + d*g below g = 0.5, x[i+1] -
 * d*(1-g) from it), so a value sitting on an edge falls in the same bin as
 * in NumPy; a value's bin is np.searchsorted(edges, x, side="right").
 *
 * bins_edges_unsorted finds the same order statistics without sorting the
 * sample, in two reads of it: a histogram of the top 16 bits of each
 * value's order-preserving key (the radix key of sort.c) tells which
 * histogram bucket holds each needed rank; the second read copies out only
 * the values of those (at most 18) buckets, which are then sorted.  Ties
 * and constant columns only make a bucket bigger, never wrong.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/sortkey.h"
#include "stats/stats.h"
#include "util/xmalloc.h"

#define TOP_BITS	16
#define NBUCKETS	(1u << TOP_BITS)
#define SMALL_N		4096		/* below this, sorting a copy is cheaper */
#define MAX_RANKS	(2 * BINS_MAX_EDGES)

static const double deciles[BINS_MAX_EDGES] = {
	0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9,
};

/* Buckets of the sample holding the needed ranks, in rank order. */
struct segment {
	size_t	base;		/* rank of the bucket's smallest value */
	size_t	size;
	size_t	start;		/* offset of its values in the copy */
	size_t	fill;
};

/* Decile k of n values: ranks i and i1 and the weight g of NumPy. */
static void
decile_position(size_t n, size_t k, size_t *i, size_t *i1, double *g)
{
	double	v = (double)(n - 1) * deciles[k];

	if (v >= (double)(n - 1)) {
		*i = *i1 = n - 1;
		*g = 0;
		return;
	}
	*i = (size_t)floor(v);
	*i1 = *i + 1;
	*g = v - (double)*i;
}

static double
lerp(double a, double b, double g)
{
	double	d = b - a;

	return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/* Append e to edges unless equal to the last (quantiles do not decrease). */
static void
add_edge(double *edges, size_t *nedges, double e)
{
	if (*nedges == 0 || e != edges[*nedges - 1])
		edges[(*nedges)++] = e;
}

size_t
bins_edges(const double *sorted_ref, size_t n, double *edges)
{
	size_t	k, i, i1, nedges = 0;
	double	g;

	if (n == 0)
		return 0;
	for (k = 0; k < BINS_MAX_EDGES; k++) {
		decile_position(n, k, &i, &i1, &g);
		add_edge(edges, &nedges, lerp(sorted_ref[i], sorted_ref[i1], g));
	}
	return nedges;
}

static inline uint32_t
bucket_of(double x)
{
	uint64_t	u;

	memcpy(&u, &x, sizeof u);
	return (uint32_t)(sortkey_from_bits(u) >> (64 - TOP_BITS));
}

static size_t
edges_by_sorting(const double *ref, size_t n, double *edges)
{
	double	*a = xreallocarray(NULL, n ? n : 1, sizeof *a);
	size_t	 na = stats_drop_missing(ref, n, a), ne;

	sort_doubles(a, na);
	ne = bins_edges(a, na, edges);
	free(a);
	return ne;
}

/* Mark the buckets holding the needed ranks; returns how many segments. */
static size_t
find_segments(const uint32_t *hist, size_t cnt, uint16_t *want,
    struct segment *seg)
{
	size_t	rank[MAX_RANKS], nr = 0, k, i, i1, j = 0, nseg = 0, cum = 0;
	double	g;
	uint32_t b;

	for (k = 0; k < BINS_MAX_EDGES; k++) {
		decile_position(cnt, k, &i, &i1, &g);
		if (nr == 0 || rank[nr - 1] < i)
			rank[nr++] = i;
		if (rank[nr - 1] < i1)
			rank[nr++] = i1;
	}
	for (b = 0; b < NBUCKETS && j < nr; cum += hist[b++]) {
		if (rank[j] >= cum + hist[b])
			continue;
		want[b] = (uint16_t)(nseg + 1);
		seg[nseg].base = cum;
		seg[nseg].size = hist[b];
		seg[nseg].start = nseg ? seg[nseg - 1].start +
		    seg[nseg - 1].size : 0;
		seg[nseg++].fill = 0;
		while (j < nr && rank[j] < cum + hist[b])
			j++;
	}
	return nseg;
}

static double
value_at(const double *buf, const struct segment *seg, size_t nseg,
    size_t rank)
{
	size_t	s;

	for (s = 0; s + 1 < nseg && rank >= seg[s].base + seg[s].size; s++)
		;
	return buf[seg[s].start + rank - seg[s].base];
}

static size_t
edges_from_segments(const double *ref, size_t n, size_t cnt,
    const uint16_t *want, struct segment *seg, size_t nseg, double *edges)
{
	double		*buf;
	size_t		 i, i1, k, s, total, ne = 0;
	double		 g;

	total = seg[nseg - 1].start + seg[nseg - 1].size;
	buf = xreallocarray(NULL, total, sizeof *buf);
	for (i = 0; i < n; i++) {
		if (isnan(ref[i]) || (s = want[bucket_of(ref[i])]) == 0)
			continue;
		s--;
		buf[seg[s].start + seg[s].fill++] = ref[i];
	}
	for (s = 0; s < nseg; s++)
		sort_doubles(buf + seg[s].start, seg[s].size);
	for (k = 0; k < BINS_MAX_EDGES; k++) {
		decile_position(cnt, k, &i, &i1, &g);
		add_edge(edges, &ne, lerp(value_at(buf, seg, nseg, i),
		    value_at(buf, seg, nseg, i1), g));
	}
	free(buf);
	return ne;
}

size_t
bins_edges_unsorted(const double *ref, size_t n, double *edges)
{
	uint32_t	*hist;
	uint16_t	*want;
	struct segment	 seg[MAX_RANKS];
	size_t		 i, cnt = 0, nseg, ne;

	if (n < SMALL_N)
		return edges_by_sorting(ref, n, edges);
	hist = xcalloc(NBUCKETS, sizeof *hist);
	for (i = 0; i < n; i++) {
		if (isnan(ref[i]))
			continue;
		hist[bucket_of(ref[i])]++;
		cnt++;
	}
	if (cnt < SMALL_N) {
		free(hist);
		return edges_by_sorting(ref, n, edges);
	}
	want = xcalloc(NBUCKETS, sizeof *want);
	nseg = find_segments(hist, cnt, want, seg);
	ne = edges_from_segments(ref, n, cnt, want, seg, nseg, edges);
	free(want);
	free(hist);
	return ne;
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
