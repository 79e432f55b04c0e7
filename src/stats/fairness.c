/*
 * fairness: selection rate and true-positive rate per segment, and the
 * spread statistics over the segments large enough to judge
 * (stats-spec.md, "Fairness"): demographic parity difference and
 * disparate impact over segments with at least fairness_min_rows rows,
 * equal opportunity difference over segments with at least
 * fairness_min_positives labelled positives.  The caller owns the input;
 * fairness_compute allocates out->segments, fairness_free frees it.
 * fairness_from_segments is the part after the counting, shared with the
 * rolling window (window.c), which keeps the per-segment counts itself.
 */
#include <math.h>
#include <stdlib.h>

#include "stats/stats.h"
#include "util/xmalloc.h"

static void
tally(struct fairness_segment *s, double p, double y, double threshold)
{
	int	sel = p >= threshold;

	s->rows++;
	s->selected += sel;
	if (!isnan(y) && y == 1) {
		s->positives++;
		s->true_positives += sel;
	}
}

/* max - min and min / max of the rates of the qualifying segments. */
static void
spread(const struct fairness *f, int tpr, size_t min_count, double *diff,
    double *ratio)
{
	const struct fairness_segment	*s;
	double				 lo = INFINITY, hi = -INFINITY, r;
	size_t				 i, count;

	for (i = 0; i < f->nsegments; i++) {
		s = &f->segments[i];
		count = tpr ? s->positives : s->rows;
		if (count == 0 || count < min_count)
			continue;
		r = tpr ? s->tpr : s->selection_rate;
		lo = r < lo ? r : lo;
		hi = r > hi ? r : hi;
	}
	if (hi < lo) {
		*diff = NAN;
		if (ratio != NULL)
			*ratio = NAN;
		return;
	}
	*diff = hi - lo;
	if (ratio != NULL)
		*ratio = hi == 0 ? NAN : lo / hi;
}

void
fairness_from_segments(struct fairness *f, const struct stats_thresholds *t)
{
	struct fairness_segment	*s;
	size_t			 i;

	for (i = 0; i < f->nsegments; i++) {
		s = &f->segments[i];
		s->selection_rate = s->rows ? (double)s->selected /
		    (double)s->rows : NAN;
		s->tpr = s->positives ? (double)s->true_positives /
		    (double)s->positives : NAN;
	}
	spread(f, 0, (size_t)t->fairness_min_rows,
	    &f->demographic_parity_difference, &f->disparate_impact);
	spread(f, 1, (size_t)t->fairness_min_positives,
	    &f->equal_opportunity_difference, NULL);
}

void
fairness_compute(const int *seg, size_t nseg, const double *p,
    const double *y, size_t n, double threshold,
    const struct stats_thresholds *t, struct fairness *out)
{
	size_t	i;

	out->nsegments = nseg;
	out->segments = xcalloc(nseg ? nseg : 1, sizeof *out->segments);
	for (i = 0; i < n; i++) {
		if (seg[i] < 0 || (size_t)seg[i] >= nseg || isnan(p[i]))
			continue;
		tally(&out->segments[seg[i]], p[i], y[i], threshold);
	}
	fairness_from_segments(out, t);
}

void
fairness_free(struct fairness *f)
{
	free(f->segments);
	f->segments = NULL;
	f->nsegments = 0;
}
