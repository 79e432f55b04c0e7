/*
 * test_status: the model status snapshot.  The drift rule is checked case
 * by case against stats-spec.md's "model drift" row; the snapshot's
 * figures against the batch functions over the same rows; accuracy and
 * fairness statuses against rows built to sit on a known side of the cuts;
 * status_json by parsing it back with cJSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "stats/status.h"
#include "util/xmalloc.h"
#include "testhelp.h"

#define NF	2

static const char *names[NF] = { "x", "seg" };
static const enum stats_kind kinds[NF] = { STATS_NUMERIC, STATS_CATEGORICAL };

/* Rows as parallel arrays, turned into window rows by rows_of. */
struct table {
	size_t			 n;
	char			(*id)[32];
	struct window_value	(*v)[NF];
	double			*p, *y;
	struct window_row	*rows;
};

static struct table *
table_new(size_t n, const char *prefix)
{
	struct table	*t = xcalloc(1, sizeof *t);
	size_t		 i;

	t->n = n;
	t->id = xcalloc(n + 1, sizeof *t->id);
	t->v = xcalloc(n + 1, sizeof *t->v);
	t->p = xcalloc(n + 1, sizeof *t->p);
	t->y = xcalloc(n + 1, sizeof *t->y);
	t->rows = xcalloc(n + 1, sizeof *t->rows);
	for (i = 0; i < n; i++) {
		snprintf(t->id[i], sizeof t->id[i], "%s%zu", prefix, i);
		t->y[i] = NAN;
	}
	return t;
}

static const struct window_row *
rows_of(struct table *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		t->rows[i].id = t->id[i];
		t->rows[i].ts_ms = (int64_t)i;
		t->rows[i].values = t->v[i];
		t->rows[i].prediction.x = t->p[i];
		t->rows[i].prediction.s = NULL;
		t->rows[i].label = t->y[i];
	}
	return t->rows;
}

static void
table_free(struct table *t)
{
	free(t->id);
	free(t->v);
	free(t->p);
	free(t->y);
	free(t->rows);
	free(t);
}

/* Row i: x from a sawtooth scaled by `scale`, seg alternating a/b. */
static struct table *
make_table(size_t n, const char *prefix, double scale, double shift)
{
	static const char	*segs[] = { "a", "b", "c" };
	struct table		*t = table_new(n, prefix);
	size_t			 i;

	for (i = 0; i < n; i++) {
		t->v[i][0].x = (double)((i * 37) % 101) * scale + shift;
		t->v[i][1].s = segs[(i + (shift > 0 ? i / 3 : 0)) % 3];
		t->p[i] = (double)((i * 53) % 97) / 96.0;
	}
	return t;
}

static struct window *
make_window(struct table *ref, double threshold)
{
	struct window_config	c = {
		.nfeatures = NF, .names = names, .kinds = kinds,
		.prediction_kind = STATS_NUMERIC, .classification = 1,
		.threshold = threshold, .segment = 1,
	};

	return window_new(&c, rows_of(ref), ref->n, NULL);
}

