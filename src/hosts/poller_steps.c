/*
 * poller_steps: the requests of a host's cycle and what each answer does
 * (see poller.h for the cycle, poller.c for scheduling and states).  Every
 * request carries a struct req naming its host, its version (for
 * reference/samples/labels) and its kind; its callback hands the answer
 * to the step's handler, which may chain the next request (a version's
 * reference -> samples pages -> labels pages), then decrements the host's
 * pending count and, when it reaches zero, finishes the cycle.  What a
 * version does with its pages (store, window) lives in pollfeed.c.
 *
 * Ownership: a struct req and its URL belong to the poller's list of live
 * requests from poller_steps_start until its callback ran or
 * poller_steps_free took it out (poller_free, for those still in flight).
 */
#include <stdlib.h>
#include <string.h>

#include "hosts/contract.h"
#include "hosts/http.h"
#include "hosts/poller.h"
#include "hosts/poller_int.h"
#include "hosts/pollfeed.h"
#include "hosts/prom.h"
#include "hosts/promapi.h"
#include "util/xmalloc.h"

#define MAX_PAGES_PER_CYCLE	50	/* per stream and version; rest next cycle */

static const char *const req_names[] = {
	[REQ_HEALTH] = "health", [REQ_DEPLOYMENTS] = "deployments",
	[REQ_METRICS] = "/metrics", [REQ_PROMQUERY] = "prometheus",
	[REQ_REFERENCE] = "reference", [REQ_SAMPLES] = "samples",
	[REQ_LABELS] = "labels",
};

struct req {
	struct phost	*h;
	struct pfeed	*v;		/* NULL for host-wide requests */
	enum req_kind	 kind;
	int		 tries;
	char		*url;
	struct req	*prev, *next;	/* in the poller's list of live requests */
};

static void	next_stream_step(struct phost *, struct pfeed *, enum req_kind);

void
poller_steps_free(struct req *r)
{
	struct poller *p = r->h->p;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else if (p->reqs == r)
		p->reqs = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	free(r->url);
	free(r);
}

/* A failure of request r: remembered for the host's state. */
static void
note_failure(struct phost *h, struct req *r, enum http_result res,
    const char *error)
{
	char *what;

	if (res == HTTP_ERR_AUTH) {
		h->auth = 1;
		if (h->auth_err == NULL)
			h->auth_err = xstrdup(error);
		return;
	}
	if (r->kind == REQ_HEALTH) {
		set_str(&h->health_err, xstrdup(error));
		return;
	}
	h->nfail++;
	if (h->first_err != NULL)
		return;
	if (r->v != NULL)
		what = xasprintf("%s@%s %s: %s", pollfeed_model(r->v),
		    pollfeed_version(r->v), req_names[r->kind], error);
	else
		what = xasprintf("%s: %s", req_names[r->kind], error);
	h->first_err = what;
	if (r->v != NULL)
		pollfeed_set_error(r->v, what);
}

/* Fast failures are worth one more try in the same cycle; timeouts not. */
static int
retryable(const struct http_response *resp)
{
	return resp->result == HTTP_ERR_RESET ||
	    (resp->result == HTTP_ERR_STATUS && resp->status >= 500);
}

static void
on_metrics(struct phost *h, struct http_response *resp, struct req *r)
{
	char *cause = NULL;
	int rc;

	if (r->kind == REQ_METRICS) {
		prom_scrape_free(&h->cur);
		rc = prom_parse(resp->body, resp->len, 0, &h->cur, &cause);
	} else
		rc = promapi_parse(resp->body, resp->len, &h->cur, &cause);
	if (rc != 0) {
		note_failure(h, r, HTTP_ERR_OTHER, cause);
		free(cause);
		return;
	}
	h->have_cur = 1;
	h->nok++;
}

/* The deployments arrived: know the versions, start their streams. */
static void
on_deployments(struct phost *h, struct http_response *resp, struct req *r)
{
	struct poller *p = h->p;
	struct contract_deployments d = { 0 };
	struct pfeed *v;
	char *cause = NULL, *sel, *path, *url;
	size_t i, j;

	if (contract_parse_deployments(resp->body, resp->len, &d, &cause)) {
		note_failure(h, r, HTTP_ERR_OTHER, cause);
		free(cause);
		return;
	}
	h->nok++;
	contract_deployments_free(&h->deps);
	h->deps = d;
	h->got_deployments = 1;
	for (j = 0; j < p->nfeeds; j++) {
		if (pollfeed_on_host(p->feeds[j], h->name))
			pollfeed_deployed(p->feeds[j], NULL);
	}
	for (i = 0; i < d.n; i++) {
		v = NULL;
		for (j = 0; j < p->nfeeds && v == NULL; j++) {
			if (pollfeed_is(p->feeds[j], h->name, d.v[i].model,
			    d.v[i].version))
				v = p->feeds[j];
		}
		if (v == NULL) {
			v = pollfeed_new(h->name, d.v[i].model, d.v[i].version,
			    p->store, &p->opts);
			p->feeds = xreallocarray(p->feeds, p->nfeeds + 1,
			    sizeof *p->feeds);
			p->feeds[p->nfeeds++] = v;
		}
		pollfeed_deployed(v, &d.v[i]);
		if (d.v[i].stage != CONTRACT_STAGE_RETIRED)
			next_stream_step(h, v, REQ_REFERENCE);
		/* One Prometheus query per model, at its first version. */
		for (j = 0; j < i && strcmp(d.v[j].model, d.v[i].model); j++)
			;
		if (h->prom_url == NULL || j < i)
			continue;
		sel = promapi_model_selector(d.v[i].model, h->prom_matchers);
		path = promapi_query_path(sel);
		url = xasprintf("%s%s", h->prom_url, path);
		poller_steps_start(h, NULL, REQ_PROMQUERY, url);
		free(url);
		free(path);
		free(sel);
	}
}

