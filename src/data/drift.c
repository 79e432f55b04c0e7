/*
 * drift: build the report of `modeldeck drift` (see drift.h).
 *
 * Categorical columns are counted by category id (the current file's
 * dictionary is the reference's), so the same counting serves the whole
 * file and the streamed chunks; numeric columns go to stats_numeric when
 * the files are loaded whole, and are binned on the reference's deciles
 * chunk by chunk when streamed.
 */
#include "data/drift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/dataset.h"
#include "util/xmalloc.h"

/* Counts of one column over the current file, kept across chunks. */
struct tally {
	long	*ref;		/* bins or categories, reference side */
	long	*cur;
	size_t	 k;		/* slots used */
	size_t	 cap;
	double	 edges[BINS_MAX_EDGES];
	size_t	 nedges;
	size_t	 rows_cur;
	size_t	 missing_cur;
};

static const struct {
	const char	*name;
	unsigned	 bits;
} stat_names[] = {
	{ "psi", STATS_PSI }, { "js", STATS_JS }, { "ks", STATS_KS },
	{ "wasserstein", STATS_WASSERSTEIN }, { "chi2", STATS_CHI2 },
	{ "missing", 0 }, { "performance", DRIFT_PERFORMANCE },
	{ "fairness", DRIFT_FAIRNESS }, { "all", DRIFT_ALL },
};

static const char *method_names[] = { "psi", "js", "ks", "wasserstein" };

void
drift_opts_init(struct drift_opts *o)
{
	memset(o, 0, sizeof *o);
	o->threshold = NAN;
	o->which = DRIFT_ALL;
	o->t = stats_thresholds_default();
}

int
drift_parse_stats(const char *list, unsigned *which, char **cause)
{
	char *copy = xstrdup(list), *p = copy, *w;
	size_t i;

	*which = 0;
	while ((w = strsep(&p, ",")) != NULL) {
		for (i = 0; i < sizeof stat_names / sizeof stat_names[0]; i++) {
			if (strcmp(w, stat_names[i].name) == 0)
				break;
		}
		if (i == sizeof stat_names / sizeof stat_names[0]) {
			xcause(cause, "--stats: unknown statistic \"%s\" (psi, "
			    "js, ks, wasserstein, chi2, missing, performance, "
			    "fairness, all)", w);
			free(copy);
			return -1;
		}
		*which |= stat_names[i].bits;
	}
	free(copy);
	return 0;
}

int
drift_parse_method(const char *s, enum stats_method *m, char **cause)
{
	size_t i;

	for (i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
		if (strcmp(s, method_names[i]) == 0) {
			*m = (enum stats_method)i;
			return 0;
		}
	}
	return xcause(cause, "--method: unknown method \"%s\" (psi, ks, js, "
	    "wasserstein)", s);
}

/* The statistics the method's status needs, and PSI for the prediction. */
static unsigned
needed(enum stats_method m)
{
	switch (m) {
	case STATS_METHOD_PSI:
		return STATS_PSI;
	case STATS_METHOD_JS:
		return STATS_PSI | STATS_JS;
	case STATS_METHOD_KS:
		return STATS_PSI | STATS_KS | STATS_CHI2;
	case STATS_METHOD_WASSERSTEIN:
		return STATS_PSI | STATS_WASSERSTEIN | STATS_JS;
	}
	return STATS_PSI;
}

static void
tally_grow(struct tally *ty, size_t k)
{
	size_t cap = ty->cap ? ty->cap : 16;

	if (k > ty->cap) {
		while (cap < k)
			cap *= 2;
		ty->ref = xreallocarray(ty->ref, cap, sizeof *ty->ref);
		ty->cur = xreallocarray(ty->cur, cap, sizeof *ty->cur);
		memset(ty->ref + ty->cap, 0, (cap - ty->cap) * sizeof *ty->ref);
		memset(ty->cur + ty->cap, 0, (cap - ty->cap) * sizeof *ty->cur);
		ty->cap = cap;
	}
	if (k > ty->k)
		ty->k = k;
}

/* Count one side of a categorical column into counts (grown as needed). */
static void
tally_cat(struct tally *ty, const struct dataset_column *c, size_t n, int cur)
{
	size_t i;

	tally_grow(ty, cat_dict_size(c->dict));
	for (i = 0; i < n; i++) {
		if (c->cat[i] >= 0)
			(cur ? ty->cur : ty->ref)[c->cat[i]]++;
	}
}

