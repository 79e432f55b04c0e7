/*
 * test_trust: the environment allow-list, the override refusals, the
 * personal build's paths and the token-file rule on real files.
 */
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/paths.h"
#include "config/trust.h"
#include "testhelp.h"

static char dir[] = "/tmp/test_trust.XXXXXX";

/* Write text to dir/name with mode; returns the path (static buffer). */
static const char *
put(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	if ((f = fopen(path, "w")) == NULL)
		return path;
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

static void
test_env_allowed(void)
{
	CHECK(trust_env_allowed("TERM", "xterm-256color"));
	CHECK(trust_env_allowed("LANG", "en_GB.UTF-8"));
	CHECK(trust_env_allowed("LC_ALL", "C.UTF-8"));
	CHECK(trust_env_allowed("LC_CTYPE", "C"));
	CHECK(trust_env_allowed("NO_COLOR", "1"));
	CHECK(trust_env_allowed("TZ", "Europe/Paris"));
	CHECK(trust_env_allowed("COLUMNS", "120"));
	CHECK(trust_env_allowed("LINES", "40"));
	CHECK(!trust_env_allowed("TZ", "/home/mallory/zone"));
	CHECK(!trust_env_allowed("TZ", "../../x"));
	CHECK(!trust_env_allowed("TERM", "../../home/mallory/t"));
	CHECK(!trust_env_allowed("LANG", "/tmp/locale"));
	CHECK(!trust_env_allowed("COLUMNS", "12x"));
	CHECK(!trust_env_allowed("LC_all", "C"));
	CHECK(!trust_env_allowed("LC_", "C"));
	CHECK(!trust_env_allowed("TERM", "xterm\033]0;x"));
	CHECK(!trust_env_allowed("HOME", "/home/mallory"));
	CHECK(!trust_env_allowed("XDG_CONFIG_HOME", "/x"));
	CHECK(!trust_env_allowed("TMPDIR", "/x"));
	CHECK(!trust_env_allowed("https_proxy", "http://127.0.0.1:1"));
	CHECK(!trust_env_allowed("SSLKEYLOGFILE", "/tmp/keys"));
	CHECK(!trust_env_allowed("CURL_CA_BUNDLE", "/tmp/ca"));
	CHECK(!trust_env_allowed("LD_PRELOAD", "/tmp/x.so"));
	CHECK(!trust_env_allowed("MODELDECK_CONFIG", "/tmp/c.json"));
	{
		char big[400];

		memset(big, 'a', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		CHECK(!trust_env_allowed("TERM", big));
	}
}

static void
test_paths_personal(void)
{
	struct passwd *pw = getpwuid(getuid());
	char *p, want[512];

	CHECK_INT(paths_installed(), 0);
	CHECK(paths_sysconfdir() == NULL);
	setenv("XDG_CONFIG_HOME", "/srv/cfg", 1);
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	p = paths_config_default();
	CHECK_STR(p, "/srv/cfg/modeldeck/config.json");
	free(p);
	p = paths_db_default();
	CHECK_STR(p, "/srv/state/modeldeck/modeldeck.db");
	free(p);
	/* A relative XDG directory is ignored (XDG base directory spec). */
	setenv("XDG_CONFIG_HOME", "rel", 1);
	setenv("HOME", "/home/tester", 1);
	p = paths_config_default();
	CHECK_STR(p, "/home/tester/.config/modeldeck/config.json");
	free(p);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	p = paths_db_default();
	if (pw != NULL) {
		snprintf(want, sizeof want, "%s/.local/state/modeldeck/modeldeck.db",
		    pw->pw_dir);
		CHECK_STR(p, want);
	}
	free(p);
	p = paths_config("/a.json", "/b.json");
	CHECK_STR(p, "/a.json");
	free(p);
	p = paths_config(NULL, "/b.json");
	CHECK_STR(p, "/b.json");
	free(p);
	p = paths_db("/d.db");
	CHECK_STR(p, "/d.db");
	free(p);
}

static void
test_overrides(void)
{
	struct trust_request r = { .config = "/tmp/mine.json" };
	char *s;

	CHECK_INT(trust_privileged(), 0);
	CHECK(trust_check_overrides(0, 1000, &r) == NULL);
	CHECK(trust_check_overrides(1, 0, &r) == NULL);
	/* This test links the personal build: a setgid personal run is refused. */
	s = trust_check_overrides(1, 1000, &r);
	CHECK(s != NULL && strstr(s, "personal build") != NULL);
	free(s);
}

static void
test_token_personal(void)
{
	char *tok = NULL, *cause = NULL;
	const char *p;

	p = put("ok", "s3cret-token\n", 0600);
	CHECK_INT(trust_check_token_file(p, 0, &cause), 0);
	CHECK_INT(trust_read_token(p, 0, &tok, &cause), 0);
	CHECK_STR(tok, "s3cret-token");
	free(tok);
	p = put("ro", "t", 0400);
	CHECK_INT(trust_check_token_file(p, 0, &cause), 0);
	p = put("group", "t", 0640);
	CHECK_INT(trust_check_token_file(p, 0, &cause), -1);
	CHECK(cause != NULL && strstr(cause, p) != NULL &&
	    strstr(cause, "mode 0640") != NULL);
	free(cause);
	cause = NULL;
	p = put("world", "t", 0644);
	CHECK_INT(trust_read_token(p, 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "mode 0644") != NULL &&
	    strstr(cause, "0600 or stricter") != NULL);
	free(cause);
}

static void
test_token_bad_contents(void)
{
	char big[TRUST_TOKEN_MAX + 10], *tok = NULL, *cause = NULL, link[300];
	const char *p;

	p = put("empty", " \n\n", 0600);
	CHECK_INT(trust_read_token(p, 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "empty") != NULL);
	free(cause);
	cause = NULL;
	p = put("crlf", "abc\r\nX-Evil: 1\n", 0600);
	CHECK_INT(trust_read_token(p, 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "printable ASCII") != NULL);
	free(cause);
	cause = NULL;
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	p = put("big", big, 0600);
	CHECK_INT(trust_read_token(p, 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "larger than 4096") != NULL);
	free(cause);
	cause = NULL;
	p = put("target", "t", 0600);
	snprintf(link, sizeof link, "%s/link", dir);
	CHECK_INT(symlink(p, link), 0);
	CHECK_INT(trust_read_token(link, 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "symbolic link") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(trust_check_token_file(link, 0, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "symbolic link") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(trust_read_token(dir, 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "not a regular file") != NULL);
	free(cause);
	cause = NULL;
	snprintf(link, sizeof link, "%s/fifo", dir);
	CHECK_INT(mkfifo(link, 0600), 0);
	CHECK_INT(trust_read_token(link, 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "not a regular file") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(trust_read_token("/nonexistent/tok", 0, &tok, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "No such file") != NULL);
	free(cause);
}

static void
test_token_installed(void)
{
	struct group *gr = getgrnam(TRUST_GROUP);
	char *cause = NULL, *tok = NULL;
	const char *p;

	p = put("mine", "t", 0600);
	CHECK_INT(trust_check_token_file(p, 1, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "root:" TRUST_GROUP) != NULL &&
	    strstr(cause, "0640 or stricter") != NULL);
	free(cause);
	cause = NULL;
	if (getuid() != 0 || gr == NULL)
		return;	/* the accepting half needs root and the group */
	p = put("inst", "tok\n", 0640);
	CHECK_INT(chown(p, 0, gr->gr_gid), 0);
	CHECK_INT(trust_read_token(p, 1, &tok, &cause), 0);
	CHECK_STR(tok, "tok");
	free(tok);
	CHECK_INT(chmod(p, 0660), 0);
	CHECK_INT(trust_check_token_file(p, 1, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "mode 0660") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(chmod(p, 0644), 0);
	CHECK_INT(trust_check_token_file(p, 1, &cause), -1);
	free(cause);
}

static void
test_read_file(void)
{
	char *text = NULL, *cause = NULL;
	size_t len = 0;
	const char *p = put("cfg", "{\"users\":{}}", 0644);

	CHECK_INT(trust_read_file(p, 100, 1, &text, &len, &cause), 0);
	CHECK_STR(text, "{\"users\":{}}");
	CHECK_INT(len, 12);
	free(text);
	CHECK_INT(trust_read_file(p, 5, 0, &text, &len, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "larger than 5 bytes") != NULL);
	free(cause);
}

/* Last: it empties this process's environment. */
static void
test_sanitize_env(void)
{
	setenv("HOME", "/home/mallory", 1);
	setenv("XDG_CONFIG_HOME", "/home/mallory/.c", 1);
	setenv("TMPDIR", "/home/mallory/tmp", 1);
	setenv("http_proxy", "http://127.0.0.1:9", 1);
	setenv("SSLKEYLOGFILE", "/tmp/keys", 1);
	setenv("PATH", "/home/mallory/bin", 1);
	setenv("TERM", "xterm", 1);
	setenv("LC_ALL", "C", 1);
	setenv("LANG", "/evil", 1);
	trust_sanitize_env();
	CHECK(getenv("HOME") == NULL);
	CHECK(getenv("XDG_CONFIG_HOME") == NULL);
	CHECK(getenv("TMPDIR") == NULL);
	CHECK(getenv("http_proxy") == NULL);
	CHECK(getenv("SSLKEYLOGFILE") == NULL);
	CHECK(getenv("LANG") == NULL);
	CHECK_STR(getenv("TERM"), "xterm");
	CHECK_STR(getenv("LC_ALL"), "C");
	CHECK_STR(getenv("PATH"), TRUST_SAFE_PATH);
}

int
main(void)
{
	char cmd[300];

	if (mkdtemp(dir) == NULL) {
		printf("FAIL mkdtemp\n");
		return 1;
	}
	RUN(test_env_allowed);
	RUN(test_paths_personal);
	RUN(test_overrides);
	RUN(test_token_personal);
	RUN(test_token_bad_contents);
	RUN(test_token_installed);
	RUN(test_read_file);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("FAIL cleanup of %s\n", dir);
	RUN(test_sanitize_env);
	return TEST_REPORT();
}