/*
 * The next request of a version's chain: reference (unless cached) ->
 * samples pages -> labels pages.  `from` is the step just done;
 * REQ_REFERENCE also starts the chain.
 */
static void
next_stream_step(struct phost *h, struct pfeed *v, enum req_kind from)
{
	char *url, *q;
	enum req_kind k;
	int labels;

	if (from == REQ_REFERENCE && !pollfeed_has_reference(v)) {
		q = pollfeed_path(v, "reference", NULL, 0);
		url = xasprintf("%s%s", h->url, q);
		poller_steps_start(h, v, REQ_REFERENCE, url);
		free(url);
		free(q);
		return;
	}
	if (from == REQ_REFERENCE) {
		pollfeed_cycle_start(v);
		k = REQ_SAMPLES;
	} else if (from == REQ_SAMPLES)
		k = pollfeed_more(v, 0) && pollfeed_pages(v, 0) <
		    MAX_PAGES_PER_CYCLE ? REQ_SAMPLES : REQ_LABELS;
	else if (pollfeed_more(v, 1) && pollfeed_pages(v, 1) <
	    MAX_PAGES_PER_CYCLE)
		k = REQ_LABELS;
	else
		return;
	labels = k == REQ_LABELS;
	q = pollfeed_path(v, labels ? "labels" : "samples",
	    pollfeed_cursor(v, labels), h->p->opts.page_limit);
	url = xasprintf("%s%s", h->url, q);
	poller_steps_start(h, v, k, url);
	free(url);
	free(q);
}

static void
on_stream(struct phost *h, struct http_response *resp, struct req *r)
{
	char *cause = NULL;
	int rc;

	switch (r->kind) {
	case REQ_REFERENCE:
		rc = pollfeed_reference(r->v, resp->body, resp->len, &cause);
		break;
	case REQ_SAMPLES:
		rc = pollfeed_samples(r->v, resp->body, resp->len, &cause);
		break;
	default:
		rc = pollfeed_labels(r->v, resp->body, resp->len, &cause);
		break;
	}
	if (rc != 0) {
		note_failure(h, r, HTTP_ERR_OTHER, cause);
		free(cause);
		return;
	}
	h->nok++;
	next_stream_step(h, r->v, r->kind);
}

static void
on_done(void *arg, struct http_response *resp)
{
	struct req *r = arg, *again;
	struct phost *h = r->h;

	h->pending--;
	if (resp->result != HTTP_OK && retryable(resp) &&
	    r->tries < h->p->opts.retry_max) {
		again = poller_steps_start(h, r->v, r->kind, r->url);
		if (again != NULL)
			again->tries = r->tries + 1;
	} else if (resp->result != HTTP_OK) {
		if (resp->status == 404 && r->kind == REQ_METRICS)
			add_note(h, "no /metrics");
		else if (resp->status == 404 && r->kind == REQ_DEPLOYMENTS)
			add_note(h, "no monitoring endpoints (/ops/v1)");
		else if (resp->status == 404 && r->kind == REQ_HEALTH)
			h->health_ok = 1;
		else
			note_failure(h, r, resp->result, resp->error);
	} else if (r->kind == REQ_HEALTH) {
		h->health_ok = 1;
		h->nok++;
	} else if (r->kind == REQ_DEPLOYMENTS)
		on_deployments(h, resp, r);
	else if (r->kind == REQ_METRICS || r->kind == REQ_PROMQUERY)
		on_metrics(h, resp, r);
	else
		on_stream(h, resp, r);
	poller_steps_free(r);
	if (h->pending == 0 && h->busy)
		poller_finish_cycle(h);
}

struct req *
poller_steps_start(struct phost *h, struct pfeed *v, enum req_kind kind,
    const char *url)
{
	struct poller *p = h->p;
	struct http_request hr = { 0 };
	struct req *r = xcalloc(1, sizeof *r);
	char *cause = NULL;

	r->h = h;
	r->v = v;
	r->kind = kind;
	r->url = xstrdup(url);
	hr.url = r->url;
	hr.host_name = h->name;
	hr.token = kind == REQ_PROMQUERY ? NULL : h->token;
	hr.ca_file = kind == REQ_PROMQUERY ? NULL : h->ca_file;
	hr.connect_timeout_ms = (long)p->opts.connect_timeout_ms;
	hr.timeout_ms = (long)p->opts.timeout_ms;
	hr.max_body = (size_t)p->opts.max_body;
	if (http_start(p->http, &hr, on_done, r, &cause) < 0) {
		note_failure(h, r, HTTP_ERR_OTHER, cause);
		free(cause);
		poller_steps_free(r);
		return NULL;
	}
	h->pending++;
	r->next = p->reqs;
	if (p->reqs != NULL)
		p->reqs->prev = r;
	p->reqs = r;
	return r;
}
