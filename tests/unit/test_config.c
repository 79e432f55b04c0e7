/*
 * test_config: the configuration parser, its error paths (each named by
 * JSON path), RACI inheritance, thresholds resolution and the options
 * table.  Expected values come from the spec text (defaults) or from the
 * input written here.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/options.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "testhelp.h"

#define USERS "\"users\":{\"alice\":[\"ml-engineer\"],\"bob\":[\"oncall\"]," \
	"\"carol\":[\"governance\",\"head-of-ml\"],\"root\":[]}"

static const char good[] = "{\"version\":1,"
	"\"hosts\":[{\"name\":\"eu-1\",\"url\":\"http://127.0.0.1:17101\"},"
	"  {\"name\":\"eu-2\",\"url\":\"https://serving.example\",\"poll_seconds\":30,"
	"   \"metrics_source\":{\"prometheus\":\"http://127.0.0.1:9090\"}}],"
	USERS ","
	"\"teams\":[{\"name\":\"credit\",\"raci\":{\"responsible\":[\"alice\"],"
	"  \"accountable\":[\"carol\"],\"consulted\":[\"bob\"],"
	"  \"informed\":[\"bob\",\"https://hooks.example/x\"]}}],"
	"\"policies\":{\"default\":{\"thresholds\":{\"psi_alert\":0.3}},"
	"  \"strict\":{\"thresholds\":{\"psi_warn\":0.05,\"method\":\"js\"},"
	"   \"gates\":{\"min_approvals\":2},\"auto_rollback\":{\"on\":\"alert\"}}},"
	"\"models\":[{\"name\":\"credit-risk\",\"team\":\"credit\",\"tier\":1,"
	"  \"policy\":\"strict\",\"thresholds\":{\"min_rows\":500},"
	"  \"phases\":{\"rollback\":{\"accountable\":[\"bob\"]}}},"
	"  {\"name\":\"churn\",\"team\":\"credit\",\"tier\":3,"
	"   \"raci\":{\"accountable\":[\"alice\"]}}],"
	"\"options\":{\"window_rows\":20000,\"window_max_age\":\"2d\","
	"  \"max_body\":\"1MiB\",\"timeout\":30}}";

/* Every error of a text, joined by newlines ("" when it is valid). */
static char *
errors_of(const char *json)
{
	struct config_errors e = { 0 };
	struct config *cfg = config_parse(json, strlen(json), &e);
	struct strbuf b = { 0 };
	char *got;
	size_t i;

	for (i = 0; i < e.n; i++)
		strbuf_addf(&b, "%s\n", e.v[i]);
	if ((cfg == NULL) != (e.n > 0))
		strbuf_adds(&b, "MISMATCH: result and error count disagree\n");
	config_free(cfg);
	config_errors_free(&e);
	got = xstrdup(strbuf_str(&b));
	strbuf_free(&b);
	return got;
}

static int
has_error(const char *json, const char *want)
{
	char *got = errors_of(json);
	int ok = strstr(got, want) != NULL;

	if (!ok)
		fprintf(stderr, "want \"%s\" in:\n%s", want, got);
	free(got);
	return ok;
}

static void
test_good_parses(void)
{
	struct config_errors e = { 0 };
	struct config *cfg = config_parse(good, strlen(good), &e);

	CHECK_INT(e.n, 0);
	CHECK(cfg != NULL);
	if (cfg == NULL)
		return;
	CHECK_INT(cfg->nhosts, 2);
	CHECK_INT(cfg->nusers, 4);
	CHECK_INT(cfg->nmodels, 2);
	CHECK_STR(config_host_find(cfg, "eu-2")->prometheus_url,
	    "http://127.0.0.1:9090");
	CHECK_INT(config_host_find(cfg, "eu-2")->poll_seconds, 30);
	/* Default poll_seconds of the options table is 10. */
	CHECK_INT(config_host_find(cfg, "eu-1")->poll_seconds, 10);
	CHECK(config_host_find(cfg, "nope") == NULL);
	CHECK_INT(cfg->options.window_rows, 20000);
	CHECK_INT(cfg->options.window_max_age_ms, 2LL * 86400 * 1000);
	CHECK_INT(cfg->options.max_body, 1024 * 1024);
	CHECK_INT(cfg->options.timeout_ms, 30000);
	CHECK_INT(cfg->options.connect_timeout_ms, 2000);
	CHECK_STR(config_model_find(cfg, "credit-risk")->team, "credit");
	CHECK_INT(config_model_find(cfg, "churn")->tier, 3);
	config_free(cfg);
}

