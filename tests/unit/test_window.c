/*
 * test_window: the rolling window against the batch statistics.  A plain
 * list in arrival order (the oracle below) models what the window must hold
 * after appends, evictions by count and by age, duplicates and late labels;
 * every figure the window keeps incrementally is then compared with S1's
 * batch functions (stats_numeric, stats_categorical, perf_classification,
 * fairness_compute, themselves checked against SciPy/scikit-learn) run from
 * scratch over the oracle's rows.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/window.h"
#include "util/xmalloc.h"
#include "testhelp.h"

#define NF	4		/* numeric, numeric ties, segment, wide cat */
#define NCAT	400

static const char *names[NF] = { "income", "visits", "region", "code" };
static const enum stats_kind kinds[NF] = {
	STATS_NUMERIC, STATS_NUMERIC, STATS_CATEGORICAL, STATS_CATEGORICAL
};

struct trow {
	char			id[24];
	int64_t			ts;
	struct window_value	v[NF];
	struct window_value	pred;
	double			label;
};

struct oracle {
	struct trow	*rows;		/* arrival order, oldest first */
	size_t		 n, cap;
	size_t		 max_rows;
	int64_t		 max_age;
	int		 unique;	/* ids known distinct: skip the lookup */
};

static uint64_t rng_state = 88172645463325252ull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double
unif(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static const char *
cat(size_t i)
{
	static char	tab[NCAT][8];

	if (tab[i][0] == '\0')
		snprintf(tab[i], sizeof tab[i], "c%zu", i);
	return tab[i];
}

/* A row; shift moves the current distribution away from the reference. */
static void
make_row(struct trow *r, size_t seq, int64_t ts, double shift, size_t ncat)
{
	double	u = unif();

	snprintf(r->id, sizeof r->id, "r-%zu", seq);
	r->ts = ts;
	r->v[0].x = unif() < 0.05 ? NAN : 50000 + 20000 * (u - 0.5 + shift) *
	    (1 + u * u * 4);
	r->v[0].s = NULL;
	r->v[1].x = unif() < 0.02 ? NAN : (double)(rng() % 6) +
	    (shift > 0.2 ? 2 : 0);
	r->v[1].s = NULL;
	r->v[2].x = NAN;
	r->v[2].s = unif() < 0.03 ? NULL : cat(rng() % (shift > 0 ? 5 : 4));
	r->v[3].x = NAN;
	r->v[3].s = cat(rng() % ncat);
	r->pred.x = unif() < 0.01 ? NAN : fmin(1, fmax(0, unif() + shift / 2));
	r->pred.s = NULL;
	r->label = unif() < 0.5 ? NAN : (double)(unif() < r->pred.x * 0.9);
}

static struct window_row
as_row(const struct trow *t)
{
	struct window_row	r = { t->id, t->ts, t->v, t->pred, t->label };

	return r;
}

static struct window_config
config(size_t max_rows, int64_t max_age)
{
	struct window_config	c = {
		.nfeatures = NF, .names = names, .kinds = kinds,
		.prediction_kind = STATS_NUMERIC, .classification = 1,
		.threshold = 0.5, .segment = 2, .max_rows = max_rows,
		.max_age_ms = max_age,
	};

	return c;
}

static struct window *
make_window(struct trow *ref, size_t nref, size_t max_rows, int64_t max_age)
{
	struct window_config	 c = config(max_rows, max_age);
	struct window_row	*rr = xcalloc(nref, sizeof *rr);
	struct window		*w;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < nref; i++) {
		make_row(&ref[i], 1000000 + i, 0, 0, 10);
		rr[i] = as_row(&ref[i]);
	}
	w = window_new(&c, rr, nref, &cause);
	free(rr);
	CHECK(w != NULL);
	free(cause);
	return w;
}

/* ---- the oracle: what the window must hold ----------------------------- */

static struct trow *
oracle_find(struct oracle *o, const char *id)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		if (strcmp(o->rows[i].id, id) == 0)
			return &o->rows[i];
	return NULL;
}

