/*
 * promapi: metrics through a Prometheus server instead of each host's
 * /metrics.  Builds the `/api/v1/query?query=...` request paths (PromQL
 * URL-encoded) and reads the instant-vector answers into the same struct
 * prom_scrape the text parser fills, so every derived figure is computed
 * the same way whichever way the metrics came.
 *
 * One query per model fetches all its recognised series at once:
 *   {__name__=~"model_requests_total|...",model="credit-risk"[,MATCHERS]}
 * where MATCHERS (optional, from the configuration, e.g.
 * `instance="10.0.0.7:8000"`) narrows the answer to one host's series.
 *
 * Ownership: returned strings are allocated, the caller frees them.
 */
#ifndef MD_PROMAPI_H
#define MD_PROMAPI_H

#include <stddef.h>

#include "hosts/prom.h"

/* The PromQL selector of every recognised series of model. */
char	*promapi_model_selector(const char *model, const char *matchers);

/* "/api/v1/query?query=" followed by promql, URL-encoded. */
char	*promapi_query_path(const char *promql);

/* s percent-encoded for a query string (RFC 3986 unreserved kept). */
char	*promapi_urlencode(const char *s);

/*
 * Read one /api/v1/query answer into s, adding to what s holds already (so
 * the answers of several queries make one scrape), then sort buckets.  An
 * answer with "status": "error" or that is not an instant vector fails:
 * -1 with *cause ("prometheus: bad_data: parse error ..."); s may then
 * hold part of the answer, so callers free it on failure.
 */
int	 promapi_parse(const char *buf, size_t len, struct prom_scrape *s,
	    char **cause);

#endif
