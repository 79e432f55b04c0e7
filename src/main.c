/*
 * main: the modeldeck binary.  It sets up the one struct app (identity,
 * paths, trust) and hands the command to cmd_run, the only way any action
 * runs.  main, the CLI and `watch` are the only places that exit.
 *
 * Order matters for a setgid run: the environment is cut to an allow-list
 * before any library (libcurl, OpenSSL, ncurses, SQLite) can read it, and
 * global options a non-root user may not use are refused - and the refusal
 * is audited, by letting cmd_run's gate deny the command it came with.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "app.h"
#include "cmd/cmd.h"
#include "config/trust.h"
#include "util/xmalloc.h"

static void
usage(void)
{
	fprintf(stderr, "usage: modeldeck [--config FILE] [--db FILE] "
	    "[--as USER] COMMAND [ARGS]\n"
	    "       modeldeck help      list the commands\n");
}

/* Global options, before the command word; returns 'h', 'V', 0 or -1. */
static int
parse_globals(int argc, char **argv, struct trust_request *r)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	/* "+": stop at the command word; what follows is the command's. */
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': r->config = optarg; break;
		case 'd': r->db = optarg; break;
		case 'a': r->as = optarg; break;
		case 'h': return 'h';
		case 'V': return 'V';
		default: return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct app app;
	struct trust_request req;
	const char *env;
	char *env_config = NULL, *cause = NULL, *word[] = { "help", NULL };
	int rc;

	memset(&app, 0, sizeof app);
	memset(&req, 0, sizeof req);
	app.tty_out = isatty(STDOUT_FILENO);
	app.tty_err = isatty(STDERR_FILENO);
	/* Read before the cut, so a setgid run can refuse it (and say so). */
	if ((env = getenv("MODELDECK_CONFIG")) != NULL && *env != '\0')
		req.env_config = env_config = xstrdup(env);
	if (trust_privileged())
		trust_sanitize_env();
	switch (parse_globals(argc, argv, &req)) {
	case 'V':
		word[0] = "version";
		/* FALLTHROUGH */
	case 'h':
		rc = cmd_run(&app, 1, word, CMD_ORIGIN_CLI, NULL, NULL);
		free(env_config);
		return rc;
	case -1:
		usage();
		free(env_config);
		return 2;
	}
	if (optind >= argc) {
		usage();
		free(env_config);
		return 2;
	}
	if (trust_setup(&app, &req, &cause) != 0) {
		cmd_write(stderr, app.tty_err, "modeldeck: ");
		cmd_write(stderr, app.tty_err, cause);
		fputc('\n', stderr);
		free(cause);
		free(env_config);
		app_free(&app);
		return 1;
	}
	rc = cmd_run(&app, argc - optind, argv + optind, CMD_ORIGIN_CLI, NULL,
	    NULL);
	app_free(&app);
	free(env_config);
	return rc;
}