static void
oracle_drop(struct oracle *o, size_t k)
{
	memmove(o->rows, o->rows + k, (o->n - k) * sizeof *o->rows);
	o->n -= k;
}

static void
oracle_append(struct oracle *o, const struct trow *r)
{
	if (!o->unique && oracle_find(o, r->id) != NULL)
		return;
	if (o->n == o->max_rows)
		oracle_drop(o, 1);
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->rows = xreallocarray(o->rows, o->cap, sizeof *o->rows);
	}
	o->rows[o->n++] = *r;
}

static void
oracle_age(struct oracle *o, int64_t now)
{
	size_t	k = 0;

	while (k < o->n && o->rows[k].ts < now - o->max_age)
		k++;
	oracle_drop(o, k);
}

/* ---- comparing with the batch functions -------------------------------- */

static void
compare_column(struct window *w, size_t col, const struct trow *ref,
    size_t nref, const struct oracle *o)
{
	struct stats_feature	 wf, bf;
	double			*rx = xcalloc(nref + 1, sizeof *rx);
	double			*cx = xcalloc(o->n + 1, sizeof *cx);
	const char		**rs = xcalloc(nref + 1, sizeof *rs);
	const char		**cs = xcalloc(o->n + 1, sizeof *cs);
	size_t			 i;
	char			*cause = NULL;

	for (i = 0; i < nref; i++) {
		rx[i] = col < NF ? ref[i].v[col].x : ref[i].pred.x;
		rs[i] = col < NF ? ref[i].v[col].s : NULL;
	}
	for (i = 0; i < o->n; i++) {
		cx[i] = col < NF ? o->rows[i].v[col].x : o->rows[i].pred.x;
		cs[i] = col < NF ? o->rows[i].v[col].s : NULL;
	}
	window_feature(w, col, &wf);
	if (col == NF || kinds[col] == STATS_NUMERIC) {
		stats_numeric(rx, nref, cx, o->n, STATS_ALL, &bf);
		CHECK(window_exact(w, col, rx, nref, cx, o->n,
		    STATS_KS | STATS_WASSERSTEIN, &wf, &cause) == 0);
		CHECK_NEAR(wf.ks_statistic, bf.ks_statistic, 1e-12, 1e-15);
		CHECK_NEAR(wf.ks_pvalue, bf.ks_pvalue, 1e-12, 1e-15);
		CHECK_NEAR(wf.wasserstein, bf.wasserstein, 1e-12, 1e-15);
	} else {
		stats_categorical(rs, nref, cs, o->n, STATS_ALL, &bf);
		CHECK_NEAR(wf.chi2_statistic, bf.chi2_statistic, 1e-12, 1e-12);
		CHECK_NEAR(wf.chi2_pvalue, bf.chi2_pvalue, 1e-12, 1e-15);
	}
	CHECK_INT(wf.rows_ref, bf.rows_ref);
	CHECK_INT(wf.rows_cur, bf.rows_cur);
	CHECK_INT(wf.missing_cur, bf.missing_cur);
	CHECK_INT(wf.missing_ref, bf.missing_ref);
	CHECK_NEAR(wf.missing_rate_cur, bf.missing_rate_cur, 1e-15, 0);
	CHECK_NEAR(wf.psi, bf.psi, 1e-12, 1e-15);
	CHECK_NEAR(wf.js, bf.js, 1e-12, 1e-15);
	free(cause);
	free(rx);
	free(cx);
	free(rs);
	free(cs);
}

