/*
 * ks: the two-sample Kolmogorov-Smirnov statistic over sorted samples and
 * its asymptotic p-value.  D is evaluated, as scipy.stats.ks_2samp does,
 * at every sample value after all values equal to it have been counted on
 * both sides, with each CDF computed as count / size in double, so D is
 * bit-identical to SciPy's.
 */
#include <math.h>

#include "stats/stats.h"

double
ks_statistic(const double *a, size_t n, const double *b, size_t m)
{
	size_t	i = 0, j = 0;
	double	v, diff, d = 0, dn = (double)n, dm = (double)m;

	if (n == 0 || m == 0)
		return NAN;
	while (i < n || j < m) {
		if (j == m || (i < n && a[i] <= b[j]))
			v = a[i];
		else
			v = b[j];
		while (i < n && a[i] <= v)
			i++;
		while (j < m && b[j] <= v)
			j++;
		diff = fabs((double)i / dn - (double)j / dm);
		if (diff > d)
			d = diff;
	}
	return d;
}

double
ks_pvalue(double d, size_t n, size_t m)
{
	double	en;

	if (isnan(d) || n == 0 || m == 0)
		return NAN;
	/* n*m exact in double for any realistic window; one rounding. */
	en = sqrt((double)n * (double)m / (double)(n + m));
	return kolmogorov_sf(en * d);
}
