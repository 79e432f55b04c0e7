/*
 * app: the one context of a modeldeck process.  No other mutable global
 * exists: main builds one struct app and passes it down (the CLI, the
 * console loop, `watch`).  The core reaches configuration, store and
 * identity only through it.
 *
 * Ownership: the app owns everything it points to; app_free (main.c)
 * releases it.  The store is opened lazily by cmd_run for commands that
 * need it, so `drift` and `help` run with no configuration or database.
 */
#ifndef MD_APP_H
#define MD_APP_H

#include <stdint.h>

#include "config/identity.h"

struct config;
struct store;
struct cmd_counters;

struct app {
	struct identity	 id;		/* who acts: real uid, roles, --as */
	const char	*config_path;	/* resolved configuration file */
	const char	*db_path;	/* resolved database file */
	int		 installed;	/* built for an installed, setgid layout */
	int		 privileged;	/* running setgid/setuid: trust nothing given */
	int		 tty_out;	/* stdout / stderr are terminals: what the */
	int		 tty_err;	/* CLI writes there is sanitised (cmd_write) */
	struct config	*cfg;		/* NULL until loaded */
	struct store	*store;		/* NULL until opened */
	char		*refusal;	/* a setgid run refused a global option: every
					   store command is then denied with this text */
	struct cmd_counters *counters;	/* per-command calls/denied/failed/time */
	/*
	 * Console hook for CMD_DESTRUCTIVE commands: ask to confirm, naming
	 * `what`, and read a reason.  Returns 1 and an allocated *reason when
	 * confirmed, 0 when cancelled.  NULL outside the console.
	 */
	int		(*confirm)(struct app *app, const char *what, char **reason);
	void		*ui;		/* the console's state, opaque to the core */
};

/* Release everything the app owns (store, configuration, identity, paths). */
void	app_free(struct app *app);

#endif