static void
compare_perf(struct window *w, const struct oracle *o)
{
	struct perf_classification	 pc;
	struct window_perf		 wp;
	double				*p = xcalloc(o->n + 1, sizeof *p);
	double				*y = xcalloc(o->n + 1, sizeof *y);
	size_t				 i;

	for (i = 0; i < o->n; i++) {
		p[i] = o->rows[i].pred.x;
		y[i] = o->rows[i].label;
	}
	CHECK(perf_classification(p, y, o->n, 0.5, &pc, NULL) == 0);
	window_perf(w, &wp);
	CHECK_INT(wp.labels, pc.labelled);
	CHECK_INT(wp.positives, pc.positives);
	CHECK_NEAR(wp.accuracy, pc.accuracy, 1e-15, 0);
	CHECK_NEAR(wp.precision, pc.precision, 1e-15, 0);
	CHECK_NEAR(wp.recall, pc.recall, 1e-15, 0);
	CHECK_NEAR(wp.f1, pc.f1, 1e-15, 0);
	CHECK_NEAR(wp.estimated_accuracy, pc.estimated_accuracy, 1e-13, 1e-15);
	free(p);
	free(y);
}

static void
compare_fairness(struct window *w, const struct oracle *o)
{
	struct stats_thresholds	 t = stats_thresholds_default();
	struct fairness		 wf, bf;
	double			*p = xcalloc(o->n + 1, sizeof *p);
	double			*y = xcalloc(o->n + 1, sizeof *y);
	int			*seg = xcalloc(o->n + 1, sizeof *seg);
	size_t			 i, j;

	window_fairness(w, &t, &wf);
	for (i = 0; i < o->n; i++) {
		p[i] = o->rows[i].pred.x;
		y[i] = o->rows[i].label;
		seg[i] = -1;
		for (j = 0; j < wf.nsegments && o->rows[i].v[2].s != NULL; j++)
			if (strcmp(window_category(w, 2, j),
			    o->rows[i].v[2].s) == 0)
				seg[i] = (int)j;
		CHECK(o->rows[i].v[2].s == NULL || seg[i] >= 0);
	}
	fairness_compute(seg, wf.nsegments, p, y, o->n, 0.5, &t, &bf);
	for (j = 0; j < wf.nsegments; j++) {
		CHECK_INT(wf.segments[j].rows, bf.segments[j].rows);
		CHECK_INT(wf.segments[j].selected, bf.segments[j].selected);
		CHECK_INT(wf.segments[j].positives, bf.segments[j].positives);
		CHECK_INT(wf.segments[j].true_positives,
		    bf.segments[j].true_positives);
		CHECK_NEAR(wf.segments[j].selection_rate,
		    bf.segments[j].selection_rate, 1e-15, 0);
	}
	CHECK_NEAR(wf.demographic_parity_difference,
	    bf.demographic_parity_difference, 1e-15, 1e-15);
	CHECK_NEAR(wf.disparate_impact, bf.disparate_impact, 1e-15, 0);
	CHECK_NEAR(wf.equal_opportunity_difference,
	    bf.equal_opportunity_difference, 1e-15, 1e-15);
	fairness_free(&wf);
	fairness_free(&bf);
	free(p);
	free(y);
	free(seg);
}

static void
compare_all(struct window *w, const struct trow *ref, size_t nref,
    const struct oracle *o)
{
	size_t	col;

	CHECK_INT(window_rows(w), o->n);
	for (col = 0; col <= NF; col++)
		compare_column(w, col, ref, nref, o);
	compare_perf(w, o);
	compare_fairness(w, o);
}

/* ---- tests -------------------------------------------------------------- */

/* Feed a batch through both the window and the oracle. */
static void
feed(struct window *w, struct oracle *o, struct trow *batch, size_t n)
{
	struct window_row	*rr = xcalloc(n + 1, sizeof *rr);
	size_t			 i, added, before = o->n;
	char			*cause = NULL;

	for (i = 0; i < n; i++) {
		rr[i] = as_row(&batch[i]);
		oracle_append(o, &batch[i]);
	}
	CHECK(window_append(w, rr, n, &added, &cause) == 0);
	CHECK(added <= n);
	CHECK(o->n <= before + added);
	free(cause);
	free(rr);
}

