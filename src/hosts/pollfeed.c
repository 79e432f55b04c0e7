/*
 * pollfeed: one model version's streams for the poller (see pollfeed.h).
 * Pages go store first (samples_add/labels_add with the cursor, one
 * transaction), then the window, then the in-memory cursor: if the store
 * refuses, nothing moves and the page is asked for again next cycle.
 */
#include "hosts/pollfeed.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/derive.h"
#include "hosts/promapi.h"
#include "stats/status.h"
#include "stats/window.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

struct pfeed {
	char			*host, *model, *version;
	struct store		*st;
	struct config_options	 opts;

	int			 listed, live;
	char			*stage;
	double			 traffic;
	int64_t			 since_ms;

	int			 restored;
	int			 have_ref;
	struct contract_reference ref;
	double			 baseline_accuracy;
	struct window		*win;

	char			*cursor[2];	/* samples, labels */
	int			 more[2];
	int			 pages[2];
	uint64_t		 seen[2];

	int			 fresh;		/* figures not yet persisted */
	int			 have_fig;
	struct derive_figures	 fig;
	int			 have_status;
	struct status		 status;
	char			*error;
};

struct pfeed *
pollfeed_new(const char *host, const char *model, const char *version,
    struct store *st, const struct config_options *opts)
{
	struct pfeed *v = xcalloc(1, sizeof *v);

	v->host = xstrdup(host);
	v->model = xstrdup(model);
	v->version = xstrdup(version);
	v->st = st;
	v->opts = *opts;
	v->stage = xstrdup("unknown");
	v->baseline_accuracy = NAN;
	return v;
}

void
pollfeed_free(struct pfeed *v)
{
	if (v == NULL)
		return;
	free(v->host);
	free(v->model);
	free(v->version);
	free(v->stage);
	contract_reference_free(&v->ref);
	window_free(v->win);
	free(v->cursor[0]);
	free(v->cursor[1]);
	status_free(&v->status);
	free(v->error);
	free(v);
}

int
pollfeed_is(const struct pfeed *v, const char *host, const char *model,
    const char *version)
{
	return strcmp(v->host, host) == 0 && strcmp(v->model, model) == 0 &&
	    strcmp(v->version, version) == 0;
}

int
pollfeed_on_host(const struct pfeed *v, const char *host)
{
	return strcmp(v->host, host) == 0;
}

const char *
pollfeed_model(const struct pfeed *v)
{
	return v->model;
}

const char *
pollfeed_version(const struct pfeed *v)
{
	return v->version;
}

int
pollfeed_live(const struct pfeed *v)
{
	return v->live;
}

void
pollfeed_deployed(struct pfeed *v, const struct contract_deployment *d)
{
	v->listed = d != NULL;
	v->live = d != NULL && d->stage != CONTRACT_STAGE_RETIRED;
	if (d == NULL)
		return;
	free(v->stage);
	v->stage = xstrdup(contract_stage_name(d->stage));
	v->traffic = d->traffic_percent;
	v->since_ms = d->since_ms;
}

void
pollfeed_set_error(struct pfeed *v, const char *error)
{
	free(v->error);
	v->error = error != NULL ? xstrdup(error) : NULL;
}

static struct store_key
key_of(const struct pfeed *v)
{
	struct store_key k = { v->host, v->model, v->version };

	return k;
}

/* The rows of r as window rows; *vals holds their cells (caller frees). */
static struct window_row *
to_window_rows(const struct contract_rows *r, int with_labels,
    struct window_value **vals)
{
	struct window_row *rows = xcalloc(r->n ? r->n : 1, sizeof *rows);
	struct window_value *val;
	size_t i, j, nf = r->nfeatures;

