/*
 * options: THE table of configuration settings (tmux options-table.c).
 * Each row gives a setting's JSON name, type, default, range, unit and
 * help; the same rows drive parsing (options_set), defaults
 * (options_defaults), `config check`, `modeldeck config options` and the
 * options section of docs/configuration.md.  Nothing else in the program
 * knows a setting's default or range.
 *
 * Two tables: options_global (the "options" object of the configuration,
 * filling struct config_options) and options_thresholds (every
 * "thresholds" object, in policies and models, filling struct
 * stats_thresholds).  A row writes one field of the target struct at its
 * offset; the field's C type follows the row's type (see enum
 * options_type).  Defaults are written as JSON text, so a default goes
 * through exactly the parser and range check a user's value does.
 */
#ifndef MD_OPTIONS_H
#define MD_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;
struct strbuf;

enum options_type {
	OPTIONS_INT,		/* long; a JSON integer */
	OPTIONS_DOUBLE,		/* double; a JSON number */
	OPTIONS_DURATION,	/* int64_t ms; "30s", "7d" or a number of seconds */
	OPTIONS_BYTES,		/* int64_t; an integer or "64MiB" (B, KiB, MiB, GiB) */
	OPTIONS_CHOICE,		/* int (or an enum): index of the string in choices */
};

struct options_entry {
	const char	*name;		/* JSON key; NULL ends a table */
	enum options_type type;
	const char	*def;		/* default as JSON text: "10", "\"7d\"" */
	double		 min;		/* range in the base unit (ms, bytes) */
	double		 max;
	const char	*unit;		/* for the docs: "seconds", "rows" */
	const char *const *choices;	/* OPTIONS_CHOICE: NULL-terminated */
	size_t		 offset;	/* of the field in the target struct */
	const char	*help;		/* one sentence */
};

/* Global settings: the "options" object (defaults from options_global). */
struct config_options {
	long	 poll_seconds;		/* seconds between polls of a host */
	int64_t	 connect_timeout_ms;	/* TCP/TLS connect limit per request */
	int64_t	 timeout_ms;		/* whole-request limit */
	int64_t	 max_body;		/* bytes; a longer body is cut and refused */
	long	 window_rows;		/* rows kept in a version's live window */
	int64_t	 window_max_age_ms;	/* rows older than this leave the window */
	long	 retry_max;		/* retries of a failed request per cycle */
	int64_t	 backoff_initial_ms;	/* first wait after a host fails */
	int64_t	 backoff_max_ms;	/* longest wait between attempts */
	long	 page_limit;		/* rows asked for per samples/labels page */
};

extern const struct options_entry options_global[];
extern const struct options_entry options_thresholds[];

/* The row named name in table, or NULL. */
const struct options_entry *options_find(const struct options_entry *table,
	    const char *name);
/*
 * Check v against row o and store it into the struct at base.  0, or -1
 * with *cause giving the reason (without the JSON path).
 */
int	options_set(const struct options_entry *o, void *base,
	    const struct cJSON *v, char **cause);
/* Fill every field of table into base from the defaults; -1 if one is bad. */
int	options_defaults(const struct options_entry *table, void *base,
	    char **cause);
/* A row's default as a user writes it (JSON quotes removed): "7d". */
const char *options_default_text(const struct options_entry *o, char *buf,
	    size_t len);
/* A row's range in words: "1 to 86400 seconds", "one of psi, js". */
void	options_range_text(const struct options_entry *o, struct strbuf *b);
/* Describe a table (title is the JSON place): plain text or Markdown. */
void	options_describe(const struct options_entry *table, const char *title,
	    int markdown, struct strbuf *b);

#endif
