/*
 * wasserstein: the Wasserstein-1 distance of two sorted samples, as
 * scipy.stats.wasserstein_distance computes it: the integral of
 * |F_ref - F_cur| over the merged sorted values, summed as
 * |i/n - j/m| * (next value - this value).  The sum is compensated
 * (Neumaier) so a million terms lose nothing.
 */
#include <math.h>

#include "stats/stats.h"

double
wasserstein_distance(const double *a, size_t n, const double *b, size_t m)
{
	size_t	i = 0, j = 0;
	double	v, next, term, sum = 0, comp = 0, t;
	double	dn = (double)n, dm = (double)m;

	if (n == 0 || m == 0)
		return NAN;
	v = (a[0] <= b[0]) ? a[0] : b[0];
	for (;;) {
		while (i < n && a[i] <= v)
			i++;
		while (j < m && b[j] <= v)
			j++;
		if (i == n && j == m)
			break;
		if (j == m || (i < n && a[i] <= b[j]))
			next = a[i];
		else
			next = b[j];
		term = fabs((double)i / dn - (double)j / dm) * (next - v);
		t = sum + term;
		if (fabs(sum) >= fabs(term))
			comp += (sum - t) + term;
		else
			comp += (term - t) + sum;
		sum = t;
		v = next;
	}
	return sum + comp;
}

double
wasserstein_normed(double w, double ref_std)
{
	if (isnan(w) || isnan(ref_std))
		return NAN;
	if (ref_std == 0)
		return w == 0 ? 0 : INFINITY;
	return w / ref_std;
}
