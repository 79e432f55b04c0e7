/*
 * timefmt: times and durations (see timefmt.h).  Everything is UTC; the
 * local time zone is never consulted, so output does not depend on TZ.
 */
#include "util/timefmt.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xmalloc.h"

int64_t
timefmt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
timefmt_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *
timefmt_rfc3339(int64_t ms, char *buf)
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	int frac = (int)(ms - (int64_t)secs * 1000);
	struct tm tm;

	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(buf, TIMEFMT_RFC3339_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, TIMEFMT_RFC3339_LEN - n, ".%03dZ", frac % 1000);
	return buf;
}

/* Read exactly n digits at *p into *out; advance *p. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int
timefmt_parse_rfc3339(const char *s, int64_t *ms, char **cause)
{
	const char *p = s;
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, oh, om, sign;
	int64_t off = 0;

	memset(&tm, 0, sizeof tm);
	if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
	    *p++ != '-' || digits(&p, 2, &d))
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) ||
		    *p++ != ':' || digits(&p, 2, &sec))
			goto bad;
		if (*p == '.') {
			int scale = 100;

			p++;
			if (!isdigit((unsigned char)*p))
				goto bad;
			for (; isdigit((unsigned char)*p); p++, scale /= 10)
				frac += (*p - '0') * scale;
		}
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p++ == '-' ? -1 : 1;
			if (digits(&p, 2, &oh) || *p++ != ':' ||
			    digits(&p, 2, &om))
				goto bad;
			off = sign * ((int64_t)oh * 3600 + om * 60);
		} else
			goto bad;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*ms = ((int64_t)timegm(&tm) - off) * 1000 + frac;
	return 0;
bad:
	return xcause(cause, "invalid time \"%s\" (expected RFC 3339, "
	    "like 2026-11-23T19:05:00Z)", s);
}

int
timefmt_parse_duration(const char *s, int64_t *ms, char **cause)
{
	static const struct { const char *unit; int64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 }, { "w", 604800000 }, { "", 1000 },
	};
	char *end;
	double v;
	size_t i;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0 || !isdigit((unsigned char)*s))
		goto bad;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].unit) == 0) {
			if (v * (double)units[i].ms > 9.2e18)
				goto bad;
			*ms = (int64_t)(v * (double)units[i].ms);
			return 0;
		}
	}
bad:
	return xcause(cause, "invalid duration \"%s\" (expected a number and "
	    "ms, s, m, h, d or w, like 7d)", s);
}

int
timefmt_parse_since(const char *s, int64_t now_ms, int64_t *ms, char **cause)
{
	int64_t d;

	if (strlen(s) >= 10 && s[4] == '-')
		return timefmt_parse_rfc3339(s, ms, cause);
	if (timefmt_parse_duration(s, &d, NULL) == 0) {
		*ms = now_ms - d;
		return 0;
	}
	return xcause(cause, "invalid time \"%s\" (expected RFC 3339 like "
	    "2026-11-23T19:05:00Z, or a duration like 24h)", s);
}
