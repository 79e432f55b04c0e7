/*
 * roles: the name table of the semantic roles, generated from the X-macro
 * list in roles.h, and the lookup themes use.  A role's name is its enum
 * name in lower case (ROLE_SEL_FOCUS is "sel_focus"); the lower-casing is
 * done by the compiler, so the list in roles.h stays the only list.
 *
 * Renaming a role keeps old theme files working through roles_aliases: a
 * row maps the old name to the role's new enum value (tmux 2.9 kept its
 * old option names the same way).  The table is empty today; a row would
 * read { "sel_active", ROLE_SEL_FOCUS }.  Everything here is constant.
 */
#include <stddef.h>
#include <string.h>

#include "term/roles.h"

/* Longest role name plus its NUL; checked for each role below. */
#define NAME_MAX_LEN	32

#define LC(c)		((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c))
#define AT(s, i)	((i) < sizeof (s) ? LC((s)[(i) < sizeof (s) ? (i) : 0]) : '\0')
#define AT8(s, i)	AT(s, i), AT(s, i + 1), AT(s, i + 2), AT(s, i + 3), \
			AT(s, i + 4), AT(s, i + 5), AT(s, i + 6), AT(s, i + 7)
#define LOWER(s)	{ AT8(s, 0), AT8(s, 8), AT8(s, 16), AT8(s, 24) }

#define ROLE_FITS(name)							\
	_Static_assert(sizeof #name <= NAME_MAX_LEN, "role name too long: " #name);
ROLES_LIST(ROLE_FITS)
#undef ROLE_FITS

#define ROLE_NAME(name) LOWER(#name),
static const char names[ROLE_COUNT][NAME_MAX_LEN] = {
	ROLES_LIST(ROLE_NAME)
};
#undef ROLE_NAME

const struct roles_alias roles_aliases[] = {
	{ NULL, 0 }
};

const char *
roles_name(enum role r)
{
	if ((int)r < 0 || r >= ROLE_COUNT)
		return (NULL);
	return (names[r]);
}

int
roles_lookup(const char *name, const struct roles_alias *aliases)
{
	int	i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (strcmp(names[i], name) == 0)
			return (i);
	}
	for (i = 0; aliases != NULL && aliases[i].name != NULL; i++) {
		if (strcmp(aliases[i].name, name) == 0)
			return ((int)aliases[i].role);
	}
	return (-1);
}

int
roles_find(const char *name)
{
	return (roles_lookup(name, roles_aliases));
}
