/*
 * testhelp.h: the whole unit-test framework (in the spirit of Redis's
 * testhelp.h).  A test is a void function; RUN(fn) runs it and prints one
 * line, "PASS name" or "FAIL name: file:line: what", which tests/run.sh
 * counts.  A test binary ends with `return TEST_REPORT();`.
 */
#ifndef MD_TESTHELP_H
#define MD_TESTHELP_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int th_passed, th_failed, th_cur_failed;
static char th_msg[1024];

static void
th_fail(const char *file, int line, const char *what)
{
	if (!th_cur_failed)
		snprintf(th_msg, sizeof th_msg, "%s:%d: %s", file, line, what);
	th_cur_failed = 1;
}

#define CHECK(cond) do {						\
	if (!(cond))							\
		th_fail(__FILE__, __LINE__, #cond);			\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long th_a = (long long)(a), th_b = (long long)(b);		\
	if (th_a != th_b) {						\
		char th_w[512];						\
		snprintf(th_w, sizeof th_w, "%s == %s (%lld != %lld)",	\
		    #a, #b, th_a, th_b);				\
		th_fail(__FILE__, __LINE__, th_w);			\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *th_a = (a), *th_b = (b);				\
	if (th_a == NULL || th_b == NULL || strcmp(th_a, th_b) != 0) {	\
		char th_w[768];						\
		snprintf(th_w, sizeof th_w, "%s == %s (\"%.300s\" != \"%.300s\")", \
		    #a, #b, th_a ? th_a : "(null)", th_b ? th_b : "(null)"); \
		th_fail(__FILE__, __LINE__, th_w);			\
	}								\
} while (0)

/* Relative error rel, or absolute error abs near zero (the stats spec). */
#define CHECK_NEAR(a, b, rel, abs_) do {				\
	double th_a = (a), th_b = (b);					\
	int th_ok = (isnan(th_a) && isnan(th_b)) ||			\
	    (th_a == th_b) ||						\
	    fabs(th_a - th_b) <= (abs_) ||				\
	    fabs(th_a - th_b) <= (rel) * fabs(th_b);			\
	if (!th_ok) {							\
		char th_w[512];						\
		snprintf(th_w, sizeof th_w, "%s ~ %s (%.17g vs %.17g)",	\
		    #a, #b, th_a, th_b);				\
		th_fail(__FILE__, __LINE__, th_w);			\
	}								\
} while (0)

static void
th_run(const char *name, void (*fn)(void))
{
	th_cur_failed = 0;
	fn();
	if (th_cur_failed) {
		th_failed++;
		printf("FAIL %s: %s\n", name, th_msg);
	} else {
		th_passed++;
		printf("PASS %s\n", name);
	}
	fflush(stdout);
}

#define RUN(fn) th_run(#fn, fn)
#define TEST_REPORT() (th_failed > 0 ? 1 : 0)

#endif
