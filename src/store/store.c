/*
 * store: opening a database file safely, and freeing the records the ops
 * return.  The file checks live here, before any back end touches the
 * file, so a future back end that keeps a local file gets them too.
 *
 * Modes.  A database file or folder that anyone may write is refused,
 * naming it: the audit trail would mean nothing.  The store never loosens
 * a mode.  A missing folder is created 0700 (a personal build; `make
 * install` creates the installed 2770 group folder itself).  A missing
 * database file is created 0660 in a setgid, group-writable folder (the
 * installed layout: the group is what lets the setgid binary in) and 0600
 * otherwise; the umask still applies.  SQLite gives the -wal and -shm
 * files the database file's mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_sqlite.h"
#include "util/xmalloc.h"

/* The folder part of path ("." for a bare name). */
static char *
folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* mkdir -p with mode 0700 for each missing component. */
static int
make_folder(const char *dir, char **cause)
{
	char *p = xstrdup(dir), *q;
	int rc = 0;

	for (q = p + 1; rc == 0; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;
		*q = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = xcause(cause, "store: cannot create folder %s: %s",
			    p, strerror(errno));
		*q = c;
		if (c == '\0')
			break;
	}
	free(p);
	return rc;
}

static int
refuse_world_writable(const char *what, const char *path,
    const struct stat *sb, char **cause)
{
	if (!(sb->st_mode & S_IWOTH))
		return 0;
	return xcause(cause, "store: refusing %s %s: it is world-writable "
	    "(mode %04o); remove that with: chmod o-w %s", what, path,
	    (unsigned)(sb->st_mode & 07777), path);
}

static int
check_folder(const char *dir, int flags, struct stat *sb, char **cause)
{
	if (stat(dir, sb) != 0) {
		if (errno != ENOENT || !(flags & STORE_CREATE))
			return xcause(cause, "store: folder %s: %s", dir,
			    strerror(errno));
		if (make_folder(dir, cause) != 0)
			return -1;
		if (stat(dir, sb) != 0)
			return xcause(cause, "store: folder %s: %s", dir,
			    strerror(errno));
	}
	if (!S_ISDIR(sb->st_mode))
		return xcause(cause, "store: %s is not a folder", dir);
	return refuse_world_writable("folder", dir, sb, cause);
}

/* Create the database file with the mode the folder calls for. */
static int
create_file(const char *path, const struct stat *dirsb, char **cause)
{
	mode_t mode = 0600;
	int fd;

	if ((dirsb->st_mode & S_ISGID) && (dirsb->st_mode & S_IWGRP))
		mode = 0660;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd < 0 && errno != EEXIST)
		return xcause(cause, "store: cannot create %s: %s", path,
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

static int
check_file(const char *path, const char *suffix, int must_exist,
    char **cause)
{
	struct stat sb;
	char *p = xasprintf("%s%s", path, suffix);
	int rc = 0;

	if (lstat(p, &sb) != 0) {
		if (errno != ENOENT || must_exist)
			rc = xcause(cause, "store: %s: %s", p, strerror(errno));
	} else if (S_ISLNK(sb.st_mode))
		rc = xcause(cause, "store: refusing %s: it is a symbolic link", p);
	else if (!S_ISREG(sb.st_mode))
		rc = xcause(cause, "store: %s is not a regular file", p);
	else
		rc = refuse_world_writable("database file", p, &sb, cause);
	free(p);
	return rc;
}

struct store *
store_open(const char *path, int flags, char **cause)
{
	struct stat dirsb;
	char *dir;
	int rc;

	if (path == NULL || *path == '\0')
		return xcause(cause, "store: no database path"), NULL;
	if ((flags & STORE_READONLY) && (flags & STORE_CREATE))
		flags &= ~STORE_CREATE;
	dir = folder_of(path);
	rc = check_folder(dir, flags, &dirsb, cause);
	free(dir);
	if (rc != 0)
		return NULL;
	if ((flags & STORE_CREATE) && create_file(path, &dirsb, cause) != 0)
		return NULL;
	if (check_file(path, "", 1, cause) != 0 ||
	    check_file(path, "-wal", 0, cause) != 0 ||
	    check_file(path, "-shm", 0, cause) != 0)
		return NULL;
	return store_sqlite_open(path, flags, cause);
}

void
store_host_free(struct store_host *h, size_t n)
{
	size_t i;

	for (i = 0; h != NULL && i < n; i++) {
		free(h[i].name);
		free(h[i].url);
		free(h[i].state);
		free(h[i].error);
	}
	free(h);
}

void
store_deployment_free(struct store_deployment *d, size_t n)
{
	size_t i;

	for (i = 0; d != NULL && i < n; i++) {
		free(d[i].host);
		free(d[i].model);
		free(d[i].version);
		free(d[i].stage);
	}
	free(d);
}

void
store_metric_free(struct store_metric *m, size_t n)
{
	size_t i;

	for (i = 0; m != NULL && i < n; i++) {
		free(m[i].host);
		free(m[i].model);
		free(m[i].version);
		free(m[i].name);
	}
	free(m);
}

void
store_sample_free(struct store_sample *s, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++) {
		free(s[i].id);
		free(s[i].features_json);
		free(s[i].prediction_json);
		free(s[i].label_json);
	}
	free(s);
}

void
store_label_free(struct store_label *l, size_t n)
{
	size_t i;

	for (i = 0; l != NULL && i < n; i++) {
		free(l[i].id);
		free(l[i].label_json);
	}
	free(l);
}

void
store_audit_entry_clear(struct store_audit_entry *e)
{
	free(e->actor);
	free(e->action);
	free(e->target);
	free(e->details);
	free(e->outcome);
	memset(e, 0, sizeof *e);
}
