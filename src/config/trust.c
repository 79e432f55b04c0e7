/*
 * trust: privileged-run detection, the environment allow-list, the
 * override refusals and the token-file rule (see trust.h and
 * docs/security.md).  Nothing here trusts a value the user controls in a
 * privileged run: paths come from paths.c's compiled-in directories.
 */
#include "config/trust.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "config/identity.h"
#include "config/paths.h"
#include "util/xmalloc.h"

#define ENV_VALUE_MAX	256

extern char **environ;

int
trust_privileged(void)
{
	return getauxval(AT_SECURE) != 0 || getuid() != geteuid() ||
	    getgid() != getegid();
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return 0;
	}
	return 1;
}

int
trust_env_allowed(const char *name, const char *value)
{
	static const char *const plain[] = { "TERM", "LANG", "NO_COLOR", NULL };
	const char *const *n;
	const char *c;

	if (strlen(value) > ENV_VALUE_MAX)
		return 0;
	for (c = value; *c != '\0'; c++) {
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			return 0;
	}
	if (strcmp(name, "COLUMNS") == 0 || strcmp(name, "LINES") == 0)
		return all_digits(value);
	/* A zone name may hold '/' (Europe/Paris); a file path may not. */
	if (strcmp(name, "TZ") == 0)
		return value[0] != '/' && strstr(value, "..") == NULL;
	if (strncmp(name, "LC_", 3) == 0) {
		for (c = name + 3; *c != '\0'; c++) {
			if (!isupper((unsigned char)*c) && *c != '_')
				return 0;
		}
		return name[3] != '\0' && strchr(value, '/') == NULL;
	}
	for (n = plain; *n != NULL; n++) {
		if (strcmp(name, *n) == 0)
			return strchr(value, '/') == NULL;
	}
	return 0;
}

void
trust_sanitize_env(void)
{
	char **keep, **e, *eq, *name;
	size_t n = 0, i;

	for (e = environ; e != NULL && *e != NULL; e++)
		n++;
	keep = xcalloc(n + 1, sizeof *keep);
	n = 0;
	for (e = environ; e != NULL && *e != NULL; e++) {
		if ((eq = strchr(*e, '=')) == NULL)
			continue;
		name = xstrndup(*e, (size_t)(eq - *e));
		if (trust_env_allowed(name, eq + 1))
			keep[n++] = xstrdup(*e);
		free(name);
	}
	clearenv();
	for (i = 0; i < n; i++) {
		eq = strchr(keep[i], '=');
		*eq = '\0';
		setenv(keep[i], eq + 1, 1);
		free(keep[i]);
	}
	free(keep);
	setenv("PATH", TRUST_SAFE_PATH, 1);
}

char *
trust_check_overrides(int privileged, uid_t uid, const struct trust_request *r)
{
	static const char why[] = "refused for a non-root user of the "
	    "installed, setgid modeldeck: roles and data come only from the "
	    "system configuration and database";

	if (!privileged || uid == 0)
		return NULL;
	if (!paths_installed())
		return xstrdup("this personal build of modeldeck is running "
		    "setgid or setuid, which it must not (install with "
		    "make install)");
	if (r->config != NULL)
		return xasprintf("--config %s: %s", r->config, why);
	if (r->env_config != NULL)
		return xasprintf("$MODELDECK_CONFIG: %s", why);
	if (r->db != NULL)
		return xasprintf("--db %s: %s", r->db, why);
	if (r->as != NULL)
		return xasprintf("--as %s: only root may act for another user",
		    r->as);
	return NULL;
}

int
trust_setup(struct app *app, const struct trust_request *r, char **cause)
{
	struct trust_request none = { 0 };
	char *refusal;

	app->installed = paths_installed();
	app->privileged = trust_privileged();
	if ((refusal = trust_check_overrides(app->privileged, getuid(), r)) != NULL) {
		free(app->refusal);
		app->refusal = refusal;
		r = &none;
	}
	/* Files the group shares (database, journals) stay group-writable. */
	if (app->privileged)
		umask(007);
	if (identity_init(&app->id, r->as, cause) != 0)
		return -1;
	app->config_path = paths_config(r->config, r->env_config);
	app->db_path = paths_db(r->db);
	return 0;
}

