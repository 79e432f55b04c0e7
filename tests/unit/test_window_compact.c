/*
 * test_window_compact: the category dictionaries of a rolling window stay
 * bounded over long streams of ever-new categories (window_compact.c), and
 * compacting them changes no figure.  The check is independent of the
 * compaction: after millions of rows, the window must report what a fresh
 * window fed only the rows it still holds reports (that window never
 * compacts), and an explicit window_compact must leave every figure as it
 * was.  With ever-new strings both windows list the live categories in
 * the same order, so the figures must agree to the bit; with recurring
 * strings the order may differ, so sums agree to rounding.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/status.h"
#include "stats/window.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "testdata.h"
#include "testhelp.h"

#define NF	3		/* x numeric, user and seg categorical */
#define NREF	400
#define COL_USER	1
#define COL_SEG		2
#define NREF_USER	5	/* "a".."e" */

static const char *names[NF] = { "x", "user", "seg" };
static const enum stats_kind kinds[NF] = {
	STATS_NUMERIC, STATS_CATEGORICAL, STATS_CATEGORICAL
};
static const char *ref_users[NREF_USER] = { "a", "b", "c", "d", "e" };
static const char *ref_segs[4] = { "s0", "s1", "s2", "s3" };
/* Strings a call passes by one pointer each, 2,000 rows in turn. */
static const char *shared[8] = {
	"sh0", "sh1", "sh2", "sh3", "sh4", "sh5", "sh6", "sh7"
};

/* How a stream picks its categories. */
enum pick {
	PICK_NEW,	/* a new string every row */
	PICK_MIX,	/* half a reference category, half a new string */
	PICK_REF,	/* reference categories only */
	PICK_RECUR,	/* one of a few thousand strings, again and again */
	PICK_CYCLE,	/* k0, k1, ... k<ncycle - 1>, k0, ... */
};

struct trow {
	char			id[24], user[24], seg[24], pred[24];
	int64_t			ts;
	struct window_value	v[NF];
	struct window_value	p;
	double			label;
};

/* A stream of rows; hist keeps the last cap of them (the window's at most). */
struct stream {
	uint64_t	 rng;
	enum pick	 user, seg;
	int		 predcat;	/* categorical prediction, regression */
	size_t		 ncycle;
	size_t		 shared_from;	/* then every 4th user from shared[] */
	struct trow	*hist;
	size_t		 cap, total;
	int64_t		 clock;
};

static const char *
pick(struct stream *s, enum pick how, char *buf, size_t len, const char *pre,
    const char *const *refs, size_t nrefs)
{
	uint64_t	r = td_next(&s->rng);

	if (r % 100 < 3)
		return NULL;
	if (how == PICK_REF || (how == PICK_MIX && (r >> 8) % 2 == 0))
		return refs[(r >> 16) % nrefs];
	if (how == PICK_CYCLE)
		snprintf(buf, len, "k%zu", s->total % s->ncycle);
	else if (how == PICK_RECUR)
		snprintf(buf, len, "%s%llu", pre,
		    (unsigned long long)((r >> 16) % 3000));
	else
		snprintf(buf, len, "%s%zu", pre, s->total);
	return buf;
}

static void
make_row(struct stream *s, struct trow *r)
{
	double	u = td_uniform01(&s->rng);

	snprintf(r->id, sizeof r->id, "r-%zu", s->total);
	r->ts = s->clock++;
	r->v[0].x = u < 0.02 ? NAN : floor(td_normal(&s->rng) * 40) / 4;
	r->v[0].s = NULL;
	r->v[1].x = r->v[2].x = NAN;
	r->v[1].s = pick(s, s->user, r->user, sizeof r->user, "u-", ref_users,
	    NREF_USER);
	r->v[2].s = pick(s, s->seg, r->seg, sizeof r->seg, "g-", ref_segs, 4);
	if (s->shared_from > 0 && s->total >= s->shared_from &&
	    s->total % 4 == 0)
		r->v[1].s = shared[s->total / 2000 % 8];
	r->p.x = u > 0.99 ? NAN : td_uniform01(&s->rng);
	r->p.s = NULL;
	r->label = td_uniform01(&s->rng) < 0.4 ? NAN :
	    (double)(td_uniform01(&s->rng) < r->p.x * 0.9);
	if (s->predcat) {
		snprintf(r->pred, sizeof r->pred, "p-%zu", s->total);
		r->p.x = NAN;
		r->p.s = u < 0.05 ? NULL : u < 0.5 ? "yes" : r->pred;
		r->label = isnan(r->label) ? NAN : u * 10;
	}
	s->total++;
}

