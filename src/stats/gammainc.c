/*
 * gammainc: the regularised incomplete gamma functions P(a, x) and
 * Q(a, x) = 1 - P(a, x), for the chi-square p-value Q(dof/2, x/2).
 *
 * Algorithm: the power series for P and the continued fraction for Q,
 * evaluated by the modified Lentz method (Press, Teukolsky, Vetterling and
 * Flannery, Numerical Recipes in C, 2nd ed., section 6.2, gser/gcf), with
 * the region choice and the small-x series for Q of DLMF 8.7.3 used by
 * Cephes' igamc (S. L. Moshier; as revised in SciPy's cephes/igam.c): the
 * series gives P when x < a, the fraction gives Q when x >= a, so neither
 * answer comes from subtracting two near-equal numbers.
 *
 * The prefactor x^a e^-x / Gamma(a) loses a*eps of relative accuracy when
 * computed as exp(a log x - x - lgamma(a)) for large a; for a >= 10 it is
 * computed through Stirling's series instead, sqrt(a / 2pi) *
 * exp(a * log1pmx((x - a) / a) - corr(a)), whose exponent is small near the
 * bulk of the distribution (the same idea as Cephes' igam_fac).
 */
#include <math.h>

#include "stats/stats.h"

#define EPS		1.1102230246251565e-16	/* 2^-53 */
#define FPMIN		1e-300
#define MAX_ITER	10000000

/* log(1 + t) - t, accurate for small t. */
static double
log1pmx(double t)
{
	double	sum = 0, tk = t, term;
	int	k;

	if (fabs(t) >= 0.5)
		return log1p(t) - t;
	for (k = 2; k < 500; k++) {
		tk *= -t;
		term = tk / k;
		sum += term;
		if (fabs(term) <= EPS * fabs(sum))
			break;
	}
	return sum;
}

/* lgamma(a) - Stirling's approximation, for a >= 10 (Bernoulli series). */
static double
stirling_corr(double a)
{
	static const double	c[] = {
		1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
		-691.0 / 360360, 1.0 / 156, -3617.0 / 122400,
	};
	double			r = 1.0 / a, r2 = r * r, sum = 0;
	int			i;

	for (i = (int)(sizeof c / sizeof c[0]) - 1; i >= 0; i--)
		sum = sum * r2 + c[i];
	return sum * r;
}

/* x^a e^-x / Gamma(a). */
static double
prefactor(double a, double x)
{
	double	t;

	if (a < 10)
		return exp(a * log(x) - x - lgamma(a));
	t = (x - a) / a;
	if (fabs(t) < 0.5)
		return sqrt(a / (2 * M_PI)) * exp(a * log1pmx(t) -
		    stirling_corr(a));
	return sqrt(a / (2 * M_PI)) * exp(a * (log(x / a) - t) -
	    stirling_corr(a));
}

/* P by its power series (NR gser). */
static double
series_p(double a, double x)
{
	double	ap = a, del = 1.0 / a, sum = del;
	long	i;

	for (i = 0; i < MAX_ITER; i++) {
		ap += 1;
		del *= x / ap;
		sum += del;
		if (fabs(del) < fabs(sum) * EPS)
			break;
	}
	return sum * prefactor(a, x);
}

/* Q by its continued fraction, modified Lentz (NR gcf). */
static double
fraction_q(double a, double x)
{
	double	b = x + 1 - a, c = 1 / FPMIN, d = 1 / b, h = d, an, del;
	long	i;

	for (i = 1; i < MAX_ITER; i++) {
		an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < FPMIN)
			d = FPMIN;
		c = b + an / c;
		if (fabs(c) < FPMIN)
			c = FPMIN;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) <= EPS)
			break;
	}
	return h * prefactor(a, x);
}

/* Q for small x by DLMF 8.7.3, avoiding 1 - P (Cephes igamc_series). */
static double
series_q_small(double a, double x)
{
	double	fac = 1, sum = 0, term, logx = log(x);
	long	n;

	for (n = 1; n < MAX_ITER; n++) {
		fac *= -x / n;
		term = fac / (a + n);
		sum += term;
		if (fabs(term) <= EPS * fabs(sum))
			break;
	}
	return -expm1(a * logx - lgamma(1 + a)) -
	    exp(a * logx - lgamma(a)) * sum;
}

/* Which method: 1 = 1 - series_p, 2 = fraction_q, 3 = series_q_small. */
static int
region(double a, double x)
{
	if (x > 1.1)
		return x < a ? 1 : 2;
	if (x <= 0.5)
		return -0.4 / log(x) < a ? 1 : 3;
	return x * 1.1 < a ? 1 : 3;
}

double
gammainc_q(double a, double x)
{
	if (isnan(a) || isnan(x) || a < 0 || x < 0)
		return NAN;
	if (a == 0)
		return x > 0 ? 0 : NAN;
	if (x == 0)
		return 1;
	if (isinf(a))
		return isinf(x) ? NAN : 1;
	if (isinf(x))
		return 0;
	switch (region(a, x)) {
	case 1:
		return 1 - series_p(a, x);
	case 2:
		return fraction_q(a, x);
	default:
		return series_q_small(a, x);
	}
}

double
gammainc_p(double a, double x)
{
	if (isnan(a) || isnan(x) || a < 0 || x < 0)
		return NAN;
	if (a == 0)
		return x > 0 ? 1 : NAN;
	if (x == 0)
		return 0;
	if (isinf(a))
		return isinf(x) ? NAN : 0;
	if (isinf(x))
		return 1;
	if (x > 1 && x > a)
		return 1 - gammainc_q(a, x);
	return series_p(a, x);
}

double
gammainc_chi2_sf(double x, double dof)
{
	if (isnan(x) || isnan(dof) || dof <= 0)
		return NAN;
	if (x < 0)
		return 1;
	return gammainc_q(dof / 2, x / 2);
}