	*vals = val = xcalloc(r->n * nf + 1, sizeof *val);
	for (i = 0; i < r->n; i++) {
		for (j = 0; j < nf; j++) {
			val[i * nf + j].x = r->cols[j].num != NULL ?
			    r->cols[j].num[i] : NAN;
			val[i * nf + j].s = r->cols[j].cat != NULL ?
			    r->cols[j].cat[i] : NULL;
		}
		rows[i].id = r->id != NULL ? r->id[i] : NULL;
		rows[i].ts_ms = r->ts_ms != NULL ? r->ts_ms[i] : 0;
		rows[i].values = &val[i * nf];
		rows[i].prediction.x = r->prediction[i];
		rows[i].label = with_labels && r->label != NULL ?
		    r->label[i] : NAN;
	}
	return rows;
}

static int
make_window(struct pfeed *v, char **cause)
{
	const struct contract_reference *ref = &v->ref;
	struct window_config wc = { 0 };
	struct window_row *rows;
	struct window_value *vals;
	const char **names;
	enum stats_kind *kinds;
	size_t i;

	names = xcalloc(ref->nfeatures + 1, sizeof *names);
	kinds = xcalloc(ref->nfeatures + 1, sizeof *kinds);
	for (i = 0; i < ref->nfeatures; i++) {
		names[i] = ref->schema[i].name;
		kinds[i] = ref->schema[i].kind == CONTRACT_NUMERIC ?
		    STATS_NUMERIC : STATS_CATEGORICAL;
	}
	wc.nfeatures = ref->nfeatures;
	wc.names = names;
	wc.kinds = kinds;
	wc.prediction_kind = STATS_NUMERIC;
	wc.classification = ref->task.kind == CONTRACT_TASK_BINARY;
	wc.threshold = ref->task.threshold;
	wc.segment = ref->segment_index >= 0 &&
	    kinds[ref->segment_index] == STATS_CATEGORICAL ?
	    ref->segment_index : -1;
	wc.max_rows = v->opts.window_rows > 0 ? (size_t)v->opts.window_rows : 0;
	wc.max_age_ms = v->opts.window_max_age_ms;
	rows = to_window_rows(&ref->rows, 1, &vals);
	v->win = window_new(&wc, rows, ref->rows.n, cause);
	free(rows);
	free(vals);
	free(names);
	free(kinds);
	for (i = 0; i < ref->nbaseline; i++) {
		if (strcmp(ref->baseline[i].name, "accuracy") == 0)
			v->baseline_accuracy = ref->baseline[i].value;
	}
	return v->win != NULL ? 0 : -1;
}

/* Parse a reference text into v and build the window. */
static int
take_reference(struct pfeed *v, const char *body, size_t len, char **cause)
{
	struct contract_reference ref = { 0 };

	if (contract_parse_reference(body, len, &ref, cause) != 0)
		return -1;
	contract_reference_free(&v->ref);
	window_free(v->win);
	v->win = NULL;
	v->ref = ref;
	v->have_ref = 1;
	return make_window(v, cause);
}

/*
 * Join n labels to the window in one batch (window_labels overlaps the
 * id-map lookups); returns how many changed a figure.  The batch refuses
 * all when one label is bad, so then each is tried alone and only the bad
 * one is lost, as it would be on its own.
 */
static size_t
join_labels(struct pfeed *v, const char *const *ids, const double *labels,
    size_t n)
{
	size_t	i, joined = 0;

	if (window_labels(v->win, ids, labels, n, &joined, NULL) == 0)
		return joined;
	for (i = 0; i < n; i++)
		if (window_label(v->win, ids[i], labels[i], NULL) == 1)
			joined++;
	return joined;
}

/* The labels of the stored rows just put back in the window. */
static void
restore_labels(struct pfeed *v, const struct store_sample *s, size_t n)
{
	const char	**ids = xreallocarray(NULL, n ? n : 1, sizeof *ids);
	double		 *labels = xreallocarray(NULL, n ? n : 1, sizeof *labels);
	size_t		  i, k = 0;

	for (i = 0; i < n; i++) {
		if (s[i].label_json == NULL)
			continue;
		ids[k] = s[i].id;
		labels[k++] = strtod(s[i].label_json, NULL);
	}
	join_labels(v, ids, labels, k);
	free(ids);
	free(labels);
}

