/*
 * hostd.h: the reference model host, modeldeck-hostd.  It serves the whole
 * host contract (/work/shared/host-api.md): OIP v2, /metrics and /ops/v1,
 * for the models a fleet file (sample-data/fleet.json) gives one host.
 *
 * Modules: fleet.c loads the fleet file into the structs below (immutable
 * afterwards except the `struct hd_state` of each version); sim.c turns
 * (seed, model, version, row index) into rows, predictions and labels, so
 * every row is a pure function of its index and a restart at the same
 * scenario time serves the same rows with the same ids; ops.c, oip.c and
 * metrics.c answer the three groups; server.c is the libmicrohttpd glue
 * (routing, bearer token, fault injection); listen.c turns --listen into
 * one daemon per address (127.0.0.1, ::1 or both); state.c writes the
 * deployments and the idempotent answers to the --state file before each
 * answer and state_load.c reads them back at start, so a restart neither
 * forgets an answer nor applies an action twice; main.c parses options.
 *
 * Time: scenario seconds T = start_at + elapsed real seconds * speed.  Row i
 * of a version happened at scenario time i / sample_rate.  Wall-clock
 * timestamps map scenario time back onto the real clock through the epoch
 * (the wall time of scenario time start_at).
 *
 * Ownership: struct hd_fleet owns every model, version, feature and string
 * in it; fleet_free releases all.  struct hd_reply bodies are allocated and
 * owned by whoever holds the reply.  Mutable state (stages, traffic,
 * counters, idempotency answers) is guarded by struct hostd's lock.
 */
#ifndef MD_HOSTD_H
#define MD_HOSTD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define HD_MAX_INTERVALS 32	/* active periods of one version */
#define HD_MAX_LIMIT 5000	/* samples/labels page size cap */
#define HD_DEFAULT_LIMIT 500
#define HD_MAX_ANSWERS 10000	/* idempotent answers kept, newest */
#define HD_STATE_FORMAT "modeldeck-hostd-state"	/* --state file */
#define HD_STATE_VERSION 1

enum hd_kind { HD_NUMERIC, HD_CATEGORICAL };
enum hd_dist { HD_NORMAL, HD_LOGNORMAL };
enum hd_task { HD_BINARY, HD_REGRESSION };
enum hd_stage { HD_SHADOW, HD_CANARY, HD_FULL, HD_RETIRED };

struct hd_feature {
	char		*name;
	enum hd_kind	 kind;
	/* numeric: value = g^-1(mean + sd * z), clamped, rounded */
	enum hd_dist	 dist;
	double		 mean, sd;	/* of log(x) for lognormal */
	double		 min, max;	/* clamp when min < max */
	int		 decimals;	/* rounding of the value, -1 none */
	double		 missing;	/* share of nulls */
	/* categorical */
	char		**values;
	double		*probs;
	size_t		 nvalues;
	size_t		 col;		/* first coefficient column */
};

/* A linear predictor over standardised numeric and one-hot columns. */
struct hd_linear {
	double		 intercept;
	double		*coef;		/* model ncols entries */
};

/* A drift that ramps in linearly from start_s over ramp_s (scenario s). */
struct hd_drift {
	size_t		 feature;
	double		 start_s, ramp_s;
	double		 shift_sd;	/* numeric: mean shift in sd units */
	double		*probs;		/* categorical: target probabilities */
	int		 when_feature;	/* -1, or only rows with this value */
	char		*when_value;
};

struct hd_kpi {
	char		*name;
	double		 value;
	double		 degrade;	/* relative drop at full label flip */
};

/* Mutable per-version state, under struct hostd's lock. */
struct hd_state {
	enum hd_stage	 stage;
	int		 traffic;
	int64_t		 since_ms;
	int		 loaded;
	/* scenario-time periods in which the version logs samples */
	double		 ivl_start[HD_MAX_INTERVALS];
	double		 ivl_end[HD_MAX_INTERVALS];	/* INFINITY: open */
	size_t		 nivl;
	/* requests: base counted up to req_t0, then rps since */
	double		 req_base, req_t0, req_rps;
	uint64_t	 infer_ok;	/* rows scored by real /infer calls */
};

