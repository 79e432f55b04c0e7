/*
 * action.c: POST /ops/v1/models/{model}/actions, set_stage and rollback.
 *
 * Idempotency: once a request has a request_id, its answer (whatever the
 * status) is stored with the canonical request text; the same request_id
 * with the same request answers the stored text and changes nothing, with a
 * different request it is a 409.  The newest HD_MAX_ANSWERS answers are
 * kept (struct hostd owns them, oldest first; action_free_all releases
 * them).  With --state, the change and its answer are saved (state.c)
 * before the answer leaves; when saving fails the change is undone, nothing
 * is remembered and the answer is a 503, so a retry applies it afresh.
 *
 * Deployment rules: at most one full version; live (full and canary)
 * shares add up to 100; a canary needs a full version to split with; the
 * full version leaves traffic only by promotion of another or rollback.
 */
#include "hostd/hostd.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

struct action {
	struct hostd	*h;
	struct hd_model	*m;
	const cJSON	*req;
	double		 t;
	int		 status;
	char		*error;
};

static int
fail(struct action *a, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct action *a, int status, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	a->error = xvasprintf(fmt, ap);
	va_end(ap);
	a->status = status;
	return -1;
}

static int
canary_sum(struct hd_model *m, struct hd_version *except)
{
	size_t	i;
	int	sum = 0;

	for (i = 0; i < m->nversions; i++) {
		if (&m->versions[i] != except &&
		    m->versions[i].st.stage == HD_CANARY)
			sum += m->versions[i].st.traffic;
	}
	return sum;
}

static void
push_prev(struct hd_model *m, struct hd_version *v)
{
	if (m->nprev_full == HD_MAX_INTERVALS) {
		memmove(m->prev_full, m->prev_full + 1,
		    (HD_MAX_INTERVALS - 1) * sizeof *m->prev_full);
		m->nprev_full--;
	}
	m->prev_full[m->nprev_full++] = (int)(v - m->versions);
}

static void
retire_live(struct action *a, struct hd_version *keep)
{
	struct hd_version	*v;
	size_t			 i;

	for (i = 0; i < a->m->nversions; i++) {
		v = &a->m->versions[i];
		if (v != keep && (v->st.stage == HD_CANARY ||
		    v->st.stage == HD_FULL))
			ops_change(a->h, v, HD_RETIRED, 0, v->st.loaded, a->t);
	}
}

static int
stage_full(struct action *a, struct hd_version *v, int pct)
{
	struct hd_version	*f = ops_full(a->m);
	int			 others = canary_sum(a->m, v);

	if (pct < 0)
		pct = 100 - others;
	if (pct != 100 && pct + others != 100)
		return fail(a, 409, "traffic of live versions would add up to "
		    "%d, not 100", pct + others);
	if (f != NULL && f != v) {
		push_prev(a->m, f);
		ops_change(a->h, f, HD_RETIRED, 0, f->st.loaded, a->t);
	}
	if (pct == 100)
		retire_live(a, v);
	ops_change(a->h, v, HD_FULL, pct, 1, a->t);
	return 0;
}

static int
stage_canary(struct action *a, struct hd_version *v, int pct)
{
	struct hd_version	*f = ops_full(a->m);
	int			 others = canary_sum(a->m, v);

	if (pct < 0)
		pct = 10;
	if (pct < 1 || pct > 99)
		return fail(a, 400, "a canary takes traffic_percent 1 to 99");
	if (f == v)
		return fail(a, 409, "version %s is the full version: promote "
		    "another version or roll back instead", v->name);
	if (f == NULL)
		return fail(a, 409, "no full version to split traffic with");
	if (others + pct > 99)
		return fail(a, 409, "canaries would take %d%% of traffic",
		    others + pct);
	ops_change(a->h, v, HD_CANARY, pct, 1, a->t);
	ops_change(a->h, f, HD_FULL, 100 - others - pct, 1, a->t);
	return 0;
}

static int
stage_off(struct action *a, struct hd_version *v, enum hd_stage stage)
{
	struct hd_version *f = ops_full(a->m);

	if (f == v)
		return fail(a, 409, "version %s is the full version: promote "
		    "another version or roll back instead", v->name);
	ops_change(a->h, v, stage, 0, stage == HD_SHADOW ? 1 : v->st.loaded,
	    a->t);
	if (f != NULL)
		ops_change(a->h, f, HD_FULL, 100 - canary_sum(a->m, NULL), 1,
		    a->t);
	return 0;
}