static struct window_row
as_row(const struct trow *t)
{
	struct window_row	r = { t->id, t->ts, t->v, t->p, t->label };

	return r;
}

static struct window_config
config(size_t cap, int64_t age, int predcat)
{
	struct window_config	c = {
		.nfeatures = NF, .names = names, .kinds = kinds,
		.prediction_kind = predcat ? STATS_CATEGORICAL : STATS_NUMERIC,
		.classification = !predcat, .threshold = 0.5,
		.segment = predcat ? -1 : COL_SEG, .max_rows = cap,
		.max_age_ms = age,
	};

	return c;
}

/* The reference: the stream's numbers, reference categories only. */
static struct window *
make_window(const struct window_config *c)
{
	struct stream		 s = { .rng = td_seed(7), .user = PICK_REF,
				    .seg = PICK_REF, .predcat = c->classification == 0 };
	struct trow		*t = xcalloc(NREF, sizeof *t);
	struct window_row	 rr[NREF];
	struct window		*w;
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < NREF; i++) {
		make_row(&s, &t[i]);
		rr[i] = as_row(&t[i]);
		rr[i].id = NULL;
	}
	w = window_new(c, rr, NREF, &cause);
	CHECK(w != NULL);
	free(cause);
	free(t);
	return w;
}

static struct stream *
stream_new(size_t cap, enum pick user, enum pick seg, uint64_t seed)
{
	struct stream	*s = xcalloc(1, sizeof *s);

	s->rng = td_seed(seed);
	s->user = user;
	s->seg = seg;
	s->cap = cap;
	s->hist = xcalloc(cap, sizeof *s->hist);
	return s;
}

static void
stream_free(struct stream *s)
{
	free(s->hist);
	free(s);
}

/* Make and append n (<= cap) rows. */
static void
feed(struct window *w, struct stream *s, size_t n)
{
	struct window_row	*rows = xcalloc(n, sizeof *rows);
	struct trow		*t;
	char			*cause = NULL;
	size_t			 i, added = 0;

	for (i = 0; i < n; i++) {
		t = &s->hist[s->total % s->cap];
		make_row(s, t);
		rows[i] = as_row(t);
	}
	CHECK(window_append(w, rows, n, &added, &cause) == 0);
	CHECK_INT(added, n);
	free(cause);
	free(rows);
}

/* A fresh window of the same config fed the last n rows of s. */
static struct window *
fresh_of(const struct window *w, const struct stream *s, size_t n)
{
	struct window		*f = make_window(window_config(w));
	struct window_row	*rows = xcalloc(n ? n : 1, sizeof *rows);
	char			*cause = NULL;
	size_t			 i;

	for (i = 0; i < n; i++)
		rows[i] = as_row(&s->hist[(s->total - n + i) % s->cap]);
	CHECK(window_append(f, rows, n, NULL, &cause) == 0);
	free(cause);
	free(rows);
	return f;
}

/* ---- comparing two windows ---------------------------------------------- */

#define SAME(a, b) CHECK((isnan(a) && isnan(b)) || (a) == (b))

static void
same_double(double a, double b, int exact)
{
	if (exact)
		SAME(a, b);
	else
		CHECK_NEAR(a, b, 1e-12, 1e-15);
}

