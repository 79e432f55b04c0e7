/*
 * poller: one state machine per model host, fed by http.c, never blocking.
 * The caller's poll() loop asks poller_pollfds/poller_timeout_ms what to
 * wait for and calls poller_tick after poll(); `status` runs one cycle of
 * every host with poller_run_once.
 *
 * One poll cycle of a host starts three requests at once: the health check
 * (/v2/health/ready), /ops/v1/deployments and /metrics (or, with a
 * prometheus_url, one /api/v1/query per model once the deployments are
 * known).  For each deployed version that is not retired it then fetches
 * the reference once (cached in the store), the samples pages after the
 * stored cursor and the labels pages after theirs; each page is stored
 * with its cursor in one transaction (store samples_add/labels_add) and fed
 * to the version's rolling window (stats/window.h), so a process killed at
 * any moment neither loses nor counts twice a row.  At start a version's
 * window is refilled from the store.  When the cycle's last request ends,
 * the host's state is decided:
 *   unauthorized  a request answered 401/403, or the token file is refused;
 *   down          the health check failed (no answer, TLS, 5xx...), or
 *                 every request failed;
 *   degraded      the health check passed but another request failed (the
 *                 first such error is kept);
 *   up            everything answered.  A host that has no /ops/v1 or no
 *                 /metrics (404) is up, with a note saying what is missing.
 * The host, its deployments and the derived figures (metrics history) are
 * then written to the store.  A failed cycle is retried after a backoff
 * that doubles from backoff_initial to backoff_max; a good one waits
 * poll_seconds.  A request that fails fast (reset, 5xx) is retried at once
 * up to retry_max times; a timeout is never retried within the cycle, so
 * no cycle waits on a host longer than its timeout per step.
 *
 * Hosts and models found on hosts need not be in the configuration: the
 * store creates them as seen ("no RACI").  Tokens are read with the
 * trust module's token-file rule and never appear in an error.
 *
 * Ownership: the poller copies what it is given and owns its hosts,
 * versions, windows and HTTP transfers; poller_free releases all.  The
 * store is borrowed (may be NULL: nothing is persisted).  Views returned
 * by poller_host/poller_version stay valid until the next poller call.
 */
#ifndef MD_POLLER_H
#define MD_POLLER_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "config/options.h"
#include "hosts/derive.h"
#include "stats/status.h"

struct config;
struct store;
struct poller;

enum poller_state {
	POLLER_UNKNOWN,		/* not polled yet */
	POLLER_UP,
	POLLER_DEGRADED,
	POLLER_DOWN,
	POLLER_UNAUTHORIZED,
};

/* One host to poll.  Strings are copied. */
struct poller_host_conf {
	const char	*name;
	const char	*url;		/* base URL, no trailing slash needed */
	const char	*token;		/* bearer token already read, or NULL */
	const char	*token_error;	/* set: the token file was refused */
	const char	*ca_file;	/* NULL: the system bundle */
	const char	*prometheus_url;	/* NULL: the host's /metrics */
	const char	*prometheus_matchers;	/* extra label matchers, or NULL */
	long		 poll_seconds;	/* 0: options */
};

/* What a host looks like now (borrowed from the poller). */
struct poller_host_view {
	const char		*name;
	const char		*url;
	enum poller_state	 state;
	const char		*error;		/* plain words; NULL when none */
	const char		*note;		/* "no /metrics" etc.; NULL */
	int64_t			 last_ok_ms;	/* wall clock; 0 = never */
	uint64_t		 cycles;	/* cycles finished */
	int64_t			 last_cycle_ms;	/* how long the last one took */
	int			 busy;		/* a cycle is running now */
};

/* One deployed version and its figures (borrowed from the poller). */
struct poller_version_view {
	const char		*host;
	const char		*model;
	const char		*version;
	const char		*stage;
	double			 traffic_percent;
	int64_t			 since_ms;
	const struct derive_figures *metrics;	/* NULL: no metrics for it */
	const struct status	*status;	/* NULL: no window yet */
	size_t			 window_rows;
	uint64_t		 samples_seen;	/* new rows this process */
	uint64_t		 labels_seen;
	const char		*error;		/* this version's last error */
};

/*
 * A poller over explicit host configurations and options (opts may be
 * NULL: the options table's defaults).  st may be NULL.
 */
struct poller	*poller_new(const struct poller_host_conf *hosts, size_t n,
		    const struct config_options *opts, struct store *st);
/*
 * A poller for every host of cfg, tokens read by the token-file rule of
 * this build (installed or personal); thresholds from cfg.
 */
struct poller	*poller_new_config(const struct config *cfg, int installed,
		    struct store *st);
void		 poller_free(struct poller *p);

/* Start every host whose next poll is due (now_ms: timefmt_mono_ms). */
void		 poller_start_due(struct poller *p, int64_t now_ms);
/*
 * Fill fds with the sockets to wait on (see http_pollfds); returns how
 * many there are (may exceed max).
 */
size_t		 poller_pollfds(const struct poller *p, struct pollfd *fds,
		    size_t max);
/* Milliseconds the loop may sleep (transfers and next polls), -1 none. */
int64_t		 poller_timeout_ms(const struct poller *p, int64_t now_ms);
/* After poll(): drive the transfers, finish cycles, start due polls. */
void		 poller_tick(struct poller *p, const struct pollfd *fds,
		    size_t n, int64_t now_ms);
/* Cycles running now. */
size_t		 poller_busy(const struct poller *p);
/*
 * One cycle of every host, now, driven by a private poll() loop until
 * all are done or deadline_ms (monotonic) passes.
 */
void		 poller_run_once(struct poller *p, int64_t deadline_ms);

size_t		 poller_nhosts(const struct poller *p);
void		 poller_host(const struct poller *p, size_t i,
		    struct poller_host_view *out);
size_t		 poller_nversions(const struct poller *p);
void		 poller_version(const struct poller *p, size_t i,
		    struct poller_version_view *out);
/* "up", "degraded", "down", "unauthorized", "unknown". */
const char	*poller_state_name(enum poller_state s);

#endif