/* Late labels for ids chosen among the recent past; unknown ids too. */
static void
late_labels(struct window *w, struct oracle *o, size_t seq)
{
	char		 id[24];
	struct trow	*t;
	size_t		 i, back;
	double		 y;
	int		 rc;

	for (i = 0; i < 60; i++) {
		back = (size_t)(rng() % 3000);
		snprintf(id, sizeof id, "r-%zu", seq > back ? seq - back : 0);
		if (i % 20 == 0)
			snprintf(id, sizeof id, "never-%zu", i);
		y = (double)(rng() & 1);
		t = oracle_find(o, id);
		rc = window_label(w, id, y, NULL);
		if (t == NULL) {
			CHECK_INT(rc, 0);
			continue;
		}
		CHECK_INT(rc, t->label == y ? 0 : 1);
		t->label = y;
	}
}

static void
test_window_matches_batch(void)
{
	struct trow	 ref[1500], batch[400];
	struct oracle	 o = { .max_rows = 1200, .max_age = 5000 };
	struct window	*w = make_window(ref, 1500, 1200, 5000);
	size_t		 seq = 0, round, n, i;
	int64_t		 now = 0;

	for (round = 0; round < 40 && w != NULL; round++) {
		n = 1 + (size_t)(rng() % 400);
		for (i = 0; i < n; i++) {
			now += (int64_t)(rng() % 9);
			make_row(&batch[i], seq++, now, round > 10 ? 0.3 : 0,
			    round > 20 ? 30 : 10);
		}
		/* A few duplicates of rows already sent. */
		if (n > 4 && seq > 50)
			snprintf(batch[n - 1].id, sizeof batch[n - 1].id,
			    "r-%zu", seq - 40);
		feed(w, &o, batch, n);
		late_labels(w, &o, seq);
		if (round % 3 == 0) {
			oracle_age(&o, now);
			window_evict_age(w, now);
		}
		compare_all(w, ref, 1500, &o);
	}
	CHECK(o.n > 0);
	window_free(w);
	free(o.rows);
}

static void
test_window_evicts_by_age_exactly(void)
{
	struct trow	 ref[200], batch[100];
	struct oracle	 o = { .max_rows = 1000, .max_age = 1000 };
	struct window	*w = make_window(ref, 200, 1000, 1000);
	size_t		 i;

	for (i = 0; i < 100; i++)
		make_row(&batch[i], i, (int64_t)i * 100, 0, 10);
	feed(w, &o, batch, 100);
	CHECK_INT(window_evict_age(w, 999), 0);
	CHECK_INT(window_evict_age(w, 9900), 89);	/* ts < 8900 */
	CHECK_INT(window_evict_age(w, 9900), 0);
	CHECK_INT(window_evict_age(w, 9901), 1);	/* ts 8900 < 8901 */
	oracle_age(&o, 9901);
	CHECK_INT(window_rows(w), 10);
	compare_all(w, ref, 200, &o);
	CHECK_INT(window_evict_age(w, 1000000), 10);
	CHECK_INT(window_rows(w), 0);
	oracle_age(&o, 1000000);
	compare_all(w, ref, 200, &o);
	window_free(w);
	free(o.rows);
}

static void
test_window_evicts_by_count(void)
{
	struct trow	 ref[300], batch[250];
	struct oracle	 o = { .max_rows = 100, .max_age = INT64_MAX / 4 };
	struct window	*w = make_window(ref, 300, 100, INT64_MAX / 4);
	size_t		 i;

	for (i = 0; i < 250; i++)
		make_row(&batch[i], i, (int64_t)i, 0.1, 10);
	feed(w, &o, batch, 250);
	CHECK_INT(window_rows(w), 100);
	/* The oldest went: r-149 is gone, r-150 stays and takes a label. */
	CHECK_INT(window_label(w, "r-149", 1, NULL), 0);
	CHECK_INT(window_label(w, "r-150", batch[150].label == 1 ? 0 : 1,
	    NULL), 1);
	oracle_find(&o, "r-150")->label = batch[150].label == 1 ? 0 : 1;
	compare_all(w, ref, 300, &o);
	window_free(w);
	free(o.rows);
}