/* A category (or segment) seen on either side: its name and figures. */
struct entry {
	const char	*name;
	long		 v[4];
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

static void
compare_entries(struct entry *ea, size_t na, struct entry *eb, size_t nb,
    int sorted)
{
	size_t	i, j;

	if (sorted) {
		qsort(ea, na, sizeof *ea, entry_cmp);
		qsort(eb, nb, sizeof *eb, entry_cmp);
	}
	CHECK_INT(na, nb);
	for (i = 0; i < na && i < nb; i++) {
		CHECK_STR(ea[i].name, eb[i].name);
		for (j = 0; j < 4; j++)
			CHECK_INT(ea[i].v[j], eb[i].v[j]);
	}
	free(ea);
	free(eb);
}

/* The categories of col counted on either side, in id order. */
static struct entry *
categories(const struct window *w, size_t col, size_t *n)
{
	struct window_counts	 wc;
	struct entry		*e;
	size_t			 i, k = 0;

	window_counts(w, col, &wc);
	e = xcalloc(wc.k + 1, sizeof *e);
	for (i = 0; i < wc.k; i++) {
		if (wc.ref[i] == 0 && wc.cur[i] == 0)
			continue;
		e[k].name = window_category(w, col, i);
		e[k].v[0] = wc.ref[i];
		e[k++].v[1] = wc.cur[i];
	}
	*n = k;
	return e;
}

/* The segments with rows, in id order. */
static struct entry *
segments(const struct window *w, const struct fairness *f, size_t *n)
{
	const struct fairness_segment	*g;
	struct entry			*e = xcalloc(f->nsegments + 1, sizeof *e);
	size_t				 i, k = 0;

	for (i = 0; i < f->nsegments; i++) {
		g = &f->segments[i];
		if (g->rows == 0)
			continue;
		e[k].name = window_category(w, COL_SEG, i);
		e[k].v[0] = (long)g->rows;
		e[k].v[1] = (long)g->selected;
		e[k].v[2] = (long)g->positives;
		e[k++].v[3] = (long)g->true_positives;
	}
	*n = k;
	return e;
}

static void
compare_feature(const struct window *a, const struct window *b, size_t col,
    int exact)
{
	struct stats_feature	 fa, fb;
	struct entry		*ea, *eb;
	size_t			 na, nb;

	window_feature(a, col, &fa);
	window_feature(b, col, &fb);
	CHECK_INT(fa.kind, fb.kind);
	CHECK_INT(fa.rows_ref, fb.rows_ref);
	CHECK_INT(fa.rows_cur, fb.rows_cur);
	CHECK_INT(fa.missing_ref, fb.missing_ref);
	CHECK_INT(fa.missing_cur, fb.missing_cur);
	same_double(fa.psi, fb.psi, exact);
	same_double(fa.js, fb.js, exact);
	same_double(fa.chi2_statistic, fb.chi2_statistic, exact);
	same_double(fa.chi2_pvalue, fb.chi2_pvalue, exact);
	if (fa.kind != STATS_CATEGORICAL)
		return;
	ea = categories(a, col, &na);
	eb = categories(b, col, &nb);
	compare_entries(ea, na, eb, nb, !exact);
}

static void
compare_perf(const struct window *a, const struct window *b)
{
	struct window_perf	pa, pb;

	window_perf(a, &pa);
	window_perf(b, &pb);
	CHECK_INT(pa.labels, pb.labels);
	CHECK_INT(pa.tp, pb.tp);
	CHECK_INT(pa.fp, pb.fp);
	CHECK_INT(pa.tn, pb.tn);
	CHECK_INT(pa.fn, pb.fn);
	CHECK_INT(pa.scored, pb.scored);
	SAME(pa.accuracy, pb.accuracy);
	SAME(pa.f1, pb.f1);
	SAME(pa.estimated_accuracy, pb.estimated_accuracy);
}

static struct stats_thresholds
thresholds(void)
{
	struct stats_thresholds	t = stats_thresholds_default();

	/* Small segments qualify, so the spreads have figures to compare. */
	t.fairness_min_rows = 2;
	t.fairness_min_positives = 1;
	return t;
}

static void
compare_fairness(const struct window *a, const struct window *b, int sorted)
{
	struct stats_thresholds	 t = thresholds();
	struct fairness		 fa, fb;
	struct entry		*ea, *eb;
	size_t			 na, nb;

	window_fairness(a, &t, &fa);
	window_fairness(b, &t, &fb);
	SAME(fa.demographic_parity_difference, fb.demographic_parity_difference);
	SAME(fa.disparate_impact, fb.disparate_impact);
	SAME(fa.equal_opportunity_difference, fb.equal_opportunity_difference);
	ea = segments(a, &fa, &na);
	eb = segments(b, &fb, &nb);
	compare_entries(ea, na, eb, nb, sorted);
	fairness_free(&fa);
	fairness_free(&fb);
}

static void
compare_status(const struct window *a, const struct window *b)
{
	struct stats_thresholds	t = thresholds();
	struct status		sa, sb;
	size_t			i;

	CHECK(status_compute(a, &t, 0.6, NULL, &sa, NULL) == 0);
	CHECK(status_compute(b, &t, 0.6, NULL, &sb, NULL) == 0);
	CHECK_INT(sa.drift, sb.drift);
	CHECK_INT(sa.overall, sb.overall);
	CHECK_INT(sa.accuracy_status, sb.accuracy_status);
	CHECK_INT(sa.fairness_status, sb.fairness_status);
	CHECK_INT(sa.prediction.status, sb.prediction.status);
	for (i = 0; i < NF; i++)
		CHECK_INT(sa.features[i].status, sb.features[i].status);
	status_free(&sa);
	status_free(&sb);
}

/*
 * Every figure of a equals b's: to the bit and with the live categories in
 * the same order when exact, else to rounding (categories by name).
 */
static void
compare(const struct window *a, const struct window *b, int exact)
{
	size_t	col;

	CHECK_INT(window_rows(a), window_rows(b));
	for (col = 0; col <= NF; col++)
		compare_feature(a, b, col, exact);
	compare_perf(a, b);
	if (window_config(a)->segment >= 0)
		compare_fairness(a, b, !exact);
	compare_status(a, b);
}

/* The status JSON of a equals b's byte for byte (every segment listed). */
static void
compare_json(const struct window *a, const struct window *b)
{
	struct stats_thresholds	t = thresholds();
	struct status		sa, sb;
	struct strbuf		ba = { 0 }, bb = { 0 };

	CHECK(status_compute(a, &t, 0.6, NULL, &sa, NULL) == 0);
	CHECK(status_compute(b, &t, 0.6, NULL, &sb, NULL) == 0);
	status_json(&sa, &ba);
	status_json(&sb, &bb);
	CHECK_STR(strbuf_str(&ba), strbuf_str(&bb));
	strbuf_free(&ba);
	strbuf_free(&bb);
	status_free(&sa);
	status_free(&sb);
}

/* Against a fresh window of the last window_rows(w) rows of s. */
static void
check_fresh(struct window *w, const struct stream *s, int exact)
{
	struct window	*f = fresh_of(w, s, window_rows(w));

	compare(w, f, exact);
	window_free(f);
}

/*
 * Compacted, w lists exactly the fresh window's categories: its status
 * JSON, which lists every segment in the dictionary, is the same text.
 */
static void
check_fresh_json(struct window *w, const struct stream *s)
{
	struct window	*f = fresh_of(w, s, window_rows(w));
	size_t		 col;

	window_compact(w);
	for (col = 0; col <= NF; col++)
		CHECK_INT(window_dict_size(w, col), window_dict_size(f, col));
	compare(w, f, 1);
	compare_json(w, f);
	window_free(f);
}

/*
 * The bound window_compact.c keeps after every call: twice the
 * reference's and the window's categories, plus its floor.
 */
static void
check_bounded(const struct window *w, size_t col, size_t nref_cats)
{
	size_t	cap = window_config(w)->max_rows;
	size_t	bound = 2 * (nref_cats + window_rows(w)) + 256 + cap / 16;

	CHECK(window_dict_size(w, col) <= bound);
}

/* ---- tests -------------------------------------------------------------- */

/* Rows of s a window of max_rows rows keeps after evicting before cutoff. */
static size_t
survivors(const struct stream *s, size_t max_rows, int64_t cutoff)
{
	size_t	n = 0, top = s->total < max_rows ? s->total : max_rows;

	while (n < top && s->hist[(s->total - 1 - n) % s->cap].ts >= cutoff)
		n++;
	return n;
}

/* Late labels for k random rows of the window (kept in s's rows too). */
static void
late_labels(struct window *w, struct stream *s, size_t k)
{
	const char	*ids[64];
	double		 labels[64];
	struct trow	*t;
	char		*cause = NULL;
	size_t		 i, n = window_rows(w);

	for (i = 0; i < k && n > 0; i++) {
		t = &s->hist[(s->total - 1 - td_next(&s->rng) % n) % s->cap];
		labels[i] = t->label = (double)(td_next(&s->rng) % 2);
		ids[i] = t->id;
	}
	CHECK(window_labels(w, ids, labels, i, NULL, &cause) == 0);
	free(cause);
}

/* (1) A new user string every row: 2,000,000 rows through 1,000. */
static void
test_compact_new_every_row(void)
{
	struct window_config	 c = config(1000, 0, 0);
	struct window		*w = make_window(&c);
	struct stream		*s = stream_new(1000, PICK_NEW, PICK_REF, 1);
	size_t			 i, top = 0;

	for (i = 0; i < 2000; i++) {
		feed(w, s, 1000);
		check_bounded(w, COL_USER, NREF_USER);
		if (window_dict_size(w, COL_USER) > top)
			top = window_dict_size(w, COL_USER);
		if (i % 400 == 399)
			check_fresh(w, s, 1);
	}
	CHECK_INT(s->total, 2000000);
	CHECK(top < 4 * 1000);
	check_fresh(w, s, 1);
	check_fresh_json(w, s);
	window_free(w);
	stream_free(s);
}

/* (2) Ever-new segments and users, evicted by age and count, late labels. */
static void
test_compact_segments_and_age(void)
{
	struct window_config	 c = config(1000, 700, 0);
	struct window		*w = make_window(&c);
	struct stream		*s = stream_new(1000, PICK_NEW, PICK_MIX, 2);
	size_t			 i, emptied = 0;

	for (i = 0; i < 600; i++) {
		feed(w, s, 1 + td_next(&s->rng) % 1000);
		if (td_next(&s->rng) % 10 == 0)
			s->clock += 2000;	/* a gap: the window empties */
		window_evict_age(w, s->clock);
		if (td_next(&s->rng) % 5 == 0)
			late_labels(w, s, 40);
		CHECK_INT(window_rows(w), survivors(s, 1000, s->clock - 700));
		emptied += window_rows(w) == 0;
		check_bounded(w, COL_USER, NREF_USER);
		check_bounded(w, COL_SEG, 4);
		if (i % 40 == 39 || window_rows(w) == 0)
			check_fresh(w, s, 1);
	}
	CHECK(emptied > 10);
	check_fresh_json(w, s);
	window_free(w);
	stream_free(s);
}

/* (3) The reference's categories keep their ids through compactions. */
static void
test_compact_reference_meaning(void)
{
	struct window_config	 c = config(1000, 0, 0);
	struct window		*w = make_window(&c), *r0 = make_window(&c);
	struct stream		*s = stream_new(1000, PICK_MIX, PICK_REF, 3);
	struct window_counts	 wc, rc;
	size_t			 i, id, last = 0, drops = 0;

	for (i = 0; i < 200; i++) {
		feed(w, s, 1000);
		drops += window_dict_size(w, COL_USER) < last;
		last = window_dict_size(w, COL_USER);
		window_counts(w, COL_USER, &wc);
		window_counts(r0, COL_USER, &rc);
		for (id = 0; id < NREF_USER; id++) {
			CHECK_STR(window_category(w, COL_USER, id),
			    window_category(r0, COL_USER, id));
			CHECK_INT(wc.ref[id], rc.ref[id]);
		}
		if (i % 20 == 19)
			check_fresh(w, s, 1);
	}
	CHECK(drops >= 20);
	CHECK_INT(window_dict_size(r0, COL_USER), NREF_USER);
	check_fresh_json(w, s);
	window_free(w);
	window_free(r0);
	stream_free(s);
}

/*
 * Compacting changes no figure: two windows fed the same recurring
 * categories, one compacted at each checkpoint, agree to the bit, with
 * the live categories in the same order; then both are compacted, so they
 * go on from the same state.
 */
static void
test_compact_changes_nothing(void)
{
	struct window_config	 c = config(1000, 0, 0);
	struct window		*w1 = make_window(&c), *w2 = make_window(&c);
	struct stream		*s1 = stream_new(1000, PICK_RECUR, PICK_RECUR, 4);
	struct stream		*s2 = stream_new(1000, PICK_RECUR, PICK_RECUR, 4);
	size_t			 i, col, shrunk = 0;

	for (i = 0; i < 150; i++) {
		feed(w1, s1, 700);
		feed(w2, s2, 700);
		if (i % 10 != 9)
			continue;
		window_compact(w2);
		shrunk += window_dict_size(w2, COL_USER) <
		    window_dict_size(w1, COL_USER);
		compare(w1, w2, 1);
		window_compact(w1);
		for (col = 0; col <= NF; col++)
			CHECK_INT(window_dict_size(w1, col),
			    window_dict_size(w2, col));
		compare_json(w1, w2);
		check_fresh(w1, s1, 0);
	}
	CHECK(shrunk >= 10);
	window_free(w1);
	window_free(w2);
	stream_free(s1);
	stream_free(s2);
}

/*
 * Compactions between the chunks of one big call: a string pointer the
 * call repeats (looked up once per call, window_int.h) gets its new id.
 * The shared strings come back after being dropped, with new ids that the
 * next compaction changes again.
 */
static void
test_compact_within_call(void)
{
	struct window_config	 c = config(1000, 0, 0);
	struct window		*w = make_window(&c);
	struct stream		*s = stream_new(40000, PICK_NEW, PICK_MIX, 8);
	size_t			 i;

	/* They recur: the live categories' order may differ, not sums. */
	s->shared_from = 1500;
	feed(w, s, 40000);
	check_bounded(w, COL_USER, NREF_USER);
	check_fresh(w, s, 0);
	for (i = 0; i < 4; i++) {
		feed(w, s, 3000);
		check_fresh(w, s, 0);
	}
	window_compact(w);
	check_fresh(w, s, 0);
	window_free(w);
	stream_free(s);
}

/* Codes narrow when a compaction leaves few categories and widen again. */
static void
test_compact_narrows_and_widens(void)
{
	struct window_config	 c = config(2000, 0, 0);
	struct window		*w = make_window(&c);
	struct stream		*s = stream_new(2000, PICK_NEW, PICK_MIX, 5);
	size_t			 i;

	for (i = 0; i < 6; i++)
		feed(w, s, 1000);
	s->user = s->seg = PICK_REF;
	for (i = 0; i < 2; i++)
		feed(w, s, 1000);
	check_fresh_json(w, s);
	CHECK_INT(window_dict_size(w, COL_USER), NREF_USER);
	CHECK_INT(window_dict_size(w, COL_SEG), 4);
	/* New categories one at a time: 4-bit codes widen to 8, then 16. */
	s->user = s->seg = PICK_NEW;
	for (i = 0; i < 100; i++) {
		feed(w, s, 5);
		if (i % 10 == 9)
			check_fresh(w, s, 1);
	}
	/* About 100 new ones left: 16-bit codes narrow to 8. */
	s->user = s->seg = PICK_REF;
	feed(w, s, 1900);
	check_fresh_json(w, s);
	CHECK(window_dict_size(w, COL_USER) < 255);
	s->user = s->seg = PICK_NEW;
	for (i = 0; i < 6; i++) {
		feed(w, s, 100);
		check_fresh(w, s, 1);
	}
	check_fresh_json(w, s);
	window_free(w);
	stream_free(s);
}

/*
 * Compaction to exactly as many categories as a code width holds below
 * its missing code, and one more: the top id must not read as missing.
 */
static void
test_compact_width_boundaries(void)
{
	static const size_t	 live[] = { 10, 11, 12, 249, 250, 251 };
	struct window_config	 c = config(1000, 0, 0);
	struct window		*w;
	struct stream		*s;
	size_t			 i;

	for (i = 0; i < sizeof live / sizeof live[0]; i++) {
		w = make_window(&c);
		s = stream_new(1000, PICK_NEW, PICK_REF, 9 + i);
		feed(w, s, 1000);
		feed(w, s, 1000);
		s->user = PICK_CYCLE;
		s->ncycle = live[i];
		feed(w, s, 1000);
		window_compact(w);
		CHECK_INT(window_dict_size(w, COL_USER), NREF_USER + live[i]);
		check_fresh(w, s, 0);
		feed(w, s, 500);
		check_fresh(w, s, 0);
		window_free(w);
		stream_free(s);
	}
}

/* A categorical prediction with ever-new values (regression). */
static void
test_compact_categorical_prediction(void)
{
	struct window_config	 c = config(500, 0, 1);
	struct window		*w = make_window(&c), *r0 = make_window(&c);
	struct stream		*s = stream_new(500, PICK_NEW, PICK_NEW, 6);
	size_t			 i, nref_pred = window_dict_size(r0, NF);

	s->predcat = 1;
	CHECK(nref_pred > 100);
	for (i = 0; i < 200; i++) {
		feed(w, s, 500);
		check_bounded(w, NF, nref_pred);
		check_bounded(w, COL_USER, NREF_USER);
		check_bounded(w, COL_SEG, 4);
		if (i % 50 == 49)
			check_fresh(w, s, 1);
	}
	check_fresh_json(w, s);
	window_free(w);
	window_free(r0);
	stream_free(s);
}

static void
test_compact_accessors(void)
{
	struct window_config	 c = config(100, 0, 0);
	struct window		*w = make_window(&c);
	struct stream		*s = stream_new(100, PICK_MIX, PICK_MIX, 7);
	char			*before[NREF_USER];
	size_t			 id, size;

	CHECK_INT(window_dict_size(w, 0), 0);
	CHECK_INT(window_dict_size(w, NF), 0);
	CHECK_INT(window_dict_size(w, COL_USER), NREF_USER);
	CHECK_INT(window_dict_size(w, COL_SEG), 4);
	for (id = 0; id < NREF_USER; id++)
		before[id] = xstrdup(window_category(w, COL_USER, id));
	/* An empty window keeps exactly its reference's categories. */
	window_compact(w);
	CHECK_INT(window_dict_size(w, COL_USER), NREF_USER);
	for (id = 0; id < NREF_USER; id++) {
		CHECK_STR(window_category(w, COL_USER, id), before[id]);
		free(before[id]);
	}
	CHECK(window_category(w, COL_USER, NREF_USER) == NULL);
	feed(w, s, 100);
	feed(w, s, 60);
	window_compact(w);
	size = window_dict_size(w, COL_USER);
	CHECK(size > NREF_USER && size < 160);
	window_compact(w);
	CHECK_INT(window_dict_size(w, COL_USER), size);
	check_fresh_json(w, s);
	window_free(w);
	stream_free(s);
}

int
main(void)
{
	RUN(test_compact_new_every_row);
	RUN(test_compact_segments_and_age);
	RUN(test_compact_reference_meaning);
	RUN(test_compact_changes_nothing);
	RUN(test_compact_within_call);
	RUN(test_compact_narrows_and_widens);
	RUN(test_compact_width_boundaries);
	RUN(test_compact_categorical_prediction);
	RUN(test_compact_accessors);
	return TEST_REPORT();
}
