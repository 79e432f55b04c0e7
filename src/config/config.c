/*
 * config: parse and validate the configuration (see config.h).
 *
 * Validation never stops at the first problem: each check appends
 * "json.path: reason" to the error list and parsing goes on with what is
 * usable, so `config check` names every error in one run.  Unknown keys
 * anywhere are errors, not warnings: a misspelt "acountable" in a
 * governance file would otherwise silently drop an approver.  Duplicate
 * keys in one JSON object are errors for the same reason (cJSON keeps
 * both).  The mechanics (paths, getters, error list) are in check.c, the
 * "teams" and "models" sections with their RACI in config_raci.c (sharing
 * config_int.h); this file is the rest of the format, reading the file,
 * the lookups and config_free, which releases everything a struct config
 * owns, config_raci.c's part included.
 */
#include "config/config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"
#include "config/config_int.h"
#include "config/paths.h"
#include "config/trust.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

const char *const config_raci_names[CONFIG_NRACI + 1] = {
	"responsible", "accountable", "consulted", "informed", NULL
};
const char *const config_phase_names[CONFIG_NPHASES + 1] = {
	"promote", "rollback", "retire", "retrain", NULL
};
const char *const config_roles[] = {
	"oncall", "governance", "ml-engineer", "head-of-ml", NULL
};

static const char *const root_keys[] = { "version", "hosts", "users", "teams",
	"models", "policies", "options", NULL };
static const char *const host_keys[] = { "name", "url", "token_file",
	"ca_file", "poll_seconds", "metrics_source", NULL };
static const char *const policy_keys[] = { "thresholds", "gates",
	"auto_rollback", NULL };

static const char *
host_name_at(const struct config *cfg, size_t i)
{
	return cfg->hosts[i].name;
}

static int
cmp_user(const void *a, const void *b)
{
	const struct config_user *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* "users": {"alice": ["ml-engineer"], ...} */
static void
parse_users(struct check *p, const cJSON *v)
{
	struct config_user *u;
	const cJSON *e, *r;
	char *up, *rp;
	size_t i;

	if (check_object(p, v, "users", NULL) != 0)
		return;
	p->cfg->users = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
	    sizeof *p->cfg->users);
	for (e = v->child; e != NULL; e = e->next) {
		up = check_key_path("users", e->string);
		if (!check_valid_name(e->string, 32)) {
			check_err(p, up, "invalid user name");
			free(up);
			continue;
		}
		if (check_array(p, e, up) != 0) {
			free(up);
			continue;
		}
		u = &p->cfg->users[p->cfg->nusers++];
		u->name = xstrdup(e->string);
		u->roles = xcalloc((size_t)cJSON_GetArraySize(e) + 1,
		    sizeof *u->roles);
		i = 0;
		for (r = e->child; r != NULL; r = r->next, i++) {
			rp = check_index_path(up, i);
			if (!cJSON_IsString(r))
				check_err(p, rp, "expected a role name, got %s",
				    check_kind(r));
			else if (!check_in_list(config_roles, r->valuestring))
				check_err(p, rp, "unknown role \"%s\" (roles: oncall, "
				    "governance, ml-engineer, head-of-ml)",
				    r->valuestring);
			else if (!check_in_list((const char *const *)u->roles,
			    r->valuestring))
				u->roles[u->nroles++] = xstrdup(r->valuestring);
			free(rp);
		}
		free(up);
	}
	/* Sorted by name: config_user_roles looks users up by bsearch. */
	qsort(p->cfg->users, p->cfg->nusers, sizeof *p->cfg->users, cmp_user);
}

/* A thresholds object applied over *t, then cross-checked. */
void
config_parse_thresholds(struct check *p, const cJSON *v, const char *path,
    struct stats_thresholds *t)
{
	const struct options_entry *o;
	const cJSON *e;
	char *kp, *why = NULL;

	if (check_object(p, v, path, NULL) != 0)
		return;
	for (e = v->child; e != NULL; e = e->next) {
		kp = check_key_path(path, e->string);
		if ((o = options_find(options_thresholds, e->string)) == NULL)
			check_err(p, kp, "unknown key");
		else if (options_set(o, t, e, &why) != 0) {
			check_err(p, kp, "%s", why);
			free(why);
			why = NULL;
		}
		free(kp);
	}
	if (t->psi_warn > t->psi_alert)
		check_err(p, path, "psi_warn %g is above psi_alert %g", t->psi_warn,
		    t->psi_alert);
	if (t->accuracy_warn_drop > t->accuracy_alert_drop)
		check_err(p, path, "accuracy_warn_drop %g is above accuracy_alert_drop "
		    "%g", t->accuracy_warn_drop, t->accuracy_alert_drop);
}

