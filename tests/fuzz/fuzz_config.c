/*
 * libFuzzer harness: the configuration parser and validator
 * (config_parse, config/config.h) and the accessors over what it returns.
 * Checked besides "no crash": a configuration comes back exactly when no
 * error was added, and every error reads "path: reason"; a configuration
 * that comes back keeps the invariants config.h promises: names unique
 * per kind and found by their finder, URLs http(s), tiers 1 to 3, poll
 * intervals in range, every person in a RACI list a user (informed: or a
 * webhook URL), warn thresholds not above alert ones, unknown names
 * answered with NULL.  Token and CA files are only stat()ed, so the
 * harness touches no file.  Also built into tests/unit/test_prom_fuzz.c,
 * which replays corpus/config/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

#define CONFIG_FUZZ_PAIRS	300	/* names compared pairwise, per kind */

static void
config_fuzz_fail(const char *what, const char *name)
{
	fprintf(stderr, "fuzz_config: %s: \"%s\"\n", what, name);
	abort();
}

static int
config_fuzz_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

static void
config_fuzz_hosts(const struct config *cfg)
{
	const struct config_host	*h;
	size_t				 i, k;

	for (i = 0; i < cfg->nhosts; i++) {
		h = &cfg->hosts[i];
		if (config_host_find(cfg, h->name) != h)
			config_fuzz_fail("host not found by name", h->name);
		if (!config_fuzz_url(h->url) || (h->prometheus_url != NULL &&
		    !config_fuzz_url(h->prometheus_url)))
			config_fuzz_fail("host URL", h->url);
		if (h->poll_seconds < 1 || h->poll_seconds > 86400)
			config_fuzz_fail("poll_seconds out of range", h->name);
		for (k = 0; k < i && i < CONFIG_FUZZ_PAIRS; k++) {
			if (strcmp(cfg->hosts[k].name, h->name) == 0)
				config_fuzz_fail("host named twice", h->name);
		}
	}
}

/* Every list of the model, for every phase, holds known people. */
static void
config_fuzz_raci(const struct config *cfg, const char *model)
{
	const char *const	*list, *const *p;
	int			 ph, r;

	for (ph = -1; ph < CONFIG_NPHASES; ph++) {
		for (r = 0; r < CONFIG_NRACI; r++) {
			list = config_raci(cfg, model, ph < 0 ? NULL :
			    config_phase_names[ph], config_raci_names[r]);
			if (list == NULL)
				config_fuzz_fail("no RACI list", model);
			for (p = list; *p != NULL; p++) {
				if (config_user_roles(cfg, *p) != NULL)
					continue;
				if (r != CONFIG_INFORMED || !config_fuzz_url(*p))
					config_fuzz_fail("RACI names a stranger", *p);
			}
		}
	}
	if (config_raci(cfg, model, "no-such-phase", "responsible") != NULL ||
	    config_raci(cfg, model, NULL, "no-such-role") != NULL)
		config_fuzz_fail("an unknown phase or role answered", model);
}

static void
config_fuzz_models(const struct config *cfg)
{
	const struct config_model	*m;
	struct stats_thresholds		 t;
	size_t				 i, k;

	for (i = 0; i < cfg->nmodels; i++) {
		m = &cfg->models[i];
		if (config_model_find(cfg, m->name) != m)
			config_fuzz_fail("model not found by name", m->name);
		if (m->tier < 1 || m->tier > 3)
			config_fuzz_fail("tier out of range", m->name);
		for (k = 0; k < i && i < CONFIG_FUZZ_PAIRS; k++) {
			if (strcmp(cfg->models[k].name, m->name) == 0)
				config_fuzz_fail("model named twice", m->name);
		}
		t = config_thresholds(cfg, m->name);
		if (t.psi_warn > t.psi_alert ||
		    t.accuracy_warn_drop > t.accuracy_alert_drop)
			config_fuzz_fail("warn above alert", m->name);
		if (i < CONFIG_FUZZ_PAIRS)
			config_fuzz_raci(cfg, m->name);
	}
	if (config_model_find(cfg, "") != NULL ||
	    config_raci(cfg, "", NULL, "responsible") != NULL)
		config_fuzz_fail("an unknown model answered", "");
	(void)config_thresholds(cfg, "");
}

static void
config_fuzz_users(const struct config *cfg)
{
	const char *const	*roles, *const *r, *const *k;
	size_t			 i;

	for (i = 0; i < cfg->nusers; i++) {
		roles = config_user_roles(cfg, cfg->users[i].name);
		if (roles == NULL)
			config_fuzz_fail("user not found", cfg->users[i].name);
		for (r = roles; *r != NULL; r++) {
			for (k = config_roles; *k != NULL; k++) {
				if (strcmp(*k, *r) == 0)
					break;
			}
			if (*k == NULL)
				config_fuzz_fail("an unknown role", *r);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_errors	 errors = { 0 };
	struct config		*cfg;
	size_t			 i;

	cfg = config_parse((const char *)data, size, &errors);
	if ((cfg == NULL) != (errors.n > 0))
		config_fuzz_fail("result and errors disagree", "");
	for (i = 0; i < errors.n; i++) {
		if (strstr(errors.v[i], ": ") == NULL)
			config_fuzz_fail("an error without a path", errors.v[i]);
	}
	config_errors_free(&errors);
	if (cfg == NULL)
		return (0);
	config_fuzz_hosts(cfg);
	config_fuzz_models(cfg);
	config_fuzz_users(cfg);
	config_free(cfg);
	return (0);
}