/* Set up a column's tally from the reference side. */
static void
tally_init(struct tally *ty, const struct dataset_column *c, size_t n)
{
	double *v;
	size_t nv;

	memset(ty, 0, sizeof *ty);
	if (c->kind == STATS_CATEGORICAL) {
		tally_cat(ty, c, n, 0);
		return;
	}
	v = xreallocarray(NULL, n ? n : 1, sizeof *v);
	nv = stats_drop_missing(c->num, n, v);
	sort_doubles(v, nv);
	ty->nedges = bins_edges(v, nv, ty->edges);
	tally_grow(ty, ty->nedges + 1);
	bins_count(ty->edges, ty->nedges, v, nv, ty->ref);
	free(v);
}

static void
tally_add(struct tally *ty, const struct dataset_column *c, size_t n)
{
	ty->rows_cur += n;
	ty->missing_cur += c->missing;
	if (c->kind == STATS_CATEGORICAL)
		tally_cat(ty, c, n, 1);
	else
		bins_count(ty->edges, ty->nedges, c->num, n, ty->cur);
}

/* The binned statistics of a tally, into f (rows and missing set). */
static void
tally_finish(struct tally *ty, const struct dataset_column *ref, size_t nref,
    unsigned which, struct stats_feature *f)
{
	stats_feature_init(f, ref->kind);
	f->rows_ref = nref;
	f->rows_cur = ty->rows_cur;
	f->missing_ref = ref->missing;
	f->missing_cur = ty->missing_cur;
	f->missing_rate_ref = stats_missing_rate(f->missing_ref, nref);
	f->missing_rate_cur = stats_missing_rate(f->missing_cur, f->rows_cur);
	if (which & STATS_PSI)
		f->psi = psi_from_counts(ty->ref, ty->cur, ty->k);
	if (which & STATS_JS)
		f->js = js_from_counts(ty->ref, ty->cur, ty->k);
	if ((which & STATS_CHI2) && ref->kind == STATS_CATEGORICAL)
		chi2_from_counts(ty->ref, ty->cur, ty->k, &f->chi2_statistic,
		    &f->chi2_pvalue);
	free(ty->ref);
	free(ty->cur);
}

/* Every column's statistics, from the whole current file. */
static void
compute_whole(const struct dataset *ref, const struct dataset *cur,
    unsigned which, struct stats_feature *out)
{
	const struct dataset_column *a, *b;
	struct tally ty;
	size_t j;

	for (j = 0; j < ref->ncols; j++) {
		a = &ref->cols[j];
		b = &cur->cols[j];
		if (a->kind == STATS_NUMERIC) {
			stats_numeric(a->num, ref->nrows, b->num, cur->nrows,
			    which & STATS_ALL, &out[j]);
			continue;
		}
		tally_init(&ty, a, ref->nrows);
		tally_add(&ty, b, cur->nrows);
		tally_finish(&ty, a, ref->nrows, which, &out[j]);
	}
}

/* Every column's binned statistics, the current file read in chunks. */
static int
compute_streamed(const char *path, struct dataset *ref, const char *optional,
    unsigned which, struct stats_feature **out, size_t *rows_cur, char **cause)
{
	struct dataset_reader *rd;
	struct dataset *chunk;
	struct tally *ty;
	size_t j;
	int rc;

	if ((rd = dataset_open_like(path, ref, optional, cause)) == NULL)
		return -1;
	*out = xcalloc(ref->ncols, sizeof **out);	/* ref may have grown */
	ty = xcalloc(ref->ncols, sizeof *ty);
	for (j = 0; j < ref->ncols; j++)
		tally_init(&ty[j], &ref->cols[j], ref->nrows);
	*rows_cur = 0;
	while ((rc = dataset_read(rd, DRIFT_CHUNK_ROWS, &chunk, cause)) == 1) {
		for (j = 0; j < ref->ncols; j++)
			tally_add(&ty[j], &chunk->cols[j], chunk->nrows);
		*rows_cur += chunk->nrows;
	}
	for (j = 0; j < ref->ncols; j++)
		tally_finish(&ty[j], &ref->cols[j], ref->nrows, which, &(*out)[j]);
	free(ty);
	dataset_reader_close(rd);
	return rc == -1 ? -1 : 0;
}

static enum stats_status
model_status(const struct drift_report *r, const struct stats_thresholds *t)
{
	enum stats_status s = STATS_OK, fs;
	size_t j, alerts = 0;

	if (r->rows_ref < (size_t)t->min_rows || r->rows_cur < (size_t)t->min_rows)
		return STATS_TOO_FEW_ROWS;
	for (j = 0; j <= r->nfeatures; j++) {
		if (j == r->nfeatures && r->prediction == NULL)
			break;
		fs = j < r->nfeatures ? r->features[j].status :
		    r->prediction->status;
		if (fs == STATS_ALERT && j < r->nfeatures)
			alerts++;
		if (fs == STATS_WARN || fs == STATS_ALERT)
			s = STATS_WARN;
	}
	if (r->nfeatures > 0 &&
	    (double)alerts >= t->model_alert_share * (double)r->nfeatures)
		s = STATS_ALERT;
	if (r->prediction != NULL && r->prediction->f.psi >= t->prediction_psi_alert)
		s = STATS_ALERT;
	return s;
}