/* "options": {...} over the defaults. */
static void
parse_options(struct check *p, const cJSON *v)
{
	struct config_options *opt = &p->cfg->options;
	const struct options_entry *o;
	const cJSON *e;
	char *kp, *why = NULL;

	if (v == NULL || check_object(p, v, "options", NULL) != 0)
		return;
	for (e = v->child; e != NULL; e = e->next) {
		kp = check_key_path("options", e->string);
		if ((o = options_find(options_global, e->string)) == NULL)
			check_err(p, kp, "unknown option");
		else if (options_set(o, opt, e, &why) != 0) {
			check_err(p, kp, "%s", why);
			free(why);
			why = NULL;
		}
		free(kp);
	}
	if (opt->backoff_initial_ms > opt->backoff_max_ms)
		check_err(p, "options.backoff_initial", "longer than backoff_max");
	if (opt->connect_timeout_ms > opt->timeout_ms)
		check_err(p, "options.connect_timeout", "longer than timeout");
}

static char *
object_json(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return v != NULL ? cJSON_PrintUnformatted(v) : NULL;
}

/* "policies": {"default": {"thresholds": {...}, "gates": {...}, ...}} */
static void
parse_policies(struct check *p, const cJSON *v)
{
	struct config_policy *pol;
	const cJSON *e, *g;
	char *pp, *kp;
	size_t k;

	if (v == NULL || check_object(p, v, "policies", NULL) != 0)
		return;
	p->cfg->policies = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
	    sizeof *p->cfg->policies);
	for (e = v->child; e != NULL; e = e->next) {
		pp = check_key_path("policies", e->string);
		if (!check_valid_name(e->string, 64))
			check_err(p, pp, "invalid policy name");
		if (!check_valid_name(e->string, 64) ||
		    check_object(p, e, pp, policy_keys) != 0) {
			free(pp);
			continue;
		}
		pol = &p->cfg->policies[p->cfg->npolicies++];
		pol->name = xstrdup(e->string);
		pol->thresholds = stats_thresholds_default();
		if ((g = cJSON_GetObjectItemCaseSensitive(e, "thresholds")) != NULL) {
			kp = check_key_path(pp, "thresholds");
			config_parse_thresholds(p, g, kp, &pol->thresholds);
			free(kp);
		}
		for (k = 1; k < 3; k++) {
			g = cJSON_GetObjectItemCaseSensitive(e, policy_keys[k]);
			kp = check_key_path(pp, policy_keys[k]);
			if (g != NULL)
				check_object(p, g, kp, NULL);
			free(kp);
		}
		pol->gates_json = object_json(e, "gates");
		pol->auto_rollback_json = object_json(e, "auto_rollback");
		free(pp);
	}
}

/*
 * Extra PromQL label matchers: `name="value"` pairs separated by commas,
 * spliced into every query's selector, so no brace, quote imbalance or
 * control character may pass.
 */
static void
check_matchers(struct check *p, const char *path, const char *m)
{
	const char *c;
	int quotes = 0;

	for (c = m; *c != '\0'; c++) {
		if (*c == '\\' && c[1] != '\0') {
			c++;
			continue;
		}
		quotes += *c == '"';
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '{' ||
		    *c == '}')
			break;
	}
	if (*c != '\0' || quotes % 2 != 0 || strchr(m, '=') == NULL) {
		char *mp = xasprintf("%s.matchers", path);

		check_err(p, mp, "expected PromQL label matchers like "
		    "instance=\"10.0.0.5:8080\"");
		free(mp);
	}
}

/* "metrics_source": "host" or {"prometheus": URL, "matchers"?: TEXT} */
static void
parse_metrics_source(struct check *p, const cJSON *v, const char *path,
    struct config_host *h)
{
	static const char *const keys[] = { "prometheus", "matchers", NULL };
	const char *url, *m;

	if (cJSON_IsString(v) && strcmp(v->valuestring, "host") == 0)
		return;
	if (cJSON_IsString(v) || check_object(p, v, path, keys) != 0) {
		if (cJSON_IsString(v))
			check_err(p, path, "expected \"host\" or {\"prometheus\": URL}");
		return;
	}
	if (check_string(p, v, path, "prometheus", 1, &url) == 0) {
		h->prometheus_url = xstrdup(url);
		check_url(p, path, url);
	}
	if (cJSON_GetObjectItemCaseSensitive(v, "matchers") != NULL &&
	    check_string(p, v, path, "matchers", 1, &m) == 0) {
		h->prometheus_matchers = xstrdup(m);
		check_matchers(p, path, m);
	}
}