/* Refill the window from the store's rows (what a restart resumes). */
static void
refill_window(struct pfeed *v)
{
	struct store_key k = key_of(v);
	struct store_sample *s = NULL;
	struct contract_samples page = { 0 };
	struct window_row *rows;
	struct window_value *vals;
	struct strbuf b = { 0 };
	char *cause = NULL;
	size_t i, n = 0;

	if (v->st->ops->samples_window(v->st, &k, timefmt_now_ms() -
	    v->opts.window_max_age_ms, (size_t)v->opts.window_rows, &s, &n,
	    &cause) != 0 || n == 0)
		goto out;
	strbuf_adds(&b, "{\"more\": false, \"rows\": [");
	for (i = 0; i < n; i++) {
		strbuf_adds(&b, i ? ",{\"id\":" : "{\"id\":");
		strbuf_add_json_string(&b, s[i].id);
		strbuf_addf(&b, ",\"ts\":%lld,\"features\":%s,\"prediction\":%s}",
		    (long long)s[i].ts_ms, s[i].features_json,
		    s[i].prediction_json);
	}
	strbuf_adds(&b, "]}");
	if (contract_parse_samples(b.s, b.len, &v->ref, &page, &cause) == 0) {
		rows = to_window_rows(&page.rows, 0, &vals);
		if (window_append(v->win, rows, page.rows.n, NULL, &cause) == 0)
			restore_labels(v, s, n);
		free(rows);
		free(vals);
		contract_samples_free(&page);
	}
out:
	if (cause != NULL)
		pollfeed_set_error(v, cause);
	free(cause);
	strbuf_free(&b);
	store_sample_free(s, n);
}

static void
restore(struct pfeed *v)
{
	struct store_key k = key_of(v);
	char *json = NULL, *cause = NULL;
	int i;

	v->restored = 1;
	if (v->st == NULL)
		return;
	for (i = 0; i < 2; i++) {
		if (v->st->ops->cursor_get(v->st, &k, i ? "labels" : "samples",
		    &v->cursor[i], &cause) != 0)
			goto fail;
	}
	if (v->st->ops->reference_get(v->st, &k, &json, &cause) != 0)
		goto fail;
	if (json == NULL)
		return;
	if (take_reference(v, json, strlen(json), &cause) == 0)
		refill_window(v);
	free(json);
	if (cause == NULL)
		return;
fail:
	pollfeed_set_error(v, cause);
	free(cause);
}

int
pollfeed_has_reference(struct pfeed *v)
{
	if (!v->restored)
		restore(v);
	return v->have_ref && v->win != NULL;
}

void
pollfeed_cycle_start(struct pfeed *v)
{
	v->pages[0] = v->pages[1] = 0;
	v->more[0] = v->more[1] = 0;
}

int
pollfeed_more(const struct pfeed *v, int stream)
{
	return v->more[stream];
}

int
pollfeed_pages(const struct pfeed *v, int stream)
{
	return v->pages[stream];
}

const char *
pollfeed_cursor(const struct pfeed *v, int stream)
{
	return v->cursor[stream];
}

char *
pollfeed_path(const struct pfeed *v, const char *what, const char *cursor,
    long limit)
{
	char *m = promapi_urlencode(v->model), *ver = promapi_urlencode(v->version);
	char *c = cursor != NULL ? promapi_urlencode(cursor) : NULL;
	struct strbuf b = { 0 };

	strbuf_addf(&b, "/ops/v1/models/%s/versions/%s/%s", m, ver, what);
	if (limit > 0)
		strbuf_addf(&b, "?limit=%ld", limit);
	if (limit > 0 && c != NULL && *c != '\0')
		strbuf_addf(&b, "&after=%s", c);
	free(m);
	free(ver);
	free(c);
	return strbuf_take(&b);
}

int
pollfeed_reference(struct pfeed *v, const char *body, size_t len,
    char **cause)
{
	struct store_key k = key_of(v);

	if (take_reference(v, body, len, cause) != 0)
		return -1;
	if (v->st != NULL && v->st->ops->reference_put(v->st, &k, body,
	    cause) != 0)
		return -1;
	return 0;
}

