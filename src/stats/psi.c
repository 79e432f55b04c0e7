/*
 * psi: the population stability index from bin (or category) counts,
 * sum((q - p) * ln(q / p)) with each zero proportion replaced by 1e-4.
 */
#include <math.h>

#include "stats/stats.h"

#define PSI_FLOOR	1e-4

double
psi_from_counts(const long *ref, const long *cur, size_t k)
{
	double	tr = 0, tc = 0, p, q, sum = 0;
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
		if (p == 0)
			p = PSI_FLOOR;
		if (q == 0)
			q = PSI_FLOOR;
		sum += (q - p) * log(q / p);
	}
	return sum;
}
