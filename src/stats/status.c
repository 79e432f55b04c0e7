/*
 * status: a model version's status snapshot from its window (status.h).
 * The binned statistics come from the window's counts every time; the
 * exact ones only from the raw columns the caller supplies, so a poll of
 * a fleet under the default PSI policy touches no raw row.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/status.h"
#include "util/xmalloc.h"

enum stats_status
status_model_drift(const enum stats_status *features, size_t nfeatures,
    enum stats_status prediction, double prediction_psi, size_t rows_ref,
    size_t rows_cur, const struct stats_thresholds *t)
{
	size_t	i, alerts = 0, decided = 0, raised = 0;

	if (rows_ref < (size_t)t->min_rows || rows_cur < (size_t)t->min_rows)
		return STATS_TOO_FEW_ROWS;
	for (i = 0; i < nfeatures; i++) {
		if (features[i] == STATS_ALERT)
			alerts++;
		if (features[i] == STATS_WARN || features[i] == STATS_ALERT)
			raised++;
		if (features[i] <= STATS_ALERT)
			decided++;
	}
	if (prediction == STATS_WARN || prediction == STATS_ALERT)
		raised++;
	if (prediction <= STATS_ALERT)
		decided++;
	if ((alerts > 0 && (double)alerts >=
	    t->model_alert_share * (double)nfeatures) ||
	    prediction_psi >= t->prediction_psi_alert)
		return STATS_ALERT;
	if (raised > 0)
		return STATS_WARN;
	return decided > 0 ? STATS_OK : STATS_UNKNOWN;
}

static int
fill_feature(const struct window *w, size_t col,
    const struct stats_thresholds *t, const struct status_raw *raw,
    struct status_feature *out, char **cause)
{
	const struct window_config	*cfg = window_config(w);
	struct stats_feature		*f = &out->stats;

	out->name = xstrdup(col < cfg->nfeatures ? cfg->names[col] :
	    "prediction");
	window_feature(w, col, f);
	if (f->kind == STATS_NUMERIC && raw != NULL && raw->ref != NULL &&
	    raw->cur != NULL && raw->ref[col] != NULL && raw->cur[col] != NULL) {
		if (window_exact(w, col, raw->ref[col], raw->nref[col],
		    raw->cur[col], raw->ncur[col], STATS_KS | STATS_WASSERSTEIN,
		    f, cause) != 0)
			return -1;
	}
	out->status = stats_feature_status(f, t);
	return 0;
}

static void
fill_perf(const struct window *w, const struct stats_thresholds *t,
    double baseline, struct status *out)
{
	window_perf(w, &out->perf);
	out->labels = out->perf.labels;
	out->accuracy = out->labels >= (size_t)t->min_labels ?
	    out->perf.accuracy : NAN;
	out->accuracy_estimated = out->perf.estimated_accuracy;
	out->baseline_accuracy = baseline;
	out->accuracy_status = stats_accuracy_status(out->perf.accuracy,
	    baseline, out->labels, t);
}

static void
fill_fairness(const struct window *w, const struct stats_thresholds *t,
    struct status *out)
{
	const struct window_config	*cfg = window_config(w);
	struct window_counts		 c = { 0 };
	struct fairness			 f;
	size_t				 i, n = 0;

	window_fairness(w, t, &f);
	if (f.nsegments > 0)
		window_counts(w, (size_t)cfg->segment, &c);
	out->segments = xcalloc(f.nsegments ? f.nsegments : 1,
	    sizeof *out->segments);
	for (i = 0; i < f.nsegments; i++) {
		/*
		 * A segment neither in the reference nor in the window now is
		 * one the window has forgotten: listing it would make the
		 * output depend on when the dictionary was last compacted.
		 */
		if (f.segments[i].rows == 0 && (i >= c.k || c.ref[i] == 0) &&
		    (i >= c.k || c.cur[i] == 0))
			continue;
		out->segments[n].name = xstrdup(window_category(w,
		    (size_t)cfg->segment, i));
		out->segments[n++].figures = f.segments[i];
	}
	out->nsegments = n;
	out->demographic_parity_difference = f.demographic_parity_difference;
	out->disparate_impact = f.disparate_impact;
	out->equal_opportunity_difference = f.equal_opportunity_difference;
	out->fairness_status = stats_fairness_status(f.disparate_impact, t);
	fairness_free(&f);
}