static void
test_user_roles(void)
{
	struct config_errors e = { 0 };
	struct config *cfg = config_parse(good, strlen(good), &e);
	const char *const *r;

	if (cfg == NULL) {
		CHECK(cfg != NULL);
		return;
	}
	r = config_user_roles(cfg, "carol");
	CHECK(r != NULL && r[0] != NULL && r[1] != NULL && r[2] == NULL);
	if (r != NULL && r[0] != NULL && r[1] != NULL) {
		CHECK_STR(r[0], "governance");
		CHECK_STR(r[1], "head-of-ml");
	}
	r = config_user_roles(cfg, "root");
	CHECK(r != NULL && r[0] == NULL);
	CHECK(config_user_roles(cfg, "mallory") == NULL);
	config_free(cfg);
}

static void
test_raci_inheritance(void)
{
	struct config_errors e = { 0 };
	struct config *cfg = config_parse(good, strlen(good), &e);
	const char *const *l;

	if (cfg == NULL) {
		CHECK(cfg != NULL);
		return;
	}
	/* credit-risk: no own RACI -> the team's. */
	l = config_raci(cfg, "credit-risk", NULL, "accountable");
	CHECK(l != NULL && l[0] != NULL && strcmp(l[0], "carol") == 0 && l[1] == NULL);
	/* The rollback phase overrides accountable only. */
	l = config_raci(cfg, "credit-risk", "rollback", "accountable");
	CHECK(l != NULL && l[0] != NULL && strcmp(l[0], "bob") == 0 && l[1] == NULL);
	l = config_raci(cfg, "credit-risk", "rollback", "responsible");
	CHECK(l != NULL && l[0] != NULL && strcmp(l[0], "alice") == 0);
	l = config_raci(cfg, "credit-risk", "promote", "accountable");
	CHECK(l != NULL && l[0] != NULL && strcmp(l[0], "carol") == 0);
	/* churn has its own accountable. */
	l = config_raci(cfg, "churn", "promote", "accountable");
	CHECK(l != NULL && l[0] != NULL && strcmp(l[0], "alice") == 0);
	l = config_raci(cfg, "churn", NULL, "informed");
	CHECK(l != NULL && l[0] != NULL && l[1] != NULL &&
	    strcmp(l[1], "https://hooks.example/x") == 0);
	CHECK(config_raci(cfg, "nope", NULL, "accountable") == NULL);
	CHECK(config_raci(cfg, "churn", "deploy", "accountable") == NULL);
	CHECK(config_raci(cfg, "churn", NULL, "owner") == NULL);
	config_free(cfg);
}

static void
test_raci_empty_when_nobody(void)
{
	static const char j[] = "{" USERS ",\"teams\":[{\"name\":\"t\"}],"
	    "\"models\":[{\"name\":\"m\",\"team\":\"t\",\"tier\":2}]}";
	struct config_errors e = { 0 };
	struct config *cfg = config_parse(j, strlen(j), &e);
	const char *const *l;

	CHECK(cfg != NULL);
	if (cfg == NULL)
		return;
	l = config_raci(cfg, "m", "retire", "consulted");
	CHECK(l != NULL && l[0] == NULL);
	config_free(cfg);
}

static void
test_thresholds_resolution(void)
{
	struct config_errors e = { 0 };
	struct config *cfg = config_parse(good, strlen(good), &e);
	struct stats_thresholds d = stats_thresholds_default(), t;

	if (cfg == NULL) {
		CHECK(cfg != NULL);
		return;
	}
	/* credit-risk: policy strict (psi_warn 0.05, js) + own min_rows. */
	t = config_thresholds(cfg, "credit-risk");
	CHECK(t.psi_warn == 0.05);
	CHECK(t.method == STATS_METHOD_JS);
	CHECK_INT(t.min_rows, 500);
	CHECK(t.psi_alert == d.psi_alert);
	/* churn: no policy -> "default" policy (psi_alert 0.3). */
	t = config_thresholds(cfg, "churn");
	CHECK(t.psi_alert == 0.3);
	CHECK(t.psi_warn == d.psi_warn);
	CHECK_INT(t.min_labels, d.min_labels);
	/* A model not in the file: the default policy too. */
	t = config_thresholds(cfg, "unknown-model");
	CHECK(t.psi_alert == 0.3);
	CHECK_STR(cfg->policies[1].gates_json, "{\"min_approvals\":2}");
	config_free(cfg);
}

