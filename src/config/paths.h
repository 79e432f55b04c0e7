/*
 * paths: where this build looks for its configuration and database.
 * paths.c is compiled twice (Makefile): -DMD_INSTALLED=0 for the personal
 * build (XDG directories of the user), -DMD_INSTALLED=1 with MD_SYSCONFDIR,
 * MD_LOCALSTATEDIR and MD_DATADIR for the installed, setgid one, whose
 * paths are compiled in and never come from the environment.
 *
 * Every char * returned is allocated; the caller frees it.
 */
#ifndef MD_PATHS_H
#define MD_PATHS_H

/* 1 for the installed build, 0 for the personal one. */
int	 paths_installed(void);
/* The compiled-in directories ("/etc", "/var/lib", "/usr/local/share"); NULL in a personal build. */
const char *paths_sysconfdir(void);
const char *paths_localstatedir(void);
const char *paths_datadir(void);
/*
 * The default configuration file: $(SYSCONFDIR)/modeldeck/config.json
 * installed; else $XDG_CONFIG_HOME/modeldeck/config.json or
 * ~/.config/modeldeck/config.json.  NULL when no home is known.
 */
char	*paths_config_default(void);
/*
 * The default database: $(LOCALSTATEDIR)/modeldeck/modeldeck.db installed;
 * else $XDG_STATE_HOME/modeldeck/modeldeck.db or
 * ~/.local/state/modeldeck/modeldeck.db.  NULL when no home is known.
 */
char	*paths_db_default(void);
/* The configuration to use: opt (--config), else env ($MODELDECK_CONFIG), else the default. */
char	*paths_config(const char *opt, const char *env);
/* The database to use: opt (--db), else the default. */
char	*paths_db(const char *opt);

#endif