static void
parse_host(struct check *p, const cJSON *v, const char *hp)
{
	struct config *cfg = p->cfg;
	struct config_host *h = &cfg->hosts[cfg->nhosts];
	struct config_options tmp;
	const cJSON *e;
	const char *s;
	char *kp, *why = NULL;

	if (check_object(p, v, hp, host_keys) != 0)
		return;
	h->name = check_name(p, v, hp, "host", host_name_at, cfg->nhosts);
	cfg->nhosts++;
	if (check_string(p, v, hp, "url", 1, &s) == 0) {
		h->url = xstrdup(s);
		kp = check_key_path(hp, "url");
		check_url(p, kp, s);
		free(kp);
	}
	if (check_string(p, v, hp, "token_file", 0, &s) == 0) {
		h->token_file = xstrdup(s);
		kp = check_key_path(hp, "token_file");
		if (s[0] != '/')
			check_err(p, kp, "\"%s\" is not an absolute path", s);
		else if (trust_check_token_file(s, paths_installed(), &why) != 0) {
			check_err(p, kp, "%s", why);
			free(why);
		}
		free(kp);
	}
	if (check_string(p, v, hp, "ca_file", 0, &s) == 0) {
		h->ca_file = xstrdup(s);
		kp = check_key_path(hp, "ca_file");
		check_file(p, kp, s);
		free(kp);
	}
	h->poll_seconds = cfg->options.poll_seconds;
	if ((e = cJSON_GetObjectItemCaseSensitive(v, "poll_seconds")) != NULL) {
		kp = check_key_path(hp, "poll_seconds");
		if (options_set(options_find(options_global, "poll_seconds"),
		    &tmp, e, &why) != 0) {
			check_err(p, kp, "%s", why);
			free(why);
		} else
			h->poll_seconds = tmp.poll_seconds;
		free(kp);
	}
	if ((e = cJSON_GetObjectItemCaseSensitive(v, "metrics_source")) != NULL) {
		kp = check_key_path(hp, "metrics_source");
		parse_metrics_source(p, e, kp, h);
		free(kp);
	}
}

static void
parse_hosts(struct check *p, const cJSON *v)
{
	const cJSON *e;
	char *hp;
	size_t i = 0;

	if (v == NULL || check_array(p, v, "hosts") != 0)
		return;
	if (cJSON_GetArraySize(v) > MAX_ITEMS) {
		check_err(p, "hosts", "too many hosts (at most %d)", MAX_ITEMS);
		return;
	}
	p->cfg->hosts = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
	    sizeof *p->cfg->hosts);
	for (e = v->child; e != NULL; e = e->next, i++) {
		hp = check_index_path("hosts", i);
		parse_host(p, e, hp);
		free(hp);
	}
}

const struct config_policy *
config_policy_find(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->npolicies; i++) {
		if (strcmp(cfg->policies[i].name, name) == 0)
			return &cfg->policies[i];
	}
	return NULL;
}

static void
parse_root(struct check *p, const cJSON *root)
{
	const cJSON *v;
	char *why = NULL;

	if (options_defaults(options_global, &p->cfg->options, &why) != 0) {
		check_err(p, "options", "%s", why);
		free(why);
	}
	if (check_object(p, root, "", root_keys) != 0)
		return;
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (v != NULL && !(cJSON_IsNumber(v) && v->valuedouble == 1))
		check_err(p, "version", "unsupported format version (this modeldeck "
		    "reads version 1)");
	parse_options(p, cJSON_GetObjectItemCaseSensitive(root, "options"));
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "users")) == NULL)
		check_err(p, "", "missing required field \"users\"");
	else
		parse_users(p, v);
	parse_policies(p, cJSON_GetObjectItemCaseSensitive(root, "policies"));
	config_raci_parse_teams(p,
	    cJSON_GetObjectItemCaseSensitive(root, "teams"));
	parse_hosts(p, cJSON_GetObjectItemCaseSensitive(root, "hosts"));
	config_raci_parse_models(p,
	    cJSON_GetObjectItemCaseSensitive(root, "models"));
}

struct config *
config_parse(const char *text, size_t len, struct config_errors *errors)
{
	struct check p = { .errors = errors };
	const char *end = NULL;
	size_t before = errors->n, line, col;
	char *copy;
	cJSON *root;

	if (memchr(text, '\0', len) != NULL) {
		check_line_col(text, (size_t)((const char *)memchr(text, '\0', len) -
		    text), &line, &col);
		check_err(&p, "", "invalid JSON at line %zu, column %zu: NUL byte",
		    line, col);
		return NULL;
	}
	/* cJSON checks "nothing after the value" against a NUL: add one. */
	copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (root == NULL) {
		if (end == NULL || end < copy || end > copy + len)
			end = copy;
		check_line_col(copy, (size_t)(end - copy), &line, &col);
		free(copy);
		check_err(&p, "", "invalid JSON at line %zu, column %zu", line, col);
		return NULL;
	}
	free(copy);
	p.cfg = xcalloc(1, sizeof *p.cfg);
	parse_root(&p, root);
	cJSON_Delete(root);
	if (errors->n != before) {
		config_free(p.cfg);
		return NULL;
	}
	return p.cfg;
}