/* The table's defaults must be exactly the spec's (thresholds.h). */
static void
test_threshold_defaults_match_spec(void)
{
	struct stats_thresholds a, b = stats_thresholds_default();
	char *cause = NULL;

	memset(&a, 0x5a, sizeof a);
	CHECK_INT(options_defaults(options_thresholds, &a, &cause), 0);
	CHECK(a.method == b.method);
	CHECK(a.psi_warn == b.psi_warn && a.psi_alert == b.psi_alert);
	CHECK(a.pvalue_alert == b.pvalue_alert);
	CHECK(a.distance_alert == b.distance_alert);
	CHECK(a.model_alert_share == b.model_alert_share);
	CHECK(a.prediction_psi_alert == b.prediction_psi_alert);
	CHECK(a.accuracy_warn_drop == b.accuracy_warn_drop);
	CHECK(a.accuracy_alert_drop == b.accuracy_alert_drop);
	CHECK(a.disparate_impact_min == b.disparate_impact_min);
	CHECK_INT(a.min_rows, b.min_rows);
	CHECK_INT(a.min_labels, b.min_labels);
	CHECK_INT(a.fairness_min_rows, b.fairness_min_rows);
	CHECK_INT(a.fairness_min_positives, b.fairness_min_positives);
	free(cause);
}

static void
test_global_defaults(void)
{
	struct config_options o;
	char *cause = NULL;

	CHECK_INT(options_defaults(options_global, &o, &cause), 0);
	/* The figures: 64 MiB body, 50,000 rows, 7 days, 2 s / 10 s. */
	CHECK_INT(o.max_body, 64LL * 1024 * 1024);
	CHECK_INT(o.window_rows, 50000);
	CHECK_INT(o.window_max_age_ms, 7LL * 86400 * 1000);
	CHECK_INT(o.connect_timeout_ms, 2000);
	CHECK_INT(o.timeout_ms, 10000);
	free(cause);
}

static void
test_options_set_values(void)
{
	const struct options_entry *o = options_find(options_global, "max_body");
	struct config_options opt;
	cJSON *v;
	char *cause = NULL;

	v = cJSON_CreateString("512KiB");
	CHECK_INT(options_set(o, &opt, v, &cause), 0);
	CHECK_INT(opt.max_body, 512 * 1024);
	cJSON_Delete(v);
	v = cJSON_CreateString("12 parsecs");
	CHECK_INT(options_set(o, &opt, v, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "invalid size") != NULL);
	free(cause);
	cause = NULL;
	cJSON_Delete(v);
	v = cJSON_CreateNumber(1.5);
	CHECK_INT(options_set(o, &opt, v, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "integer") != NULL);
	free(cause);
	cause = NULL;
	cJSON_Delete(v);
	o = options_find(options_global, "window_max_age");
	v = cJSON_CreateString("400d");
	CHECK_INT(options_set(o, &opt, v, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "out of range (1m to 365d)") != NULL);
	free(cause);
	cJSON_Delete(v);
	CHECK(options_find(options_global, "no_such") == NULL);
}

static void
test_describe_lists_every_row(void)
{
	struct strbuf b = { 0 };
	const struct options_entry *o;

	options_describe(options_global, "options", 1, &b);
	for (o = options_global; o->name != NULL; o++) {
		char want[80];

		snprintf(want, sizeof want, "| `%s` |", o->name);
		CHECK(strstr(strbuf_str(&b), want) != NULL);
	}
	CHECK(strstr(strbuf_str(&b), "| `max_body` | size | `64MiB` | 1KiB to 4GiB |") != NULL);
	strbuf_free(&b);
}

static void
test_invalid_json_line_col(void)
{
	/* The stray '}' opens line 4; the ',' is line 3, column 9. */
	CHECK(has_error("{\n  \"users\": {\n    \"a\": []}}\n}",
	    "invalid JSON at line 4, column 1"));
	CHECK(has_error("{\n \"users\": {\n  \"a\": [,]}}",
	    "invalid JSON at line 3, column 9"));
	CHECK(has_error("", "invalid JSON at line 1, column 1"));
	CHECK(has_error("[]", "(top level): expected an object, got an array"));
}

static void
test_nul_byte(void)
{
	struct config_errors e = { 0 };
	static const char j[] = "{\"users\":{}}\0junk";

	CHECK(config_parse(j, sizeof j - 1, &e) == NULL);
	CHECK(e.n == 1 && strstr(e.v[0], "NUL byte") != NULL);
	config_errors_free(&e);
}

