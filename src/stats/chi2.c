/*
 * chi2: Pearson's chi-square test of a 2 x K contingency table of counts
 * (ref row, cur row), as scipy.stats.chi2_contingency(correction=False):
 * expected = row total * column total / grand total, statistic =
 * sum((observed - expected)^2 / expected), dof = K - 1, p-value =
 * Q(dof / 2, statistic / 2).
 */
#include <math.h>

#include "stats/stats.h"

static double
cell(double obs, double row, double col, double total)
{
	double	e = row * col / total, d = obs - e;

	return d * d / e;
}

void
chi2_from_counts(const long *ref, const long *cur, size_t k,
    double *statistic, double *pvalue)
{
	double	tr = 0, tc = 0, total, col, stat = 0;
	size_t	i, cols = 0;

	for (i = 0; i < k; i++) {
		tr += (double)ref[i];
		tc += (double)cur[i];
		if (ref[i] + cur[i] > 0)
			cols++;
	}
	if (tr <= 0 || tc <= 0) {
		*statistic = *pvalue = NAN;
		return;
	}
	if (cols < 2) {
		*statistic = 0;
		*pvalue = 1;
		return;
	}
	total = tr + tc;
	for (i = 0; i < k; i++) {
		col = (double)ref[i] + (double)cur[i];
		if (col == 0)
			continue;
		stat += cell((double)ref[i], tr, col, total);
		stat += cell((double)cur[i], tc, col, total);
	}
	*statistic = stat;
	*pvalue = gammainc_chi2_sf(stat, (double)(cols - 1));
}
