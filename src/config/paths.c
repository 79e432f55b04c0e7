/*
 * paths: the personal and installed locations (see paths.h).  A personal
 * build follows the XDG base directory rules, ignoring a relative XDG
 * variable as the specification says; the home directory is $HOME when
 * absolute, else the password entry of the real uid.
 */
#include "config/paths.h"

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xmalloc.h"

#ifndef MD_INSTALLED
#error "paths.c needs -DMD_INSTALLED=0 or 1 (see the Makefile)"
#endif

#if MD_INSTALLED
#if !defined(MD_SYSCONFDIR) || !defined(MD_LOCALSTATEDIR) || !defined(MD_DATADIR)
#error "the installed build needs MD_SYSCONFDIR, MD_LOCALSTATEDIR and MD_DATADIR"
#endif
#else
#undef MD_SYSCONFDIR
#undef MD_LOCALSTATEDIR
#undef MD_DATADIR
#endif

int
paths_installed(void)
{
	return MD_INSTALLED;
}

const char *
paths_sysconfdir(void)
{
#if MD_INSTALLED
	return MD_SYSCONFDIR;
#else
	return NULL;
#endif
}

const char *
paths_localstatedir(void)
{
#if MD_INSTALLED
	return MD_LOCALSTATEDIR;
#else
	return NULL;
#endif
}

const char *
paths_datadir(void)
{
#if MD_INSTALLED
	return MD_DATADIR;
#else
	return NULL;
#endif
}

#if !MD_INSTALLED
/* $name/modeldeck/leaf when $name is absolute, else HOME/fallback/modeldeck/leaf. */
static char *
xdg_path(const char *name, const char *fallback, const char *leaf)
{
	const char *dir = getenv(name), *home = getenv("HOME");
	struct passwd *pw;

	if (dir != NULL && dir[0] == '/')
		return xasprintf("%s/modeldeck/%s", dir, leaf);
	if (home == NULL || home[0] != '/') {
		if ((pw = getpwuid(getuid())) == NULL || pw->pw_dir == NULL ||
		    pw->pw_dir[0] != '/')
			return NULL;
		home = pw->pw_dir;
	}
	return xasprintf("%s/%s/modeldeck/%s", home, fallback, leaf);
}
#endif

char *
paths_config_default(void)
{
#if MD_INSTALLED
	return xstrdup(MD_SYSCONFDIR "/modeldeck/config.json");
#else
	return xdg_path("XDG_CONFIG_HOME", ".config", "config.json");
#endif
}

char *
paths_db_default(void)
{
#if MD_INSTALLED
	return xstrdup(MD_LOCALSTATEDIR "/modeldeck/modeldeck.db");
#else
	return xdg_path("XDG_STATE_HOME", ".local/state", "modeldeck.db");
#endif
}

char *
paths_config(const char *opt, const char *env)
{
	if (opt != NULL && *opt != '\0')
		return xstrdup(opt);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	return paths_config_default();
}

char *
paths_db(const char *opt)
{
	if (opt != NULL && *opt != '\0')
		return xstrdup(opt);
	return paths_db_default();
}