static char *
owner_text(const struct stat *sb)
{
	struct passwd *pw = getpwuid(sb->st_uid);
	struct group *gr = getgrgid(sb->st_gid);
	char u[32], g[32];

	snprintf(u, sizeof u, "%u", (unsigned)sb->st_uid);
	snprintf(g, sizeof g, "%u", (unsigned)sb->st_gid);
	return xasprintf("%s:%s", pw != NULL ? pw->pw_name : u,
	    gr != NULL ? gr->gr_name : g);
}

/* The token-file rule on a file's metadata. */
static int
check_stat(const struct stat *sb, const char *path, int installed,
    char **cause)
{
	struct group *gr;
	unsigned mode = (unsigned)sb->st_mode & 07777;
	char *owner;
	int ok;

	if (!S_ISREG(sb->st_mode))
		return xcause(cause, "token file %s is not a regular file", path);
	if (installed) {
		gr = getgrnam(TRUST_GROUP);
		ok = sb->st_uid == 0 && gr != NULL && sb->st_gid == gr->gr_gid &&
		    (mode & 07137) == 0;
	} else
		ok = sb->st_uid == getuid() && (mode & 07077) == 0;
	if (ok)
		return 0;
	owner = owner_text(sb);
	xcause(cause, "token file %s is %s with mode %04o: %s", path, owner,
	    mode, installed ? "an installed modeldeck needs root:" TRUST_GROUP
	    " and mode 0640 or stricter" : "it must be yours with mode 0600 "
	    "or stricter (chmod 600)");
	free(owner);
	return -1;
}

int
trust_check_token_fd(int fd, const char *path, int installed, char **cause)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return xcause(cause, "token file %s: %s", path, strerror(errno));
	return check_stat(&sb, path, installed, cause);
}

int
trust_check_token_file(const char *path, int installed, char **cause)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return xcause(cause, "token file %s: %s", path, strerror(errno));
	if (S_ISLNK(sb.st_mode))
		return xcause(cause, "token file %s is a symbolic link", path);
	return check_stat(&sb, path, installed, cause);
}

/* Read at most max bytes of fd; -1 with *cause when there is more. */
static int
read_all(int fd, const char *path, size_t max, char **text, size_t *len,
    char **cause)
{
	char *buf = xmalloc(max + 2);
	size_t n = 0;
	ssize_t got;

	while (n <= max) {
		got = read(fd, buf + n, max + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return xcause(cause, "%s: %s", path, strerror(errno));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > max) {
		free(buf);
		return xcause(cause, "%s: larger than %zu bytes", path, max);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int
trust_read_token(const char *path, int installed, char **token, char **cause)
{
	char *text, *start, *end, *c;
	size_t len;
	int fd, rc;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return xcause(cause, "token file %s: %s", path, errno == ELOOP ?
		    "is a symbolic link" : strerror(errno));
	rc = trust_check_token_fd(fd, path, installed, cause);
	if (rc == 0)
		rc = read_all(fd, path, TRUST_TOKEN_MAX, &text, &len, cause);
	close(fd);
	if (rc != 0)
		return -1;
	for (start = text; isspace((unsigned char)*start); start++)
		;
	for (end = text + len; end > start && isspace((unsigned char)end[-1]); end--)
		;
	for (c = start; c < end; c++) {
		/* The token becomes an HTTP header: no CR, LF or controls. */
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			break;
	}
	if (start == end || c != end) {
		free(text);
		return xcause(cause, "token file %s: %s", path, start == end ?
		    "empty" : "the token must be one word of printable ASCII");
	}
	*token = xstrndup(start, (size_t)(end - start));
	free(text);
	return 0;
}

int
trust_read_file(const char *path, size_t max, int as_user, char **text,
    size_t *len, char **cause)
{
	struct stat sb;
	gid_t egid = getegid();
	int fd, err, drop = as_user && egid != getgid();

	/* Open with the user's own group: the saved set-group-ID restores it. */
	if (drop && setegid(getgid()) != 0)
		return xcause(cause, "%s: cannot drop privileges: %s", path,
		    strerror(errno));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	err = errno;
	if (drop && setegid(egid) != 0) {
		if (fd >= 0)
			close(fd);
		return xcause(cause, "%s: cannot restore privileges: %s", path,
		    strerror(errno));
	}
	if (fd < 0)
		return xcause(cause, "cannot open %s: %s", path, strerror(err));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return xcause(cause, "%s is not a regular file", path);
	}
	err = read_all(fd, path, max, text, len, cause);
	close(fd);
	return err;
}
