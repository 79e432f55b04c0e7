/*
 * timefmt: times and durations (see timefmt.h).  Everything is UTC; the
 * local time zone is never consulted, so output does not depend on TZ.
 */
#include "util/timefmt.h"

#include <ctype.h>
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
	/* Floor division without ms - 999, which overflows at INT64_MIN. */
	time_t secs = (time_t)(ms / 1000);
	int frac = (int)(ms % 1000);
	struct tm tm;
	char tmp[96];

	if (frac < 0) {
		secs--;
		frac += 1000;
	}
	if (gmtime_r(&secs, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	/*
	 * %04d, not strftime's %Y: RFC 3339 years have four digits (0026).
	 * The widest year (-292275055) still fits; tmp silences gcc's
	 * truncation check, which cannot see the fields' ranges.
	 */
	snprintf(tmp, sizeof tmp, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    (long long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, frac);
	tmp[TIMEFMT_RFC3339_LEN - 1] = '\0';
	memcpy(buf, tmp, TIMEFMT_RFC3339_LEN);
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

/* Days in month mo (1-12) of year y, Gregorian. */
static int
month_days(int y, int mo)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[mo - 1];
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
			    digits(&p, 2, &om) || oh > 23 || om > 59)
				goto bad;
			off = sign * ((int64_t)oh * 3600 + om * 60);
		} else
			goto bad;
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
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
	const char *end = s;
	double v = 0, scale = 1;
	size_t i;

	/*
	 * Plain decimal digits with an optional fraction, read by hand: strtod
	 * would take hex ("0x10"), exponents and the locale's decimal point.
	 */
	while (isdigit((unsigned char)*end) && v < 1e15)
		v = v * 10 + (*end++ - '0');
	if (end == s || isdigit((unsigned char)*end))
		goto bad;
	if (*end == '.') {
		if (!isdigit((unsigned char)*++end))
			goto bad;
		for (; isdigit((unsigned char)*end); end++)
			v += (*end - '0') * (scale /= 10);
	}
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