/* A row's features as a JSON object over the schema (for the store). */
static void
features_json(const struct contract_reference *ref,
    const struct contract_rows *r, size_t i, struct strbuf *b)
{
	size_t j;
	double x;

	strbuf_reset(b);
	strbuf_addc(b, '{');
	for (j = 0; j < r->nfeatures; j++) {
		if (j > 0)
			strbuf_addc(b, ',');
		strbuf_add_json_string(b, ref->schema[j].name);
		strbuf_addc(b, ':');
		if (r->cols[j].num != NULL) {
			x = r->cols[j].num[i];
			if (isnan(x))
				strbuf_adds(b, "null");
			else
				strbuf_addf(b, "%.17g", x);
		} else if (r->cols[j].cat[i] == NULL)
			strbuf_adds(b, "null");
		else
			strbuf_add_json_string(b, r->cols[j].cat[i]);
	}
	strbuf_addc(b, '}');
}

static int
store_samples(struct pfeed *v, const struct contract_samples *page,
    size_t *added, char **cause)
{
	struct store_key k = key_of(v);
	struct store_sample *s;
	struct strbuf b = { 0 };
	size_t i, n = page->rows.n;
	int rc;

	s = xcalloc(n ? n : 1, sizeof *s);
	for (i = 0; i < n; i++) {
		s[i].id = page->rows.id[i];
		s[i].ts_ms = page->rows.ts_ms[i];
		features_json(&v->ref, &page->rows, i, &b);
		s[i].features_json = strbuf_take(&b);
		s[i].prediction_json = isnan(page->rows.prediction[i]) ?
		    xstrdup("null") : xasprintf("%.17g", page->rows.prediction[i]);
	}
	rc = v->st->ops->samples_add(v->st, &k, s, n,
	    *page->cursor ? page->cursor : v->cursor[0], added, cause);
	for (i = 0; i < n; i++) {
		free(s[i].features_json);
		free(s[i].prediction_json);
	}
	free(s);
	strbuf_free(&b);
	return rc;
}

int
pollfeed_samples(struct pfeed *v, const char *body, size_t len, char **cause)
{
	struct contract_samples page = { 0 };
	struct window_row *rows;
	struct window_value *vals;
	size_t added = 0, inwin = 0;
	int rc = 0;

	if (contract_parse_samples(body, len, &v->ref, &page, cause) != 0)
		return -1;
	if (v->st != NULL && store_samples(v, &page, &added, cause) != 0) {
		contract_samples_free(&page);
		return -1;
	}
	rows = to_window_rows(&page.rows, 0, &vals);
	rc = window_append(v->win, rows, page.rows.n, &inwin, cause);
	free(rows);
	free(vals);
	v->seen[0] += v->st != NULL ? added : inwin;
	if (*page.cursor != '\0') {
		free(v->cursor[0]);
		v->cursor[0] = xstrdup(page.cursor);
	}
	v->more[0] = page.more && page.rows.n > 0;
	v->pages[0]++;
	contract_samples_free(&page);
	return rc;
}

int
pollfeed_labels(struct pfeed *v, const char *body, size_t len, char **cause)
{
	struct contract_labels lp = { 0 };
	struct store_key k = key_of(v);
	struct store_label *l;
	const char **ids;
	double *labels;
	size_t i, added = 0, joined = 0;
	int rc = 0;

	if (contract_parse_labels(body, len, &v->ref.task, &lp, cause) != 0)
		return -1;
	l = xcalloc(lp.n ? lp.n : 1, sizeof *l);
	for (i = 0; i < lp.n; i++) {
		l[i].id = lp.v[i].id;
		l[i].label_json = xasprintf("%.17g", lp.v[i].label);
		l[i].ts_ms = lp.v[i].ts_ms;
	}
	if (v->st != NULL)
		rc = v->st->ops->labels_add(v->st, &k, l, lp.n,
		    *lp.cursor ? lp.cursor : v->cursor[1], &added, cause);
	if (rc == 0) {
		ids = xreallocarray(NULL, lp.n ? lp.n : 1, sizeof *ids);
		labels = xreallocarray(NULL, lp.n ? lp.n : 1, sizeof *labels);
		for (i = 0; i < lp.n; i++) {
			ids[i] = lp.v[i].id;
			labels[i] = lp.v[i].label;
		}
		joined = join_labels(v, ids, labels, lp.n);
		free(ids);
		free(labels);
	}
	for (i = 0; i < lp.n; i++)
		free(l[i].label_json);
	free(l);
	if (rc == 0) {
		v->seen[1] += v->st != NULL ? added : joined;
		if (*lp.cursor != '\0') {
			free(v->cursor[1]);
			v->cursor[1] = xstrdup(lp.cursor);
		}
		v->more[1] = lp.more && lp.n > 0;
		v->pages[1]++;
	}
	contract_labels_free(&lp);
	return rc;
}

