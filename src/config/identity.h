/*
 * identity: who is acting.  The person is the operating-system user of the
 * real uid (getpwuid(getuid())), never an environment variable; roles come
 * only from the system configuration.  Only root may act for someone else
 * (--as USER); the audit trail then names "root as USER".
 *
 * Ownership: the struct owns its strings; identity_free releases them.
 */
#ifndef MD_IDENTITY_H
#define MD_IDENTITY_H

#include <stddef.h>
#include <sys/types.h>

struct config;

struct identity {
	uid_t	  uid;		/* real uid */
	char	 *login;	/* user name of the real uid */
	char	 *as_user;	/* --as USER (root only), else NULL */
	char	 *user;		/* the effective person: as_user or login */
	char	 *actor;	/* for the audit trail: "alice" or "root as alice" */
	char	**roles;	/* the person's roles from the configuration */
	size_t	  nroles;
	int	  known;	/* the configuration names this user (or root) */
};

/* Fill id from the real uid; as_user (may be NULL) only for root. */
int	identity_init(struct identity *id, const char *as_user, char **cause);
/* Look the person's roles up in the configuration. */
void	identity_set_roles(struct identity *id, const struct config *cfg);
/* 1 when the person holds role. */
int	identity_has_role(const struct identity *id, const char *role);
void	identity_free(struct identity *id);

#endif
