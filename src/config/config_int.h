/*
 * config_int: what config.c and config_raci.c share and nothing else
 * sees: the size bound, the thresholds parser and the policy lookup of
 * config.c, and the teams and models parsers of config_raci.c, all over
 * one struct check pass (check.h).  What they parse goes into the pass's
 * struct config, which config_free releases.
 */
#ifndef MD_CONFIG_INT_H
#define MD_CONFIG_INT_H

#include <cjson/cJSON.h>

#include "config/check.h"
#include "config/config.h"

/* Bounds that keep validation fast on any input (name checks are n^2). */
#define MAX_ITEMS	10000	/* hosts, teams, models */

/* A thresholds object at path applied over *t, then cross-checked. */
void	 config_parse_thresholds(struct check *p, const cJSON *v,
	    const char *path, struct stats_thresholds *t);
/* The policy of that name, or NULL. */
const struct config_policy *config_policy_find(const struct config *cfg,
	    const char *name);

/* "teams": [{"name": ..., "raci": {...}}, ...] (after "users"). */
void	 config_raci_parse_teams(struct check *p, const cJSON *v);
/* "models": [...] (after "users", "policies" and "teams"). */
void	 config_raci_parse_models(struct check *p, const cJSON *v);

#endif
