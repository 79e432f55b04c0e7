/*
 * libFuzzer harness: the time and duration parsers of util/timefmt.h
 * (RFC 3339 times, durations, --since).  Besides "no crash", it checks:
 *  - a parsed time printed in RFC 3339 reads back as the same instant;
 *  - a time given in the printed form itself ("2026-11-23T19:05:00.123Z")
 *    prints back unchanged, so a day that does not exist (February 30) is
 *    refused, not moved to another date (a leap second "60" excepted);
 *  - a parsed duration is never negative;
 *  - any 64-bit millisecond count (the first 8 bytes) prints without
 *    overflow, and reads back when its year has four digits.
 * Also built into tests/unit/test_prom_fuzz.c, which replays corpus/time/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timefmt.h"

#define TIME_FUZZ_NOW	INT64_C(1763800000000)
/* The instants with four-digit years, 0000 to 9999. */
#define TIME_FUZZ_MIN	INT64_C(-62167219200000)
#define TIME_FUZZ_MAX	INT64_C(253402300799999)

static void
time_fuzz_fail(const char *what, const char *in, const char *out)
{
	fprintf(stderr, "fuzz_time: %s: \"%s\" -> \"%s\"\n", what, in, out);
	abort();
}

/* ms must print within the buffer, and read back if it has 4-digit years. */
static void
time_fuzz_print(int64_t ms)
{
	char	 buf[TIMEFMT_RFC3339_LEN], num[32];
	int64_t	 back;

	timefmt_rfc3339(ms, buf);
	if (memchr(buf, '\0', sizeof buf) == NULL)
		time_fuzz_fail("unterminated", "", "");
	if (ms < TIME_FUZZ_MIN || ms > TIME_FUZZ_MAX)
		return;
	snprintf(num, sizeof num, "%lld", (long long)ms);
	if (timefmt_parse_rfc3339(buf, &back, NULL) != 0 || back != ms)
		time_fuzz_fail("does not read back", num, buf);
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ", as timefmt_rfc3339 writes it? */
static int
time_fuzz_canonical(const char *s)
{
	return strlen(s) == 24 && s[10] == 'T' && s[19] == '.' &&
	    s[23] == 'Z' && strncmp(s + 17, "60", 2) != 0;
}

static void
time_fuzz_string(const char *s)
{
	char	 buf[TIMEFMT_RFC3339_LEN], *cause = NULL;
	int64_t	 ms;

	if (timefmt_parse_rfc3339(s, &ms, &cause) == 0) {
		time_fuzz_print(ms);
		timefmt_rfc3339(ms, buf);
		if (time_fuzz_canonical(s) && strcmp(buf, s) != 0)
			time_fuzz_fail("printed form changed", s, buf);
	} else if (cause == NULL || *cause == '\0')
		time_fuzz_fail("no reason given", s, "");
	free(cause);
	cause = NULL;
	if (timefmt_parse_duration(s, &ms, &cause) == 0) {
		if (ms < 0)
			time_fuzz_fail("negative duration", s, "");
	} else if (cause == NULL || *cause == '\0')
		time_fuzz_fail("no reason given", s, "");
	free(cause);
	cause = NULL;
	if (timefmt_parse_since(s, TIME_FUZZ_NOW, &ms, &cause) != 0 &&
	    (cause == NULL || *cause == '\0'))
		time_fuzz_fail("no reason given", s, "");
	free(cause);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	int64_t	 ms;

	if (size >= sizeof ms) {
		memcpy(&ms, data, sizeof ms);
		time_fuzz_print(ms);
	}
	if (size > 256)
		return (0);
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	time_fuzz_string(s);
	free(s);
	return (0);
}