int
config_read_file(const char *path, char **text, size_t *len, char **cause)
{
	return trust_read_file(path, CONFIG_MAX_SIZE, 0, text, len, cause);
}

struct config *
config_load(const char *path, char **cause)
{
	struct config_errors errors = { 0 };
	struct config *cfg;
	size_t len;
	char *text;

	if (config_read_file(path, &text, &len, cause) != 0)
		return NULL;
	cfg = config_parse(text, len, &errors);
	free(text);
	if (cfg == NULL) {
		if (errors.n == 1)
			xcause(cause, "%s: %s", path, errors.v[0]);
		else
			xcause(cause, "%s: %s (and %zu more errors: run "
			    "modeldeck config check)", path, errors.v[0],
			    errors.n - 1);
	}
	config_errors_free(&errors);
	return cfg;
}

void
config_errors_free(struct config_errors *errors)
{
	size_t i;

	for (i = 0; i < errors->n; i++)
		free(errors->v[i]);
	free(errors->v);
	errors->v = NULL;
	errors->n = 0;
}

static void
free_list(char **list)
{
	char **s;

	for (s = list; s != NULL && *s != NULL; s++)
		free(*s);
	free(list);
}

static void
free_raci(struct config_raci *raci)
{
	int r;

	for (r = 0; r < CONFIG_NRACI; r++)
		free_list(raci->list[r]);
}

static void
free_models(struct config *cfg)
{
	struct config_model *m;
	size_t i;
	int ph;

	for (i = 0; i < cfg->nmodels; i++) {
		m = &cfg->models[i];
		free(m->name);
		free(m->team);
		free(m->policy);
		free_raci(&m->raci);
		for (ph = 0; ph < CONFIG_NPHASES; ph++)
			free_raci(&m->phases[ph]);
	}
	free(cfg->models);
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nhosts; i++) {
		free(cfg->hosts[i].name);
		free(cfg->hosts[i].url);
		free(cfg->hosts[i].token_file);
		free(cfg->hosts[i].ca_file);
		free(cfg->hosts[i].prometheus_url);
		free(cfg->hosts[i].prometheus_matchers);
	}
	free(cfg->hosts);
	for (i = 0; i < cfg->nusers; i++) {
		free(cfg->users[i].name);
		free_list(cfg->users[i].roles);
	}
	free(cfg->users);
	for (i = 0; i < cfg->nteams; i++) {
		free(cfg->teams[i].name);
		free_raci(&cfg->teams[i].raci);
	}
	free(cfg->teams);
	free_models(cfg);
	for (i = 0; i < cfg->npolicies; i++) {
		free(cfg->policies[i].name);
		free(cfg->policies[i].gates_json);
		free(cfg->policies[i].auto_rollback_json);
	}
	free(cfg->policies);
	free(cfg);
}

const struct config_host *
config_host_find(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nhosts; i++) {
		if (cfg->hosts[i].name != NULL &&
		    strcmp(cfg->hosts[i].name, name) == 0)
			return &cfg->hosts[i];
	}
	return NULL;
}

const struct config_model *
config_model_find(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nmodels; i++) {
		if (cfg->models[i].name != NULL &&
		    strcmp(cfg->models[i].name, name) == 0)
			return &cfg->models[i];
	}
	return NULL;
}

const char *const *
config_user_roles(const struct config *cfg, const char *user)
{
	struct config_user key = { .name = (char *)user };
	const struct config_user *u;

	/* No "users" at all leaves cfg->users NULL, which bsearch may not get. */
	if (cfg->nusers == 0)
		return NULL;
	u = bsearch(&key, cfg->users, cfg->nusers, sizeof *cfg->users, cmp_user);
	return u != NULL ? (const char *const *)u->roles : NULL;
}

struct stats_thresholds
config_thresholds(const struct config *cfg, const char *model)
{
	const struct config_model *m = config_model_find(cfg, model);
	const struct config_policy *pol;

	if (m != NULL)
		return m->thresholds;
	if ((pol = config_policy_find(cfg, "default")) != NULL)
		return pol->thresholds;
	return stats_thresholds_default();
}
