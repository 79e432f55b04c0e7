/*
 * config_raci: who answers for a model (see config.h): the "teams" and
 * "models" sections of the configuration, their RACI lists and per-phase
 * overrides, and config_raci, which resolves a role by inheritance
 * phase -> model -> team.  config.c parses the rest of the file (users
 * and policies first, which these sections refer to) and calls
 * config_raci_parse_teams and config_raci_parse_models from its root.
 *
 * Validation follows config.c's rule: every problem is appended to the
 * error list and parsing goes on.  Everything parsed here is stored in
 * the struct config being built and released by config_free.
 */
#include "config/config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"
#include "config/config_int.h"
#include "util/xmalloc.h"

#define MAX_LIST	1000	/* people in one RACI list */

static const char *const team_keys[] = { "name", "raci", NULL };
static const char *const model_keys[] = { "name", "team", "tier", "raci",
	"phases", "thresholds", "policy", NULL };

static const char *
team_name_at(const struct config *cfg, size_t i)
{
	return cfg->teams[i].name;
}

static const char *
model_name_at(const struct config *cfg, size_t i)
{
	return cfg->models[i].name;
}

static int
is_user(const struct config *cfg, const char *name)
{
	return config_user_roles(cfg, name) != NULL;
}

/* One RACI list: user names (informed: also webhook URLs). */
static char **
parse_raci_list(struct check *p, const cJSON *v, const char *path, int role)
{
	const cJSON *e;
	char **list, *ep;
	size_t i = 0, n = 0;

	if (check_array(p, v, path) != 0)
		return NULL;
	if (cJSON_GetArraySize(v) > MAX_LIST) {
		check_err(p, path, "too many entries (at most %d)", MAX_LIST);
		return NULL;
	}
	list = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *list);
	for (e = v->child; e != NULL; e = e->next, i++) {
		ep = check_index_path(path, i);
		if (!cJSON_IsString(e))
			check_err(p, ep, "expected a user name, got %s", check_kind(e));
		else if (role == CONFIG_INFORMED &&
		    strstr(e->valuestring, "://") != NULL) {
			if (check_url(p, ep, e->valuestring) == 0)
				list[n++] = xstrdup(e->valuestring);
		} else if (!is_user(p->cfg, e->valuestring))
			check_err(p, ep, "unknown user \"%s\"", e->valuestring);
		else if (check_in_list((const char *const *)list, e->valuestring))
			check_err(p, ep, "user \"%s\" listed twice", e->valuestring);
		else
			list[n++] = xstrdup(e->valuestring);
		free(ep);
	}
	return list;
}

/* {"responsible": [...], "accountable": [...], ...}, every key optional. */
static void
parse_raci(struct check *p, const cJSON *v, const char *path,
    struct config_raci *raci)
{
	const cJSON *e;
	char *kp;
	int r;

	if (check_object(p, v, path, config_raci_names) != 0)
		return;
	for (r = 0; r < CONFIG_NRACI; r++) {
		e = cJSON_GetObjectItemCaseSensitive(v, config_raci_names[r]);
		if (e == NULL)
			continue;
		kp = check_key_path(path, config_raci_names[r]);
		raci->list[r] = parse_raci_list(p, e, kp, r);
		free(kp);
	}
}

void
config_raci_parse_teams(struct check *p, const cJSON *v)
{
	struct config *cfg = p->cfg;
	struct config_team *t;
	const cJSON *e, *r;
	char *tp, *kp;
	size_t i = 0;

	if (v == NULL || check_array(p, v, "teams") != 0)
		return;
	if (cJSON_GetArraySize(v) > MAX_ITEMS) {
		check_err(p, "teams", "too many teams (at most %d)", MAX_ITEMS);
		return;
	}
	cfg->teams = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
	    sizeof *cfg->teams);
	for (e = v->child; e != NULL; e = e->next, i++) {
		tp = check_index_path("teams", i);
		if (check_object(p, e, tp, team_keys) == 0) {
			t = &cfg->teams[cfg->nteams];
			t->name = check_name(p, e, tp, "team", team_name_at,
			    cfg->nteams);
			cfg->nteams++;
			if ((r = cJSON_GetObjectItemCaseSensitive(e, "raci"))) {
				kp = check_key_path(tp, "raci");
				parse_raci(p, r, kp, &t->raci);
				free(kp);
			}
		}
		free(tp);
	}
}

static int
team_exists(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nteams; i++) {
		if (cfg->teams[i].name != NULL &&
		    strcmp(cfg->teams[i].name, name) == 0)
			return 1;
	}
	return 0;
}

/* "phases": {"rollback": {"accountable": [...]}, ...} */
static void
parse_phases(struct check *p, const cJSON *v, const char *path,
    struct config_model *m)
{
	const cJSON *e;
	char *kp;
	int ph;