static void
test_error_paths(void)
{
	CHECK(has_error("{\"hosts\":[]}", "(top level): missing required field \"users\""));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\",\"raci\":"
	    "{\"accountable\":[\"dave\"]}}]}",
	    "teams[0].raci.accountable[0]: unknown user \"dave\""));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"}],\"models\":["
	    "{\"name\":\"a\",\"team\":\"t\",\"tier\":1},"
	    "{\"name\":\"b\",\"team\":\"t\",\"tier\":1},"
	    "{\"name\":\"c\",\"team\":\"t\",\"tier\":1,\"raci\":{\"accountable\":[\"carl\"]}}]}",
	    "models[2].raci.accountable[0]: unknown user \"carl\""));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"http://a\"},"
	    "{\"name\":\"h\",\"url\":\"http://b\"}]}",
	    "hosts[1].name: duplicate host name \"h\""));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"ftp://a\"}]}",
	    "hosts[0].url: unsupported URL scheme \"ftp\" (only http and https)"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"a.b\"}]}",
	    "hosts[0].url: not a URL"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"http://\"}]}",
	    "hosts[0].url: URL \"http://\" has no host"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\"}]}",
	    "hosts[0]: missing required field \"url\""));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"http://a\","
	    "\"tokn_file\":\"/x\"}]}", "hosts[0].tokn_file: unknown key"));
	CHECK(has_error("{" USERS ",\"options\":{\"poll_secs\":3}}",
	    "options.poll_secs: unknown option"));
	CHECK(has_error("{" USERS ",\"options\":{\"poll_seconds\":0}}",
	    "options.poll_seconds: value 0 out of range (1 to 86400 seconds)"));
	CHECK(has_error("{" USERS ",\"options\":{\"window_rows\":\"many\"}}",
	    "options.window_rows: expected an integer"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":5}]}",
	    "hosts[0].url: expected a string, got a number"));
	CHECK(has_error("{" USERS ",\"models\":[{\"name\":\"m\",\"team\":\"nope\","
	    "\"tier\":1}]}", "models[0].team: unknown team \"nope\""));
	CHECK(has_error("{\"users\":{\"a\":[\"wizard\"]}}",
	    "users.a[0]: unknown role \"wizard\""));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"}],\"models\":["
	    "{\"name\":\"m\",\"team\":\"t\",\"tier\":1},"
	    "{\"name\":\"m\",\"team\":\"t\",\"tier\":2}]}",
	    "models[1].name: duplicate model name \"m\""));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"},{\"name\":\"t\"}]}",
	    "teams[1].name: duplicate team name \"t\""));
}

static void
test_error_paths_more(void)
{
	CHECK(has_error("{\"users\":{\"a\":[],\"a\":[]}}", "users.a: duplicate key"));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"}],\"models\":["
	    "{\"name\":\"m\",\"team\":\"t\"}]}", "models[0]: missing required field \"tier\""));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"}],\"models\":["
	    "{\"name\":\"m\",\"team\":\"t\",\"tier\":7}]}",
	    "models[0].tier: value 7 out of range (1 to 3)"));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"}],\"models\":["
	    "{\"name\":\"m\",\"team\":\"t\",\"tier\":1,\"policy\":\"p\"}]}",
	    "models[0].policy: unknown policy \"p\""));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"}],\"models\":["
	    "{\"name\":\"m\",\"team\":\"t\",\"tier\":1,\"phases\":{\"deploy\":{}}}]}",
	    "models[0].phases.deploy: unknown key"));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\"}],\"models\":["
	    "{\"name\":\"m\",\"team\":\"t\",\"tier\":1,\"thresholds\":"
	    "{\"psi_warn\":0.5,\"psi_alert\":0.2}}]}",
	    "models[0].thresholds: psi_warn 0.5 is above psi_alert 0.2"));
	CHECK(has_error("{" USERS ",\"policies\":{\"p\":{\"thresholds\":"
	    "{\"method\":\"magic\"}}}}", "policies.p.thresholds.method: unknown "
	    "value \"magic\" (one of psi, js, ks, wasserstein)"));
	CHECK(has_error("{" USERS ",\"policies\":{\"p\":{\"gates\":[]}}}",
	    "policies.p.gates: expected an object, got an array"));
	CHECK(has_error("{" USERS ",\"policies\":{\"p\":{\"thresholds\":"
	    "{\"pvalue_alert\":2}}}}", "policies.p.thresholds.pvalue_alert: "
	    "value 2 out of range (0 to 1)"));
	CHECK(has_error("{\"users\":{\"a b\":[]}}",
	    "users[\"a b\"]: invalid user name"));
	CHECK(has_error("{" USERS ",\"teams\":[{\"name\":\"t\",\"raci\":"
	    "{\"informed\":[\"ftp://x\"]}}]}",
	    "teams[0].raci.informed[0]: unsupported URL scheme \"ftp\""));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"http://a\","
	    "\"metrics_source\":\"pull\"}]}",
	    "hosts[0].metrics_source: expected \"host\" or {\"prometheus\": URL}"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"http://a\","
	    "\"token_file\":\"tok\"}]}",
	    "hosts[0].token_file: \"tok\" is not an absolute path"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"h\",\"url\":\"http://a\","
	    "\"ca_file\":\"/nonexistent/ca.pem\"}]}",
	    "hosts[0].ca_file: \"/nonexistent/ca.pem\" is not a readable file"));
	CHECK(has_error("{" USERS ",\"version\":2}", "version: unsupported"));
	CHECK(has_error("{" USERS ",\"options\":{\"backoff_initial\":\"10m\","
	    "\"backoff_max\":\"1m\"}}", "options.backoff_initial: longer than backoff_max"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"-h\",\"url\":\"http://a\"}]}",
	    "hosts[0].name: invalid host name"));
	CHECK(has_error("{" USERS ",\"hosts\":[{\"name\":\"\",\"url\":\"http://a\"}]}",
	    "hosts[0].name: must not be empty"));
}

