/*
 * state_load.c: reading the --state file back at start (state.c writes it
 * and describes its contents).  All or nothing: the whole file is checked
 * into a struct loaded before anything of the host changes, and any fault
 * (unreadable, empty, not JSON, another host's or another fleet's, a bad
 * field) is an error naming the file and the field, never a fresh start,
 * which would forget answers and let a retried action apply twice.
 */
#include "hostd/hostd.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

/* What a read found, applied only once all of it checked out. */
struct loaded {
	int		 same_clock;
	struct hd_saved	*models;	/* one per served model */
	struct hd_idem	*idem;
	size_t		 nidem, cap;
};

struct rd {
	const char	*file;
	char		**cause;
};

static int
bad(struct rd *r, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
bad(struct rd *r, const char *where, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	xcause(r->cause, "state file %s: %s%s%s", r->file, where,
	    *where != '\0' ? ": " : "", msg);
	free(msg);
	return -1;
}

static int
num(struct rd *r, const cJSON *o, const char *where, const char *key,
    double *out)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble))
		return bad(r, where, "\"%s\" must be a number", key);
	*out = j->valuedouble;
	return 0;
}

static int
integer(struct rd *r, const cJSON *o, const char *where, const char *key,
    double lo, double hi, int64_t *out)
{
	double	d = 0;

	if (num(r, o, where, key, &d) != 0)
		return -1;
	if (d != floor(d) || d < lo || d > hi)
		return bad(r, where, "\"%s\" must be an integer from %.0f to "
		    "%.0f", key, lo, hi);
	*out = (int64_t)d;
	return 0;
}

static const char *
str(struct rd *r, const cJSON *o, const char *where, const char *key)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(j)) {
		bad(r, where, "\"%s\" must be a string", key);
		return NULL;
	}
	return j->valuestring;
}

static const cJSON *
array(struct rd *r, const cJSON *o, const char *where, const char *key,
    size_t max)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsArray(j)) {
		bad(r, where, "\"%s\" must be an array", key);
		return NULL;
	}
	if ((size_t)cJSON_GetArraySize(j) > max) {
		bad(r, where, "\"%s\" has over %zu entries", key, max);
		return NULL;
	}
	return j;
}

static int
read_intervals(struct rd *r, const cJSON *jv, const char *where,
    struct hd_state *st)
{
	const cJSON	*ji, *e, *s;

	if ((ji = array(r, jv, where, "intervals", HD_MAX_INTERVALS)) == NULL)
		return -1;
	st->nivl = 0;
	cJSON_ArrayForEach(e, ji) {
		s = cJSON_GetArrayItem(e, 0);
		if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2 ||
		    !cJSON_IsNumber(s) || !(cJSON_IsNumber(s->next) ||
		    cJSON_IsNull(s->next)))
			return bad(r, where, "\"intervals\" entries must be "
			    "[start, end or null]");
		st->ivl_start[st->nivl] = s->valuedouble;
		st->ivl_end[st->nivl++] = cJSON_IsNull(s->next) ? INFINITY :
		    s->next->valuedouble;
	}
	return 0;
}

static int
read_version(struct rd *r, const cJSON *jv, const char *where,
    struct hd_state *st)
{
	const cJSON	*jl = cJSON_GetObjectItemCaseSensitive(jv, "loaded");
	const cJSON	*jr = cJSON_GetObjectItemCaseSensitive(jv, "requests");
	const char	*stage;
	int64_t		 n;

	memset(st, 0, sizeof *st);
	if ((stage = str(r, jv, where, "stage")) == NULL)
		return -1;
	if (fleet_stage_parse(stage, &st->stage) != 0)
		return bad(r, where, "unknown stage \"%s\"", stage);
	if (integer(r, jv, where, "traffic_percent", 0, 100, &n) != 0)
		return -1;
	st->traffic = (int)n;
	if (!cJSON_IsBool(jl))
		return bad(r, where, "\"loaded\" must be true or false");
	st->loaded = cJSON_IsTrue(jl);
	if (integer(r, jv, where, "since_ms", -9e15, 9e15, &st->since_ms) != 0 ||
	    read_intervals(r, jv, where, st) != 0)
		return -1;
	if (!cJSON_IsObject(jr))
		return bad(r, where, "\"requests\" must be an object");
	return num(r, jr, where, "base", &st->req_base) != 0 ||
	    num(r, jr, where, "t0", &st->req_t0) != 0 ||
	    num(r, jr, where, "rps", &st->req_rps) != 0 ? -1 : 0;
}