	if (check_object(p, v, path, config_phase_names) != 0)
		return;
	for (ph = 0; ph < CONFIG_NPHASES; ph++) {
		e = cJSON_GetObjectItemCaseSensitive(v, config_phase_names[ph]);
		if (e == NULL)
			continue;
		kp = check_key_path(path, config_phase_names[ph]);
		parse_raci(p, e, kp, &m->phases[ph]);
		free(kp);
	}
}

/* tier, policy and thresholds of a model (after its name and team). */
static void
parse_model_policy(struct check *p, const cJSON *v, const char *mp,
    struct config_model *m)
{
	const struct config_policy *pol;
	const cJSON *e;
	const char *s;
	char *kp;

	e = cJSON_GetObjectItemCaseSensitive(v, "tier");
	kp = check_key_path(mp, "tier");
	if (e == NULL)
		check_err(p, mp, "missing required field \"tier\"");
	/* trunc, not a cast to long: 1e999 (inf) would overflow it. */
	else if (!cJSON_IsNumber(e) || e->valuedouble != trunc(e->valuedouble))
		check_err(p, kp, "expected an integer, got %s", check_kind(e));
	else if (e->valuedouble < 1 || e->valuedouble > 3)
		check_err(p, kp, "value %g out of range (1 to 3)", e->valuedouble);
	else
		m->tier = (long)e->valuedouble;
	free(kp);
	m->thresholds = stats_thresholds_default();
	if (check_string(p, v, mp, "policy", 0, &s) == 0) {
		m->policy = xstrdup(s);
		if ((pol = config_policy_find(p->cfg, s)) == NULL) {
			kp = check_key_path(mp, "policy");
			check_err(p, kp, "unknown policy \"%s\"", s);
			free(kp);
		} else
			m->thresholds = pol->thresholds;
	} else if ((pol = config_policy_find(p->cfg, "default")) != NULL)
		m->thresholds = pol->thresholds;
	if ((e = cJSON_GetObjectItemCaseSensitive(v, "thresholds")) != NULL) {
		kp = check_key_path(mp, "thresholds");
		config_parse_thresholds(p, e, kp, &m->thresholds);
		free(kp);
	}
}

static void
parse_model(struct check *p, const cJSON *v, const char *mp)
{
	struct config *cfg = p->cfg;
	struct config_model *m = &cfg->models[cfg->nmodels];
	const cJSON *e;
	const char *s;
	char *kp;

	if (check_object(p, v, mp, model_keys) != 0)
		return;
	m->name = check_name(p, v, mp, "model", model_name_at, cfg->nmodels);
	cfg->nmodels++;
	if (check_string(p, v, mp, "team", 1, &s) == 0) {
		m->team = xstrdup(s);
		if (!team_exists(cfg, s)) {
			kp = check_key_path(mp, "team");
			check_err(p, kp, "unknown team \"%s\"", s);
			free(kp);
		}
	}
	parse_model_policy(p, v, mp, m);
	if ((e = cJSON_GetObjectItemCaseSensitive(v, "raci")) != NULL) {
		kp = check_key_path(mp, "raci");
		parse_raci(p, e, kp, &m->raci);
		free(kp);
	}
	if ((e = cJSON_GetObjectItemCaseSensitive(v, "phases")) != NULL) {
		kp = check_key_path(mp, "phases");
		parse_phases(p, e, kp, m);
		free(kp);
	}
}

void
config_raci_parse_models(struct check *p, const cJSON *v)
{
	const cJSON *e;
	char *mp;
	size_t i = 0;

	if (v == NULL || check_array(p, v, "models") != 0)
		return;
	if (cJSON_GetArraySize(v) > MAX_ITEMS) {
		check_err(p, "models", "too many models (at most %d)", MAX_ITEMS);
		return;
	}
	p->cfg->models = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
	    sizeof *p->cfg->models);
	for (e = v->child; e != NULL; e = e->next, i++) {
		mp = check_index_path("models", i);
		parse_model(p, e, mp);
		free(mp);
	}
}

static int
name_index(const char *const *names, const char *name)
{
	int i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], name) == 0)
			return i;
	}
	return -1;
}

const char *const *
config_raci(const struct config *cfg, const char *model, const char *phase,
    const char *role)
{
	static const char *const empty[] = { NULL };
	const struct config_model *m = config_model_find(cfg, model);
	size_t i;
	int r = name_index(config_raci_names, role), ph = -1;

	if (m == NULL || r < 0)
		return NULL;
	if (phase != NULL && (ph = name_index(config_phase_names, phase)) < 0)
		return NULL;
	if (ph >= 0 && m->phases[ph].list[r] != NULL)
		return (const char *const *)m->phases[ph].list[r];
	if (m->raci.list[r] != NULL)
		return (const char *const *)m->raci.list[r];
	for (i = 0; m->team != NULL && i < cfg->nteams; i++) {
		if (cfg->teams[i].name != NULL &&
		    strcmp(cfg->teams[i].name, m->team) == 0 &&
		    cfg->teams[i].raci.list[r] != NULL)
			return (const char *const *)cfg->teams[i].raci.list[r];
	}
	return empty;
}
