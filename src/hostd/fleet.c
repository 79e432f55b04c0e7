/*
 * fleet.c: load the fleet file (sample-data/fleet.json, described in
 * docs/demo.md) into struct hd_fleet.  Every error names the object and
 * field at fault.  The loaded fleet owns all its memory (fleet_free).
 * A parser, a little past the 600-line aim because every field is checked
 * with its own message; the checks read as a table, one per field.
 */
#include "hostd/hostd.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static const char *stage_names[] = { "shadow", "canary", "full", "retired" };

/* FNV-1a over "model/version": a row stream that survives reordering. */
static uint64_t
name_hash(const char *model, const char *version)
{
	uint64_t	 h = 14695981039346656037ULL;
	const char	*p;

	for (p = model; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '/') * 1099511628211ULL;
	for (p = version; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

/* Look up a number field; def when absent.  -1 when present but not a number. */
static int
num(const cJSON *o, const char *key, double def, double *out, const char *what,
    char **cause)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = def;
	if (j == NULL)
		return 0;
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble))
		return xcause(cause, "%s: \"%s\" must be a number", what, key);
	*out = j->valuedouble;
	return 0;
}

static int
str(const cJSON *o, const char *key, const char *def, char **out,
    const char *what, char **cause)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (j == NULL && def != NULL) {
		*out = xstrdup(def);
		return 0;
	}
	if (!cJSON_IsString(j) || j->valuestring[0] == '\0')
		return xcause(cause, "%s: \"%s\" must be a non-empty string",
		    what, key);
	*out = xstrdup(j->valuestring);
	return 0;
}