static int
read_versions(struct rd *r, const cJSON *jm, const char *where,
    const struct hd_model *m, struct hd_saved *s)
{
	const cJSON	*jvs, *jv;
	const char	*name;
	struct hd_version	*v;
	char			*w, *seen;
	size_t			 i = 0, k, full = 0;
	int			 rc = 0;

	if ((jvs = array(r, jm, where, "versions", m->nversions)) == NULL)
		return -1;
	seen = xcalloc(m->nversions, 1);
	cJSON_ArrayForEach(jv, jvs) {
		w = xasprintf("%s.versions[%zu]", where, i++);
		if ((name = str(r, jv, w, "name")) == NULL)
			rc = -1;
		else if ((v = fleet_version((struct hd_model *)m, name)) == NULL)
			rc = bad(r, w, "model %s has no version %s in the fleet "
			    "file", m->name, name);
		else if (seen[k = (size_t)(v - m->versions)]++)
			rc = bad(r, w, "version %s appears twice", name);
		else if ((rc = read_version(r, jv, w, &s->st[k])) == 0)
			full += s->st[k].stage == HD_FULL;
		free(w);
		if (rc != 0)
			break;
	}
	for (k = 0; rc == 0 && k < m->nversions; k++) {
		if (!seen[k])
			rc = bad(r, where, "version %s of model %s is missing",
			    m->versions[k].name, m->name);
	}
	free(seen);
	if (rc == 0 && full > 1)
		rc = bad(r, where, "model %s has %zu full versions", m->name,
		    full);
	return rc;
}

static int
read_model(struct rd *r, const cJSON *jm, const char *where,
    const struct hd_model *m, struct hd_saved *s)
{
	const cJSON		*js, *e;
	struct hd_version	*v;

	if (read_versions(r, jm, where, m, s) != 0 ||
	    (js = array(r, jm, where, "rollback_stack", HD_MAX_INTERVALS)) ==
	    NULL)
		return -1;
	s->nprev_full = 0;
	cJSON_ArrayForEach(e, js) {
		if (!cJSON_IsString(e) || (v = fleet_version((struct hd_model *)m,
		    e->valuestring)) == NULL)
			return bad(r, where, "\"rollback_stack\" names a version "
			    "model %s does not have", m->name);
		s->prev_full[s->nprev_full++] = (int)(v - m->versions);
	}
	return 0;
}

static struct hd_model *
served(struct hostd *h, const char *name, size_t *idx)
{
	for (*idx = 0; *idx < h->nmodels; (*idx)++) {
		if (strcmp(h->models[*idx]->name, name) == 0)
			return h->models[*idx];
	}
	return NULL;
}

static int
read_models(struct rd *r, struct hostd *h, const cJSON *doc, struct loaded *l)
{
	const cJSON	*jms, *jm;
	const char	*name;
	char		*w;
	size_t		 i = 0, k;
	int		 rc = 0;

	if ((jms = array(r, doc, "", "models", h->nmodels)) == NULL)
		return -1;
	cJSON_ArrayForEach(jm, jms) {
		w = xasprintf("models[%zu]", i++);
		if ((name = str(r, jm, w, "name")) == NULL)
			rc = -1;
		else if (served(h, name, &k) == NULL)
			rc = bad(r, w, "host %s does not serve a model %s",
			    h->host->name, name);
		else if (l->models[k].st != NULL)
			rc = bad(r, w, "model %s appears twice", name);
		else {
			l->models[k].st = xcalloc(h->models[k]->nversions,
			    sizeof *l->models[k].st);
			rc = read_model(r, jm, w, h->models[k], &l->models[k]);
		}
		free(w);
		if (rc != 0)
			return -1;
	}
	for (k = 0; k < h->nmodels; k++) {
		if (l->models[k].st == NULL)
			return bad(r, "", "model %s is missing",
			    h->models[k]->name);
	}
	return 0;
}

