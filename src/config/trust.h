/*
 * trust: the rules of design.md 6.9b for a shared host (docs/security.md).
 *
 * - A privileged run (setgid/setuid: AT_SECURE, or effective ids differing
 *   from real ones) trusts nothing the user hands it: main calls
 *   trust_sanitize_env() first thing, before libcurl, OpenSSL or ncurses
 *   read the environment, and trust_setup() refuses --config, --db, --as
 *   and $MODELDECK_CONFIG from anyone but root (the refusal text goes to
 *   app->refusal, which the gate turns into one audited denial).
 * - Token files: owner-only (0600 or stricter, owned by the real user) in
 *   a personal build; root:modeldeck, 0640 or stricter, in an installed
 *   one.  Anything else is refused naming the file and its mode.
 *
 * Ownership: returned strings are allocated; the caller frees them.
 */
#ifndef MD_TRUST_H
#define MD_TRUST_H

#include <stddef.h>
#include <sys/types.h>

struct app;

#define TRUST_GROUP	"modeldeck"	/* the installed build's group */
#define TRUST_TOKEN_MAX	4096		/* longest token file accepted */
#define TRUST_SAFE_PATH	"/usr/local/bin:/usr/bin:/bin"

/* What the user asked for on the command line and in the environment. */
struct trust_request {
	const char	*config;	/* --config FILE */
	const char	*db;		/* --db FILE */
	const char	*as;		/* --as USER */
	const char	*env_config;	/* $MODELDECK_CONFIG, read before the cut */
};

/* 1 when running setgid or setuid (the kernel's AT_SECURE, or ids differ). */
int	 trust_privileged(void);
/*
 * Cut the environment to the allow-list (TERM, LANG, LC_*, NO_COLOR, TZ,
 * COLUMNS, LINES; values without '/' in names, bounded length) and set
 * PATH to TRUST_SAFE_PATH.  Everything else is removed: HOME, XDG_*,
 * TMPDIR, proxies, SSLKEYLOGFILE, CURL_CA_BUNDLE, OPENSSL_CONF...
 */
void	 trust_sanitize_env(void);
/* 1 when name=value may stay in a privileged run's environment. */
int	 trust_env_allowed(const char *name, const char *value);
/*
 * For a privileged run by a non-root uid, the refusal text for the first
 * override asked for; NULL when nothing is refused.
 */
char	*trust_check_overrides(int privileged, uid_t uid,
	    const struct trust_request *r);
/*
 * Fill app: installed, privileged, refusal, identity, config_path and
 * db_path (allocated, freed by app_free), following the rules above.  A
 * privileged run also gets umask 007 so the state it creates stays in
 * the group.  -1 with *cause when the identity cannot be established.
 */
int	 trust_setup(struct app *app, const struct trust_request *r,
	    char **cause);
/* Does the open file fd at path obey the token-file rule?  0 or -1 with *cause. */
int	 trust_check_token_fd(int fd, const char *path, int installed,
	    char **cause);
/* The token-file rule on a path (for `config check`); 0 or -1 with *cause. */
int	 trust_check_token_file(const char *path, int installed, char **cause);
/*
 * Read a bearer token: the file must obey the rule; surrounding
 * whitespace is dropped; empty, binary or over-long tokens are refused.
 */
int	 trust_read_token(const char *path, int installed, char **token,
	    char **cause);
/*
 * Read a whole file of at most max bytes.  With as_user set, a privileged
 * run drops its group for the open, so a user cannot make modeldeck read
 * for them what they could not read themselves (`config check FILE`).
 */
int	 trust_read_file(const char *path, size_t max, int as_user, char **text,
	    size_t *len, char **cause);

#endif