int
status_compute(const struct window *w, const struct stats_thresholds *t,
    double baseline_accuracy, const struct status_raw *raw,
    struct status *out, char **cause)
{
	const struct window_config	*cfg = window_config(w);
	enum stats_status		*st;
	size_t				 i;
	int				 rc = 0;

	memset(out, 0, sizeof *out);
	out->rows_ref = window_ref_rows(w);
	out->rows_cur = window_rows(w);
	out->nfeatures = cfg->nfeatures;
	out->features = xcalloc(cfg->nfeatures + 1, sizeof *out->features);
	st = xcalloc(cfg->nfeatures + 1, sizeof *st);
	for (i = 0; i < cfg->nfeatures && rc == 0; i++) {
		rc = fill_feature(w, i, t, raw, &out->features[i], cause);
		st[i] = out->features[i].status;
	}
	if (rc == 0)
		rc = fill_feature(w, cfg->nfeatures, t, raw, &out->prediction,
		    cause);
	if (rc != 0) {
		free(st);
		status_free(out);
		return -1;
	}
	out->drift = status_model_drift(st, cfg->nfeatures,
	    out->prediction.status, out->prediction.stats.psi, out->rows_ref,
	    out->rows_cur, t);
	free(st);
	fill_perf(w, t, baseline_accuracy, out);
	fill_fairness(w, t, out);
	/* Too few rows: every figure is shown greyed, none has a status. */
	if (out->drift == STATS_TOO_FEW_ROWS) {
		out->fairness_status = out->overall = STATS_TOO_FEW_ROWS;
		return 0;
	}
	out->overall = stats_status_worst(stats_status_worst(out->drift,
	    out->accuracy_status), out->fairness_status);
	return 0;
}

void
status_free(struct status *s)
{
	size_t	i;

	if (s->features != NULL)
		for (i = 0; i < s->nfeatures; i++)
			free(s->features[i].name);
	free(s->features);
	free(s->prediction.name);
	for (i = 0; i < s->nsegments; i++)
		free(s->segments[i].name);
	free(s->segments);
	memset(s, 0, sizeof *s);
}

void
status_copy(struct status *dst, const struct status *src)
{
	size_t	i;

	*dst = *src;
	dst->features = NULL;
	if (src->features != NULL) {
		dst->features = xreallocarray(NULL, src->nfeatures ?
		    src->nfeatures : 1, sizeof *dst->features);
		for (i = 0; i < src->nfeatures; i++) {
			dst->features[i] = src->features[i];
			dst->features[i].name = xstrdup(src->features[i].name);
		}
	}
	dst->prediction.name = src->prediction.name != NULL ?
	    xstrdup(src->prediction.name) : NULL;
	dst->segments = NULL;
	if (src->nsegments > 0) {
		dst->segments = xreallocarray(NULL, src->nsegments,
		    sizeof *dst->segments);
		for (i = 0; i < src->nsegments; i++) {
			dst->segments[i] = src->segments[i];
			dst->segments[i].name = xstrdup(src->segments[i].name);
		}
	}
}

/* ---- JSON --------------------------------------------------------------- */

static void
num(struct strbuf *b, const char *key, double v)
{
	if (key != NULL)
		strbuf_addf(b, "\"%s\": ", key);
	strbuf_add_json_number(b, v);
}

