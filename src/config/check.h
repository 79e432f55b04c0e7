/*
 * check: helpers for validating the configuration, used by config.c and config_raci.c only.
 * Errors are appended to a struct config_errors as "json.path: reason";
 * the helpers never stop a pass, so every error is found in one run.
 * Paths look like hosts[0].url, users.alice[1], policies["a b"].gates.
 *
 * Ownership: check_key_path/check_index_path/check_name return allocated
 * strings; check_string hands back a pointer borrowed from the JSON tree.
 */
#ifndef MD_CHECK_H
#define MD_CHECK_H

#include <stddef.h>

struct cJSON;
struct config;
struct config_errors;

/* One validation pass: the configuration being built and its errors. */
struct check {
	struct config		*cfg;
	struct config_errors	*errors;
};

/* Append "path: reason" (path "" reads "(top level)"). */
void	 check_err(struct check *p, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* path.key, or path["key"] for a key that is not a plain word. */
char	*check_key_path(const char *path, const char *key);
/* path[i]. */
char	*check_index_path(const char *path, size_t i);
/* 1 when s is in the NULL-terminated list. */
int	 check_in_list(const char *const *list, const char *s);
/* The JSON type of v in words ("an object", "a string"...). */
const char *check_kind(const struct cJSON *v);
/* Is v an object?  Reports keys not in allowed (unless NULL) and duplicates. */
int	 check_object(struct check *p, const struct cJSON *v, const char *path,
	    const char *const *allowed);
/* Is v an array?  0, or -1 after reporting. */
int	 check_array(struct check *p, const struct cJSON *v, const char *path);
/* A name: [A-Za-z0-9._-], starting with a letter or digit, 1 to max long. */
int	 check_valid_name(const char *s, size_t max);
/* A non-empty string field; missing is an error when required.  0 when *out set. */
int	 check_string(struct check *p, const struct cJSON *obj, const char *path,
	    const char *key, int required, const char **out);
/* The required, valid, not yet used "name" field; allocated, or NULL. */
char	*check_name(struct check *p, const struct cJSON *obj, const char *path,
	    const char *what, const char *(*name_at)(const struct config *,
	    size_t), size_t n);
/* An http:// or https:// URL with a host. */
int	 check_url(struct check *p, const char *path, const char *url);
/* An absolute path to an existing regular file. */
int	 check_file(struct check *p, const char *path, const char *file);
/* Line and column (from 1) of byte offset off in text. */
void	 check_line_col(const char *text, size_t off, size_t *line,
	    size_t *col);

#endif