static void
test_window_labels(void)
{
	struct trow		 ref[200], row;
	struct window		*w = make_window(ref, 200, 10, 0);
	struct window_row	 r;
	struct window_perf	 wp;
	char			*cause = NULL;

	make_row(&row, 1, 0, 0, 10);
	row.label = NAN;
	row.pred.x = 0.9;
	r = as_row(&row);
	CHECK(window_append(w, &r, 1, NULL, NULL) == 0);
	window_perf(w, &wp);
	CHECK_INT(wp.labels, 0);
	CHECK(isnan(wp.accuracy));
	CHECK_INT(window_label(w, "r-1", 1, NULL), 1);
	window_perf(w, &wp);
	CHECK_INT(wp.tp, 1);
	CHECK_INT(window_label(w, "r-1", 1, NULL), 0);	/* unchanged */
	CHECK_INT(window_label(w, "r-1", 0, NULL), 1);	/* corrected */
	window_perf(w, &wp);
	CHECK_INT(wp.tp, 0);
	CHECK_INT(wp.fp, 1);
	CHECK_INT(wp.labels, 1);
	CHECK_INT(window_label(w, "r-2", 1, NULL), 0);	/* unknown */
	CHECK_INT(window_label(w, "r-1", 2, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "not 0 or 1") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(window_label(w, "r-1", NAN, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "missing") != NULL);
	free(cause);
	window_evict_age(w, INT64_MAX / 2);
	CHECK_INT(window_label(w, "r-1", 1, NULL), 0);	/* evicted */
	window_perf(w, &wp);
	CHECK_INT(wp.labels, 0);
	CHECK_INT(wp.fp, 0);
	window_free(w);
}

static void
check_bad_config(struct window_config c, const char *want)
{
	char	*cause = NULL;

	CHECK(window_new(&c, NULL, 0, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, want) != NULL);
	free(cause);
}

static void
test_window_bad_config(void)
{
	struct window_config	c = config(0, 0);

	c.segment = 0;
	check_bad_config(c, "not categorical");
	c.segment = 9;
	check_bad_config(c, "out of range");
	c = config(WINDOW_MAX_ROWS + 1, 0);
	check_bad_config(c, "over the limit");
	c = config(0, -5);
	check_bad_config(c, "negative");
	c = config(0, 0);
	c.threshold = NAN;
	check_bad_config(c, "threshold");
	c = config(0, 0);
	c.names = NULL;
	check_bad_config(c, "names");
}

static void
test_window_bad_rows(void)
{
	struct trow		 ref[150], rows[3];
	struct window_config	 c = config(0, 0);
	struct window_row	 rr[3];
	struct window		*w;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < 150; i++)
		make_row(&ref[i], i, 0, 0, 10);
	ref[7].v[0].x = INFINITY;
	{
		struct window_row	all[150];

		for (i = 0; i < 150; i++)
			all[i] = as_row(&ref[i]);
		CHECK(window_new(&c, all, 150, &cause) == NULL);
		CHECK(cause != NULL && strstr(cause, "reference row 8") &&
		    strstr(cause, "income is infinite"));
		free(cause);
		cause = NULL;
	}
	w = make_window(ref, 150, 0, 0);
	for (i = 0; i < 3; i++) {
		make_row(&rows[i], i, 0, 0, 10);
		rr[i] = as_row(&rows[i]);
	}
	rr[2].id = NULL;
	CHECK(window_append(w, rr, 3, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "row 3 has no id"));
	free(cause);
	cause = NULL;
	rr[2] = as_row(&rows[2]);
	rr[1].prediction.x = -INFINITY;
	CHECK(window_append(w, rr, 3, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "prediction is infinite"));
	free(cause);
	cause = NULL;
	rr[1].prediction.x = 0.5;
	rr[1].label = 0.5;
	CHECK(window_append(w, rr, 3, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "row 2: label 0.5"));
	free(cause);
	CHECK_INT(window_rows(w), 0);		/* all or nothing */
	window_free(w);
}