static int
read_answer(struct rd *r, struct hostd *h, const cJSON *ja, const char *w,
    struct hd_idem *e)
{
	const char	*model, *id, *req, *ans;
	int64_t		 status;
	size_t		 k;

	if ((model = str(r, ja, w, "model")) == NULL ||
	    (id = str(r, ja, w, "request_id")) == NULL ||
	    (req = str(r, ja, w, "request")) == NULL ||
	    (ans = str(r, ja, w, "answer")) == NULL ||
	    integer(r, ja, w, "status", 100, 599, &status) != 0)
		return -1;
	if (served(h, model, &k) == NULL)
		return bad(r, w, "host %s does not serve a model %s",
		    h->host->name, model);
	if (*id == '\0')
		return bad(r, w, "empty \"request_id\"");
	e->model = xstrdup(model);
	e->request_id = xstrdup(id);
	e->request = xstrdup(req);
	e->answer = xstrdup(ans);
	e->status = (int)status;
	return 0;
}

static int
read_answers(struct rd *r, struct hostd *h, const cJSON *doc,
    struct loaded *l)
{
	const cJSON	*jas, *ja;
	char		*w;
	size_t		 i = 0, n, skip;
	int		 rc = 0;

	if ((jas = array(r, doc, "", "answers", SIZE_MAX)) == NULL)
		return -1;
	n = (size_t)cJSON_GetArraySize(jas);
	/* a file from a build that kept more: keep the newest */
	skip = n > HD_MAX_ANSWERS ? n - HD_MAX_ANSWERS : 0;
	l->cap = n - skip + 1;
	l->idem = xcalloc(l->cap, sizeof *l->idem);
	cJSON_ArrayForEach(ja, jas) {
		if (i++ < skip)
			continue;
		w = xasprintf("answers[%zu]", i - 1);
		rc = read_answer(r, h, ja, w, &l->idem[l->nidem]);
		free(w);
		if (rc != 0)
			return -1;
		l->nidem++;
	}
	return 0;
}

/* 1 when the file's clock is this run's, 0 when not, -1 on error. */
static int
read_clock(struct rd *r, struct hostd *h, const cJSON *doc)
{
	const cJSON	*jc = cJSON_GetObjectItemCaseSensitive(doc, "clock");
	const char	*seed;
	char		 mine[32];
	double		 speed = 0, start = 0;
	int64_t		 epoch;

	if (!cJSON_IsObject(jc))
		return bad(r, "", "\"clock\" must be an object");
	if (integer(r, jc, "clock", "epoch_ms", -9e15, 9e15, &epoch) != 0 ||
	    num(r, jc, "clock", "speed", &speed) != 0 ||
	    num(r, jc, "clock", "start_at_s", &start) != 0 ||
	    (seed = str(r, jc, "clock", "seed")) == NULL)
		return -1;
	snprintf(mine, sizeof mine, "%" PRIu64, h->fleet->seed);
	return epoch == h->epoch_ms && speed == h->speed &&
	    start == h->start_at && strcmp(seed, mine) == 0;
}

static int
read_doc(struct rd *r, struct hostd *h, const cJSON *doc, struct loaded *l)
{
	const cJSON	*jf = cJSON_GetObjectItemCaseSensitive(doc, "format");
	const cJSON	*jv = cJSON_GetObjectItemCaseSensitive(doc, "version");
	const char	*host;

	if (!cJSON_IsObject(doc) || !cJSON_IsString(jf) ||
	    strcmp(jf->valuestring, HD_STATE_FORMAT) != 0)
		return bad(r, "", "not a modeldeck-hostd state file (no "
		    "\"format\": \"" HD_STATE_FORMAT "\")");
	if (!cJSON_IsNumber(jv) || jv->valuedouble != HD_STATE_VERSION)
		return bad(r, "", "state format version %g, this build reads %d",
		    cJSON_IsNumber(jv) ? jv->valuedouble : 0, HD_STATE_VERSION);
	if ((host = str(r, doc, "", "host")) == NULL)
		return -1;
	if (strcmp(host, h->host->name) != 0)
		return bad(r, "", "it is host %s's, not %s's", host,
		    h->host->name);
	if ((l->same_clock = read_clock(r, h, doc)) == -1)
		return -1;
	return read_models(r, h, doc, l) != 0 ||
	    read_answers(r, h, doc, l) != 0 ? -1 : 0;
}

