/*
 * kolmogorov: the survival function of the Kolmogorov distribution,
 * Q(x) = P(K > x), to full double precision (scipy.special.kolmogorov).
 *
 * Two classical forms of the same function (Kolmogorov 1933; see e.g.
 * Marsaglia, Tsang and Wang, "Evaluating Kolmogorov's distribution", JSS
 * 8(18), 2003, and SciPy's cephes/kolmogorov.c which uses the same cut):
 *   large x: Q(x) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2), an alternating
 *            series whose terms fall off like exp(-2k^2x^2);
 *   small x: 1 - Q(x) = sqrt(2 pi)/x sum_{k>=1} exp(-(2k-1)^2 pi^2/(8x^2)),
 *            the Jacobi theta-function form, which converges fast there.
 * The cut at x = 0.82 keeps both series under five terms.  Below
 * x = pi / sqrt(8 * 708.4) the CDF underflows and Q is exactly 1.
 */
#include <math.h>

#include "stats/stats.h"

#define CUTOVER		0.82
#define MAX_TERMS	100

static double
sf_alternating(double x)
{
	double	sum = 0, term;
	int	k;

	for (k = 1; k < MAX_TERMS; k++) {
		term = exp(-2.0 * k * k * x * x);
		sum += (k % 2) ? term : -term;
		if (term <= 1e-17 * sum)
			break;
	}
	return 2.0 * sum;
}

static double
cdf_theta(double x)
{
	double	w = sqrt(2.0 * M_PI) / x, c = M_PI * M_PI / (8.0 * x * x);
	double	sum = 0, term;
	int	k, j;

	for (k = 1; k < MAX_TERMS; k++) {
		j = 2 * k - 1;
		term = exp(-(double)j * j * c);
		sum += term;
		if (term <= 1e-17 * sum)
			break;
	}
	/* exp(-c) underflows before w * exp(-c) does: go through logs. */
	if (sum == 0)
		return exp(log(w) - c);
	return w * sum;
}

double
kolmogorov_sf(double x)
{
	double	q;

	if (isnan(x))
		return NAN;
	if (x <= 0)
		return 1.0;
	if (x <= CUTOVER) {
		q = 1.0 - cdf_theta(x);
	} else
		q = sf_alternating(x);
	if (q < 0)
		return 0;
	return q > 1 ? 1 : q;
}