static void
test_window_exact_checks(void)
{
	struct trow	 ref[150], rows[120];
	struct oracle	 o = { .max_rows = 500, .max_age = 1000 };
	struct window	*w = make_window(ref, 150, 500, 1000);
	struct stats_feature f;
	double		 rx[150], cx[120];
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < 120; i++)
		make_row(&rows[i], i, 0, 0, 10);
	feed(w, &o, rows, 120);
	for (i = 0; i < 150; i++)
		rx[i] = ref[i].v[0].x;
	for (i = 0; i < 120; i++)
		cx[i] = rows[i].v[0].x;
	CHECK(window_exact(w, 2, rx, 150, cx, 120, STATS_KS, &f, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "region is not numeric"));
	free(cause);
	cause = NULL;
	CHECK(window_exact(w, 0, rx, 149, cx, 120, STATS_KS, &f, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "reference given has 149"));
	free(cause);
	cause = NULL;
	cx[3] = isnan(cx[3]) ? 1.0 : NAN;
	CHECK(window_exact(w, 0, rx, 150, cx, 120, STATS_KS, &f, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "current rows given"));
	free(cause);
	window_free(w);
	free(o.rows);
}

/* Categories beyond 15, 255 and 65535 widen the codes; counts survive. */
static void
test_window_widens_codes(void)
{
	struct trow	 ref[200], *rows;
	struct oracle	 o = { .max_rows = 80000, .max_age = 1000, .unique = 1 };
	struct window	*w = make_window(ref, 200, 80000, 1000);
	char		(*ids)[8];
	size_t		 i, n = 80000;

	rows = xcalloc(n, sizeof *rows);
	ids = xcalloc(n, sizeof *ids);
	for (i = 0; i < n; i++) {
		make_row(&rows[i], i, 0, 0, 10);
		snprintf(ids[i], sizeof ids[i], "k%zu", i);
		rows[i].v[3].s = i % 7 == 3 ? NULL : ids[i];
	}
	/* In steps, so the window is compared before and after each width. */
	feed(w, &o, rows, 10);
	compare_all(w, ref, 200, &o);
	feed(w, &o, rows + 10, 290);
	compare_all(w, ref, 200, &o);
	feed(w, &o, rows + 300, n - 300);
	compare_column(w, 3, ref, 200, &o);
	CHECK_INT(window_rows(w), n);
	window_free(w);
	free(rows);
	free(ids);
	free(o.rows);
}

/* Scores far outside [0, 1] take the non-fixed-point path. */
static void
test_window_big_scores(void)
{
	struct trow	 ref[150], rows[300];
	struct oracle	 o = { .max_rows = 200, .max_age = 1000 };
	struct window	*w = make_window(ref, 150, 200, 1000);
	size_t		 i;

	for (i = 0; i < 300; i++) {
		make_row(&rows[i], i, (int64_t)i, 0, 10);
		if (i % 5 == 0)
			rows[i].pred.x = (i % 2 ? 1 : -1) * 1e6 * unif();
	}
	feed(w, &o, rows, 150);
	compare_perf(w, &o);
	feed(w, &o, rows + 150, 150);
	compare_perf(w, &o);
	window_evict_age(w, 1299);
	oracle_age(&o, 1299);
	compare_perf(w, &o);
	window_free(w);
	free(o.rows);
}

/*
 * One call bigger than the ring and than a chunk, with ids repeated in
 * it: one still in the window when it comes again (skipped), one evicted
 * by then (appended again), as rows one at a time would do.
 */
