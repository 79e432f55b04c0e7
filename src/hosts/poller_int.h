/*
 * poller_int: what poller.c and poller_steps.c share and nothing else
 * sees: the poller and its hosts (struct poller, struct phost), the kinds
 * of request, and the calls between scheduling (poller.c) and the
 * requests and their answers (poller_steps.c).
 *
 * Invariant: a host is busy (in a cycle) exactly while pending > 0, or
 * for the instant between starting a cycle and finishing it.
 *
 * Ownership: the poller owns its hosts, every string in them, its feeds
 * and its live requests; poller_free releases them (requests first).
 * cfg is borrowed and must outlive the poller.
 */
#ifndef MD_POLLER_INT_H
#define MD_POLLER_INT_H

#include <stdint.h>
#include <stdlib.h>

#include "config/config.h"
#include "hosts/contract.h"
#include "hosts/poller.h"
#include "hosts/prom.h"
#include "util/strbuf.h"

struct http;
struct pfeed;
struct req;
struct store;

enum req_kind {
	REQ_HEALTH,
	REQ_DEPLOYMENTS,
	REQ_METRICS,
	REQ_PROMQUERY,
	REQ_REFERENCE,
	REQ_SAMPLES,
	REQ_LABELS,
};

struct phost {
	struct poller	*p;
	char		*name, *url, *token, *token_error, *ca_file, *prom_url;
	char		*prom_matchers;
	int64_t		 poll_ms;

	enum poller_state state;
	char		*error, *note;
	int64_t		 last_ok_ms;
	int64_t		 next_ms;	/* monotonic: next cycle due */
	int		 fails;		/* cycles failed in a row */
	uint64_t	 cycles;
	int64_t		 last_cycle_ms;

	/* the cycle in progress */
	int		 busy;
	size_t		 pending;
	int64_t		 cycle_start;
	int		 health_ok, auth, got_deployments;
	size_t		 nok, nfail;
	char		*health_err, *auth_err, *first_err;
	struct strbuf	 notes;
	struct contract_deployments deps;
	struct prom_scrape cur, prev;
	int		 have_cur, have_prev;
};

struct poller {
	struct http		*http;
	struct store		*store;
	const struct config	*cfg;		/* borrowed; NULL: defaults */
	struct config_options	 opts;
	struct phost		*hosts;
	size_t			 nhosts;
	struct pfeed		**feeds;	/* every version seen */
	size_t			 nfeeds;
	struct req		*reqs;		/* requests in flight */
};

/* Start a request of h (for version v, or NULL); NULL when it failed at once. */
struct req	*poller_steps_start(struct phost *h, struct pfeed *v,
		    enum req_kind kind, const char *url);
/* Unlink a request from the poller's list and free it. */
void		 poller_steps_free(struct req *r);
/* The cycle of h is over: decide its state, schedule, derive, persist. */
void		 poller_finish_cycle(struct phost *h);

static inline void
set_str(char **dst, char *value)
{
	free(*dst);
	*dst = value;
}

static inline void
add_note(struct phost *h, const char *note)
{
	if (h->notes.len > 0)
		strbuf_adds(&h->notes, "; ");
	strbuf_adds(&h->notes, note);
}

#endif
