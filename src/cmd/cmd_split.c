/*
 * cmd_split: split a command line (the console's `:` line and key bindings,
 * which are stored as command strings) into words, with sh-like quoting:
 * 'single', "double" (backslash escapes inside), and backslash outside.
 * Not a command: the helper cmd_run_line and the console share.
 */
#include "cmd/cmd.h"

#include <stdlib.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"

static void
push_word(int *argc, char ***argv, struct strbuf *w)
{
	*argv = xreallocarray(*argv, (size_t)*argc + 2, sizeof **argv);
	(*argv)[(*argc)++] = strbuf_take(w);
	(*argv)[*argc] = NULL;
}

int
cmd_split(const char *line, int *argc, char ***argv, char **cause)
{
	struct strbuf w = { 0 };
	const char *p;
	char quote = 0;
	int in_word = 0;

	*argc = 0;
	*argv = xcalloc(1, sizeof **argv);
	for (p = line; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
			else if (*p == '\\' && quote == '"' && p[1] != '\0')
				strbuf_addc(&w, *++p);
			else
				strbuf_addc(&w, *p);
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			in_word = 1;
		} else if (*p == '\\' && p[1] != '\0') {
			strbuf_addc(&w, *++p);
			in_word = 1;
		} else if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word)
				push_word(argc, argv, &w);
			in_word = 0;
		} else {
			strbuf_addc(&w, *p);
			in_word = 1;
		}
	}
	if (quote != 0) {
		strbuf_free(&w);
		cmd_split_free(*argc, *argv);
		*argc = 0;
		*argv = NULL;
		return xcause(cause, "unterminated %c quote", quote);
	}
	if (in_word)
		push_word(argc, argv, &w);
	strbuf_free(&w);
	return 0;
}

void
cmd_split_free(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