/* Many errors in one file: all named, none stops the others. */
static void
test_all_errors_reported(void)
{
	char *got = errors_of("{\"users\":{\"a\":[\"x\"]},\"hosts\":[{\"name\":\"h\","
	    "\"url\":\"gopher://a\"},{\"url\":\"http://b\"}],\"colour\":1,"
	    "\"options\":{\"timeout\":\"1h\"}}");
	size_t lines = 0;
	char *c;

	for (c = got; *c != '\0'; c++)
		lines += *c == '\n';
	CHECK_INT(lines, 5);
	CHECK(strstr(got, "colour: unknown key") != NULL);
	CHECK(strstr(got, "users.a[0]: unknown role") != NULL);
	CHECK(strstr(got, "hosts[0].url: unsupported URL scheme") != NULL);
	CHECK(strstr(got, "hosts[1]: missing required field \"name\"") != NULL);
	CHECK(strstr(got, "options.timeout: value 1h out of range (1s to 10m)") != NULL);
	free(got);
}

static void
test_load_file(void)
{
	char path[] = "/tmp/test_config.XXXXXX", *cause = NULL;
	struct config *cfg;
	FILE *f;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	fputs("{\"users\":{\"a\":[\"oncall\"]},\"hosts\":[{\"name\":\"h\"}],"
	    "\"teams\":5}", f);
	fclose(f);
	CHECK((cfg = config_load(path, &cause)) == NULL);
	CHECK(cause != NULL && strstr(cause, path) != NULL &&
	    strstr(cause, "and 1 more errors") != NULL);
	free(cause);
	cause = NULL;
	f = fopen(path, "w");
	fputs(good, f);
	fclose(f);
	cfg = config_load(path, &cause);
	CHECK(cfg != NULL);
	config_free(cfg);
	unlink(path);
	CHECK(config_load(path, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "No such file") != NULL);
	free(cause);
}

static void
test_load_too_big(void)
{
	char path[] = "/tmp/test_config.XXXXXX", *cause = NULL;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(ftruncate(fd, CONFIG_MAX_SIZE + 1), 0);
	close(fd);
	CHECK(config_load(path, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "larger than") != NULL);
	free(cause);
	unlink(path);
}

int
main(void)
{
	RUN(test_good_parses);
	RUN(test_user_roles);
	RUN(test_raci_inheritance);
	RUN(test_raci_empty_when_nobody);
	RUN(test_thresholds_resolution);
	RUN(test_threshold_defaults_match_spec);
	RUN(test_global_defaults);
	RUN(test_options_set_values);
	RUN(test_describe_lists_every_row);
	RUN(test_invalid_json_line_col);
	RUN(test_nul_byte);
	RUN(test_error_paths);
	RUN(test_error_paths_more);
	RUN(test_all_errors_reported);
	RUN(test_load_file);
	RUN(test_load_too_big);
	return TEST_REPORT();
}