static int
set_stage(struct action *a)
{
	const cJSON		*jv, *js, *jp;
	struct hd_version	*v;
	enum hd_stage		 stage;
	int			 pct = -1;

	jv = cJSON_GetObjectItemCaseSensitive(a->req, "version");
	js = cJSON_GetObjectItemCaseSensitive(a->req, "stage");
	jp = cJSON_GetObjectItemCaseSensitive(a->req, "traffic_percent");
	if (!cJSON_IsString(jv) || !cJSON_IsString(js))
		return fail(a, 400, "set_stage needs \"version\" and \"stage\" "
		    "strings");
	if (fleet_stage_parse(js->valuestring, &stage) != 0)
		return fail(a, 400, "unknown stage \"%s\" (shadow, canary, "
		    "full, retired)", js->valuestring);
	if (jp != NULL) {
		if (!cJSON_IsNumber(jp) || jp->valuedouble < 0 ||
		    jp->valuedouble > 100 ||
		    jp->valuedouble != (int)jp->valuedouble)
			return fail(a, 400, "traffic_percent must be an integer "
			    "from 0 to 100");
		pct = (int)jp->valuedouble;
	}
	if ((v = fleet_version(a->m, jv->valuestring)) == NULL)
		return fail(a, 404, "model %s has no version %s", a->m->name,
		    jv->valuestring);
	switch (stage) {
	case HD_FULL:
		return stage_full(a, v, pct);
	case HD_CANARY:
		return stage_canary(a, v, pct);
	default:
		return stage_off(a, v, stage);
	}
}

static int
rollback(struct action *a)
{
	const cJSON		*jt;
	struct hd_version	*f = ops_full(a->m), *to = NULL;
	size_t			 i;

	jt = cJSON_GetObjectItemCaseSensitive(a->req, "to_version");
	if (jt != NULL && !cJSON_IsString(jt))
		return fail(a, 400, "\"to_version\" must be a string");
	if (jt != NULL && (to = fleet_version(a->m, jt->valuestring)) == NULL)
		return fail(a, 404, "model %s has no version %s", a->m->name,
		    jt->valuestring);
	if (f == NULL)
		return fail(a, 409, "model %s has no full version to roll back "
		    "from", a->m->name);
	if (to == NULL && a->m->nprev_full > 0)
		to = &a->m->versions[a->m->prev_full[a->m->nprev_full - 1]];
	if (to == NULL && canary_sum(a->m, NULL) > 0)
		to = f;
	if (to == NULL)
		return fail(a, 409, "model %s has no older version to roll back "
		    "to", a->m->name);
	if (to == f && canary_sum(a->m, NULL) == 0)
		return fail(a, 409, "nothing to roll back: version %s already "
		    "serves all traffic", f->name);
	for (i = 0; i < a->m->nprev_full; i++) {
		if (a->m->prev_full[i] == (int)(to - a->m->versions)) {
			memmove(&a->m->prev_full[i], &a->m->prev_full[i + 1],
			    (a->m->nprev_full - i - 1) * sizeof *a->m->prev_full);
			a->m->nprev_full--;
			break;
		}
	}
	retire_live(a, to);
	ops_change(a->h, to, HD_FULL, 100, 1, a->t);
	return 0;
}

static char *
answer(struct action *a, const char *request_id)
{
	struct strbuf b = { 0 };

	if (a->status != 200) {
		strbuf_adds(&b, "{\"error\":");
		strbuf_add_json_string(&b, a->error);
		strbuf_adds(&b, ",\"request_id\":");
		strbuf_add_json_string(&b, request_id);
		strbuf_addc(&b, '}');
		return strbuf_take(&b);
	}
	strbuf_adds(&b, "{\"request_id\":");
	strbuf_add_json_string(&b, request_id);
	strbuf_adds(&b, ",\"status\":\"applied\",\"deployments\":[");
	ops_add_deployments(a->h, &b, a->m);
	strbuf_adds(&b, "]}");
	return strbuf_take(&b);
}

static struct hd_idem *
idem_find(struct hostd *h, const char *model, const char *id)
{
	size_t	i;

	for (i = 0; i < h->nidem; i++) {
		if (strcmp(h->idem[i].request_id, id) == 0 &&
		    strcmp(h->idem[i].model, model) == 0)
			return &h->idem[i];
	}
	return NULL;
}

