/*
 * roles: the semantic roles a screen draws with, in one X-macro list that
 * generates the enum (ROLE_SEL_FOCUS...) and the name table themes use
 * ("sel_focus").  Screens name a role, never a colour; a theme file maps
 * each role to a style (term/theme.h), and a role a theme does not name
 * inherits DEFAULT.  Add a role here and nowhere else; never renumber
 * (rename with an alias in roles_aliases[] of roles.c, as tmux 2.9 kept
 * old option names, so old theme files keep working).
 */
#ifndef MD_ROLES_H
#define MD_ROLES_H

#define ROLES_LIST(ROLE)						\
	ROLE(DEFAULT)		/* text with nothing to say */		\
	ROLE(TITLE)		/* the screen's title line */		\
	ROLE(HEADER)		/* column headers of a table */		\
	ROLE(BORDER)		/* rules and box lines */		\
	ROLE(STATUS_BAR)	/* the bottom status line */		\
	ROLE(PROMPT)		/* the `:` line and dialogs' input */	\
	ROLE(SEL_FOCUS)		/* the selected row, list focused */	\
	ROLE(SEL_UNFOCUS)	/* the selected row, list not focused */ \
	ROLE(DIM)		/* secondary text, disabled commands */	\
	ROLE(NOTICE)		/* a status-line notice */		\
	ROLE(ERROR)		/* an error notice */			\
	ROLE(STATUS_OK)		/* drift/accuracy/fairness: ok */	\
	ROLE(STATUS_WARN)						\
	ROLE(STATUS_ALERT)						\
	ROLE(STATUS_UNKNOWN)	/* unknown or too few rows */		\
	ROLE(STAGE_SHADOW)						\
	ROLE(STAGE_CANARY)						\
	ROLE(STAGE_FULL)						\
	ROLE(STAGE_RETIRED)						\
	ROLE(HOST_UP)							\
	ROLE(HOST_DEGRADED)						\
	ROLE(HOST_DOWN)		/* down or unauthorized */		\
	ROLE(SPARK)		/* sparklines and bars */

#define ROLES_ENUM(name) ROLE_##name,
enum role {
	ROLES_LIST(ROLES_ENUM)
	ROLE_COUNT
};
#undef ROLES_ENUM

/* A former role name still read from theme files (roles.c). */
struct roles_alias {
	const char	*name;		/* NULL ends a table */
	enum role	 role;
};

/* The renamed roles (roles.c); empty so far, ended by a NULL name. */
extern const struct roles_alias roles_aliases[];

/* The theme-file name of role r ("sel_focus"), or NULL out of range. */
const char	*roles_name(enum role r);
/* The role named name, or a role renamed in aliases; -1 if none. */
int		 roles_lookup(const char *name, const struct roles_alias *aliases);
/* The role named name (or a former name in roles_aliases), or -1. */
int		 roles_find(const char *name);

#endif