static void
test_status_drift_rule(void)
{
	struct stats_thresholds	t = stats_thresholds_default();
	enum stats_status	ok4[] = { STATS_OK, STATS_OK, STATS_OK,
				    STATS_OK };
	enum stats_status	warn[] = { STATS_OK, STATS_WARN, STATS_OK,
				    STATS_OK };
	enum stats_status	one_alert[] = { STATS_ALERT, STATS_OK,
				    STATS_UNKNOWN, STATS_OK };
	enum stats_status	half[] = { STATS_ALERT, STATS_OK, STATS_ALERT,
				    STATS_WARN };
	enum stats_status	unknown[] = { STATS_UNKNOWN, STATS_UNKNOWN };

	CHECK_INT(status_model_drift(ok4, 4, STATS_OK, 0.01, 100, 100, &t),
	    STATS_OK);
	CHECK_INT(status_model_drift(warn, 4, STATS_OK, 0.01, 100, 100, &t),
	    STATS_WARN);
	CHECK_INT(status_model_drift(one_alert, 4, STATS_OK, 0.01, 100, 100,
	    &t), STATS_WARN);
	CHECK_INT(status_model_drift(half, 4, STATS_OK, 0.01, 100, 100, &t),
	    STATS_ALERT);
	/* Prediction at warn raises the model to warn; PSI 0.25 alerts. */
	CHECK_INT(status_model_drift(ok4, 4, STATS_WARN, 0.2, 100, 100, &t),
	    STATS_WARN);
	CHECK_INT(status_model_drift(ok4, 4, STATS_ALERT, 0.25, 100, 100, &t),
	    STATS_ALERT);
	CHECK_INT(status_model_drift(ok4, 4, STATS_OK, 0.2499, 100, 100, &t),
	    STATS_OK);
	CHECK_INT(status_model_drift(ok4, 4, STATS_OK, 0.01, 99, 100, &t),
	    STATS_TOO_FEW_ROWS);
	CHECK_INT(status_model_drift(ok4, 4, STATS_OK, 0.01, 100, 99, &t),
	    STATS_TOO_FEW_ROWS);
	CHECK_INT(status_model_drift(unknown, 2, STATS_UNKNOWN, NAN, 100, 100,
	    &t), STATS_UNKNOWN);
	CHECK_INT(status_model_drift(NULL, 0, STATS_OK, 0.01, 100, 100, &t),
	    STATS_OK);
	t.model_alert_share = 0.25;
	CHECK_INT(status_model_drift(one_alert, 4, STATS_OK, 0.01, 100, 100,
	    &t), STATS_ALERT);
}

/* Every feature's figures and status as the batch functions give them. */
static void
test_status_matches_batch(void)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(500, "t", 1.0, 0);
	struct table		*cur = make_table(400, "r", 1.3, 20);
	struct window		*w = make_window(ref, 0.5);
	struct stats_feature	 bx, bs, bp;
	const char		*rs[500], *cs[400];
	double			 rx[500], cx[400];
	enum stats_status	 st[NF];
	struct status		 s;
	size_t			 i;

	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	for (i = 0; i < 500; i++) {
		rx[i] = ref->v[i][0].x;
		rs[i] = ref->v[i][1].s;
	}
	for (i = 0; i < 400; i++) {
		cx[i] = cur->v[i][0].x;
		cs[i] = cur->v[i][1].s;
	}
	stats_numeric(rx, 500, cx, 400, STATS_BINNED, &bx);
	stats_categorical(rs, 500, cs, 400, STATS_BINNED, &bs);
	stats_numeric(ref->p, 500, cur->p, 400, STATS_BINNED, &bp);
	CHECK(status_compute(w, &t, NAN, NULL, &s, NULL) == 0);
	CHECK_STR(s.features[0].name, "x");
	CHECK_STR(s.prediction.name, "prediction");
	CHECK_NEAR(s.features[0].stats.psi, bx.psi, 1e-12, 1e-15);
	CHECK_NEAR(s.features[1].stats.psi, bs.psi, 1e-12, 1e-15);
	CHECK_NEAR(s.features[1].stats.chi2_pvalue, bs.chi2_pvalue, 1e-12, 0);
	CHECK_NEAR(s.prediction.stats.psi, bp.psi, 1e-12, 1e-15);
	st[0] = stats_feature_status(&bx, &t);
	st[1] = stats_feature_status(&bs, &t);
	CHECK_INT(s.features[0].status, st[0]);
	CHECK_INT(s.features[1].status, st[1]);
	CHECK_INT(s.prediction.status, stats_feature_status(&bp, &t));
	CHECK_INT(st[0], STATS_ALERT);		/* the shift shows */
	CHECK_INT(s.drift, status_model_drift(st, NF, s.prediction.status,
	    bp.psi, 500, 400, &t));
	CHECK_INT(s.drift, STATS_ALERT);
	CHECK(isnan(s.features[0].stats.ks_statistic));	/* not supplied */
	status_free(&s);
	window_free(w);
	table_free(ref);
	table_free(cur);
}

