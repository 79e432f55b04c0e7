/*
 * libFuzzer harness: the console's `:` line and the CLI's argument parsers,
 * without executing anything.  A line is split (cmd_split), the command
 * found (cmd_find) and its arguments parsed (cmd_parse) against the found
 * entry and against every entry of cmd_table, then read back with
 * cmd_get/cmd_has; option values go through the parsers the commands use
 * on them (drift's --stats and --method, --since).  Checked besides "no
 * crash": the words, quoted back in single quotes and split again, come
 * out the same; a found entry is in the table and used 1 or 2 words;
 * parsed arguments respect the entry's bounds and option spec; every
 * error has a reason.  Also built into tests/unit/test_prom_fuzz.c, which
 * replays corpus/cmdline/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "data/drift.h"
#include "util/strbuf.h"
#include "util/timefmt.h"

static void
cmdline_fail(const char *what, const char *line)
{
	fprintf(stderr, "fuzz_cmdline: %s: \"%s\"\n", what, line);
	abort();
}

static void
cmdline_need_cause(char *cause, const char *line)
{
	if (cause == NULL || *cause == '\0')
		cmdline_fail("an error without a reason", line);
	free(cause);
}

/* Quote each word for sh in single quotes; split again; same words? */
static void
cmdline_requote(int argc, char **argv, const char *line)
{
	struct strbuf	  b = { 0 };
	const char	 *p;
	char		**argv2, *cause = NULL;
	int		  argc2, i;

	for (i = 0; i < argc; i++) {
		strbuf_adds(&b, i > 0 ? " '" : "'");
		for (p = argv[i]; *p != '\0'; p++) {
			if (*p == '\'')
				strbuf_adds(&b, "'\\''");
			else
				strbuf_addc(&b, *p);
		}
		strbuf_addc(&b, '\'');
	}
	if (cmd_split(strbuf_str(&b), &argc2, &argv2, &cause) != 0)
		cmdline_fail("quoted words do not split", line);
	if (argc2 != argc)
		cmdline_fail("quoted words split differently", line);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], argv2[i]) != 0)
			cmdline_fail("quoted words split differently", line);
	}
	cmd_split_free(argc2, argv2);
	strbuf_free(&b);
}

static const struct cmd_opt *
cmdline_opt(const struct cmd_entry *e, const char *name)
{
	const struct cmd_opt *o;

	for (o = e->opts; o != NULL && o->name != NULL; o++) {
		if (strcmp(o->name, name) == 0)
			return o;
	}
	return NULL;
}

/* What a command would do with an option's value, short of running. */
static void
cmdline_value(const char *name, const char *value, const char *line)
{
	enum stats_method	 m;
	unsigned		 which;
	int64_t			 ms;
	char			*cause = NULL;

	if (strcmp(name, "stats") == 0 &&
	    drift_parse_stats(value, &which, &cause) != 0)
		cmdline_need_cause(cause, line);
	else if (strcmp(name, "method") == 0 &&
	    drift_parse_method(value, &m, &cause) != 0)
		cmdline_need_cause(cause, line);
	else if (strcmp(name, "since") == 0 &&
	    timefmt_parse_since(value, INT64_C(1763800000000), &ms, &cause) != 0)
		cmdline_need_cause(cause, line);
	else
		free(cause);
}

/* Parse argv against e; check the result against e's spec. */
static void
cmdline_parse(const struct cmd_entry *e, int argc, char **argv,
    const char *line)
{
	const struct cmd_opt	*o;
	struct cmd_ctx		 ctx;
	char			*cause = NULL;
	size_t			 i;

	memset(&ctx, 0, sizeof ctx);
	ctx.entry = e;
	if (cmd_parse(e, argc, argv, &ctx.args, &cause) != 0) {
		cmdline_need_cause(cause, line);
		return;
	}
	if (ctx.args.argc < e->min_args ||
	    (e->max_args >= 0 && ctx.args.argc > e->max_args))
		cmdline_fail("positional arguments out of bounds", line);
	for (i = 0; i < ctx.args.nopt; i++) {
		o = cmdline_opt(e, ctx.args.opt_name[i]);
		if (o == NULL)
			cmdline_fail("an option not in the spec", line);
		if ((ctx.args.opt_value[i] != NULL) != (o->has_arg != 0))
			cmdline_fail("an option value against the spec", line);
		if (!cmd_has(&ctx, o->name))
			cmdline_fail("a parsed option is not found", line);
		if (o->has_arg && cmd_get(&ctx, o->name) == NULL)
			cmdline_fail("a parsed value is not found", line);
		if (o->has_arg)
			cmdline_value(o->name, ctx.args.opt_value[i], line);
	}
	for (o = e->opts; o != NULL && o->name != NULL; o++)
		(void)cmd_get(&ctx, o->name);
	cmd_args_free(&ctx.args);
}

static void
cmdline_words(int argc, char **argv, const char *line)
{
	const struct cmd_entry	*e;
	char			*cause = NULL;
	size_t			 i;
	int			 used = 0;

	if ((e = cmd_find(argc, argv, &used, &cause)) == NULL)
		cmdline_need_cause(cause, line);
	else {
		for (i = 0; cmd_table[i] != NULL && cmd_table[i] != e; i++)
			;
		if (cmd_table[i] == NULL || used < 1 || used > 2 || used > argc)
			cmdline_fail("cmd_find result", line);
		cmdline_parse(e, argc - used, argv + used, line);
	}
	/* Every entry's option spec, on the words after the first. */
	for (i = 0; argc > 0 && cmd_table[i] != NULL; i++)
		cmdline_parse(cmd_table[i], argc - 1, argv + 1, line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*line, **argv, *cause = NULL;
	int	 argc;

	if (size > 4096)
		return (0);
	line = malloc(size + 1);
	memcpy(line, data, size);
	line[size] = '\0';
	if (cmd_split(line, &argc, &argv, &cause) != 0) {
		if (argv != NULL || argc != 0)
			cmdline_fail("a failed split returned words", line);
		cmdline_need_cause(cause, line);
	} else {
		if (argv == NULL || argv[argc] != NULL)
			cmdline_fail("argv not NULL-terminated", line);
		cmdline_requote(argc, argv, line);
		cmdline_words(argc, argv, line);
		cmd_split_free(argc, argv);
	}
	free(line);
	return (0);
}