/* Append e, dropping the oldest answer into *old when the table is full. */
static void
idem_push(struct hostd *h, const struct hd_idem *e, struct hd_idem *old)
{
	memset(old, 0, sizeof *old);
	if (h->nidem == HD_MAX_ANSWERS) {
		*old = h->idem[0];
		memmove(h->idem, h->idem + 1, (h->nidem - 1) * sizeof *h->idem);
		h->nidem--;
	}
	if (h->nidem == h->idem_cap) {
		h->idem_cap += 64;
		h->idem = xreallocarray(h->idem, h->idem_cap, sizeof *h->idem);
	}
	h->idem[h->nidem++] = *e;
}

/* Undo idem_push: drop the newest answer, put old back in front. */
static void
idem_pop(struct hostd *h, struct hd_idem *old)
{
	action_free_idem(&h->idem[--h->nidem]);
	if (old->model == NULL)
		return;
	memmove(h->idem + 1, h->idem, h->nidem * sizeof *h->idem);
	h->idem[0] = *old;
	h->nidem++;
}

static void
run(struct action *a)
{
	const cJSON *jact = cJSON_GetObjectItemCaseSensitive(a->req, "action");

	a->status = 200;
	if (!cJSON_IsString(jact))
		fail(a, 400, "\"action\" must be a string");
	else if (strcmp(jact->valuestring, "set_stage") == 0)
		set_stage(a);
	else if (strcmp(jact->valuestring, "rollback") == 0)
		rollback(a);
	else
		fail(a, 400, "unknown action \"%s\" (set_stage, rollback)",
		    jact->valuestring);
}

static void
apply(struct action *a, const char *id, const char *canon, struct hd_reply *r)
{
	struct hd_idem	*e, new, old;
	struct hd_saved	 saved;
	struct hostd	*h = a->h;
	char		*cause = NULL;

	if ((e = idem_find(h, a->m->name, id)) != NULL) {
		if (strcmp(e->request, canon) == 0)
			server_reply_json(r, e->status, xstrdup(e->answer));
		else
			server_reply_error(r, 409, "request_id %s was already "
			    "used for a different request", id);
		return;
	}
	state_snapshot(a->m, &saved);
	run(a);
	server_reply_json(r, a->status, answer(a, id));
	new.model = xstrdup(a->m->name);
	new.request_id = xstrdup(id);
	new.request = xstrdup(canon);
	new.status = a->status;
	new.answer = xstrdup(r->body);
	idem_push(h, &new, &old);
	if (state_save(h, &cause) != 0) {
		idem_pop(h, &old);
		state_restore(a->m, &saved);
		fprintf(stderr, "modeldeck-hostd: %s\n", cause);
		server_reply_error(r, 503, "%s; request %s was not applied",
		    cause, id);
		free(cause);
		return;
	}
	action_free_idem(&old);
	free(saved.st);
}

/* POST /ops/v1/models/{model}/actions with a JSON body. */
void
action_post(struct hostd *h, struct hd_model *m, const char *body, size_t len,
    struct hd_reply *r)
{
	struct action	 a = { .h = h, .m = m };
	cJSON		*req = cJSON_ParseWithLength(body, len);
	const cJSON	*jid;
	char		*canon;

	if (req == NULL || !cJSON_IsObject(req)) {
		server_reply_error(r, 400, "request body is not a JSON object");
		cJSON_Delete(req);
		return;
	}
	jid = cJSON_GetObjectItemCaseSensitive(req, "request_id");
	if (!cJSON_IsString(jid) || jid->valuestring[0] == '\0' ||
	    strlen(jid->valuestring) > 200) {
		server_reply_error(r, 400, "\"request_id\" must be a non-empty "
		    "string of at most 200 characters");
		cJSON_Delete(req);
		return;
	}
	canon = cJSON_PrintUnformatted(req);
	a.req = req;
	pthread_mutex_lock(&h->lock);
	a.t = ops_now(h);
	apply(&a, jid->valuestring, canon, r);
	pthread_mutex_unlock(&h->lock);
	free(a.error);
	free(canon);
	cJSON_Delete(req);
}

/* Free one stored answer's strings (NULL ones included). */
void
action_free_idem(struct hd_idem *e)
{
	free(e->model);
	free(e->request_id);
	free(e->request);
	free(e->answer);
	memset(e, 0, sizeof *e);
}

/* Free every stored idempotent answer. */
void
action_free_all(struct hostd *h)
{
	size_t	i;

	for (i = 0; i < h->nidem; i++)
		action_free_idem(&h->idem[i]);
	free(h->idem);
	h->idem = NULL;
	h->nidem = h->idem_cap = 0;
}
