/*
 * sim.c: the scenario simulator.  Every number is a pure function of
 * (fleet seed, version stream, row index, draw key): a counter-based
 * generator (SplitMix64 finaliser) rather than a sequential PRNG, so any row
 * can be made on demand, in any order, on any thread, and is the same after
 * a restart.  Reference rows use a salted stream and no drift.
 *
 * Models are linear: numeric features are standardised with the feature's
 * own distribution parameters (log first for lognormal ones; a missing value
 * counts as the mean), categorical ones are one-hot.  Binary models answer
 * sigmoid(score), regression models the score itself.
 */
#include "hostd/hostd.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

#define REF_SALT	0x5eed0fdeadbeefULL
#define KEY_LABEL	100000u
#define KEY_FLIP	100001u
#define KEY_NOISE	100002u
#define KEY_SHARE	100004u

static uint64_t
mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform number in (0, 1) for draw k of row i of a stream. */
double
sim_uniform(uint64_t stream, uint64_t seed, int64_t i, unsigned k)
{
	uint64_t h;

	h = mix(seed ^ mix(stream ^ mix((uint64_t)i * 0x100000001b3ULL + k)));
	return ((double)(h >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double
normal(uint64_t stream, uint64_t seed, int64_t i, unsigned k)
{
	double u1 = sim_uniform(stream, seed, i, k);
	double u2 = sim_uniform(stream, seed, i, k + 1);

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* How far a drift starting at start over ramp seconds has come at t (0-1). */
double
sim_ramp(double t, double start, double ramp)
{
	if (t < start)
		return 0;
	if (ramp <= 0 || t >= start + ramp)
		return 1;
	return (t - start) / ramp;
}

static int
drift_applies(const struct hd_drift *d, const struct hd_model *m,
    const struct hd_row *r)
{
	const struct hd_feature *w;

	if (d->when_feature < 0)
		return 1;
	w = &m->features[d->when_feature];
	return r->cat[d->when_feature] != SIZE_MAX &&
	    strcmp(w->values[r->cat[d->when_feature]], d->when_value) == 0;
}

static void
draw_categorical(const struct hd_version *v, uint64_t stream, uint64_t seed,
    int64_t i, double t, size_t fi, struct hd_row *r)
{
	const struct hd_model	*m = v->model;
	const struct hd_feature	*f = &m->features[fi];
	double			 p[64], u, acc = 0, w;
	size_t			 k, n = f->nvalues < 64 ? f->nvalues : 64;

	memcpy(p, f->probs, n * sizeof *p);
	for (k = 0; t >= 0 && k < v->ndrifts; k++) {
		const struct hd_drift *d = &v->drifts[k];
		size_t j;

		if (d->feature != fi || (d->when_feature >= (int)fi) ||
		    !drift_applies(d, m, r))
			continue;
		w = sim_ramp(t, d->start_s, d->ramp_s);
		for (j = 0; j < n; j++)
			p[j] = (1 - w) * p[j] + w * d->probs[j];
	}
	r->cat[fi] = SIZE_MAX;
	if (sim_uniform(stream, seed, i, fi * 4 + 2) < f->missing)
		return;
	u = sim_uniform(stream, seed, i, fi * 4 + 3);
	for (k = 0; k < n; k++) {
		acc += p[k];
		if (u < acc || k == n - 1) {
			r->cat[fi] = k;
			return;
		}
	}
}

static void
draw_numeric(const struct hd_version *v, uint64_t stream, uint64_t seed,
    int64_t i, double t, size_t fi, struct hd_row *r)
{
	const struct hd_model	*m = v->model;
	const struct hd_feature	*f = &m->features[fi];
	double			 mu = f->mean, x, p;
	size_t			 k;

	r->num[fi] = NAN;
	if (sim_uniform(stream, seed, i, fi * 4 + 2) < f->missing)
		return;
	for (k = 0; t >= 0 && k < v->ndrifts; k++) {
		const struct hd_drift *d = &v->drifts[k];

		if (d->feature == fi && drift_applies(d, m, r))
			mu += d->shift_sd * f->sd *
			    sim_ramp(t, d->start_s, d->ramp_s);
	}
	x = mu + f->sd * normal(stream, seed, i, fi * 4);
	if (f->dist == HD_LOGNORMAL)
		x = exp(x);
	if (f->min < f->max)
		x = x < f->min ? f->min : x > f->max ? f->max : x;
	if (f->decimals >= 0) {
		p = pow(10, f->decimals);
		x = round(x * p) / p;
	}
	r->num[fi] = x;
}

/*
 * Make row i of version v at scenario time t (reference rows: the version's
 * training sample, no drift).  The row's arrays are allocated; free them
 * with sim_row_free.
 */
void
sim_row(const struct hd_version *v, uint64_t seed, int64_t i, double t,
    int reference, struct hd_row *r)
{
	const struct hd_model	*m = v->model;
	uint64_t		 stream = v->stream ^ (reference ? REF_SALT : 0);
	size_t			 f;

	r->num = xcalloc(m->nfeatures, sizeof *r->num);
	r->cat = xcalloc(m->nfeatures, sizeof *r->cat);
	if (reference)
		t = -1;
	/* Categorical first, so a numeric drift "when region=south" can look. */
	for (f = 0; f < m->nfeatures; f++) {
		r->cat[f] = SIZE_MAX;
		if (m->features[f].kind == HD_CATEGORICAL)
			draw_categorical(v, stream, seed, i, t, f, r);
	}
	for (f = 0; f < m->nfeatures; f++) {
		if (m->features[f].kind == HD_NUMERIC)
			draw_numeric(v, stream, seed, i, t, f, r);
	}
}

/* Free the arrays of a row made by sim_row. */
void
sim_row_free(struct hd_row *r)
{
	free(r->num);
	free(r->cat);
	r->num = NULL;
	r->cat = NULL;
}

static double
contribution(const struct hd_linear *lin, const struct hd_model *m,
    const struct hd_row *r, size_t fi)
{
	const struct hd_feature	*f = &m->features[fi];
	double			 x;

	if (f->kind == HD_CATEGORICAL)
		return r->cat[fi] == SIZE_MAX ? 0 : lin->coef[f->col + r->cat[fi]];
	if (isnan(r->num[fi]))
		return 0;
	x = r->num[fi];
	if (f->dist == HD_LOGNORMAL)
		x = log(x > 1e-300 ? x : 1e-300);
	return lin->coef[f->col] * (x - f->mean) / f->sd;
}

static double
score(const struct hd_linear *lin, const struct hd_model *m,
    const struct hd_row *r)
{
	double	s = lin->intercept;
	size_t	f;

	for (f = 0; f < m->nfeatures; f++)
		s += contribution(lin, m, r, f);
	return s;
}

/* The model's answer for a row: a probability, or the regression value. */
double
sim_predict(const struct hd_linear *lin, const struct hd_model *m,
    const struct hd_row *r)
{
	double s = score(lin, m, r);

	if (m->task == HD_REGRESSION)
		return s;
	return 1 / (1 + exp(-s));
}

/* The ground truth of row i: 0/1, or a number for regression. */
double
sim_label(const struct hd_version *v, uint64_t seed, int64_t i, double t,
    int reference, const struct hd_row *r)
{
	const struct hd_model	*m = v->model;
	uint64_t		 stream = v->stream ^ (reference ? REF_SALT : 0);
	double			 p, y;

	if (m->task == HD_REGRESSION) {
		y = score(&m->truth, m, r) +
		    m->noise_sd * normal(stream, seed, i, KEY_NOISE);
		return round(y * 100) / 100;
	}
	p = sim_predict(&m->truth, m, r);
	y = sim_uniform(stream, seed, i, KEY_LABEL) < p;
	if (!reference && sim_uniform(stream, seed, i, KEY_FLIP) <
	    v->flip_max * sim_ramp(t, v->flip_start, v->flip_ramp))
		y = 1 - y;
	return y;
}

/* Whether live row i ever gets a label (the model's label_share). */
int
sim_labelled(const struct hd_version *v, uint64_t seed, int64_t i)
{
	return sim_uniform(v->stream, seed, i, KEY_SHARE) < v->model->label_share;
}

/* Append a JSON number (finite by construction). */
void
sim_add_number(struct strbuf *b, double x)
{
	if (!isfinite(x))
		strbuf_adds(b, "null");
	else
		strbuf_addf(b, "%.10g", x);
}

/* Append the row's features as a JSON object, null for missing values. */
void
sim_add_row_json(struct strbuf *b, const struct hd_model *m,
    const struct hd_row *r)
{
	const struct hd_feature	*f;
	size_t			 i;

	strbuf_addc(b, '{');
	for (i = 0; i < m->nfeatures; i++) {
		f = &m->features[i];
		if (i > 0)
			strbuf_addc(b, ',');
		strbuf_add_json_string(b, f->name);
		strbuf_addc(b, ':');
		if (f->kind == HD_NUMERIC)
			sim_add_number(b, r->num[i]);
		else if (r->cat[i] == SIZE_MAX)
			strbuf_adds(b, "null");
		else
			strbuf_add_json_string(b, f->values[r->cat[i]]);
	}
	strbuf_addc(b, '}');
}

static int
cmp_pair(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* ROC AUC of pairs (prediction, label), ties given their average rank. */
static double
auc(double *pairs, size_t n)
{
	double	rank_sum = 0, npos = 0, r;
	size_t	i, j, k;

	qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && pairs[2 * j] == pairs[2 * i]; j++)
			;
		r = (double)(i + 1 + j) / 2;
		for (k = i; k < j; k++) {
			if (pairs[2 * k + 1] > 0.5) {
				rank_sum += r;
				npos++;
			}
		}
	}
	if (npos == 0 || npos == (double)n)
		return NAN;
	return (rank_sum - npos * (npos + 1) / 2) / (npos * ((double)n - npos));
}

/*
 * Compute the version's baseline figures and its feature importance over
 * its reference rows.  For a linear model with independent features the
 * SHAP value of a feature is its contribution minus the mean contribution,
 * so importance is the mean absolute centred contribution.
 */
void
sim_baseline(struct hd_version *v, uint64_t seed)
{
	const struct hd_model	*m = v->model;
	size_t			 n = m->reference_rows, i, f, nf = m->nfeatures;
	double			*contrib, *pairs, *mean, p, y;
	double			 hits = 0, ae = 0, se = 0;
	struct hd_row		 r;

	contrib = xcalloc(n * nf, sizeof *contrib);
	pairs = xcalloc(2 * n, sizeof *pairs);
	mean = xcalloc(nf, sizeof *mean);
	for (i = 0; i < n; i++) {
		sim_row(v, seed, (int64_t)i, 0, 1, &r);
		p = sim_predict(&v->lin, m, &r);
		y = sim_label(v, seed, (int64_t)i, 0, 1, &r);
		pairs[2 * i] = p;
		pairs[2 * i + 1] = y;
		hits += (p >= m->threshold) == (y > 0.5);
		ae += fabs(p - y);
		se += (p - y) * (p - y);
		for (f = 0; f < nf; f++) {
			contrib[i * nf + f] = contribution(&v->lin, m, &r, f);
			mean[f] += contrib[i * nf + f] / (double)n;
		}
		sim_row_free(&r);
	}
	free(v->importance);
	v->importance = xcalloc(nf, sizeof *v->importance);
	for (i = 0; i < n; i++) {
		for (f = 0; f < nf; f++)
			v->importance[f] += fabs(contrib[i * nf + f] - mean[f]) /
			    (double)n;
	}
	v->base_accuracy = hits / (double)n;
	v->base_mae = ae / (double)n;
	v->base_rmse = sqrt(se / (double)n);
	v->base_auc = m->task == HD_BINARY ? auc(pairs, n) : NAN;
	free(contrib);
	free(pairs);
	free(mean);
}
