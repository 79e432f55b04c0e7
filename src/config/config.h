/*
 * config: the one configuration file (JSON, read with cJSON), validated
 * whole and handed out as plain structs.  docs/configuration.md is the
 * user's reference; the settings with defaults and ranges live in the
 * options table (options.h).
 *
 * API overview:
 *   cfg = config_load(path, &cause)     read, parse, validate; NULL when
 *                                       anything is wrong (cause names the
 *                                       first error and how many more)
 *   config_parse(text, len, &errors)    the same on a buffer, collecting
 *                                       EVERY error as "json.path: reason"
 *                                       (what `config check` prints)
 *   cfg->hosts[i] / cfg->nhosts         hosts, poll_seconds resolved
 *   config_host_find(cfg, name)
 *   config_user_roles(cfg, user)        NULL-terminated roles, NULL = unknown
 *   config_model_find(cfg, name)
 *   config_raci(cfg, model, phase, role) NULL-terminated list, inherited
 *                                       phase -> model -> team
 *   config_thresholds(cfg, model)       defaults <- policy <- model
 *   cfg->options                        global settings (options.h)
 *   config_free(cfg)
 *
 * Invariants of a loaded configuration: names are unique per kind; every
 * user named in a RACI list exists in users; every model's team and
 * policy exist; every role is one of config_roles; URLs are http or
 * https; token files obey the token-file rule (trust.h) of this build.
 *
 * Ownership: a struct config owns every string and array it points to;
 * config_free releases them.  Pointers returned by the accessors live as
 * long as the configuration.
 */
#ifndef MD_CONFIG_H
#define MD_CONFIG_H

#include <stddef.h>

#include "config/options.h"
#include "stats/thresholds.h"

#define CONFIG_MAX_SIZE	(16 * 1024 * 1024)	/* a bigger file is refused */

enum config_raci_role {
	CONFIG_RESPONSIBLE,
	CONFIG_ACCOUNTABLE,
	CONFIG_CONSULTED,
	CONFIG_INFORMED,	/* user names or webhook URLs */
	CONFIG_NRACI,
};

enum config_phase {
	CONFIG_PHASE_PROMOTE,
	CONFIG_PHASE_ROLLBACK,
	CONFIG_PHASE_RETIRE,
	CONFIG_PHASE_RETRAIN,
	CONFIG_NPHASES,
};

/* The names, in enum order: "responsible"..., "promote"... */
extern const char *const config_raci_names[CONFIG_NRACI + 1];
extern const char *const config_phase_names[CONFIG_NPHASES + 1];
/* The roles a user may hold (NULL-terminated). */
extern const char *const config_roles[];

struct config_raci {
	char	**list[CONFIG_NRACI];	/* NULL-terminated; NULL = not given */
};

struct config_host {
	char	*name;
	char	*url;			/* http:// or https:// */
	char	*token_file;		/* NULL = no token */
	char	*ca_file;		/* NULL = the system CA bundle */
	long	 poll_seconds;		/* the host's own, else options' */
	char	*prometheus_url;	/* NULL = metrics from the host itself */
	char	*prometheus_matchers;	/* extra PromQL matchers picking this host's
					   series (instance="..."), NULL = none */
};

struct config_user {
	char	*name;
	char	**roles;		/* NULL-terminated */
	size_t	 nroles;
};

struct config_team {
	char	*name;
	struct config_raci raci;
};

struct config_policy {
	char	*name;
	struct stats_thresholds thresholds;	/* defaults <- its "thresholds" */
	char	*gates_json;		/* kept for later use; NULL = none */
	char	*auto_rollback_json;	/* likewise */
};

struct config_model {
	char	*name;
	char	*team;
	long	 tier;			/* 1 (most critical) to 3 */
	char	*policy;		/* NULL = "default" when it exists */
	struct config_raci raci;	/* lists not given inherit the team's */
	struct config_raci phases[CONFIG_NPHASES]; /* per-phase overrides */
	struct stats_thresholds thresholds;	/* resolved */
};

struct config {
	struct config_host	*hosts;
	size_t			 nhosts;
	struct config_user	*users;
	size_t			 nusers;
	struct config_team	*teams;
	size_t			 nteams;
	struct config_model	*models;
	size_t			 nmodels;
	struct config_policy	*policies;
	size_t			 npolicies;
	struct config_options	 options;
};

/* Validation errors, each "json.path: reason" (allocated). */
struct config_errors {
	char	**v;
	size_t	  n;
};

/* Read, parse and validate path; NULL with *cause naming the first error. */
struct config *config_load(const char *path, char **cause);
/*
 * Parse and validate len bytes of text; NULL when there is any error,
 * each appended to *errors.  A configuration is returned only when
 * errors->n did not grow.
 */
struct config *config_parse(const char *text, size_t len,
	    struct config_errors *errors);
/* Read a whole configuration file (at most CONFIG_MAX_SIZE bytes). */
int	config_read_file(const char *path, char **text, size_t *len,
	    char **cause);
void	config_errors_free(struct config_errors *errors);
void	config_free(struct config *cfg);

const struct config_host *config_host_find(const struct config *cfg,
	    const char *name);
const struct config_model *config_model_find(const struct config *cfg,
	    const char *name);
/* The user's roles (NULL-terminated, maybe empty), or NULL if not a user. */
const char *const *config_user_roles(const struct config *cfg,
	    const char *user);
/*
 * The people (and, for "informed", webhook URLs) holding a RACI role for
 * a model and phase (NULL phase = the model's own RACI): the phase's list
 * when given, else the model's, else its team's; an empty list when none
 * says.  NULL for an unknown model, phase or role name.
 */
const char *const *config_raci(const struct config *cfg, const char *model,
	    const char *phase, const char *role);
/* Thresholds for a model (defaults for a model not in the configuration). */
struct stats_thresholds config_thresholds(const struct config *cfg,
	    const char *model);

#endif