static void
feature_json(const struct status_feature *sf, struct strbuf *b)
{
	const struct stats_feature	*f = &sf->stats;

	strbuf_adds(b, "{\"name\": ");
	strbuf_add_json_string(b, sf->name);
	strbuf_addf(b, ", \"type\": \"%s\", \"missing\": {",
	    f->kind == STATS_NUMERIC ? "numeric" : "categorical");
	num(b, "reference", f->missing_rate_ref);
	strbuf_adds(b, ", ");
	num(b, "current", f->missing_rate_cur);
	strbuf_adds(b, "}, ");
	num(b, "psi", f->psi);
	strbuf_adds(b, ", ");
	num(b, "js", f->js);
	strbuf_adds(b, ", \"ks\": {");
	num(b, "statistic", f->ks_statistic);
	strbuf_adds(b, ", ");
	num(b, "pvalue", f->ks_pvalue);
	strbuf_adds(b, "}, ");
	num(b, "wasserstein", f->wasserstein);
	strbuf_adds(b, ", ");
	num(b, "wasserstein_normed", f->wasserstein_normed);
	strbuf_adds(b, ", \"chi2\": {");
	num(b, "statistic", f->chi2_statistic);
	strbuf_adds(b, ", ");
	num(b, "pvalue", f->chi2_pvalue);
	strbuf_addf(b, "}, \"status\": \"%s\"}", stats_status_name(sf->status));
}

static void
fairness_json(const struct status *s, struct strbuf *b)
{
	const struct fairness_segment	*f;
	size_t				 i;

	strbuf_adds(b, "\"fairness\": {\"segments\": [");
	for (i = 0; i < s->nsegments; i++) {
		f = &s->segments[i].figures;
		strbuf_adds(b, i ? ", {\"name\": " : "{\"name\": ");
		strbuf_add_json_string(b, s->segments[i].name);
		strbuf_addf(b, ", \"rows\": %zu, ", f->rows);
		num(b, "selection_rate", f->selection_rate);
		strbuf_adds(b, ", ");
		num(b, "tpr", f->tpr);
		strbuf_adds(b, "}");
	}
	strbuf_adds(b, "], ");
	num(b, "demographic_parity_difference",
	    s->demographic_parity_difference);
	strbuf_adds(b, ", ");
	num(b, "disparate_impact", s->disparate_impact);
	strbuf_adds(b, ", ");
	num(b, "equal_opportunity_difference",
	    s->equal_opportunity_difference);
	strbuf_addf(b, ", \"status\": \"%s\"}",
	    stats_status_name(s->fairness_status));
}

void
status_json(const struct status *s, struct strbuf *b)
{
	size_t	i;

	strbuf_addf(b, "{\"status\": \"%s\", \"drift_status\": \"%s\", "
	    "\"rows\": {\"reference\": %zu, \"current\": %zu}, \"features\": [",
	    stats_status_name(s->overall), stats_status_name(s->drift),
	    s->rows_ref, s->rows_cur);
	for (i = 0; i < s->nfeatures; i++) {
		if (i > 0)
			strbuf_adds(b, ", ");
		feature_json(&s->features[i], b);
	}
	strbuf_adds(b, "], \"prediction\": ");
	feature_json(&s->prediction, b);
	strbuf_addf(b, ", \"labels\": %zu, ", s->labels);
	num(b, "accuracy", s->accuracy);
	strbuf_adds(b, ", ");
	num(b, "accuracy_estimated", s->accuracy_estimated);
	strbuf_adds(b, ", ");
	num(b, "baseline_accuracy", s->baseline_accuracy);
	strbuf_addf(b, ", \"accuracy_status\": \"%s\", \"performance\": {",
	    stats_status_name(s->accuracy_status));
	num(b, "precision", s->labels ? s->perf.precision : NAN);
	strbuf_adds(b, ", ");
	num(b, "recall", s->labels ? s->perf.recall : NAN);
	strbuf_adds(b, ", ");
	num(b, "f1", s->labels ? s->perf.f1 : NAN);
	strbuf_adds(b, "}, ");
	fairness_json(s, b);
	strbuf_adds(b, "}");
}
