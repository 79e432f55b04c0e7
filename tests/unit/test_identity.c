/*
 * test_identity: the person comes from the real uid, never from USER or
 * LOGNAME; --as only for root; roles from the configuration.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/identity.h"
#include "testhelp.h"

static struct config *
cfg_with(const char *json)
{
	struct config_errors e = { 0 };
	struct config *cfg = config_parse(json, strlen(json), &e);

	config_errors_free(&e);
	return cfg;
}

static void
test_login_from_real_uid(void)
{
	struct passwd *pw = getpwuid(getuid());
	struct identity id;
	char *cause = NULL;

	setenv("USER", "mallory", 1);
	setenv("LOGNAME", "mallory", 1);
	CHECK_INT(identity_init(&id, NULL, &cause), 0);
	CHECK(pw != NULL);
	if (pw != NULL) {
		CHECK_STR(id.login, pw->pw_name);
		CHECK_STR(id.user, pw->pw_name);
		CHECK_STR(id.actor, pw->pw_name);
	}
	CHECK_INT(id.uid, getuid());
	CHECK(id.as_user == NULL);
	identity_free(&id);
}

static void
test_as_user(void)
{
	struct identity id;
	char *cause = NULL;
	int rc = identity_init(&id, "alice", &cause);

	if (getuid() == 0) {
		CHECK_INT(rc, 0);
		CHECK_STR(id.user, "alice");
		CHECK_STR(id.actor, "root as alice");
		CHECK_STR(id.as_user, "alice");
		CHECK(!id.known);
		identity_free(&id);
	} else {
		CHECK_INT(rc, -1);
		CHECK(cause != NULL && strstr(cause, "only root") != NULL);
		free(cause);
	}
	cause = NULL;
	if (getuid() == 0) {
		CHECK_INT(identity_init(&id, "", &cause), -1);
		CHECK(cause != NULL && strstr(cause, "empty user name") != NULL);
		free(cause);
	}
}

static void
test_roles_from_config(void)
{
	struct passwd *pw = getpwuid(getuid());
	struct identity id;
	struct config *cfg;
	char json[512], *cause = NULL;

	if (pw == NULL) {
		CHECK(pw != NULL);
		return;
	}
	snprintf(json, sizeof json, "{\"users\":{\"%s\":[\"oncall\","
	    "\"governance\"],\"zed\":[]}}", pw->pw_name);
	cfg = cfg_with(json);
	CHECK(cfg != NULL);
	CHECK_INT(identity_init(&id, NULL, &cause), 0);
	identity_set_roles(&id, cfg);
	CHECK(id.known);
	CHECK_INT(id.nroles, 2);
	CHECK(identity_has_role(&id, "oncall"));
	CHECK(identity_has_role(&id, "governance"));
	CHECK(!identity_has_role(&id, "head-of-ml"));
	/* Setting roles again replaces them (no leak, no duplicates). */
	identity_set_roles(&id, cfg);
	CHECK_INT(id.nroles, 2);
	identity_free(&id);
	config_free(cfg);
}

static void
test_unknown_user(void)
{
	struct identity id;
	struct config *cfg = cfg_with("{\"users\":{\"zed-not-me\":[\"oncall\"]}}");
	char *cause = NULL;

	CHECK(cfg != NULL);
	CHECK_INT(identity_init(&id, NULL, &cause), 0);
	identity_set_roles(&id, cfg);
	CHECK_INT(id.nroles, 0);
	CHECK(!identity_has_role(&id, "oncall"));
	/* Root is a known person even when the file does not name it. */
	CHECK_INT(id.known, getuid() == 0);
	identity_free(&id);
	if (getuid() == 0) {
		CHECK_INT(identity_init(&id, "zed-not-me", &cause), 0);
		identity_set_roles(&id, cfg);
		CHECK(id.known);
		CHECK(identity_has_role(&id, "oncall"));
		identity_free(&id);
	}
	config_free(cfg);
}

int
main(void)
{
	RUN(test_login_from_real_uid);
	RUN(test_as_user);
	RUN(test_roles_from_config);
	RUN(test_unknown_user);
	return TEST_REPORT();
}