static void
test_window_big_call(void)
{
	struct trow	 ref[300], *rows;
	struct oracle	 o = { .max_rows = 700, .max_age = INT64_MAX / 4 };
	struct window	*w = make_window(ref, 300, 700, INT64_MAX / 4);
	size_t		 i, n = 2600;

	rows = xcalloc(n, sizeof *rows);
	for (i = 0; i < n; i++)
		make_row(&rows[i], i, (int64_t)i, i > 1000 ? 0.3 : 0, 30);
	memcpy(&rows[2599], &rows[2550], sizeof *rows);
	memcpy(&rows[2598], &rows[10], sizeof *rows);
	memcpy(&rows[1500], &rows[1499], sizeof *rows);
	feed(w, &o, rows, 150);
	compare_all(w, ref, 300, &o);
	feed(w, &o, rows + 150, n - 150);
	CHECK(oracle_find(&o, "r-10") != NULL);
	compare_all(w, ref, 300, &o);
	/* Age eviction across the ring's end, then refill past it. */
	oracle_age(&o, 2400);
	window_evict_age(w, 2400);
	compare_all(w, ref, 300, &o);
	feed(w, &o, rows, 500);
	compare_all(w, ref, 300, &o);
	window_free(w);
	free(rows);
	free(o.rows);
}

/* A one-row window: every call evicts, chunks are one row long. */
static void
test_window_one_row(void)
{
	struct trow	 ref[150], rows[5];
	struct oracle	 o = { .max_rows = 1, .max_age = 1000 };
	struct window	*w = make_window(ref, 150, 1, 1000);
	size_t		 i;

	for (i = 0; i < 5; i++)
		make_row(&rows[i], i, (int64_t)i, 0, 10);
	feed(w, &o, rows, 3);
	CHECK_INT(window_rows(w), 1);
	compare_all(w, ref, 150, &o);
	feed(w, &o, rows + 2, 3);
	compare_all(w, ref, 150, &o);
	CHECK_INT(window_label(w, "r-4", 1, NULL), rows[4].label == 1 ? 0 : 1);
	CHECK_INT(window_label(w, "r-3", 1, NULL), 0);
	window_free(w);
	free(o.rows);
}

/* The current count of category name in column col (0 if unknown). */
static long
cat_count(struct window *w, size_t col, const char *name)
{
	struct window_counts	wc;
	size_t			i;

	window_counts(w, col, &wc);
	for (i = 0; i < wc.k; i++)
		if (strcmp(window_category(w, col, i), name) == 0)
			return wc.cur[i];
	return 0;
}

/*
 * Category strings are remembered by address only within one call: a
 * buffer the caller rewrites between calls, and many addresses holding
 * the same few names in one call, count by content.
 */
static void
test_window_category_pointers(void)
{
	struct trow		 ref[150], rows[300];
	struct window_row	 rr[300];
	struct window		*w = make_window(ref, 150, 1000, 0);
	char			 buf[16], many[300][8];
	size_t			 i;

	for (i = 0; i < 300; i++) {
		make_row(&rows[i], i, 0, 0, 10);
		rows[i].v[3].s = buf;
		rr[i] = as_row(&rows[i]);
	}
	snprintf(buf, sizeof buf, "alpha");
	CHECK(window_append(w, rr, 10, NULL, NULL) == 0);
	snprintf(buf, sizeof buf, "beta");
	CHECK(window_append(w, rr + 10, 20, NULL, NULL) == 0);
	CHECK_INT(cat_count(w, 3, "alpha"), 10);
	CHECK_INT(cat_count(w, 3, "beta"), 20);
	for (i = 30; i < 300; i++) {
		snprintf(many[i], sizeof many[i], "k%zu", i % 7);
		rows[i].v[3].s = many[i];
		rr[i] = as_row(&rows[i]);
	}
	CHECK(window_append(w, rr + 30, 270, NULL, NULL) == 0);
	for (i = 0; i < 7; i++) {
		snprintf(buf, sizeof buf, "k%zu", i);
		CHECK_INT(cat_count(w, 3, buf), (300 - i + 6) / 7 -
		    (30 - i + 6) / 7);
	}
	CHECK_INT(window_rows(w), 300);
	window_free(w);
}

