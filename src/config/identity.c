/*
 * identity: the acting person from the real uid (see identity.h).  No
 * environment variable (USER, LOGNAME) is ever consulted: a user can set
 * those to anything.
 */
#include "config/identity.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "util/xmalloc.h"

static void
free_roles(struct identity *id)
{
	size_t i;

	for (i = 0; i < id->nroles; i++)
		free(id->roles[i]);
	free(id->roles);
	id->roles = NULL;
	id->nroles = 0;
}

int
identity_init(struct identity *id, const char *as_user, char **cause)
{
	struct passwd *pw;
	uid_t uid = getuid();

	memset(id, 0, sizeof *id);
	id->uid = uid;
	if ((pw = getpwuid(uid)) == NULL || pw->pw_name == NULL ||
	    pw->pw_name[0] == '\0')
		return xcause(cause, "no user name for uid %u (not in the "
		    "password database)", (unsigned)uid);
	if (as_user != NULL && uid != 0)
		return xcause(cause, "--as %s: only root may act for another "
		    "user", as_user);
	if (as_user != NULL && as_user[0] == '\0')
		return xcause(cause, "--as: empty user name");
	id->login = xstrdup(pw->pw_name);
	if (as_user != NULL && strcmp(as_user, id->login) != 0) {
		id->as_user = xstrdup(as_user);
		id->user = xstrdup(as_user);
		id->actor = xasprintf("%s as %s", id->login, as_user);
	} else {
		id->user = xstrdup(id->login);
		id->actor = xstrdup(id->login);
	}
	id->known = uid == 0 && id->as_user == NULL;
	return 0;
}

void
identity_set_roles(struct identity *id, const struct config *cfg)
{
	const char *const *roles;
	size_t n;

	free_roles(id);
	roles = cfg != NULL ? config_user_roles(cfg, id->user) : NULL;
	/* Root is always a known person, with the roles the file gives it. */
	id->known = roles != NULL || (id->uid == 0 && id->as_user == NULL);
	if (roles == NULL)
		return;
	for (n = 0; roles[n] != NULL; n++)
		;
	id->roles = xcalloc(n + 1, sizeof *id->roles);
	for (id->nroles = 0; id->nroles < n; id->nroles++)
		id->roles[id->nroles] = xstrdup(roles[id->nroles]);
}

int
identity_has_role(const struct identity *id, const char *role)
{
	size_t i;

	for (i = 0; i < id->nroles; i++) {
		if (strcmp(id->roles[i], role) == 0)
			return 1;
	}
	return 0;
}

void
identity_free(struct identity *id)
{
	free_roles(id);
	free(id->login);
	free(id->as_user);
	free(id->user);
	free(id->actor);
	memset(id, 0, sizeof *id);
}