/* Split the columns' statistics into features and the prediction. */
static void
assign(struct drift_report *r, const struct dataset *ref, long pred,
    long label, struct stats_feature *st, const struct stats_thresholds *t)
{
	struct drift_feature *d;
	size_t j;

	r->features = xcalloc(ref->ncols, sizeof *r->features);
	for (j = 0; j < ref->ncols; j++) {
		if ((long)j == label)
			continue;
		if ((long)j == pred)
			d = r->prediction = xcalloc(1, sizeof *d);
		else
			d = &r->features[r->nfeatures++];
		d->name = xstrdup(ref->cols[j].name);
		d->f = st[j];
		d->status = stats_feature_status(&d->f, t);
	}
}

/* Column roles by name; an explicitly named column must exist. */
static int
roles(const struct drift_opts *o, const struct dataset *ref, long *pred,
    long *label, long *seg, char **cause)
{
	const char *segment = o->segment ? o->segment : ref->segment_by;

	*pred = dataset_column_index(ref, o->prediction ? o->prediction :
	    "prediction");
	if (*pred < 0 && o->prediction != NULL)
		return xcause(cause, "%s: no prediction column \"%s\"",
		    ref->path, o->prediction);
	*label = dataset_column_index(ref, o->label ? o->label : "label");
	*seg = segment != NULL ? dataset_column_index(ref, segment) : -1;
	if (*seg < 0 && segment != NULL)
		return xcause(cause, "%s: no segment column \"%s\"", ref->path,
		    segment);
	if (*seg >= 0 && (*seg == *pred || *seg == *label))
		return xcause(cause, "--segment: \"%s\" is the prediction or "
		    "the label", segment);
	return 0;
}

int
drift_report_build(const struct drift_opts *o, struct drift_report *r,
    char **cause)
{
	struct dataset *ref, *cur = NULL;
	struct stats_feature *st = NULL;
	const char *lname = o->label ? o->label : "label";
	unsigned which = o->which | needed(o->t.method);
	long pred = -1, label = -1, seg = -1;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->reference = xstrdup(o->reference);
	r->current = xstrdup(o->current);
	r->method = o->t.method;
	r->demographic_parity_difference = r->disparate_impact =
	    r->equal_opportunity_difference = NAN;
	if ((ref = dataset_load(o->reference, cause)) == NULL) {
		drift_report_free(r);
		return -1;
	}
	if (ref->nrows == 0) {
		xcause(cause, "%s: no data rows: a reference needs rows to "
		    "compare with (and to tell the columns' types)", ref->path);
		goto out;
	}
	if (roles(o, ref, &pred, &label, &seg, cause) != 0)
		goto out;
	r->threshold = !isnan(o->threshold) ? o->threshold :
	    !isnan(ref->threshold) ? ref->threshold : 0.5;
	r->rows_ref = ref->nrows;
	r->streamed = (which & ~STATS_BINNED) == 0;
	if (r->streamed) {
		if (compute_streamed(o->current, ref, lname, which, &st,
		    &r->rows_cur, cause) != 0)
			goto out;
	} else {
		if ((cur = dataset_load_like(o->current, ref, lname, cause)) == NULL)
			goto out;
		r->rows_cur = cur->nrows;
		st = xcalloc(ref->ncols, sizeof *st);
		compute_whole(ref, cur, which, st);
	}
	label = dataset_column_index(ref, lname);	/* may have been added */
	if (o->label != NULL && label < 0) {
		xcause(cause, "%s, %s: no label column \"%s\"", o->reference,
		    o->current, o->label);
		goto out;
	}
	assign(r, ref, pred, label, st, &o->t);
	r->status = model_status(r, &o->t);
	if (cur != NULL && drift_perf_compute(r, ref, cur, pred, label, seg,
	    which, &o->t, cause) != 0)
		goto out;
	rc = 0;
out:
	free(st);
	dataset_free(cur);
	dataset_free(ref);
	if (rc != 0)
		drift_report_free(r);
	return rc;
}

void
drift_report_free(struct drift_report *r)
{
	size_t i;

	for (i = 0; i < r->nfeatures; i++)
		free(r->features[i].name);
	free(r->features);
	if (r->prediction != NULL)
		free(r->prediction->name);
	free(r->prediction);
	for (i = 0; i < r->nsegments; i++)
		free(r->segments[i].name);
	free(r->segments);
	free(r->segment);
	free(r->reference);
	free(r->current);
	memset(r, 0, sizeof *r);
}