/* window_labels: the same as window_label one at a time, or nothing. */
static void
test_window_labels_batch(void)
{
	struct trow	 ref[200], rows[400];
	struct oracle	 o = { .max_rows = 300, .max_age = 100000 };
	struct window	*w = make_window(ref, 200, 300, 100000);
	struct window_perf before, after;
	const char	*ids[80];
	char		 id[80][24], *cause = NULL;
	double		 y[80];
	struct trow	*t;
	size_t		 i, applied, want = 0;

	for (i = 0; i < 400; i++)
		make_row(&rows[i], i, (int64_t)i, 0, 10);
	feed(w, &o, rows, 400);
	for (i = 0; i < 80; i++) {
		/* r-0..r-99 were evicted; r-390.. come twice. */
		snprintf(id[i], sizeof id[i], "r-%zu", i < 70 ? i * 5 : 320 + i);
		if (i >= 75)
			snprintf(id[i], sizeof id[i], "r-%zu", 320 + i - 5);
		ids[i] = id[i];
		y[i] = (double)(rng() & 1);
		if ((t = oracle_find(&o, ids[i])) != NULL) {
			want += t->label != y[i];
			t->label = y[i];
		}
	}
	window_perf(w, &before);
	y[40] = 0.5;
	CHECK_INT(window_labels(w, ids, y, 80, &applied, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "label for r-200") &&
	    strstr(cause, "not 0 or 1"));
	free(cause);
	cause = NULL;
	y[40] = oracle_find(&o, "r-200")->label;
	ids[7] = NULL;
	CHECK_INT(window_labels(w, ids, y, 80, &applied, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "label 8 has no id"));
	free(cause);
	window_perf(w, &after);
	CHECK_INT(after.labels, before.labels);
	CHECK_INT(after.tp, before.tp);
	ids[7] = id[7];
	CHECK_INT(window_labels(w, ids, y, 80, &applied, NULL), 0);
	CHECK_INT(applied, want);
	CHECK_INT(window_labels(w, ids, y, 0, &applied, NULL), 0);
	CHECK_INT(applied, 0);
	compare_all(w, ref, 200, &o);
	window_free(w);
	free(o.rows);
}

static void
test_window_regression(void)
{
	struct window_config	 c = config(0, 0);
	struct trow		 rows[3];
	struct window_row	 rr[3];
	struct window		*w;
	struct window_perf	 wp;
	struct fairness		 f;
	struct stats_thresholds	 t = stats_thresholds_default();
	size_t			 i;

	c.classification = 0;
	c.segment = -1;
	for (i = 0; i < 3; i++) {
		make_row(&rows[i], i, 0, 0, 10);
		rows[i].pred.x = 10.0 * (double)i;
		rows[i].label = i == 0 ? NAN : 3.5;
		rr[i] = as_row(&rows[i]);
	}
	w = window_new(&c, rr, 3, NULL);
	CHECK(window_append(w, rr, 3, NULL, NULL) == 0);
	CHECK_INT(window_label(w, "r-0", 123.25, NULL), 1);
	window_perf(w, &wp);
	CHECK_INT(wp.labels, 3);
	CHECK(isnan(wp.accuracy) && isnan(wp.estimated_accuracy));
	window_fairness(w, &t, &f);
	CHECK_INT(f.nsegments, 0);
	CHECK(isnan(f.disparate_impact));
	fairness_free(&f);
	window_free(w);
}

int
main(void)
{
	RUN(test_window_matches_batch);
	RUN(test_window_evicts_by_age_exactly);
	RUN(test_window_evicts_by_count);
	RUN(test_window_labels);
	RUN(test_window_bad_config);
	RUN(test_window_bad_rows);
	RUN(test_window_exact_checks);
	RUN(test_window_widens_codes);
	RUN(test_window_big_scores);
	RUN(test_window_regression);
	RUN(test_window_big_call);
	RUN(test_window_one_row);
	RUN(test_window_category_pointers);
	RUN(test_window_labels_batch);
	return TEST_REPORT();
}
