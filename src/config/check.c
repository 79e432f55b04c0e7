/*
 * check: the validation helpers of the configuration parser (config.c,
 * config_raci.c):
 * an error list whose entries name a JSON path, and getters that report
 * type, presence, unknown-key and duplicate problems there.  Split from
 * config.c so that file holds the format and this one the mechanics.
 */
#include "config/check.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

void
check_err(struct check *p, const char *path, const char *fmt, ...)
{
	struct config_errors *e = p->errors;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
	e->v[e->n++] = xasprintf("%s: %s", *path ? path : "(top level)", msg);
	free(msg);
}

/* path.key, or path["key"] for a key that is not a plain word. */
char *
check_key_path(const char *path, const char *key)
{
	struct strbuf b = { 0 };
	const char *c;

	for (c = key; *c != '\0'; c++) {
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
			break;
	}
	if (*c == '\0' && *key != '\0')
		return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
	strbuf_adds(&b, path);
	strbuf_addc(&b, '[');
	strbuf_add_json_string(&b, key);
	strbuf_addc(&b, ']');
	return strbuf_take(&b);
}

char *
check_index_path(const char *path, size_t i)
{
	return xasprintf("%s[%zu]", path, i);
}

int
check_in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, s) == 0)
			return 1;
	}
	return 0;
}

/* A JSON type in words, for "expected X, got Y". */
const char *
check_kind(const cJSON *v)
{
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	return "null";
}

/* Is v an object?  Reports unknown (allowed != NULL) and duplicate keys. */
static int
cmp_key(const void *a, const void *b)
{
	const cJSON *const *x = a, *const *y = b;

	return strcmp((*x)->string, (*y)->string);
}

int
check_object(struct check *p, const cJSON *v, const char *path,
    const char *const *allowed)
{
	const cJSON *a, **keys;
	size_t n = 0, i;
	char *kp;

	if (!cJSON_IsObject(v)) {
		check_err(p, path, "expected an object, got %s", check_kind(v));
		return -1;
	}
	for (a = v->child; a != NULL; a = a->next) {
		if (allowed != NULL && !check_in_list(allowed, a->string)) {
			kp = check_key_path(path, a->string);
			check_err(p, kp, "unknown key");
			free(kp);
		}
		n++;
	}
	/* Sorted, so a huge object costs n log n, not n squared. */
	keys = xcalloc(n + 1, sizeof *keys);
	for (a = v->child, i = 0; a != NULL; a = a->next)
		keys[i++] = a;
	qsort(keys, n, sizeof *keys, cmp_key);
	for (i = 1; i < n; i++) {
		if (strcmp(keys[i]->string, keys[i - 1]->string) == 0 &&
		    (i < 2 || strcmp(keys[i]->string, keys[i - 2]->string) != 0)) {
			kp = check_key_path(path, keys[i]->string);
			check_err(p, kp, "duplicate key");
			free(kp);
		}
	}
	free(keys);
	return 0;
}

int
check_array(struct check *p, const cJSON *v, const char *path)
{
	if (cJSON_IsArray(v))
		return 0;
	check_err(p, path, "expected an array, got %s", check_kind(v));
	return -1;
}

/* Names of hosts, teams, models, policies: [A-Za-z0-9._-], 1-64 long. */
int
check_valid_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || !isalnum((unsigned char)s[0]))
		return 0;
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return 0;
	}
	return 1;
}

/*
 * A string field: *out borrows the value.  Missing: an error when
 * required.  Returns 0 when *out was set.
 */
int
check_string(struct check *p, const cJSON *obj, const char *path,
    const char *key, int required, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char *kp;

	*out = NULL;
	if (v == NULL) {
		if (required)
			check_err(p, path, "missing required field \"%s\"", key);
		return -1;
	}
	kp = check_key_path(path, key);
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		if (cJSON_IsString(v))
			check_err(p, kp, "must not be empty");
		else
			check_err(p, kp, "expected a string, got %s",
			    check_kind(v));
		free(kp);
		return -1;
	}
	free(kp);
	*out = v->valuestring;
	return 0;
}

/* A name field (required): valid and not already in seen[0..n). */
char *
check_name(struct check *p, const cJSON *obj, const char *path, const char *what,
    const char *(*name_at)(const struct config *, size_t), size_t n)
{
	const char *s;
	char *kp;
	size_t i;

	if (check_string(p, obj, path, "name", 1, &s) != 0)
		return NULL;
	kp = check_key_path(path, "name");
	if (!check_valid_name(s, 64)) {
		check_err(p, kp, "invalid %s name \"%s\" (letters, digits, '.', '_', "
		    "'-'; at most 64)", what, s);
		free(kp);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (name_at(p->cfg, i) != NULL && strcmp(name_at(p->cfg, i), s) == 0) {
			check_err(p, kp, "duplicate %s name \"%s\"", what, s);
			free(kp);
			return NULL;
		}
	}
	free(kp);
	return xstrdup(s);
}

/* http:// or https:// followed by a host: 0, or -1 with a reason. */
int
check_url(struct check *p, const char *path, const char *url)
{
	const char *sep = strstr(url, "://"), *c;

	if (sep == NULL) {
		check_err(p, path, "not a URL: \"%s\" (expected http://HOST... or "
		    "https://HOST...)", url);
		return -1;
	}
	if (!((sep - url == 4 && strncmp(url, "http", 4) == 0) ||
	    (sep - url == 5 && strncmp(url, "https", 5) == 0))) {
		check_err(p, path, "unsupported URL scheme \"%.*s\" (only http and "
		    "https)", (int)(sep - url), url);
		return -1;
	}
	if (sep[3] == '\0' || sep[3] == '/' || sep[3] == ':') {
		check_err(p, path, "URL \"%s\" has no host", url);
		return -1;
	}
	for (c = url; *c != '\0'; c++) {
		if ((unsigned char)*c <= ' ' || *c == 0x7f) {
			check_err(p, path, "URL contains a space or control character");
			return -1;
		}
	}
	return 0;
}

/* An absolute path naming an existing regular file. */
int
check_file(struct check *p, const char *path, const char *file)
{
	struct stat sb;

	if (file[0] != '/') {
		check_err(p, path, "\"%s\" is not an absolute path", file);
		return -1;
	}
	if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		check_err(p, path, "\"%s\" is not a readable file", file);
		return -1;
	}
	return 0;
}

/* Line and column (from 1) of offset in text. */
void
check_line_col(const char *text, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