struct hd_version {
	char		*name;
	struct hd_model	*model;
	struct hd_linear lin;
	uint64_t	 stream;	/* hash of model and version names */
	struct hd_drift	*drifts;
	size_t		 ndrifts;
	double		 flip_start, flip_ramp, flip_max;
	double		 latency_ms, latency_sigma;	/* lognormal */
	double		 error_rate;
	struct hd_kpi	*kpis;
	size_t		 nkpis;
	/* initial deployment from the fleet file */
	enum hd_stage	 stage0;
	int		 traffic0;
	double		 since_h;	/* hours before the epoch */
	/* computed once from the reference rows */
	double		 base_accuracy, base_auc, base_mae, base_rmse;
	double		*importance;	/* per feature */
	struct hd_state	 st;
};

struct hd_model {
	char		*name;
	char		*team;
	enum hd_task	 task;
	double		 threshold;
	struct hd_feature *features;
	size_t		 nfeatures, ncols;
	int		 segment_by;	/* feature index or -1 */
	struct hd_linear truth;		/* how labels are made */
	double		 noise_sd;	/* regression label noise */
	double		 sample_rate;	/* rows per scenario s per version */
	double		 request_rate;	/* requests per scenario s */
	double		 label_delay_s, label_share;
	double		 retain_s;
	size_t		 reference_rows;
	struct hd_version *versions;
	size_t		 nversions;
	int		 prev_full[HD_MAX_INTERVALS];	/* rollback stack */
	size_t		 nprev_full;
};

struct hd_host {
	char		*name;
	int		 port;
	char		**models;
	size_t		 nmodels;
	int		 flap_up_s, flap_down_s;	/* real seconds, 0 none */
	int		 triton;			/* Triton metric names */
};

struct hd_fleet {
	uint64_t	 seed;
	double		 start_at_s;
	struct hd_model	*models;
	size_t		 nmodels;
	struct hd_host	*hosts;
	size_t		 nhosts;
};

/* One row of features; values[f] is NAN when missing (numeric). */
struct hd_row {
	double		*num;		/* nfeatures entries */
	size_t		*cat;		/* value index, SIZE_MAX when missing */
};

enum hd_fault {
	HD_FAULT_NONE, HD_FAULT_HANG, HD_FAULT_TRICKLE, HD_FAULT_RESET,
	HD_FAULT_5XX, HD_FAULT_BADJSON, HD_FAULT_HUGE, HD_FAULT_401,
	HD_FAULT_FLAP
};

/* One remembered action answer; request ids are per model. */
struct hd_idem {
	char		*model;
	char		*request_id;
	char		*request;	/* canonical request text */
	int		 status;
	char		*answer;
};

/* A model's deployment state, copied to undo a change that was not saved. */
struct hd_saved {
	struct hd_state	*st;		/* nversions entries, owned */
	int		 prev_full[HD_MAX_INTERVALS];
	size_t		 nprev_full;
};

/*
 * Where to listen: one or two numeric addresses on one port.  The daemons
 * (one per address) are started and stopped by listen.c.
 */
struct hd_listen {
	char		 addr[2][64];	/* numeric IPv4 or IPv6 literals */
	size_t		 naddr;
	int		 port;		/* -1: the fleet host's port */
	int		 optional6;	/* localhost: skip ::1 when missing */
	struct MHD_Daemon *d[2];	/* running daemons, nd of them */
	size_t		 nd;
	int		 bound;		/* the port actually bound */
};

struct hostd {
	struct hd_fleet	*fleet;
	struct hd_host	*host;
	char		*name;		/* reported host name */
	struct hd_model	**models;	/* the models this host serves */
	size_t		 nmodels;
	double		 speed, start_at;
	int64_t		 epoch_ms;	/* wall time of scenario start_at */
	int64_t		 mono0_ms;	/* monotonic clock at start */
	char		*token;		/* NULL: no authentication */
	int		 triton;
	enum hd_fault	 fault;
	char		*fault_path;
	unsigned	 fault_every;
	_Atomic unsigned long fault_seen;
	uint64_t	 huge_bytes;
	int		 trickle_ms;	/* delay before each trickled byte */
	int		 huge_chunked;
	_Atomic int	 stopping;
	pthread_mutex_t	 lock;
	struct hd_idem	*idem;		/* oldest first, at most HD_MAX_ANSWERS */
	size_t		 nidem, idem_cap;
	char		*state_path;	/* --state FILE, NULL: memory only */
	int		 state_lock;	/* fd holding flock on FILE.lock, or -1 */
};

/* An answer: status, content type and an allocated body. */
struct hd_reply {
	int		 status;
	const char	*ctype;
	char		*body;
	size_t		 len;
};

