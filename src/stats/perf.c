/*
 * perf: model performance on labelled rows, as scikit-learn 1.2 computes
 * it: accuracy, precision, recall, F1 (zero_division=0), ROC AUC with ties
 * averaged, log loss (clipped at the float64 epsilon, labels [0, 1]),
 * Brier score; the label-free estimated accuracy; MAE, RMSE, MAPE.
 *
 * ROC AUC is computed as the Mann-Whitney U statistic, which equals the
 * trapezoidal area under the ROC curve with tied scores averaged: over the
 * positives, the negatives below plus half the negatives equal, kept
 * doubled in an integer so only the final division rounds.  It is counted,
 * not sorted: both classes' scores are counted into buckets by the top
 * digit of their order-preserving key (sort.c's, -0.0 made +0.0), every
 * positive scores twice the negatives of the buckets below its own, and
 * only a bucket holding both classes is gathered and split by the next
 * digit, down to parts small enough to compare pair by pair: a radix
 * sort's first pass or two instead of a whole sort of each class.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/sortkey.h"
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

#define AUC_WIDE_BITS	16		/* digit of a large part */
#define AUC_MID_BITS	11
#define AUC_NARROW_BITS	8
#define AUC_WIDE_MIN	(1u << 18)	/* scores for a wide digit */
#define AUC_MID_MIN	(1u << 12)
#define AUC_PAIRS_MAX	256		/* np * nn this small: count pairs */

/* The scores of one part: both classes, their digit counts and cursors. */
struct auc_part {
	double		*pos, *neg;
	size_t		 np, nn;
	unsigned	 shift;		/* digit = (key >> shift) & mask */
	size_t		 count;		/* buckets */
	uint32_t	*cp, *cn;	/* scores per bucket */
	uint32_t	*gp, *gn;	/* gather cursors */
	uint32_t	 tp, tn;	/* scores gathered */
};

static uint64_t	auc_u2(double *, size_t, double *, size_t, unsigned);

/* Doubled U of a tiny part, pair by pair (no branch on the data). */
static uint64_t
u2_pairs(const double *pos, size_t np, const double *neg, size_t nn)
{
	uint64_t	u2 = 0;
	size_t		i, j;

	for (i = 0; i < np; i++)
		for (j = 0; j < nn; j++)
			u2 += 2 * (uint64_t)(neg[j] < pos[i]) +
			    (uint64_t)(neg[j] == pos[i]);
	return u2;
}

static void
count_scores(const double *x, size_t n, const struct auc_part *a,
    uint32_t *count)
{
	uint64_t	mask = a->count - 1;
	size_t		i;

	for (i = 0; i < n; i++)
		count[(sortkey_of(x[i]) >> a->shift) & mask]++;
}

/*
 * Copy the scores of buckets holding both classes into buf, grouped by
 * bucket; any other score goes to the spare slot buf[spare], whose cursor
 * stays put (no branch on the data).
 */
static void
gather_scores(const double *x, size_t n, const struct auc_part *a,
    uint32_t *cur, double *buf, uint32_t spare)
{
	uint64_t	mask = a->count - 1;
	size_t		i;
	uint32_t	c, *p;

	for (i = 0; i < n; i++) {
		p = &cur[(sortkey_of(x[i]) >> a->shift) & mask];
		c = *p;
		buf[c] = x[i];
		*p = c + (c != spare);
	}
}

/*
 * The pairs across buckets, exactly from the counts; also choose the
 * buckets to split further and give each its slice of the gather buffers.
 */
static uint64_t
across(struct auc_part *a)
{
	uint64_t	u2 = 0, below = 0;
	size_t		d;

	for (d = 0; d < a->count; d++) {
		u2 += 2 * (uint64_t)a->cp[d] * below;
		below += a->cn[d];
		if (a->cp[d] != 0 && a->cn[d] != 0) {
			a->gp[d] = a->tp;
			a->gn[d] = a->tn;
			a->tp += a->cp[d];
			a->tn += a->cn[d];
		}
	}
	for (d = 0; d < a->count; d++)
		if (a->cp[d] == 0 || a->cn[d] == 0) {
			a->gp[d] = a->tp;
			a->gn[d] = a->tn;
		}
	return u2;
}

/* Count, gather and split a part; its keys leave the low shift bits. */
static uint64_t
split(struct auc_part *a)
{
	double		*bp, *bn;
	uint64_t	 u2;
	size_t		 d;

	count_scores(a->pos, a->np, a, a->cp);
	count_scores(a->neg, a->nn, a, a->cn);
	u2 = across(a);
	bp = xreallocarray(NULL, (size_t)a->tp + 1, sizeof *bp);
	bn = xreallocarray(NULL, (size_t)a->tn + 1, sizeof *bn);
	gather_scores(a->pos, a->np, a, a->gp, bp, a->tp);
	gather_scores(a->neg, a->nn, a, a->gn, bn, a->tn);
	/* Each cursor stopped at its slice's end. */
	for (d = 0; d < a->count; d++)
		if (a->cp[d] != 0 && a->cn[d] != 0)
			u2 += auc_u2(bp + a->gp[d] - a->cp[d], a->cp[d],
			    bn + a->gn[d] - a->cn[d], a->cn[d], a->shift);
	free(bp);
	free(bn);
	return u2;
}

/*
 * Doubled U of pos against neg (reordered in place), whose keys share all
 * but their low left bits.
 */
static uint64_t
auc_u2(double *pos, size_t np, double *neg, size_t nn, unsigned left)
{
	struct auc_part	a;
	unsigned	bits;
	uint64_t	u2;

	if (np == 0 || nn == 0)
		return 0;
	if (left == 0)		/* one score: every pair a tie, worth 1 */
		return (uint64_t)np * nn;
	if (np * nn <= AUC_PAIRS_MAX)
		return u2_pairs(pos, np, neg, nn);
	bits = np + nn >= AUC_WIDE_MIN ? AUC_WIDE_BITS :
	    (np + nn >= AUC_MID_MIN ? AUC_MID_BITS : AUC_NARROW_BITS);
	if (bits > left)
		bits = left;
	a.pos = pos;
	a.neg = neg;
	a.np = np;
	a.nn = nn;
	a.shift = left - bits;
	a.count = (size_t)1 << bits;
	a.cp = xcalloc(a.count, sizeof *a.cp);
	a.cn = xcalloc(a.count, sizeof *a.cn);
	a.gp = xcalloc(a.count, sizeof *a.gp);
	a.gn = xcalloc(a.count, sizeof *a.gn);
	a.tp = a.tn = 0;
	u2 = split(&a);
	free(a.cp);
	free(a.cn);
	free(a.gp);
	free(a.gn);
	return u2;
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
	else
		auc = (double)auc_u2(pos, np, neg, nn, 64) /
		    (2.0 * (double)np * (double)nn);
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