static int
feature_index(const struct hd_model *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nfeatures; i++) {
		if (strcmp(m->features[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

static int
value_index(const struct hd_feature *f, const char *v)
{
	size_t	i;

	for (i = 0; i < f->nvalues; i++) {
		if (strcmp(f->values[i], v) == 0)
			return (int)i;
	}
	return -1;
}

/* Probabilities {"north": 0.3, ...} over the feature's values, normalised. */
static int
load_probs(const cJSON *o, struct hd_feature *f, double *p, const char *what,
    char **cause)
{
	const cJSON	*j;
	double		 sum = 0;
	size_t		 i;
	int		 k;

	for (i = 0; i < f->nvalues; i++)
		p[i] = 0;
	cJSON_ArrayForEach(j, o) {
		if (!cJSON_IsNumber(j) || j->valuedouble < 0)
			return xcause(cause, "%s: probability of \"%s\" must be "
			    "a non-negative number", what, j->string);
		if ((k = value_index(f, j->string)) < 0)
			return xcause(cause, "%s: \"%s\" is not a value of %s",
			    what, j->string, f->name);
		p[k] = j->valuedouble;
		sum += p[k];
	}
	if (!(sum > 0))
		return xcause(cause, "%s: probabilities of %s sum to zero",
		    what, f->name);
	for (i = 0; i < f->nvalues; i++)
		p[i] /= sum;
	return 0;
}

static int
load_feature(const cJSON *o, struct hd_feature *f, const char *model,
    char **cause)
{
	char		 what[256], *type = NULL, *dist = NULL;
	const cJSON	*vals, *j;
	double		 d;
	int		 rc = -1;

	snprintf(what, sizeof what, "model %s: feature", model);
	if (str(o, "name", NULL, &f->name, what, cause) != 0)
		return -1;
	snprintf(what, sizeof what, "model %s: feature %s", model, f->name);
	if (str(o, "type", "numeric", &type, what, cause) != 0 ||
	    num(o, "missing", 0, &f->missing, what, cause) != 0)
		goto out;
	if (strcmp(type, "categorical") == 0) {
		f->kind = HD_CATEGORICAL;
		vals = cJSON_GetObjectItemCaseSensitive(o, "values");
		if (!cJSON_IsObject(vals) || cJSON_GetArraySize(vals) < 2) {
			xcause(cause, "%s: \"values\" must be an object of at "
			    "least two value: probability pairs", what);
			goto out;
		}
		f->values = xcalloc(cJSON_GetArraySize(vals), sizeof *f->values);
		cJSON_ArrayForEach(j, vals)
			f->values[f->nvalues++] = xstrdup(j->string);
		f->probs = xcalloc(f->nvalues, sizeof *f->probs);
		rc = load_probs(vals, f, f->probs, what, cause);
		goto out;
	}
	if (strcmp(type, "numeric") != 0) {
		xcause(cause, "%s: unknown type \"%s\"", what, type);
		goto out;
	}
	f->kind = HD_NUMERIC;
	if (str(o, "dist", "normal", &dist, what, cause) != 0 ||
	    num(o, "mean", 0, &f->mean, what, cause) != 0 ||
	    num(o, "sd", 1, &f->sd, what, cause) != 0 ||
	    num(o, "min", 0, &f->min, what, cause) != 0 ||
	    num(o, "max", 0, &f->max, what, cause) != 0 ||
	    num(o, "decimals", -1, &d, what, cause) != 0)
		goto out;
	f->decimals = (int)d;
	if (strcmp(dist, "normal") == 0)
		f->dist = HD_NORMAL;
	else if (strcmp(dist, "lognormal") == 0)
		f->dist = HD_LOGNORMAL;
	else {
		xcause(cause, "%s: unknown dist \"%s\"", what, dist);
		goto out;
	}
	if (!(f->sd > 0) || f->missing < 0 || f->missing >= 1) {
		xcause(cause, "%s: needs sd > 0 and 0 <= missing < 1", what);
		goto out;
	}
	rc = 0;
out:
	free(type);
	free(dist);
	return rc;
}

/* {"intercept": x, "coef": {"income": w, "region": {"north": w}}} over base. */
static int
load_linear(const cJSON *o, struct hd_model *m, struct hd_linear *lin,
    const char *what, char **cause)
{
	const cJSON		*coef, *j, *v;
	const struct hd_feature	*f;
	int			 fi, vi;

	if (o == NULL)
		return 0;
	if (num(o, "intercept", lin->intercept, &lin->intercept, what,
	    cause) != 0)
		return -1;
	coef = cJSON_GetObjectItemCaseSensitive(o, "coef");
	cJSON_ArrayForEach(j, coef) {
		if ((fi = feature_index(m, j->string)) < 0)
			return xcause(cause, "%s: coef for unknown feature %s",
			    what, j->string);
		f = &m->features[fi];
		if (f->kind == HD_NUMERIC && cJSON_IsNumber(j)) {
			lin->coef[f->col] = j->valuedouble;
			continue;
		}
		if (f->kind != HD_CATEGORICAL || !cJSON_IsObject(j))
			return xcause(cause, "%s: coef of %s must be a %s", what,
			    f->name, f->kind == HD_NUMERIC ? "number" :
			    "{value: weight} object");
		cJSON_ArrayForEach(v, j) {
			if ((vi = value_index(f, v->string)) < 0 ||
			    !cJSON_IsNumber(v))
				return xcause(cause, "%s: bad coef %s.%s", what,
				    f->name, v->string);
			lin->coef[f->col + vi] = v->valuedouble;
		}
	}
	return 0;
}

static int
load_drift(const cJSON *o, struct hd_model *m, struct hd_drift *d,
    const char *what, char **cause)
{
	const cJSON		*j, *w;
	struct hd_feature	*f;
	int			 fi;

	j = cJSON_GetObjectItemCaseSensitive(o, "feature");
	if (!cJSON_IsString(j) || (fi = feature_index(m, j->valuestring)) < 0)
		return xcause(cause, "%s: drift needs a known \"feature\"", what);
	d->feature = fi;
	f = &m->features[fi];
	d->when_feature = -1;
	if (num(o, "start_h", 0, &d->start_s, what, cause) != 0 ||
	    num(o, "ramp_h", 0, &d->ramp_s, what, cause) != 0 ||
	    num(o, "shift_sd", 0, &d->shift_sd, what, cause) != 0)
		return -1;
	d->start_s *= 3600;
	d->ramp_s *= 3600;
	if (f->kind == HD_CATEGORICAL) {
		j = cJSON_GetObjectItemCaseSensitive(o, "probs");
		if (!cJSON_IsObject(j))
			return xcause(cause, "%s: drift of categorical %s needs "
			    "\"probs\"", what, f->name);
		d->probs = xcalloc(f->nvalues, sizeof *d->probs);
		if (load_probs(j, f, d->probs, what, cause) != 0)
			return -1;
	}
	w = cJSON_GetObjectItemCaseSensitive(o, "when");
	if (w != NULL) {
		j = w->child;
		if (!cJSON_IsObject(w) || j == NULL || !cJSON_IsString(j) ||
		    (fi = feature_index(m, j->string)) < 0 ||
		    m->features[fi].kind != HD_CATEGORICAL ||
		    value_index(&m->features[fi], j->valuestring) < 0)
			return xcause(cause, "%s: drift \"when\" must be "
			    "{categorical feature: value}", what);
		d->when_feature = fi;
		d->when_value = xstrdup(j->valuestring);
	}
	return 0;
}

static int
load_kpis(const cJSON *o, struct hd_version *v, const char *what, char **cause)
{
	const cJSON	*j;
	struct hd_kpi	*k;

	if (o == NULL)
		return 0;
	v->kpis = xcalloc(cJSON_GetArraySize(o) + 1, sizeof *v->kpis);
	cJSON_ArrayForEach(j, o) {
		k = &v->kpis[v->nkpis++];
		k->name = xstrdup(j->string);
		if (num(j, "value", 0, &k->value, what, cause) != 0 ||
		    num(j, "degrade", 0, &k->degrade, what, cause) != 0)
			return -1;
	}
	return 0;
}

static int
load_version(const cJSON *o, struct hd_model *m, struct hd_version *v,
    char **cause)
{
	char		 what[256], *stage = NULL;
	const cJSON	*j, *d, *flip;
	double		 traffic;
	size_t		 n;

	v->model = m;
	snprintf(what, sizeof what, "model %s: version", m->name);
	if (str(o, "version", NULL, &v->name, what, cause) != 0)
		return -1;
	snprintf(what, sizeof what, "model %s version %s", m->name, v->name);
	v->lin.intercept = m->truth.intercept;
	v->lin.coef = xcalloc(m->ncols, sizeof *v->lin.coef);
	memcpy(v->lin.coef, m->truth.coef, m->ncols * sizeof *v->lin.coef);
	flip = cJSON_GetObjectItemCaseSensitive(o, "label_flip");
	if (load_linear(cJSON_GetObjectItemCaseSensitive(o, "weights"), m,
	    &v->lin, what, cause) != 0 ||
	    str(o, "stage", "full", &stage, what, cause) != 0 ||
	    num(o, "traffic_percent", 0, &traffic, what, cause) != 0 ||
	    num(o, "since_h", 240, &v->since_h, what, cause) != 0 ||
	    num(o, "latency_ms", 30, &v->latency_ms, what, cause) != 0 ||
	    num(o, "latency_sigma", 0.5, &v->latency_sigma, what, cause) != 0 ||
	    num(o, "error_rate", 0.001, &v->error_rate, what, cause) != 0 ||
	    num(flip, "start_h", 0, &v->flip_start, what, cause) != 0 ||
	    num(flip, "ramp_h", 0, &v->flip_ramp, what, cause) != 0 ||
	    num(flip, "max", 0, &v->flip_max, what, cause) != 0 ||
	    load_kpis(cJSON_GetObjectItemCaseSensitive(o, "kpis"), v, what,
	    cause) != 0)
		goto fail;
	v->flip_start *= 3600;
	v->flip_ramp *= 3600;
	if (fleet_stage_parse(stage, &v->stage0) != 0) {
		xcause(cause, "%s: unknown stage \"%s\"", what, stage);
		goto fail;
	}
	/* a lone full version needs no traffic_percent */
	if (cJSON_GetObjectItemCaseSensitive(o, "traffic_percent") == NULL &&
	    v->stage0 == HD_FULL)
		traffic = 100;
	v->traffic0 = (int)traffic;
	if (traffic < 0 || traffic > 100 || v->latency_ms <= 0 ||
	    v->error_rate < 0 || v->error_rate > 1) {
		xcause(cause, "%s: traffic_percent 0-100, latency_ms > 0, "
		    "error_rate 0-1", what);
		goto fail;
	}
	j = cJSON_GetObjectItemCaseSensitive(o, "drift");
	v->drifts = xcalloc(cJSON_GetArraySize(j) + 1, sizeof *v->drifts);
	n = 0;
	cJSON_ArrayForEach(d, j) {
		v->ndrifts = ++n;
		if (load_drift(d, m, &v->drifts[n - 1], what, cause) != 0)
			goto fail;
	}
	v->stream = name_hash(m->name, v->name);
	free(stage);
	return 0;
fail:
	free(stage);
	return -1;
}

static int
load_features(const cJSON *o, struct hd_model *m, char **cause)
{
	const cJSON	*j, *fs = cJSON_GetObjectItemCaseSensitive(o, "features");
	char		*seg = NULL;
	size_t		 i;

	if (!cJSON_IsArray(fs) || cJSON_GetArraySize(fs) == 0)
		return xcause(cause, "model %s: \"features\" must be a "
		    "non-empty array", m->name);
	m->features = xcalloc(cJSON_GetArraySize(fs), sizeof *m->features);
	cJSON_ArrayForEach(j, fs) {
		if (load_feature(j, &m->features[m->nfeatures++], m->name,
		    cause) != 0)
			return -1;
	}
	for (i = 0; i < m->nfeatures; i++) {
		m->features[i].col = m->ncols;
		m->ncols += m->features[i].kind == HD_NUMERIC ? 1 :
		    m->features[i].nvalues;
	}
	m->segment_by = -1;
	if (cJSON_GetObjectItemCaseSensitive(o, "segment_by") != NULL) {
		if (str(o, "segment_by", NULL, &seg, m->name, cause) != 0)
			return -1;
		m->segment_by = feature_index(m, seg);
		free(seg);
		if (m->segment_by < 0)
			return xcause(cause, "model %s: segment_by names no "
			    "feature", m->name);
	}
	return 0;
}

static int
check_traffic(const struct hd_model *m, char **cause)
{
	size_t	i;
	int	sum = 0, live = 0;

	for (i = 0; i < m->nversions; i++) {
		if (m->versions[i].stage0 == HD_FULL ||
		    m->versions[i].stage0 == HD_CANARY) {
			sum += m->versions[i].traffic0;
			live++;
		}
	}
	if (live > 0 && sum != 100)
		return xcause(cause, "model %s: traffic of live versions adds "
		    "up to %d, not 100", m->name, sum);
	return 0;
}

static int
load_model(const cJSON *o, struct hd_model *m, char **cause)
{
	const cJSON	*j, *vs;
	char		*task = NULL;
	double		 h, rows, delay, retain;

	if (str(o, "name", NULL, &m->name, "model", cause) != 0 ||
	    str(o, "team", "unassigned", &m->team, m->name, cause) != 0 ||
	    str(o, "task", "binary_classification", &task, m->name, cause) != 0 ||
	    load_features(o, m, cause) != 0)
		goto fail;
	m->task = strcmp(task, "regression") == 0 ? HD_REGRESSION : HD_BINARY;
	if (m->task == HD_BINARY && strcmp(task, "binary_classification") != 0) {
		xcause(cause, "model %s: unknown task \"%s\"", m->name, task);
		goto fail;
	}
	m->truth.coef = xcalloc(m->ncols, sizeof *m->truth.coef);
	if (num(o, "threshold", 0.5, &m->threshold, m->name, cause) != 0 ||
	    num(o, "noise_sd", 0, &m->noise_sd, m->name, cause) != 0 ||
	    num(o, "sample_rate", 0.5, &m->sample_rate, m->name, cause) != 0 ||
	    num(o, "request_rate", 20, &m->request_rate, m->name, cause) != 0 ||
	    num(o, "label_delay_h", 1, &delay, m->name, cause) != 0 ||
	    num(o, "label_share", 0.5, &m->label_share, m->name, cause) != 0 ||
	    num(o, "retain_h", 48, &retain, m->name, cause) != 0 ||
	    num(o, "reference_rows", 2000, &rows, m->name, cause) != 0 ||
	    load_linear(cJSON_GetObjectItemCaseSensitive(o, "truth"), m,
	    &m->truth, m->name, cause) != 0)
		goto fail;
	m->label_delay_s = delay * 3600;
	m->retain_s = retain * 3600;
	h = m->sample_rate;
	if (!(h > 0) || rows < 10 || rows > 1e6 || m->label_share < 0 ||
	    m->label_share > 1 || delay < 0 || !(retain > 0)) {
		xcause(cause, "model %s: needs sample_rate > 0, 10 <= "
		    "reference_rows <= 1e6, 0 <= label_share <= 1, retain_h > 0",
		    m->name);
		goto fail;
	}
	m->reference_rows = (size_t)rows;
	vs = cJSON_GetObjectItemCaseSensitive(o, "versions");
	if (!cJSON_IsArray(vs) || cJSON_GetArraySize(vs) == 0) {
		xcause(cause, "model %s: \"versions\" must be a non-empty array",
		    m->name);
		goto fail;
	}
	m->versions = xcalloc(cJSON_GetArraySize(vs), sizeof *m->versions);
	cJSON_ArrayForEach(j, vs) {
		if (load_version(j, m, &m->versions[m->nversions++], cause) != 0)
			goto fail;
	}
	free(task);
	return check_traffic(m, cause);
fail:
	free(task);
	return -1;
}

static int
load_host(const cJSON *o, struct hd_fleet *fl, struct hd_host *h, char **cause)
{
	const cJSON	*ms, *j, *flap;
	double		 port, up, down, triton;

	if (str(o, "name", NULL, &h->name, "host", cause) != 0 ||
	    num(o, "port", 0, &port, h->name, cause) != 0 ||
	    num(o, "triton", 0, &triton, h->name, cause) != 0)
		return -1;
	flap = cJSON_GetObjectItemCaseSensitive(o, "flap");
	if (num(flap, "up_s", 0, &up, h->name, cause) != 0 ||
	    num(flap, "down_s", 0, &down, h->name, cause) != 0)
		return -1;
	h->port = (int)port;
	h->flap_up_s = (int)up;
	h->flap_down_s = (int)down;
	h->triton = triton != 0;
	if (port < 0 || port > 65535 || (flap != NULL && (up < 1 || down < 1)))
		return xcause(cause, "host %s: port 0-65535, flap up_s and "
		    "down_s >= 1", h->name);
	ms = cJSON_GetObjectItemCaseSensitive(o, "models");
	if (!cJSON_IsArray(ms))
		return xcause(cause, "host %s: \"models\" must be an array",
		    h->name);
	h->models = xcalloc(cJSON_GetArraySize(ms) + 1, sizeof *h->models);
	cJSON_ArrayForEach(j, ms) {
		if (!cJSON_IsString(j) || fleet_model(fl, j->valuestring) == NULL)
			return xcause(cause, "host %s: unknown model %s", h->name,
			    cJSON_IsString(j) ? j->valuestring : "(not a string)");
		h->models[h->nmodels++] = xstrdup(j->valuestring);
	}
	return 0;
}

static int
load_fleet(const cJSON *root, struct hd_fleet *fl, char **cause)
{
	const cJSON	*ms, *hs, *j;
	double		 seed, start;
	size_t		 i;

	if (!cJSON_IsObject(root))
		return xcause(cause, "the top level must be an object");
	if (num(root, "seed", 42, &seed, "fleet", cause) != 0 ||
	    num(root, "start_at_h", 12, &start, "fleet", cause) != 0)
		return -1;
	fl->seed = (uint64_t)seed;
	fl->start_at_s = start * 3600;
	ms = cJSON_GetObjectItemCaseSensitive(root, "models");
	hs = cJSON_GetObjectItemCaseSensitive(root, "hosts");
	if (!cJSON_IsArray(ms) || !cJSON_IsArray(hs))
		return xcause(cause, "\"models\" and \"hosts\" must be arrays");
	fl->models = xcalloc(cJSON_GetArraySize(ms) + 1, sizeof *fl->models);
	cJSON_ArrayForEach(j, ms) {
		if (load_model(j, &fl->models[fl->nmodels++], cause) != 0)
			return -1;
	}
	fl->hosts = xcalloc(cJSON_GetArraySize(hs) + 1, sizeof *fl->hosts);
	cJSON_ArrayForEach(j, hs) {
		if (load_host(j, fl, &fl->hosts[fl->nhosts++], cause) != 0)
			return -1;
	}
	for (i = 0; i < fl->nmodels; i++) {
		size_t k;

		for (k = 0; k < fl->models[i].nversions; k++)
			sim_baseline(&fl->models[i].versions[k], fl->seed);
	}
	return 0;
}

/* Load and check a fleet file; NULL with *cause naming file and field. */
struct hd_fleet *
fleet_load(const char *path, char **cause)
{
	FILE		*f;
	struct strbuf	 b = { 0 };
	char		 buf[8192], *why = NULL;
	size_t		 n;
	cJSON		*root;
	struct hd_fleet	*fl;

	if ((f = fopen(path, "r")) == NULL) {
		xcause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.len < (64 << 20))
		strbuf_add(&b, buf, n);
	fclose(f);
	root = cJSON_ParseWithLength(strbuf_str(&b), b.len);
	strbuf_free(&b);
	if (root == NULL) {
		xcause(cause, "%s: not valid JSON", path);
		return NULL;
	}
	fl = xcalloc(1, sizeof *fl);
	if (load_fleet(root, fl, &why) != 0) {
		xcause(cause, "%s: %s", path, why);
		free(why);
		fleet_free(fl);
		fl = NULL;
	}
	cJSON_Delete(root);
	return fl;
}

static void
free_model(struct hd_model *m)
{
	struct hd_version	*v;
	size_t			 i, k;

	for (i = 0; i < m->nfeatures; i++) {
		for (k = 0; k < m->features[i].nvalues; k++)
			free(m->features[i].values[k]);
		free(m->features[i].values);
		free(m->features[i].probs);
		free(m->features[i].name);
	}
	for (i = 0; i < m->nversions; i++) {
		v = &m->versions[i];
		for (k = 0; k < v->ndrifts; k++) {
			free(v->drifts[k].probs);
			free(v->drifts[k].when_value);
		}
		for (k = 0; k < v->nkpis; k++)
			free(v->kpis[k].name);
		free(v->kpis);
		free(v->drifts);
		free(v->lin.coef);
		free(v->importance);
		free(v->name);
	}
	free(m->versions);
	free(m->features);
	free(m->truth.coef);
	free(m->name);
	free(m->team);
}

/* Free a fleet and everything it owns. */
void
fleet_free(struct hd_fleet *fl)
{
	size_t	i, k;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->nmodels; i++)
		free_model(&fl->models[i]);
	for (i = 0; i < fl->nhosts; i++) {
		for (k = 0; k < fl->hosts[i].nmodels; k++)
			free(fl->hosts[i].models[k]);
		free(fl->hosts[i].models);
		free(fl->hosts[i].name);
	}
	free(fl->models);
	free(fl->hosts);
	free(fl);
}

/* The host called name, or NULL. */
struct hd_host *
fleet_host(struct hd_fleet *fl, const char *name)
{
	size_t	i;

	for (i = 0; i < fl->nhosts; i++) {
		if (strcmp(fl->hosts[i].name, name) == 0)
			return &fl->hosts[i];
	}
	return NULL;
}

/* The model called name, or NULL. */
struct hd_model *
fleet_model(struct hd_fleet *fl, const char *name)
{
	size_t	i;

	for (i = 0; i < fl->nmodels; i++) {
		if (strcmp(fl->models[i].name, name) == 0)
			return &fl->models[i];
	}
	return NULL;
}

/* The version called name of model m, or NULL. */
struct hd_version *
fleet_version(struct hd_model *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nversions; i++) {
		if (strcmp(m->versions[i].name, name) == 0)
			return &m->versions[i];
	}
	return NULL;
}

/* The wire name of a stage. */
const char *
fleet_stage_name(enum hd_stage s)
{
	return stage_names[s];
}

/* Parse a wire stage name: 0, or -1 when unknown. */
int
fleet_stage_parse(const char *s, enum hd_stage *out)
{
	size_t	i;

	for (i = 0; i < sizeof stage_names / sizeof stage_names[0]; i++) {
		if (strcmp(s, stage_names[i]) == 0) {
			*out = (enum hd_stage)i;
			return 0;
		}
	}
	return -1;
}