/* The file's text; NULL with *missing set when it does not exist. */
static char *
slurp(struct rd *r, int *missing)
{
	FILE		*f = fopen(r->file, "r");
	struct strbuf	 b = { 0 };
	char		 buf[65536];
	size_t		 n;
	int		 err;

	*missing = 0;
	if (f == NULL) {
		if (errno == ENOENT) {
			*missing = 1;
			return NULL;
		}
		xcause(r->cause, "state file %s: cannot read it: %s", r->file,
		    strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&b, buf, n);
	err = ferror(f) ? errno : 0;
	fclose(f);
	if (err != 0) {
		strbuf_free(&b);
		xcause(r->cause, "state file %s: cannot read it: %s", r->file,
		    strerror(err));
		return NULL;
	}
	if (b.s == NULL)
		return xstrdup("");
	return strbuf_take(&b);
}

/* Apply what was read: every model's state, then the answers. */
static void
commit(struct hostd *h, struct loaded *l)
{
	struct hd_model		*m;
	struct hd_state		*st;
	size_t			 i, k;
	double			 t = ops_now(h);

	for (i = 0; i < h->nmodels; i++) {
		m = h->models[i];
		for (k = 0; k < m->nversions; k++) {
			st = &l->models[i].st[k];
			if (l->same_clock) {
				m->versions[k].st = *st;
				continue;
			}
			ops_change(h, &m->versions[k], st->stage, st->traffic,
			    st->loaded, t);
			m->versions[k].st.since_ms = st->since_ms;
		}
		memcpy(m->prev_full, l->models[i].prev_full,
		    sizeof m->prev_full);
		m->nprev_full = l->models[i].nprev_full;
	}
	action_free_all(h);
	h->idem = l->idem;
	h->nidem = l->nidem;
	h->idem_cap = l->cap;
	l->idem = NULL;
	l->nidem = 0;
}

static void
loaded_free(struct hostd *h, struct loaded *l)
{
	size_t	i;

	for (i = 0; i < h->nmodels; i++)
		free(l->models[i].st);
	free(l->models);
	for (i = 0; i < l->nidem; i++)
		action_free_idem(&l->idem[i]);
	free(l->idem);
}

/*
 * Read h->state_path into the served models and the idempotent answers,
 * after ops_init_state.  1 when restored, 0 when there is no file yet (the
 * fleet file's deployments stand), -1 with *cause (naming the file) when
 * it cannot be read or is not a valid state of this host: nothing changed.
 */
int
state_load(struct hostd *h, char **cause)
{
	struct rd	 r = { h->state_path, cause };
	struct loaded	 l = { 0 };
	cJSON		*doc;
	const char	*end = NULL;
	char		*text;
	int		 missing, rc = -1;

	if ((text = slurp(&r, &missing)) == NULL)
		return missing ? 0 : -1;
	doc = cJSON_ParseWithLengthOpts(text, strlen(text), &end, 0);
	if (text[0] == '\0')
		bad(&r, "", "the file is empty");
	else if (doc == NULL)
		bad(&r, "", "not valid JSON at byte %td of %zu (cut short or "
		    "damaged)", end != NULL ? end - text : (ptrdiff_t)0,
		    strlen(text));
	else {
		l.models = xcalloc(h->nmodels + 1, sizeof *l.models);
		if (read_doc(&r, h, doc, &l) == 0) {
			commit(h, &l);
			rc = 1;
		}
		loaded_free(h, &l);
	}
	cJSON_Delete(doc);
	free(text);
	return rc;
}