/* fleet.c */
struct hd_fleet	*fleet_load(const char *path, char **cause);
void		 fleet_free(struct hd_fleet *);
struct hd_host	*fleet_host(struct hd_fleet *, const char *name);
struct hd_model	*fleet_model(struct hd_fleet *, const char *name);
struct hd_version *fleet_version(struct hd_model *, const char *name);
const char	*fleet_stage_name(enum hd_stage);
int		 fleet_stage_parse(const char *, enum hd_stage *);

/* sim.c */
double		 sim_uniform(uint64_t stream, uint64_t seed, int64_t i,
		     unsigned k);
void		 sim_row(const struct hd_version *, uint64_t seed, int64_t i,
		     double t, int reference, struct hd_row *);
void		 sim_row_free(struct hd_row *);
double		 sim_predict(const struct hd_linear *, const struct hd_model *,
		     const struct hd_row *);
double		 sim_label(const struct hd_version *, uint64_t seed, int64_t i,
		     double t, int reference, const struct hd_row *);
int		 sim_labelled(const struct hd_version *, uint64_t seed,
		     int64_t i);
double		 sim_ramp(double t, double start, double ramp);
void		 sim_add_row_json(struct strbuf *, const struct hd_model *,
		     const struct hd_row *);
void		 sim_add_number(struct strbuf *, double);
void		 sim_baseline(struct hd_version *, uint64_t seed);

/* ops.c */
double		 ops_now(const struct hostd *);
int64_t		 ops_wall_ms(const struct hostd *, double t);
void		 ops_init_state(struct hostd *);
void		 ops_change(struct hostd *, struct hd_version *, enum hd_stage,
		     int traffic, int loaded, double t);
struct hd_version *ops_full(struct hd_model *);
void		 ops_deployments(struct hostd *, struct hd_reply *);
void		 ops_reference(struct hostd *, struct hd_version *,
		     struct hd_reply *);
void		 ops_reference_json(struct strbuf *, struct hd_version *,
		     uint64_t seed);
void		 ops_samples(struct hostd *, struct hd_version *, const char *,
		     const char *, int labels, struct hd_reply *);
void		 ops_add_deployments(struct hostd *, struct strbuf *,
		     struct hd_model *);

/* action.c */
void		 action_post(struct hostd *, struct hd_model *, const char *,
		     size_t, struct hd_reply *);
void		 action_free_all(struct hostd *);
void		 action_free_idem(struct hd_idem *);

/* state.c: callers of state_save hold h->lock */
int		 state_load(struct hostd *, char **cause);
int		 state_save(struct hostd *, char **cause);
void		 state_snapshot(const struct hd_model *, struct hd_saved *);
void		 state_restore(struct hd_model *, struct hd_saved *);

/* oip.c */
void		 oip_server(struct hostd *, struct hd_reply *);
void		 oip_model(struct hostd *, struct hd_model *, struct hd_version *,
		     struct hd_reply *);
void		 oip_ready(struct hostd *, struct hd_version *, struct hd_reply *);
void		 oip_infer(struct hostd *, struct hd_model *, struct hd_version *,
		     const char *, size_t, struct hd_reply *);
void		 oip_index(struct hostd *, struct hd_reply *);
void		 oip_load(struct hostd *, struct hd_model *, int load, const char *,
		     size_t, struct hd_reply *);

/* metrics.c */
void		 metrics_render(struct hostd *, struct hd_reply *);
uint64_t	 metrics_requests(struct hostd *, struct hd_version *, double t);

/* fault.c: answers return MHD_YES or MHD_NO */
struct MHD_Connection;
int		 fault_parse(const char *, enum hd_fault *);
int		 fault_wanted(struct hostd *, const char *url);
int		 fault_serve(struct hostd *, struct MHD_Connection *,
		     const char *url);
int		 fault_trickle(struct hostd *, struct MHD_Connection *,
		     struct hd_reply *);

/* server.c */
void		 server_reply_json(struct hd_reply *, int status, char *body);
void		 server_reply_error(struct hd_reply *, int status,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
struct MHD_Daemon *server_start(struct hostd *, const char *addr, int port,
		     const char *cert, const char *key, int *bound, char **cause);

/* listen.c */
int		 listen_parse(const char *, struct hd_listen *, char **cause);
int		 listen_start(struct hostd *, struct hd_listen *, const char *cert,
		     const char *key, char **cause);
void		 listen_stop(struct hostd *, struct hd_listen *);
void		 listen_describe(const struct hd_listen *, int https,
		     struct strbuf *);

#endif
