/*
 * pollfeed: what the poller does with one deployed model version's
 * streams (private to src/hosts/poller.c and poller_steps.c).  It keeps
 * the version's parsed reference, its rolling window (stats/window.h), its
 * samples and labels cursors and its latest figures.  Each page is written
 * to the store with its cursor in one transaction before it reaches the
 * window or moves the in-memory cursor, so the store is always the truth
 * a restart resumes from; on first use the cursors, the cached reference
 * and the window's rows are read back from the store.
 *
 * Ownership: a pfeed owns copies of its names, the reference, the window
 * and the status snapshot; the store is borrowed.  pollfeed_free frees all.
 */
#ifndef MD_POLLFEED_H
#define MD_POLLFEED_H

#include <stddef.h>
#include <stdint.h>

#include "config/options.h"
#include "hosts/contract.h"
#include "hosts/poller.h"
#include "hosts/prom.h"
#include "stats/thresholds.h"

struct store;
struct pfeed;

/* A version's feed; nothing is read until pollfeed_has_reference. */
struct pfeed	*pollfeed_new(const char *host, const char *model,
		    const char *version, struct store *st,
		    const struct config_options *opts);
void		 pollfeed_free(struct pfeed *v);

int		 pollfeed_is(const struct pfeed *v, const char *host,
		    const char *model, const char *version);
int		 pollfeed_on_host(const struct pfeed *v, const char *host);
const char	*pollfeed_model(const struct pfeed *v);
const char	*pollfeed_version(const struct pfeed *v);
/* Deployed now and not retired. */
int		 pollfeed_live(const struct pfeed *v);
/* Record the host's latest word on this version (NULL: not listed). */
void		 pollfeed_deployed(struct pfeed *v,
		    const struct contract_deployment *d);
/* Remember the version's last error (copied). */
void		 pollfeed_set_error(struct pfeed *v, const char *error);

/*
 * 1 when the reference is known: restores cursors, cached reference and
 * window from the store on the first call.
 */
int		 pollfeed_has_reference(struct pfeed *v);
/* A new cycle: page counters to zero. */
void		 pollfeed_cycle_start(struct pfeed *v);
/* Did the last page of stream (0 samples, 1 labels) say "more"? */
int		 pollfeed_more(const struct pfeed *v, int stream);
/* Pages of stream fetched this cycle. */
int		 pollfeed_pages(const struct pfeed *v, int stream);
/* The stream's cursor, NULL when none. */
const char	*pollfeed_cursor(const struct pfeed *v, int stream);
/*
 * "/ops/v1/models/M/versions/V/WHAT[?limit=N[&after=CURSOR]]", names
 * URL-encoded (limit 0: no query).  Allocated.
 */
char		*pollfeed_path(const struct pfeed *v, const char *what,
		    const char *cursor, long limit);

/* Take a reference body: parse, cache in the store, build the window. */
int		 pollfeed_reference(struct pfeed *v, const char *body,
		    size_t len, char **cause);
/* Take a samples page: store with cursor, then feed the window. */
int		 pollfeed_samples(struct pfeed *v, const char *body, size_t len,
		    char **cause);
/* Take a labels page: store with cursor, then join in the window. */
int		 pollfeed_labels(struct pfeed *v, const char *body, size_t len,
		    char **cause);

/* Compute metric figures (cur NULL: none) and the window's status. */
void		 pollfeed_figures(struct pfeed *v, const struct prom_model *prev,
		    const struct prom_model *cur, const struct stats_thresholds *t);
/* Append this cycle's figures to the store's metrics history. */
void		 pollfeed_persist_metrics(struct pfeed *v, int64_t now_ms);
/* Fill a view (pointers into v). */
void		 pollfeed_view(const struct pfeed *v,
		    struct poller_version_view *out);

#endif
