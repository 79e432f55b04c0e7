/*
 * poller: the per-host state machine (see poller.h for the cycle and the
 * state rules): creating and freeing the poller, starting each host's
 * cycle when it is due, deciding the host's state when the cycle is over
 * (with backoff after a failed one), and the views handed out.  The
 * requests of a cycle and what each answer does are in poller_steps.c
 * (poller_int.h is what the two share); what a version does with its
 * pages (store, window) lives in pollfeed.c.
 *
 * Invariant: a host is busy (in a cycle) exactly while pending > 0, or
 * for the instant between starting a cycle and finishing it.
 *
 * Ownership: the poller owns its hosts and their strings (a token is
 * wiped before it is freed), the feeds of every version seen and the
 * requests in flight; the configuration and the store are borrowed.
 */
#include "hosts/poller.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/trust.h"
#include "hosts/contract.h"
#include "hosts/http.h"
#include "hosts/poller_int.h"
#include "hosts/pollfeed.h"
#include "hosts/prom.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

const char *
poller_state_name(enum poller_state s)
{
	static const char *const names[] = {
		[POLLER_UNKNOWN] = "unknown", [POLLER_UP] = "up",
		[POLLER_DEGRADED] = "degraded", [POLLER_DOWN] = "down",
		[POLLER_UNAUTHORIZED] = "unauthorized",
	};

	return names[s];
}