static void
test_status_too_few_rows(void)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(500, "t", 1.0, 0);
	struct table		*cur = make_table(99, "r", 1.0, 0);
	struct window		*w = make_window(ref, 0.5);
	struct status		 s;

	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	CHECK(status_compute(w, &t, 0.9, NULL, &s, NULL) == 0);
	CHECK_INT(s.drift, STATS_TOO_FEW_ROWS);
	CHECK_INT(s.features[0].status, STATS_TOO_FEW_ROWS);
	CHECK_INT(s.overall, STATS_TOO_FEW_ROWS);
	CHECK_INT(s.fairness_status, STATS_TOO_FEW_ROWS);
	CHECK(!isnan(s.disparate_impact));	/* shown, greyed */
	CHECK_INT(s.accuracy_status, STATS_TOO_FEW_ROWS);
	status_free(&s);
	window_free(w);
	table_free(ref);
	table_free(cur);
}

/*
 * 300 rows, 250 labelled with the first `wrong` of them mislabelled:
 * accuracy (250 - wrong) / 250 exactly.
 */
static void
accuracy_case(int wrong, size_t labelled, double baseline,
    enum stats_status want)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(300, "t", 1.0, 0);
	struct table		*cur = make_table(300, "r", 1.0, 0);
	struct window		*w = make_window(ref, 0.5);
	struct status		 s;
	size_t			 i;
	int			 k = 0;

	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	for (i = 0; i < labelled; i++) {
		double	y = cur->p[i] >= 0.5;

		CHECK_INT(window_label(w, cur->id[i], k++ < wrong ? 1 - y : y,
		    NULL), 1);
	}
	CHECK(status_compute(w, &t, baseline, NULL, &s, NULL) == 0);
	CHECK_INT(s.labels, labelled);
	if (labelled >= 200)
		CHECK_NEAR(s.accuracy, (double)(labelled - (size_t)wrong) /
		    (double)labelled, 1e-15, 0);
	else
		CHECK(isnan(s.accuracy));
	CHECK_INT(s.accuracy_status, want);
	status_free(&s);
	window_free(w);
	table_free(ref);
	table_free(cur);
}

static void
test_status_accuracy(void)
{
	accuracy_case(0, 250, 1.0, STATS_OK);
	accuracy_case(4, 250, 1.0, STATS_OK);		/* 1.6 points */
	accuracy_case(5, 250, 1.0, STATS_WARN);		/* 2 points */
	accuracy_case(12, 250, 1.0, STATS_WARN);	/* 4.8 points */
	accuracy_case(13, 250, 1.0, STATS_ALERT);	/* 5.2 points */
	accuracy_case(0, 199, 1.0, STATS_TOO_FEW_ROWS);
	accuracy_case(0, 250, NAN, STATS_UNKNOWN);
}

/* Segment a selects all its 100 rows, b `sel_b` of 100: impact sel_b/100. */
static void
fairness_case(size_t sel_b, enum stats_status want)
{
	double			 rate_b = (double)sel_b / 100;
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(200, "t", 1.0, 0);
	struct table		*cur = make_table(200, "r", 1.0, 0);
	struct window		*w = make_window(ref, 0.5);
	struct status		 s;
	size_t			 i;

	for (i = 0; i < 200; i++) {
		cur->v[i][1].s = i < 100 ? "a" : "b";
		cur->p[i] = i < 100 || i - 100 < sel_b ?
		    0.9 : 0.1;
	}
	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	CHECK(status_compute(w, &t, NAN, NULL, &s, NULL) == 0);
	CHECK_INT(s.nsegments, 3);	/* a, b, c from the reference */
	CHECK_STR(s.segments[0].name, "a");
	CHECK_INT(s.segments[0].figures.rows, 100);
	CHECK_INT(s.segments[2].figures.rows, 0);
	CHECK_NEAR(s.disparate_impact, rate_b, 1e-15, 0);
	CHECK_NEAR(s.demographic_parity_difference, 1 - rate_b, 1e-15, 1e-15);
	CHECK_INT(s.fairness_status, want);
	if (want == STATS_ALERT)
		CHECK_INT(s.overall, STATS_ALERT);
	status_free(&s);
	window_free(w);
	table_free(ref);
	table_free(cur);
}

static void
test_status_fairness(void)
{
	fairness_case(80, STATS_OK);
	fairness_case(79, STATS_ALERT);
	fairness_case(50, STATS_ALERT);
}

