/*
 * snapshot: the fleet as the screens and the CLI show it, copied out of
 * the poller at one instant and joined with the configuration (team,
 * tier, whether the model has RACI).  Data flows one way: hosts ->
 * poller -> store/stats -> snapshot -> screen or `status`; a screen's
 * update() reads a snapshot and never the poller, the store or the hosts.
 *
 * Ownership: a snapshot owns deep copies of everything in it, so it stays
 * valid while the poller moves on; snapshot_free frees it.  Versions a
 * host no longer lists keep the stage "gone" for the cycle that notices.
 */
#ifndef MD_SNAPSHOT_H
#define MD_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "hosts/derive.h"
#include "hosts/poller.h"
#include "stats/status.h"
#include "util/strbuf.h"

struct config;

struct snapshot_host {
	char			*name;
	char			*url;
	enum poller_state	 state;
	char			*error;		/* plain words; NULL when none */
	char			*note;		/* "no /metrics" etc.; NULL */
	int64_t			 last_ok_ms;	/* wall clock; 0 = never */
	uint64_t		 cycles;	/* cycles finished */
	int64_t			 last_cycle_ms;
	int			 busy;		/* a cycle is running now */
};

struct snapshot_version {
	char			*host;
	char			*model;
	char			*version;
	char			*stage;		/* shadow, canary, ..., "gone" */
	double			 traffic_percent;
	int64_t			 since_ms;
	int			 has_metrics;
	struct derive_figures	 metrics;	/* valid when has_metrics */
	int			 has_status;
	struct status		 status;	/* valid when has_status */
	size_t			 window_rows;
	uint64_t		 samples_seen;	/* new rows this process */
	uint64_t		 labels_seen;
	char			*error;		/* the version's last error */
	/* From the configuration: */
	int			 configured;	/* 0: "no RACI" */
	char			*team;		/* NULL when not configured */
	int			 tier;		/* 1-3; 0 when not configured */
};

struct snapshot {
	int64_t			 taken_ms;	/* wall clock */
	struct snapshot_host	*hosts;
	size_t			 nhosts;
	struct snapshot_version	*versions;
	size_t			 nversions;
};

/* Copy the poller's hosts and versions now, joined with cfg (may be NULL). */
void	 snapshot_take(struct snapshot *out, const struct poller *p,
	    const struct config *cfg);
/* Free what snapshot_take copied; s stays valid (empty). */
void	 snapshot_free(struct snapshot *s);

/* 1 when every host is up and none is still in a cycle. */
int	 snapshot_all_up(const struct snapshot *s);
/* A host's error, or "poll not finished in time" for one still busy. */
const char *snapshot_host_error(const struct snapshot_host *h);
/* 1 when the version is still listed by its host (not "gone"). */
int	 snapshot_version_listed(const struct snapshot_version *v);
/* "ok", "warn", ...: the version's drift status, "unknown" without one. */
const char *snapshot_drift_name(const struct snapshot_version *v);

/*
 * The fleet as one JSON object, the shape of `modeldeck status --json`
 * (docs/host-api.md): {"taken", "hosts": [...], "models": [...]}, listed
 * versions only; unknown figures are null.
 */
void	 snapshot_json(const struct snapshot *s, struct strbuf *b);

#endif
