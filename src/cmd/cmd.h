/*
 * cmd: the one command table and the one way in (tmux cmd-*.c, Redis
 * processCommand/call).  Every action a person can take - from the CLI,
 * the console's `:` line or a key binding (a stored command string) -
 * runs through cmd_run: find -> parse -> authorize -> confirm (destructive,
 * console) -> exec -> exactly one audit entry -> counters.
 *
 * A command is one file src/cmd/cmd_<name>.c defining one const
 * `struct cmd_entry cmd_<name>_entry`, plus one line in cmd_table[]
 * (cmd.c).  Help, completion and docs are generated from the table.
 * Commands never write to a terminal or file descriptor themselves: they
 * print through cmd_print / cmd_error, which route by origin.
 */
#ifndef MD_CMD_H
#define MD_CMD_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "util/strbuf.h"

struct app;
struct cJSON;

/* The outcome of a call: exactly the audit entry's outcome. */
enum cmd_status {
	CMD_OK,		/* audited "allowed" */
	CMD_DENIED,	/* audited "denied" */
	CMD_FAILED,	/* audited "failed" */
};

enum cmd_origin {
	CMD_ORIGIN_CLI,		/* argv of the modeldeck binary */
	CMD_ORIGIN_CONSOLE,	/* the `:` line or a key binding */
};

/* Entry flags (struct cmd_entry.flags). */
#define CMD_READONLY	 0x01	/* changes nothing (may still be audited) */
#define CMD_DESTRUCTIVE	 0x02	/* console asks to confirm, naming the target */
#define CMD_NEEDS_REASON 0x04	/* --reason TEXT required (asked by the confirm dialog) */
#define CMD_NO_UI	 0x08	/* not offered in the console */
#define CMD_NO_STORE	 0x10	/* needs no configuration or database; not audited */
#define CMD_ROOT_ONLY	 0x20	/* only root may run it */

/* One option of a command: --name, or --name VALUE when has_arg. */
struct cmd_opt {
	const char	*name;
	int		 has_arg;
	const char	*help;
};

/* Parsed arguments: options by name, then positional arguments. */
struct cmd_args {
	int		  argc;		/* positional arguments */
	char		**argv;
	size_t		  nopt;
	char		**opt_name;	/* parallel arrays; value NULL for flags */
	char		**opt_value;
};

struct cmd_ctx;

struct cmd_entry {
	const char	*name;		/* "audit verify": words separated by one space */
	const char	*alias;		/* NULL or a short form */
	const struct cmd_opt *opts;	/* terminated by { NULL } ; NULL = none */
	int		 min_args;	/* positional argument count bounds; */
	int		 max_args;	/*  max -1 = unbounded */
	const char	*usage;		/* "[--json] [--grep REGEX] [--since TIME]" */
	const char	*summary;	/* one line of help */
	/*
	 * Roles allowed to run it, comma-separated ("governance,head-of-ml");
	 * NULL means any person modeldeck knows (any configured user, or root).
	 */
	const char	*roles;
	int		 flags;
	/*
	 * Optional extra authorization for this call (separation of duties,
	 * RACI of the target): return 0 to allow, -1 with cmd_error to deny.
	 * Called by the gate after the role check, never by exec.
	 */
	int		(*authorize)(struct cmd_ctx *ctx);
	enum cmd_status	(*exec)(struct cmd_ctx *ctx);
};

/* Per-command counters, as Redis keeps in struct redisCommand. */
struct cmd_counters {
	uint64_t	 calls;
	uint64_t	 denied;
	uint64_t	 failed;
	uint64_t	 usec;
};

/* The state of one call, handed to the entry's functions. */
struct cmd_ctx {
	struct app		*app;
	const struct cmd_entry	*entry;
	struct cmd_args		 args;
	enum cmd_origin		 origin;
	int			 exit_code;	/* -1 = derive from the status */
	char			*target;	/* audit target, set with cmd_target */
	char			*error;		/* last cmd_error text (audited) */
	char			*reason;	/* --reason or the confirm dialog's */
	struct cJSON		*details;	/* audit details object */
	struct strbuf		 out;		/* console output (a view) */
	struct strbuf		 err;		/* console notices */
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Run one command from argv (argv[0] is the command name, possibly two
 * words long: "audit" "verify").  Returns the exit code for the CLI;
 * *status (if not NULL) gets the audit outcome.  Console output is left in
 * *out (allocated, may be NULL) when origin is CMD_ORIGIN_CONSOLE.
 */
int	cmd_run(struct app *app, int argc, char **argv, enum cmd_origin origin,
	    enum cmd_status *status, char **out);
/* Run a command line ("rollback credit-risk --reason 'x'"), split as a shell would. */
int	cmd_run_line(struct app *app, const char *line, enum cmd_origin origin,
	    enum cmd_status *status, char **out);
/*
 * Find the entry for argv: exact name (one or two words), alias, or unique
 * prefix.  *used is how many argv words named it.  NULL with *cause
 * ("unknown command", "ambiguous: could be approve, apply").
 */
const struct cmd_entry *cmd_find(int argc, char **argv, int *used, char **cause);
/* Parse argv (after the name) against the entry's options. */
int	cmd_parse(const struct cmd_entry *e, int argc, char **argv,
	    struct cmd_args *args, char **cause);
void	cmd_args_free(struct cmd_args *args);
/* The value of --name, or NULL; cmd_has for a flag. */
const char *cmd_get(const struct cmd_ctx *ctx, const char *name);
int	cmd_has(const struct cmd_ctx *ctx, const char *name);
/*
 * May the acting user run this entry?  0, or -1 with *cause saying why
 * not.  The same check cmd_run applies; the console greys out with it.
 */
int	cmd_may_run(struct app *app, const struct cmd_entry *e, char **cause);
/* Split a command line into words (quotes and backslashes as sh). */
int	cmd_split(const char *line, int *argc, char ***argv, char **cause);
void	cmd_split_free(int argc, char **argv);

/*
 * Write s to f; when f is a terminal (tty), through the one sanitizer
 * (util/sanitize.h), so host or file text cannot become escape sequences.
 */
void	cmd_write(FILE *f, int tty, const char *s);
/* Output: CLI -> stdout, console -> the output view. */
void	cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Error: CLI -> stderr, console -> status notice; also the audit text. */
void	cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Set the audit target ("credit-risk@7"). */
void	cmd_target(struct cmd_ctx *ctx, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Add a string detail to the audit entry. */
void	cmd_detail(struct cmd_ctx *ctx, const char *key, const char *value);
/* The store, opened on first use; NULL with cmd_error on failure. */
struct store *cmd_store(struct cmd_ctx *ctx);

#endif