static char *
dupornull(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* A host's last success outlives the process: take it from the store. */
static void
seed_last_ok(struct poller *p)
{
	struct store_host *sh = NULL;
	size_t i, j, n = 0;
	char *cause = NULL;

	if (p->store->ops->host_list(p->store, &sh, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < p->nhosts; j++) {
			if (strcmp(sh[i].name, p->hosts[j].name) == 0)
				p->hosts[j].last_ok_ms = sh[i].last_ok_ms;
		}
	}
	store_host_free(sh, n);
}

/*
 * Refill the windows of the versions the store knows before any transfer
 * runs: the refill is O(window) and would otherwise eat into the timeouts
 * of transfers in flight.
 */
static void
preload_feeds(struct poller *p)
{
	struct store_deployment *d = NULL;
	struct pfeed *v;
	size_t i, j, n = 0;
	char *cause = NULL;

	if (p->store->ops->deployment_list(p->store, &d, &n, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < p->nhosts; j++) {
			if (strcmp(d[i].host, p->hosts[j].name) == 0)
				break;
		}
		if (j == p->nhosts || strcmp(d[i].stage, "retired") == 0)
			continue;
		v = pollfeed_new(d[i].host, d[i].model, d[i].version, p->store,
		    &p->opts);
		p->feeds = xreallocarray(p->feeds, p->nfeeds + 1,
		    sizeof *p->feeds);
		p->feeds[p->nfeeds++] = v;
		pollfeed_has_reference(v);
	}
	store_deployment_free(d, n);
}

struct poller *
poller_new(const struct poller_host_conf *hosts, size_t n,
    const struct config_options *opts, struct store *st)
{
	struct poller *p = xcalloc(1, sizeof *p);
	struct phost *h;
	size_t i, len;

	if (opts != NULL)
		p->opts = *opts;
	else if (options_defaults(options_global, &p->opts, NULL) != 0)
		abort();
	p->http = http_new();
	p->store = st;
	p->hosts = xcalloc(n ? n : 1, sizeof *p->hosts);
	p->nhosts = n;
	for (i = 0; i < n; i++) {
		h = &p->hosts[i];
		h->p = p;
		h->name = xstrdup(hosts[i].name);
		h->url = xstrdup(hosts[i].url);
		len = strlen(h->url);
		while (len > 0 && h->url[len - 1] == '/')
			h->url[--len] = '\0';
		h->token = dupornull(hosts[i].token);
		h->token_error = dupornull(hosts[i].token_error);
		h->ca_file = dupornull(hosts[i].ca_file);
		h->prom_url = dupornull(hosts[i].prometheus_url);
		h->prom_matchers = dupornull(hosts[i].prometheus_matchers);
		h->poll_ms = 1000 * (hosts[i].poll_seconds > 0 ?
		    hosts[i].poll_seconds : p->opts.poll_seconds);
	}
	if (st != NULL) {
		seed_last_ok(p);
		preload_feeds(p);
	}
	return p;
}

struct poller *
poller_new_config(const struct config *cfg, int installed, struct store *st)
{
	struct poller_host_conf *hc;
	struct poller *p;
	char **tokens, **errors;
	size_t i, n = cfg->nhosts;

	hc = xcalloc(n ? n : 1, sizeof *hc);
	tokens = xcalloc(n ? n : 1, sizeof *tokens);
	errors = xcalloc(n ? n : 1, sizeof *errors);
	for (i = 0; i < n; i++) {
		hc[i].name = cfg->hosts[i].name;
		hc[i].url = cfg->hosts[i].url;
		hc[i].ca_file = cfg->hosts[i].ca_file;
		hc[i].prometheus_url = cfg->hosts[i].prometheus_url;
		hc[i].prometheus_matchers = cfg->hosts[i].prometheus_matchers;
		hc[i].poll_seconds = cfg->hosts[i].poll_seconds;
		if (cfg->hosts[i].token_file != NULL &&
		    trust_read_token(cfg->hosts[i].token_file, installed,
		    &tokens[i], &errors[i]) != 0)
			tokens[i] = NULL;
		hc[i].token = tokens[i];
		hc[i].token_error = errors[i];
	}
	p = poller_new(hc, n, &cfg->options, st);
	p->cfg = cfg;
	for (i = 0; i < n; i++) {
		if (tokens[i] != NULL)
			explicit_bzero(tokens[i], strlen(tokens[i]));
		free(tokens[i]);
		free(errors[i]);
	}
	free(tokens);
	free(errors);
	free(hc);
	return p;
}

static void
host_free(struct phost *h)
{
	free(h->name);
	free(h->url);
	if (h->token != NULL)
		explicit_bzero(h->token, strlen(h->token));
	free(h->token);
	free(h->token_error);
	free(h->ca_file);
	free(h->prom_url);
	free(h->prom_matchers);
	free(h->error);
	free(h->note);
	free(h->health_err);
	free(h->auth_err);
	free(h->first_err);
	strbuf_free(&h->notes);
	contract_deployments_free(&h->deps);
	prom_scrape_free(&h->cur);
	prom_scrape_free(&h->prev);
}

void
poller_free(struct poller *p)
{
	size_t i;

	if (p == NULL)
		return;
	/* Transfers first (no callback runs), then their arguments. */
	http_free(p->http);
	while (p->reqs != NULL)
		poller_steps_free(p->reqs);
	for (i = 0; i < p->nhosts; i++)
		host_free(&p->hosts[i]);
	for (i = 0; i < p->nfeeds; i++)
		pollfeed_free(p->feeds[i]);
	free(p->feeds);
	free(p->hosts);
	free(p);
}

/* --- cycles --- */

static void
start_cycle(struct poller *p, struct phost *h, int64_t now_ms)
{
	char *url;

	h->busy = 1;
	h->cycle_start = now_ms;
	h->health_ok = h->auth = h->got_deployments = 0;
	h->nok = h->nfail = 0;
	set_str(&h->health_err, NULL);
	set_str(&h->auth_err, NULL);
	set_str(&h->first_err, NULL);
	strbuf_reset(&h->notes);
	if (h->token_error != NULL) {
		h->auth = 1;
		h->auth_err = xstrdup(h->token_error);
		poller_finish_cycle(h);
		return;
	}
	url = xasprintf("%s/v2/health/ready", h->url);
	poller_steps_start(h, NULL, REQ_HEALTH, url);
	free(url);
	url = xasprintf("%s/ops/v1/deployments", h->url);
	poller_steps_start(h, NULL, REQ_DEPLOYMENTS, url);
	free(url);
	if (h->prom_url == NULL) {
		url = xasprintf("%s/metrics", h->url);
		poller_steps_start(h, NULL, REQ_METRICS, url);
		free(url);
	} else
		prom_scrape_free(&h->cur);
	(void)p;
	if (h->pending == 0)
		poller_finish_cycle(h);
}

static void
decide_state(struct phost *h)
{
	if (h->auth) {
		h->state = POLLER_UNAUTHORIZED;
		set_str(&h->error, xstrdup(h->auth_err));
	} else if (h->health_err != NULL) {
		h->state = POLLER_DOWN;
		set_str(&h->error, xstrdup(h->health_err));
	} else if (h->nok == 0 && h->nfail > 0) {
		h->state = POLLER_DOWN;
		set_str(&h->error, xstrdup(h->first_err));
	} else if (h->nfail > 0) {
		h->state = POLLER_DEGRADED;
		set_str(&h->error, xstrdup(h->first_err));
	} else {
		h->state = POLLER_UP;
		set_str(&h->error, NULL);
	}
	set_str(&h->note, h->notes.len ? xstrdup(strbuf_str(&h->notes)) : NULL);
}

/* The figures of every version of h from this cycle's scrape. */
static void
derive_host(struct phost *h)
{
	struct poller *p = h->p;
	const struct prom_model *cur, *prev;
	struct stats_thresholds t;
	size_t i;

	for (i = 0; i < p->nfeeds; i++) {
		if (!pollfeed_on_host(p->feeds[i], h->name) ||
		    !pollfeed_live(p->feeds[i]))
			continue;
		cur = h->have_cur ? prom_scrape_find(&h->cur,
		    pollfeed_model(p->feeds[i]),
		    pollfeed_version(p->feeds[i])) : NULL;
		prev = cur != NULL && h->have_prev ? prom_scrape_find(&h->prev,
		    pollfeed_model(p->feeds[i]),
		    pollfeed_version(p->feeds[i])) : NULL;
		t = p->cfg != NULL ? config_thresholds(p->cfg,
		    pollfeed_model(p->feeds[i])) : stats_thresholds_default();
		pollfeed_figures(p->feeds[i], prev, cur, &t);
	}
	if (h->have_cur) {
		prom_scrape_free(&h->prev);
		h->prev = h->cur;
		memset(&h->cur, 0, sizeof h->cur);
		h->have_prev = 1;
		h->have_cur = 0;
	}
}

static void
persist_host(struct phost *h, int64_t now_wall)
{
	struct store *st = h->p->store;
	struct store_host sh = { 0 };
	struct store_deployment *sd;
	char *cause = NULL;
	size_t i;

	if (st == NULL)
		return;
	sh.name = h->name;
	sh.url = h->url;
	sh.state = (char *)poller_state_name(h->state);
	sh.error = h->error;
	sh.last_ok_ms = h->last_ok_ms;
	sh.updated_ms = now_wall;
	if (st->ops->host_put(st, &sh, &cause) != 0)
		goto fail;
	if (!h->got_deployments)
		return;
	sd = xcalloc(h->deps.n ? h->deps.n : 1, sizeof *sd);
	for (i = 0; i < h->deps.n; i++) {
		sd[i].host = h->name;
		sd[i].model = h->deps.v[i].model;
		sd[i].version = h->deps.v[i].version;
		sd[i].stage = (char *)contract_stage_name(h->deps.v[i].stage);
		sd[i].traffic_percent = h->deps.v[i].traffic_percent;
		sd[i].since_ms = h->deps.v[i].since_ms;
	}
	i = (size_t)st->ops->deployments_put(st, h->name, sd, h->deps.n,
	    &cause);
	free(sd);
	if (i == 0)
		return;
fail:
	/* A store failure is this console's problem, not the host's. */
	add_note(h, cause);
	set_str(&h->note, xstrdup(strbuf_str(&h->notes)));
	free(cause);
}

void
poller_finish_cycle(struct phost *h)
{
	struct poller *p = h->p;
	int64_t now = timefmt_mono_ms(), wall = timefmt_now_ms(), wait;
	size_t i;

	h->busy = 0;
	decide_state(h);
	if (h->state == POLLER_UP || h->state == POLLER_DEGRADED) {
		h->last_ok_ms = wall;
		h->fails = 0;
		wait = h->poll_ms;
	} else {
		wait = p->opts.backoff_initial_ms << (h->fails < 20 ? h->fails : 20);
		if (wait > p->opts.backoff_max_ms)
			wait = p->opts.backoff_max_ms;
		if (wait < 1)
			wait = 1;
		h->fails++;
	}
	h->next_ms = now + wait;
	h->cycles++;
	h->last_cycle_ms = now - h->cycle_start;
	if (h->got_deployments || h->have_cur)
		derive_host(h);
	persist_host(h, wall);
	for (i = 0; i < p->nfeeds; i++) {
		if (pollfeed_on_host(p->feeds[i], h->name))
			pollfeed_persist_metrics(p->feeds[i], wall);
	}
}

void
poller_start_due(struct poller *p, int64_t now_ms)
{
	size_t i;

	for (i = 0; i < p->nhosts; i++) {
		if (!p->hosts[i].busy && p->hosts[i].next_ms <= now_ms)
			start_cycle(p, &p->hosts[i], now_ms);
	}
}

size_t
poller_pollfds(const struct poller *p, struct pollfd *fds, size_t max)
{
	return http_pollfds(p->http, fds, max);
}

int64_t
poller_timeout_ms(const struct poller *p, int64_t now_ms)
{
	int64_t t = http_timeout_ms(p->http), due;
	size_t i;

	for (i = 0; i < p->nhosts; i++) {
		if (p->hosts[i].busy)
			continue;
		due = p->hosts[i].next_ms - now_ms;
		if (due < 0)
			due = 0;
		if (t < 0 || due < t)
			t = due;
	}
	return t;
}

void
poller_tick(struct poller *p, const struct pollfd *fds, size_t n,
    int64_t now_ms)
{
	http_dispatch(p->http, fds, n);
	poller_start_due(p, now_ms);
}

size_t
poller_busy(const struct poller *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nhosts; i++)
		n += p->hosts[i].busy != 0;
	return n;
}

void
poller_run_once(struct poller *p, int64_t deadline_ms)
{
	size_t i;

	for (i = 0; i < p->nhosts; i++) {
		if (!p->hosts[i].busy)
			start_cycle(p, &p->hosts[i], timefmt_mono_ms());
	}
	while (poller_busy(p) > 0 && timefmt_mono_ms() < deadline_ms)
		http_run(p->http, deadline_ms);
}

size_t
poller_nhosts(const struct poller *p)
{
	return p->nhosts;
}

void
poller_host(const struct poller *p, size_t i, struct poller_host_view *out)
{
	const struct phost *h = &p->hosts[i];

	out->name = h->name;
	out->url = h->url;
	out->state = h->state;
	out->error = h->error;
	out->note = h->note;
	out->last_ok_ms = h->last_ok_ms;
	out->cycles = h->cycles;
	out->last_cycle_ms = h->last_cycle_ms;
	out->busy = h->busy;
}

size_t
poller_nversions(const struct poller *p)
{
	return p->nfeeds;
}

void
poller_version(const struct poller *p, size_t i,
    struct poller_version_view *out)
{
	pollfeed_view(p->feeds[i], out);
}
