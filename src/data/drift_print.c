/*
 * drift_print: the drift report as JSON (the pipeline contract of issue 5:
 * numbers with %.17g so they compare with SciPy, NaN as null, infinity as
 * the string "inf") and as a table for people, worst feature first.  Names
 * from the files are escaped: JSON-quoted, and in the table through the
 * one sanitizer (util/sanitize.h), so a file cannot drive the terminal.
 */
#include "data/drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/xmalloc.h"

static void
key_num(struct strbuf *b, const char *key, double v, int comma)
{
	strbuf_addf(b, "%s\"%s\": ", comma ? ", " : "", key);
	strbuf_add_json_number(b, v);
}

/* {"statistic": s, "pvalue": p}, or null when the statistic is missing. */
static void
pair(struct strbuf *b, const char *key, double s, double p)
{
	strbuf_addf(b, ", \"%s\": ", key);
	if (isnan(s)) {
		strbuf_adds(b, "null");
		return;
	}
	strbuf_adds(b, "{\"statistic\": ");
	strbuf_add_json_number(b, s);
	strbuf_adds(b, ", \"pvalue\": ");
	strbuf_add_json_number(b, p);
	strbuf_addc(b, '}');
}

static void
feature_json(struct strbuf *b, const struct drift_feature *d)
{
	const struct stats_feature *f = &d->f;

	strbuf_adds(b, "{\"name\": ");
	strbuf_add_json_string(b, d->name);
	strbuf_addf(b, ", \"type\": \"%s\", \"missing\": {",
	    f->kind == STATS_NUMERIC ? "numeric" : "categorical");
	key_num(b, "reference", f->missing_rate_ref, 0);
	key_num(b, "current", f->missing_rate_cur, 1);
	strbuf_addc(b, '}');
	key_num(b, "psi", f->psi, 1);
	key_num(b, "js", f->js, 1);
	pair(b, "ks", f->ks_statistic, f->ks_pvalue);
	key_num(b, "wasserstein", f->wasserstein, 1);
	key_num(b, "wasserstein_normed", f->wasserstein_normed, 1);
	pair(b, "chi2", f->chi2_statistic, f->chi2_pvalue);
	strbuf_addf(b, ", \"status\": \"%s\"}", stats_status_name(d->status));
}

static void
performance_json(struct strbuf *b, const struct drift_report *r)
{
	const struct perf_classification *c = &r->cls;
	int k = r->has_classification, g = r->has_regression;

	strbuf_adds(b, "{");
	key_num(b, "accuracy", k ? c->accuracy : NAN, 0);
	key_num(b, "precision", k ? c->precision : NAN, 1);
	key_num(b, "recall", k ? c->recall : NAN, 1);
	key_num(b, "f1", k ? c->f1 : NAN, 1);
	key_num(b, "roc_auc", k ? c->roc_auc : NAN, 1);
	key_num(b, "log_loss", k ? c->log_loss : NAN, 1);
	key_num(b, "brier", k ? c->brier : NAN, 1);
	key_num(b, "estimated_accuracy", k ? c->estimated_accuracy : NAN, 1);
	key_num(b, "mae", g ? r->reg.mae : NAN, 1);
	key_num(b, "rmse", g ? r->reg.rmse : NAN, 1);
	key_num(b, "mape", g ? r->reg.mape : NAN, 1);
	strbuf_adds(b, "}");
}

static void
fairness_json(struct strbuf *b, const struct drift_report *r)
{
	size_t i;

	if (r->segment == NULL) {
		strbuf_adds(b, "null");
		return;
	}
	strbuf_adds(b, "{\"segments\": [");
	for (i = 0; i < r->nsegments; i++) {
		strbuf_adds(b, i > 0 ? ", {\"name\": " : "{\"name\": ");
		strbuf_add_json_string(b, r->segments[i].name);
		strbuf_addf(b, ", \"rows\": %zu", r->segments[i].s.rows);
		key_num(b, "selection_rate", r->segments[i].s.selection_rate, 1);
		key_num(b, "tpr", r->segments[i].s.tpr, 1);
		strbuf_addc(b, '}');
	}
	strbuf_adds(b, "]");
	key_num(b, "demographic_parity_difference",
	    r->demographic_parity_difference, 1);
	key_num(b, "disparate_impact", r->disparate_impact, 1);
	key_num(b, "equal_opportunity_difference",
	    r->equal_opportunity_difference, 1);
	strbuf_adds(b, "}");
}

void
drift_print_json(const struct drift_report *r, struct strbuf *b)
{
	size_t i;

	strbuf_addf(b, "{\"status\": \"%s\", \"rows\": {\"reference\": %zu, "
	    "\"current\": %zu}, \"features\": [", stats_status_name(r->status),
	    r->rows_ref, r->rows_cur);
	for (i = 0; i < r->nfeatures; i++) {
		if (i > 0)
			strbuf_adds(b, ", ");
		feature_json(b, &r->features[i]);
	}
	strbuf_adds(b, "], \"prediction\": ");
	if (r->prediction != NULL)
		feature_json(b, r->prediction);
	else
		strbuf_adds(b, "null");
	strbuf_adds(b, ", \"performance\": ");
	performance_json(b, r);
	strbuf_adds(b, ", \"fairness\": ");
	fairness_json(b, r);
	strbuf_adds(b, "}\n");
}

/* ---- table -------------------------------------------------------------- */

/* Severity rank for sorting: alert first, too few rows last. */
static int
rank(enum stats_status s)
{
	switch (s) {
	case STATS_ALERT:
		return 4;
	case STATS_WARN:
		return 3;
	case STATS_OK:
		return 2;
	case STATS_UNKNOWN:
		return 1;
	case STATS_TOO_FEW_ROWS:
		break;
	}
	return 0;
}

