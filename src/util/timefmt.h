/*
 * timefmt: wall-clock time in milliseconds since the Unix epoch (UTC), its
 * RFC 3339 form, and the duration syntax of the configuration ("30s", "7d").
 */
#ifndef MD_TIMEFMT_H
#define MD_TIMEFMT_H

#include <stdint.h>

#define TIMEFMT_RFC3339_LEN 32	/* "2026-11-23T19:05:00.123Z" + NUL, padded */

/* Milliseconds since the epoch, from CLOCK_REALTIME. */
int64_t	 timefmt_now_ms(void);
/* Milliseconds from CLOCK_MONOTONIC, for deadlines and measuring. */
int64_t	 timefmt_mono_ms(void);
/* Write ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf (TIMEFMT_RFC3339_LEN bytes). */
char	*timefmt_rfc3339(int64_t ms, char *buf);
/*
 * Parse an RFC 3339 time ("2026-11-23T19:05:00Z", fraction and offset
 * optional, or a bare date "2026-11-23") into ms.  0 or -1 with *cause.
 */
int	 timefmt_parse_rfc3339(const char *s, int64_t *ms, char **cause);
/*
 * Parse a duration: a number and a unit ms, s, m, h, d or w ("90s", "7d").
 * A bare number is seconds.  0 or -1 with *cause.
 */
int	 timefmt_parse_duration(const char *s, int64_t *ms, char **cause);
/*
 * Parse a --since argument: an RFC 3339 time, or a duration meaning that
 * long before now_ms ("24h" = the last day).
 */
int	 timefmt_parse_since(const char *s, int64_t now_ms, int64_t *ms,
	    char **cause);

#endif
