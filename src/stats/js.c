/*
 * js: the Jensen-Shannon distance (base 2) of two count vectors, with
 * scipy.spatial.distance.jensenshannon's semantics and operation order:
 * proportions p, q; m = (p + q) / 2; rel_entr(x, m) = x ln(x / m), 0 when
 * x is 0; sqrt((sum rel_entr(p, m) + sum rel_entr(q, m)) / ln 2 / 2).
 */
#include <math.h>

#include "stats/stats.h"

static double
rel_entr(double x, double y)
{
	if (x > 0 && y > 0)
		return x * log(x / y);
	return 0;	/* x == 0; y == 0 implies x == 0 here */
}

double
js_from_counts(const long *ref, const long *cur, size_t k)
{
	double	tr = 0, tc = 0, p, q, m, left = 0, right = 0, js;
	size_t	i;

	for (i = 0; i < k; i++) {
		tr += (double)ref[i];
		tc += (double)cur[i];
	}
	if (tr <= 0 || tc <= 0)
		return NAN;
	for (i = 0; i < k; i++) {
		p = (double)ref[i] / tr;
		q = (double)cur[i] / tc;
		m = (p + q) / 2.0;
		left += rel_entr(p, m);
		right += rel_entr(q, m);
	}
	js = (left + right) / log(2.0);
	/* Rounding can leave a tiny negative sum for equal distributions. */
	if (js < 0)
		js = 0;
	return sqrt(js / 2.0);
}
