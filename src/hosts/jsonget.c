/*
 * jsonget: the typed getters and the lazy JSON-path error messages of
 * jsonget.h.  The path is written only when an error happens.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/jsonget.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static void
path_write(const struct jsonget_path *p, struct strbuf *b)
{
	if (p == NULL)
		return;
	path_write(p->up, b);
	if (p->key != NULL) {
		if (b->len > 0)
			strbuf_addc(b, '.');
		strbuf_adds(b, p->key);
	} else
		strbuf_addf(b, "[%zu]", p->idx);
}

/* Fail with "path.key: message"; key may be NULL. */
int
jsonget_error(char **cause, const struct jsonget_path *p, const char *key,
    const char *fmt, ...)
{
	struct strbuf		b = { 0 };
	struct jsonget_path	last = { p, key, 0 };
	va_list			ap;
	char			*msg;

	path_write(key != NULL ? &last : p, &b);
	if (b.len == 0)
		strbuf_adds(&b, "(body)");
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_addf(&b, ": %s", msg);
	free(msg);
	if (cause != NULL)
		*cause = strbuf_take(&b);
	else
		strbuf_free(&b);
	return (-1);
}

cJSON *
jsonget_parse(const char *buf, size_t len, char **cause)
{
	const char	*end = NULL;
	cJSON		*root;

	if (buf == NULL || len == 0) {
		xcause(cause, "empty body, expected JSON");
		return (NULL);
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		xcause(cause, "invalid JSON at byte %zu",
		    end != NULL && end >= buf ? (size_t)(end - buf) :
		    (size_t)0);
		return (NULL);
	}
	while (end < buf + len && (*end == ' ' || *end == '\t' ||
	    *end == '\n' || *end == '\r'))
		end++;
	if (end != buf + len) {
		xcause(cause, "invalid JSON at byte %zu: data after the value",
		    (size_t)(end - buf));
		cJSON_Delete(root);
		return (NULL);
	}
	return (root);
}

const char *
jsonget_type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return ("a string");
	if (cJSON_IsNumber(v))
		return ("a number");
	if (cJSON_IsBool(v))
		return ("a boolean");
	if (cJSON_IsNull(v))
		return ("null");
	if (cJSON_IsArray(v))
		return ("an array");
	return ("an object");
}

/* Copy a string value, checking the length cap. */
int
jsonget_take_string(const cJSON *v, const struct jsonget_path *p,
    const char *key, char **out, char **cause)
{
	size_t	len;

	if (!cJSON_IsString(v))
		return (jsonget_error(cause, p, key, "expected a string, not "
		    "%s", jsonget_type_name(v)));
	if ((len = strlen(v->valuestring)) > JSONGET_MAX_STRING)
		return (jsonget_error(cause, p, key, "longer than %d bytes",
		    JSONGET_MAX_STRING));
	*out = xstrndup(v->valuestring, len);
	return (0);
}

/*
 * A string member: required, or else dflt when absent or null (a NULL dflt
 * leaves *out NULL).
 */
int
jsonget_string(const cJSON *o, const char *key, const struct jsonget_path *p,
    int required, const char *dflt, char **out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return (jsonget_error(cause, p, key, "missing"));
		*out = dflt != NULL ? xstrdup(dflt) : NULL;
		return (0);
	}
	return (jsonget_take_string(v, p, key, out, cause));
}

/* An id or version: a string, or an integral number written as such. */
int
jsonget_id(const cJSON *o, const char *key, const struct jsonget_path *p,
    int required, char **out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);
	double		 d;

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return (jsonget_error(cause, p, key, "missing"));
		*out = xstrdup("");
		return (0);
	}
	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (d != floor(d) || fabs(d) > 9007199254740992.0)
			return (jsonget_error(cause, p, key, "expected a "
			    "string or an integer"));
		*out = xasprintf("%.0f", d);
		return (0);
	}
	return (jsonget_take_string(v, p, key, out, cause));
}

/* A number member; absent or null gives dflt unless required. */
int
jsonget_number(const cJSON *o, const char *key, const struct jsonget_path *p,
    int required, double dflt, double *out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = dflt;
	if (v == NULL || cJSON_IsNull(v))
		return (required ? jsonget_error(cause, p, key, "missing") : 0);
	if (!cJSON_IsNumber(v))
		return (jsonget_error(cause, p, key, "expected a number, not "
		    "%s", jsonget_type_name(v)));
	*out = v->valuedouble;
	return (0);
}

/* A time: milliseconds since the epoch, or an RFC 3339 string. */
int
jsonget_time(const cJSON *o, const char *key, const struct jsonget_path *p,
    int64_t *out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (cJSON_IsNumber(v) && fabs(v->valuedouble) < 9.2e15) {
		*out = (int64_t)v->valuedouble;
		return (0);
	}
	if (cJSON_IsString(v) &&
	    timefmt_parse_rfc3339(v->valuestring, out, NULL) == 0)
		return (0);
	return (jsonget_error(cause, p, key, "expected milliseconds since the "
	    "epoch or an RFC 3339 time"));
}

int
jsonget_bool(const cJSON *o, const char *key, const struct jsonget_path *p,
    int *out, char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return (0);
	if (!cJSON_IsBool(v))
		return (jsonget_error(cause, p, key, "expected true or false, "
		    "not %s", jsonget_type_name(v)));
	*out = cJSON_IsTrue(v);
	return (0);
}

/* An array member with at most max items; absent gives NULL unless required. */
int
jsonget_array(const cJSON *o, const char *key, const struct jsonget_path *p,
    int required, size_t max, const cJSON **out, size_t *n, char **cause)
{
	const cJSON	*v;

	v = o != NULL ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	*out = NULL;
	*n = 0;
	if (v == NULL || cJSON_IsNull(v))
		return (required ? jsonget_error(cause, p, key, "missing") : 0);
	if (!cJSON_IsArray(v))
		return (jsonget_error(cause, p, key, "expected an array, not "
		    "%s", jsonget_type_name(v)));
	*n = (size_t)cJSON_GetArraySize(v);
	if (*n > max)
		return (jsonget_error(cause, p, key, "more than %zu entries",
		    max));
	*out = v;
	return (0);
}

int
jsonget_need_object(const cJSON *v, const struct jsonget_path *p, char **cause)
{
	if (!cJSON_IsObject(v))
		return (jsonget_error(cause, p, NULL, "expected an object, not "
		    "%s", jsonget_type_name(v)));
	return (0);
}

/* A whole body that must be one JSON object: the start of most parsers. */
cJSON *
jsonget_parse_object(const char *buf, size_t len, char **cause)
{
	cJSON	*root;

	if ((root = jsonget_parse(buf, len, cause)) != NULL &&
	    jsonget_need_object(root, NULL, cause) != 0) {
		cJSON_Delete(root);
		root = NULL;
	}
	return (root);
}