static void
test_status_exact_method(void)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(500, "t", 1.0, 0);
	struct table		*cur = make_table(400, "r", 1.0, 3);
	struct window		*w = make_window(ref, 0.5);
	struct stats_feature	 bx;
	double			 rx[500], cx[400];
	const double		*rc[NF + 1] = { rx, NULL, ref->p };
	const double		*cc[NF + 1] = { cx, NULL, cur->p };
	size_t			 nr[NF + 1] = { 500, 0, 500 };
	size_t			 nc[NF + 1] = { 400, 0, 400 };
	struct status_raw	 raw = { rc, nr, cc, nc };
	struct status		 s;
	char			*cause = NULL;
	size_t			 i;

	t.method = STATS_METHOD_KS;
	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	for (i = 0; i < 500; i++)
		rx[i] = ref->v[i][0].x;
	for (i = 0; i < 400; i++)
		cx[i] = cur->v[i][0].x;
	CHECK(status_compute(w, &t, NAN, NULL, &s, NULL) == 0);
	CHECK_INT(s.features[0].status, STATS_UNKNOWN);	/* no raw values */
	CHECK(s.features[1].status != STATS_UNKNOWN);	/* chi-square */
	status_free(&s);
	CHECK(status_compute(w, &t, NAN, &raw, &s, NULL) == 0);
	stats_numeric(rx, 500, cx, 400, STATS_ALL, &bx);
	CHECK_NEAR(s.features[0].stats.ks_pvalue, bx.ks_pvalue, 1e-12, 1e-15);
	CHECK_NEAR(s.features[0].stats.wasserstein_normed,
	    bx.wasserstein_normed, 1e-12, 1e-15);
	CHECK_INT(s.features[0].status, stats_feature_status(&bx, &t));
	status_free(&s);
	nc[0] = 399;
	CHECK(status_compute(w, &t, NAN, &raw, &s, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "x: the current rows given"));
	CHECK(s.features == NULL && s.nfeatures == 0);
	free(cause);
	window_free(w);
	table_free(ref);
	table_free(cur);
}

static const cJSON *
item(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	CHECK(v != NULL);
	return v;
}

/* JSON parses back; null for what cannot be computed, "inf" for infinity. */
static void
test_status_json(void)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(300, "t", 0.0, 7);
	struct table		*cur = make_table(300, "r", 1.0, 0);
	struct window		*w = make_window(ref, 0.5);
	double			 rx[300], cx[300];
	const double		*rc[NF + 1] = { rx }, *cc[NF + 1] = { cx };
	size_t			 nr[NF + 1] = { 300 }, nc[NF + 1] = { 300 };
	struct status_raw	 raw = { rc, nr, cc, nc };
	struct strbuf		 b = { 0 };
	struct status		 s;
	cJSON			*j;
	const cJSON		*f0, *f1;
	size_t			 i;

	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	for (i = 0; i < 300; i++) {
		rx[i] = ref->v[i][0].x;	/* constant: std 0 */
		cx[i] = cur->v[i][0].x;
	}
	CHECK(status_compute(w, &t, 0.9, &raw, &s, NULL) == 0);
	status_json(&s, &b);
	j = cJSON_Parse(strbuf_str(&b));
	CHECK(j != NULL);
	if (j != NULL) {
		CHECK_STR(item(j, "drift_status")->valuestring,
		    stats_status_name(s.drift));
		CHECK_INT(item(item(j, "rows"), "current")->valuedouble, 300);
		f0 = cJSON_GetArrayItem(item(j, "features"), 0);
		f1 = cJSON_GetArrayItem(item(j, "features"), 1);
		CHECK(f0 != NULL && f1 != NULL);
		CHECK_STR(item(f0, "wasserstein_normed")->valuestring, "inf");
		CHECK(cJSON_IsNull(item(item(f0, "chi2"), "statistic")));
		CHECK(cJSON_IsNull(item(f1, "wasserstein")));
		CHECK_STR(item(f1, "type")->valuestring, "categorical");
		CHECK_NEAR(item(f1, "psi")->valuedouble, s.features[1].stats.psi,
		    1e-15, 0);
		CHECK(cJSON_IsNull(item(j, "accuracy")));	/* no labels */
		CHECK_INT(item(j, "labels")->valuedouble, 0);
		CHECK(cJSON_IsNull(item(item(j, "performance"), "f1")));
		CHECK_INT(cJSON_GetArraySize(item(item(j, "fairness"),
		    "segments")), 3);
	}
	cJSON_Delete(j);
	strbuf_free(&b);
	status_free(&s);
	window_free(w);
	table_free(ref);
	table_free(cur);
}

