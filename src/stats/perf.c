/*
 * perf: model performance on labelled rows, as scikit-learn 1.2 computes
 * it: accuracy, precision, recall, F1 (zero_division=0), ROC AUC with ties
 * averaged, log loss (clipped at the float64 epsilon, labels [0, 1]),
 * Brier score; the label-free estimated accuracy; MAE, RMSE, MAPE.
 *
 * ROC AUC is computed as the Mann-Whitney U statistic, which equals the
 * trapezoidal area under the ROC curve with tied scores averaged: sort the
 * positives' and the negatives' scores (radix sort), then for every run of
 * equal scores add positives * (negatives below + negatives equal / 2),
 * kept doubled in an integer so only the final division rounds.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "stats/stats.h"
#include "util/xmalloc.h"

#define LOGLOSS_EPS	2.220446049250313e-16

/* Neumaier-compensated running sum. */
struct ksum {
	double	s, c;
};

static void
ksum_add(struct ksum *k, double x)
{
	double	t = k->s + x;

	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

static double
ksum_value(const struct ksum *k)
{
	return k->s + k->c;
}

static double
auc_sorted(const double *pos, size_t np, const double *neg, size_t nn)
{
	size_t		i = 0, j = 0, pe, ne;
	uint64_t	u2 = 0;
	double		v;

	while (i < np) {
		v = pos[i];
		while (j < nn && neg[j] < v)
			j++;
		for (ne = 0; j + ne < nn && neg[j + ne] == v; ne++)
			;
		for (pe = 0; i < np && pos[i] == v; i++)
			pe++;
		u2 += (uint64_t)pe * (2 * (uint64_t)j + ne);
	}
	return (double)u2 / (2.0 * (double)np * (double)nn);
}

double
perf_roc_auc(const double *p, const double *y, size_t n)
{
	double	*pos, *neg, auc;
	size_t	 i, np = 0, nn = 0, is_pos;

	pos = xreallocarray(NULL, n ? n : 1, sizeof *pos);
	neg = xreallocarray(NULL, n ? n : 1, sizeof *neg);
	/* Written to both, kept by one: the label is a coin toss to predict. */
	for (i = 0; i < n; i++) {
		if (isnan(p[i]) || isnan(y[i]))
			continue;
		is_pos = y[i] == 1;
		pos[np] = p[i];
		neg[nn] = p[i];
		np += is_pos;
		nn += 1 - is_pos;
	}
	if (np == 0 || nn == 0)
		auc = NAN;
	else {
		sort_doubles(pos, np);
		sort_doubles(neg, nn);
		auc = auc_sorted(pos, np, neg, nn);
	}
	free(pos);
	free(neg);
	return auc;
}

/* One row's log loss: sklearn clips, forms [1 - p, p] and renormalises. */
static double
row_log_loss(double p, double y)
{
	double	pc = p < LOGLOSS_EPS ? LOGLOSS_EPS :
	    (p > 1 - LOGLOSS_EPS ? 1 - LOGLOSS_EPS : p);
	double	q = 1 - pc, s = q + pc;

	return y == 1 ? -log(pc / s) : -log(q / s);
}

static double
ratio0(size_t a, size_t b)
{
	return b == 0 ? 0 : (double)a / (double)b;
}

static void
confusion(struct perf_classification *out, size_t tp, size_t fp,
    size_t fn, size_t tn)
{
	double	pr, re;

	out->accuracy = ratio0(tp + tn, tp + fp + fn + tn);
	pr = out->precision = ratio0(tp, tp + fp);
	re = out->recall = ratio0(tp, tp + fn);
	out->f1 = (pr + re == 0) ? 0 : 2 * pr * re / (pr + re);
}

int
perf_classification(const double *p, const double *y, size_t n,
    double threshold, struct perf_classification *out, char **cause)
{
	struct ksum	ll = { 0, 0 }, br = { 0, 0 }, est = { 0, 0 };
	size_t		i, tp = 0, fp = 0, fn = 0, tn = 0, scored = 0;
	int		in_range = 1, sel;

	for (i = 0; i < n; i++)
		if (!isnan(y[i]) && y[i] != 0 && y[i] != 1)
			return xcause(cause, "label %.17g on row %zu is not 0 or 1",
			    y[i], i + 1);
	for (i = 0; i < n; i++) {
		if (isnan(p[i]))
			continue;
		scored++;
		sel = p[i] >= threshold;
		ksum_add(&est, sel ? p[i] : 1 - p[i]);
		if (isnan(y[i]))
			continue;
		if (p[i] < 0 || p[i] > 1)
			in_range = 0;
		if (y[i] == 1)
			sel ? tp++ : fn++;
		else
			sel ? fp++ : tn++;
		ksum_add(&ll, row_log_loss(p[i], y[i]));
		ksum_add(&br, (y[i] - p[i]) * (y[i] - p[i]));
	}
	out->labelled = tp + fp + fn + tn;
	out->positives = tp + fn;
	out->estimated_accuracy = scored ? ksum_value(&est) / (double)scored :
	    NAN;
	if (out->labelled == 0) {
		out->accuracy = out->precision = out->recall = out->f1 = NAN;
		out->roc_auc = out->log_loss = out->brier = NAN;
		return 0;
	}
	confusion(out, tp, fp, fn, tn);
	out->log_loss = ksum_value(&ll) / (double)out->labelled;
	out->brier = in_range ? ksum_value(&br) / (double)out->labelled : NAN;
	out->roc_auc = perf_roc_auc(p, y, n);
	return 0;
}

void
perf_regression(const double *p, const double *y, size_t n,
    struct perf_regression *out)
{
	struct ksum	ae = { 0, 0 }, se = { 0, 0 }, pe = { 0, 0 };
	double		d, ay;
	size_t		i, rows = 0;

	for (i = 0; i < n; i++) {
		if (isnan(p[i]) || isnan(y[i]))
			continue;
		rows++;
		d = p[i] - y[i];
		ay = fabs(y[i]);
		ksum_add(&ae, fabs(d));
		ksum_add(&se, d * d);
		ksum_add(&pe, fabs(d) / (ay > LOGLOSS_EPS ? ay : LOGLOSS_EPS));
	}
	out->rows = rows;
	if (rows == 0) {
		out->mae = out->rmse = out->mape = NAN;
		return;
	}
	out->mae = ksum_value(&ae) / (double)rows;
	out->rmse = sqrt(ksum_value(&se) / (double)rows);
	out->mape = ksum_value(&pe) / (double)rows;
}