/* How far a feature drifted by the method: larger is worse. */
static double
badness(const struct drift_feature *d, enum stats_method m)
{
	const struct stats_feature *f = &d->f;
	double v = f->psi;

	if (m == STATS_METHOD_JS)
		v = f->js;
	else if (m == STATS_METHOD_KS)
		v = 1 - (f->kind == STATS_NUMERIC ? f->ks_pvalue : f->chi2_pvalue);
	else if (m == STATS_METHOD_WASSERSTEIN)
		v = f->kind == STATS_NUMERIC ? f->wasserstein_normed : f->js;
	return isnan(v) ? -1 : v;
}

struct order {
	const struct drift_feature	*d;
	int				 rank;
	double				 badness;
};

static int
worst_first(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->rank != y->rank)
		return y->rank - x->rank;
	if (x->badness != y->badness)
		return x->badness < y->badness ? 1 : -1;
	return strcmp(x->d->name, y->d->name);
}

static void
cellnum(struct strbuf *b, double v)
{
	if (isnan(v))
		strbuf_addf(b, " %9s", "-");
	else if (isinf(v))
		strbuf_addf(b, " %9s", "inf");
	else
		strbuf_addf(b, " %9.4g", v);
}

/*
 * A name made safe (util/sanitize.h), cut to width characters without
 * splitting one, then padded.
 */
static void
safe_name(struct strbuf *b, const char *s, int width)
{
	struct strbuf	t = { 0 };
	const unsigned char *p;
	size_t		i = 0, k;
	unsigned	cp;
	int		n = 0;

	sanitize_append(&t, s, strlen(s), 0);
	p = (const unsigned char *)strbuf_str(&t);
	for (; i < t.len && n < width; n++) {
		k = sanitize_utf8(p + i, t.len - i, &cp);
		i += k > 0 ? k : 1;
	}
	strbuf_add(b, strbuf_str(&t), i);
	for (; n < width; n++)
		strbuf_addc(b, ' ');
	strbuf_free(&t);
}

static void
feature_row(struct strbuf *b, const struct drift_feature *d)
{
	const struct stats_feature *f = &d->f;

	safe_name(b, d->name, 20);
	strbuf_addf(b, " %-11s %-12s", f->kind == STATS_NUMERIC ? "numeric" :
	    "categorical", stats_status_name(d->status));
	cellnum(b, f->psi);
	cellnum(b, f->js);
	cellnum(b, f->ks_pvalue);
	cellnum(b, f->wasserstein_normed);
	cellnum(b, f->chi2_pvalue);
	cellnum(b, f->missing_rate_cur);
	strbuf_addc(b, '\n');
}

static void
perf_lines(struct strbuf *b, const struct drift_report *r)
{
	const struct perf_classification *c = &r->cls;
	size_t i;

	if (r->has_classification)
		strbuf_addf(b, "performance (%zu labelled, threshold %g): "
		    "accuracy %.4g  precision %.4g  recall %.4g  f1 %.4g  "
		    "roc_auc %.4g  log_loss %.4g  brier %.4g  estimated "
		    "accuracy %.4g\n", c->labelled, r->threshold, c->accuracy,
		    c->precision, c->recall, c->f1, c->roc_auc, c->log_loss,
		    c->brier, c->estimated_accuracy);
	if (r->has_regression)
		strbuf_addf(b, "performance (%zu labelled, regression): mae "
		    "%.4g  rmse %.4g  mape %.4g\n", r->reg.rows, r->reg.mae,
		    r->reg.rmse, r->reg.mape);
	if (r->segment == NULL)
		return;
	strbuf_adds(b, "fairness by ");
	safe_name(b, r->segment, (int)strlen(r->segment));
	strbuf_addf(b, ": parity difference %.4g  disparate impact %.4g%s  "
	    "equal opportunity difference %.4g\n",
	    r->demographic_parity_difference, r->disparate_impact,
	    r->disparate_impact < 0.8 ? " (below 0.8)" : "",
	    r->equal_opportunity_difference);
	for (i = 0; i < r->nsegments; i++) {
		strbuf_adds(b, "  ");
		safe_name(b, r->segments[i].name, 20);
		strbuf_addf(b, " rows %zu  selection rate %.4g  tpr %.4g\n",
		    r->segments[i].s.rows, r->segments[i].s.selection_rate,
		    r->segments[i].s.tpr);
	}
}

void
drift_print_table(const struct drift_report *r, struct strbuf *b)
{
	struct order *order;
	size_t i;

	strbuf_addf(b, "drift: %s  (reference %zu rows, current %zu rows%s)\n",
	    stats_status_name(r->status), r->rows_ref, r->rows_cur,
	    r->streamed ? ", streamed" : "");
	if (r->status == STATS_TOO_FEW_ROWS)
		strbuf_adds(b, "too few rows: the numbers below are not "
		    "judged\n");
	strbuf_addf(b, "%-20s %-11s %-12s %9s %9s %9s %9s %9s %9s\n", "feature",
	    "type", "status", "psi", "js", "ks p", "wass/std", "chi2 p",
	    "missing");
	order = xcalloc(r->nfeatures + 1, sizeof *order);
	for (i = 0; i < r->nfeatures; i++) {
		order[i].d = &r->features[i];
		order[i].rank = rank(r->features[i].status);
		order[i].badness = badness(&r->features[i], r->method);
	}
	qsort(order, r->nfeatures, sizeof *order, worst_first);
	for (i = 0; i < r->nfeatures; i++)
		feature_row(b, order[i].d);
	free(order);
	if (r->prediction != NULL) {
		strbuf_adds(b, "prediction:\n");
		feature_row(b, r->prediction);
	}
	perf_lines(b, r);
}