/*
 * A copy outlives the window and the original (the snapshot the console
 * keeps while the poller moves on): same JSON, no shared memory (asan).
 */
static void
test_status_copy(void)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(300, "t", 0.0, 7);
	struct table		*cur = make_table(300, "r", 1.0, 0);
	struct window		*w = make_window(ref, 0.5);
	struct strbuf		 a = { 0 }, b = { 0 };
	struct status		 s, c;

	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	CHECK(status_compute(w, &t, 0.9, NULL, &s, NULL) == 0);
	status_json(&s, &a);
	status_copy(&c, &s);
	CHECK(c.features != s.features && c.segments != s.segments);
	CHECK(c.nsegments == 0 || c.segments[0].name != s.segments[0].name);
	status_free(&s);
	window_free(w);
	status_json(&c, &b);
	CHECK(a.len > 100);
	CHECK_STR(strbuf_str(&b), strbuf_str(&a));
	status_free(&c);
	strbuf_free(&a);
	strbuf_free(&b);
	table_free(ref);
	table_free(cur);
}

/*
 * A segment seen only in rows the window has since evicted is not listed,
 * whether or not its dictionary was compacted since; reference segments
 * are listed even with no current rows.
 */
static void
test_status_forgotten_segment(void)
{
	struct window_config	 c = {
		.nfeatures = NF, .names = names, .kinds = kinds,
		.prediction_kind = STATS_NUMERIC, .classification = 1,
		.threshold = 0.5, .segment = 1, .max_rows = 200,
	};
	struct stats_thresholds	 t = stats_thresholds_default();
	struct table		*ref = make_table(200, "t", 1.0, 0);
	struct table		*old = make_table(100, "o", 1.0, 0);
	struct table		*cur = make_table(200, "r", 1.0, 0);
	struct window		*w = window_new(&c, rows_of(ref), ref->n, NULL);
	struct strbuf		 a = { 0 }, b = { 0 };
	struct status		 s;
	size_t			 i;

	for (i = 0; i < old->n; i++)
		old->v[i][1].s = "gone-segment";
	for (i = 0; i < cur->n; i++)
		cur->v[i][1].s = i % 2 ? "a" : "b";
	CHECK(window_append(w, rows_of(old), old->n, NULL, NULL) == 0);
	CHECK(window_append(w, rows_of(cur), cur->n, NULL, NULL) == 0);
	CHECK_INT(window_rows(w), 200);
	CHECK(status_compute(w, &t, NAN, NULL, &s, NULL) == 0);
	CHECK_INT(s.nsegments, 3);	/* a, b, and c of the reference */
	for (i = 0; i < s.nsegments; i++)
		CHECK(strcmp(s.segments[i].name, "gone-segment") != 0);
	status_json(&s, &a);
	status_free(&s);
	window_compact(w);
	CHECK(status_compute(w, &t, NAN, NULL, &s, NULL) == 0);
	status_json(&s, &b);
	CHECK_STR(strbuf_str(&b), strbuf_str(&a));
	status_free(&s);
	strbuf_free(&a);
	strbuf_free(&b);
	window_free(w);
	table_free(ref);
	table_free(old);
	table_free(cur);
}

int
main(void)
{
	RUN(test_status_drift_rule);
	RUN(test_status_matches_batch);
	RUN(test_status_too_few_rows);
	RUN(test_status_accuracy);
	RUN(test_status_fairness);
	RUN(test_status_exact_method);
	RUN(test_status_json);
	RUN(test_status_copy);
	RUN(test_status_forgotten_segment);
	return TEST_REPORT();
}
