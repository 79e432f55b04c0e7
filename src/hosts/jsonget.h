/*
 * jsonget: typed getters over a cJSON tree whose errors name the JSON path
 * ("rows[3].features.income: expected number or null"), shared by the host
 * contract's parsers (contract.c, contract_rows.c).
 *
 * Error paths are built only when an error happens: each level of a descent
 * keeps a struct jsonget_path on the stack (parent, key or index), and
 * jsonget_error() walks it.  So a hot loop over rows allocates nothing but
 * the values it keeps.
 *
 * Every fallible getter returns 0, or -1 with an allocated *cause (when
 * cause is not NULL) that the caller frees.  Strings the getters return in
 * *out are allocated and owned by the caller; on failure *out holds NULL
 * (or nothing the caller must free).  cJSON pointers returned point into
 * the tree and live as long as it.
 */
#ifndef MD_JSONGET_H
#define MD_JSONGET_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#define JSONGET_MAX_STRING	4096	/* bytes of any one string */

/* A step of the path from the document root; key NULL means index idx. */
struct jsonget_path {
	const struct jsonget_path *up;
	const char		*key;
	size_t			 idx;
};

/* Fail with "path.key: message" (key may be NULL); always returns -1. */
int	 jsonget_error(char **cause, const struct jsonget_path *p,
	    const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* Parse a whole body as one JSON value; NULL with *cause when it is not. */
cJSON	*jsonget_parse(const char *buf, size_t len, char **cause);

/* Parse a whole body that must be one JSON object; NULL with *cause. */
cJSON	*jsonget_parse_object(const char *buf, size_t len, char **cause);

/* The value's type for messages: "a string", "null", "an object"... */
const char *jsonget_type_name(const cJSON *v);

/* Copy a string value of at most JSONGET_MAX_STRING bytes into *out. */
int	 jsonget_take_string(const cJSON *v, const struct jsonget_path *p,
	    const char *key, char **out, char **cause);

/*
 * A string member: required, or else dflt when absent or null (a NULL dflt
 * leaves *out NULL).
 */
int	 jsonget_string(const cJSON *o, const char *key,
	    const struct jsonget_path *p, int required, const char *dflt,
	    char **out, char **cause);

/* An id or version: a string, or an integral number written as such. */
int	 jsonget_id(const cJSON *o, const char *key,
	    const struct jsonget_path *p, int required, char **out,
	    char **cause);

/* A number member; absent or null gives dflt unless required. */
int	 jsonget_number(const cJSON *o, const char *key,
	    const struct jsonget_path *p, int required, double dflt,
	    double *out, char **cause);

/* A time: milliseconds since the epoch or an RFC 3339 string; absent 0. */
int	 jsonget_time(const cJSON *o, const char *key,
	    const struct jsonget_path *p, int64_t *out, char **cause);

/* A boolean member; absent or null gives 0. */
int	 jsonget_bool(const cJSON *o, const char *key,
	    const struct jsonget_path *p, int *out, char **cause);

/* An array member with at most max items; absent gives NULL unless required. */
int	 jsonget_array(const cJSON *o, const char *key,
	    const struct jsonget_path *p, int required, size_t max,
	    const cJSON **out, size_t *n, char **cause);

/* Fail unless v is an object. */
int	 jsonget_need_object(const cJSON *v, const struct jsonget_path *p,
	    char **cause);

#endif