void
pollfeed_figures(struct pfeed *v, const struct prom_model *prev,
    const struct prom_model *cur, const struct stats_thresholds *t)
{
	char *cause = NULL;

	v->fresh = 1;
	v->have_fig = cur != NULL;
	if (cur != NULL)
		derive_figures(prev, cur, &v->fig);
	if (v->win == NULL)
		return;
	window_evict_age(v->win, timefmt_now_ms());
	status_free(&v->status);
	v->have_status = status_compute(v->win, t, v->baseline_accuracy, NULL,
	    &v->status, &cause) == 0;
	if (cause != NULL)
		pollfeed_set_error(v, cause);
	free(cause);
}

static void
add_metric(struct store_metric *m, size_t *n, const struct pfeed *v,
    const char *name, double value, int64_t now_ms)
{
	if (isnan(value) || isinf(value))
		return;
	m[*n].host = v->host;
	m[*n].model = v->model;
	m[*n].version = v->version;
	m[*n].name = (char *)name;
	m[*n].value = value;
	m[*n].ts_ms = now_ms;
	(*n)++;
}

void
pollfeed_persist_metrics(struct pfeed *v, int64_t now_ms)
{
	struct store_metric m[12];
	char *cause = NULL;
	size_t n = 0;

	if (!v->fresh || v->st == NULL)
		return;
	v->fresh = 0;
	if (v->have_fig) {
		add_metric(m, &n, v, "requests", v->fig.requests, now_ms);
		add_metric(m, &n, v, "error_rate", v->fig.error_rate, now_ms);
		add_metric(m, &n, v, "p50_latency_ms", v->fig.p50_latency_ms,
		    now_ms);
		add_metric(m, &n, v, "p99_latency_ms", v->fig.p99_latency_ms,
		    now_ms);
		add_metric(m, &n, v, "mean_latency_ms", v->fig.mean_latency_ms,
		    now_ms);
	}
	if (v->have_status) {
		add_metric(m, &n, v, "accuracy", v->status.accuracy, now_ms);
		add_metric(m, &n, v, "accuracy_estimated",
		    v->status.accuracy_estimated, now_ms);
		add_metric(m, &n, v, "labels", (double)v->status.labels, now_ms);
		add_metric(m, &n, v, "window_rows", (double)v->status.rows_cur,
		    now_ms);
		add_metric(m, &n, v, "disparate_impact",
		    v->status.disparate_impact, now_ms);
	}
	if (n > 0 && v->st->ops->metrics_add(v->st, m, n, &cause) != 0) {
		pollfeed_set_error(v, cause);
		free(cause);
	}
}

void
pollfeed_view(const struct pfeed *v, struct poller_version_view *out)
{
	memset(out, 0, sizeof *out);
	out->host = v->host;
	out->model = v->model;
	out->version = v->version;
	out->stage = v->listed ? v->stage : "gone";
	out->traffic_percent = v->traffic;
	out->since_ms = v->since_ms;
	out->metrics = v->have_fig ? &v->fig : NULL;
	out->status = v->have_status ? &v->status : NULL;
	out->window_rows = v->win != NULL ? window_rows(v->win) : 0;
	out->samples_seen = v->seen[0];
	out->labels_seen = v->seen[1];
	out->error = v->error;
}
