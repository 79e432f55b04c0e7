/*
 * xmalloc: allocation that cannot fail.  Out of memory is not an error a
 * console can recover from, so these print a message and abort (as tmux's
 * xmalloc.c does); callers never check for NULL.
 */
#ifndef MD_XMALLOC_H
#define MD_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* realloc of nmemb * size bytes, aborting on multiplication overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Allocated formatted string: the usual way to build a `cause`. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/*
 * Set *cause (when cause is not NULL) to a formatted, allocated message and
 * return -1, so a fallible function can end with `return xcause(cause, ...)`.
 */
int xcause(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
