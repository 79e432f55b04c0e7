/*
 * drift_perf: performance on the labelled current rows and fairness by
 * segment, for the drift report (see drift.h).  Segments are named by the
 * segment column's category, or for a numeric column by the shortest
 * decimal that reads back as the value ("2", "0.5").
 */
#include "data/drift.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/dataset.h"
#include "util/xmalloc.h"

/* Is any present value neither 0 nor 1? */
static int
non_binary(const struct dataset *ds, long col)
{
	size_t i;
	double v;

	if (col < 0 || col >= (long)ds->ncols)
		return 0;
	for (i = 0; i < ds->nrows; i++) {
		v = ds->cols[col].num[i];
		if (!isnan(v) && v != 0 && v != 1)
			return 1;
	}
	return 0;
}

/* Segment ids per row (-1 = missing) and their dictionary. */
static int *
segment_ids(const struct dataset_column *c, size_t n, struct cat_dict **dict,
    int *own)
{
	int *ids = xreallocarray(NULL, n ? n : 1, sizeof *ids);
	char buf[40];
	size_t i;

	*own = c->kind == STATS_NUMERIC;
	*dict = *own ? cat_dict_new() : c->dict;
	for (i = 0; i < n; i++) {
		if (c->kind == STATS_CATEGORICAL)
			ids[i] = c->cat[i];
		else if (isnan(c->num[i]))
			ids[i] = -1;
		else {
			dataset_json_number_name(c->num[i], buf, sizeof buf);
			ids[i] = (int)cat_dict_intern(*dict, buf);
		}
	}
	return ids;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct drift_segment *)a)->name,
	    ((const struct drift_segment *)b)->name);
}

static void
fairness(struct drift_report *r, const struct dataset *cur, long seg,
    const double *p, const double *y, const struct stats_thresholds *t)
{
	struct cat_dict *dict;
	struct fairness fa;
	int *ids, own;
	size_t i;

	ids = segment_ids(&cur->cols[seg], cur->nrows, &dict, &own);
	fairness_compute(ids, cat_dict_size(dict), p, y, cur->nrows,
	    r->threshold, t, &fa);
	r->segment = xstrdup(cur->cols[seg].name);
	r->segments = xcalloc(fa.nsegments + 1, sizeof *r->segments);
	for (i = 0; i < fa.nsegments; i++) {
		if (fa.segments[i].rows == 0)
			continue;
		r->segments[r->nsegments].name = xstrdup(cat_dict_name(dict, i));
		r->segments[r->nsegments++].s = fa.segments[i];
	}
	qsort(r->segments, r->nsegments, sizeof *r->segments, by_name);
	r->demographic_parity_difference = fa.demographic_parity_difference;
	r->disparate_impact = fa.disparate_impact;
	r->equal_opportunity_difference = fa.equal_opportunity_difference;
	fairness_free(&fa);
	free(ids);
	if (own)
		cat_dict_free(dict);
}

int
drift_perf_compute(struct drift_report *r, const struct dataset *ref,
    const struct dataset *cur, long pred, long label, long seg,
    unsigned which, const struct stats_thresholds *t, char **cause)
{
	const double *p, *y;
	double *nolabels = NULL;
	size_t i;
	int regression, rc = 0;

	if (pred < 0 || cur->cols[pred].kind != STATS_NUMERIC)
		return 0;
	if (label >= 0 && cur->cols[label].kind != STATS_NUMERIC)
		return xcause(cause, "%s: label column \"%s\" is not numeric "
		    "(0/1 for a classifier, a number for a regression)",
		    ref->path, cur->cols[label].name);
	p = cur->cols[pred].num;
	if (label >= 0)
		y = cur->cols[label].num;
	else {
		nolabels = xreallocarray(NULL, cur->nrows ? cur->nrows : 1,
		    sizeof *nolabels);
		for (i = 0; i < cur->nrows; i++)
			nolabels[i] = NAN;
		y = nolabels;
	}
	regression = (ref->task != NULL && strcmp(ref->task, "regression") == 0) ||
	    non_binary(ref, label) || non_binary(cur, label);
	if ((which & DRIFT_PERFORMANCE) && regression) {
		perf_regression(p, y, cur->nrows, &r->reg);
		r->has_regression = 1;
	} else if (which & DRIFT_PERFORMANCE) {
		rc = perf_classification(p, y, cur->nrows, r->threshold,
		    &r->cls, cause);
		r->has_classification = rc == 0;
	}
	if (rc == 0 && (which & DRIFT_FAIRNESS) && seg >= 0 && !regression)
		fairness(r, cur, seg, p, y, t);
	free(nolabels);
	return rc;
}
