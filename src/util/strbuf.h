/*
 * strbuf: a growable NUL-terminated byte buffer.  The buffer owns `s`;
 * strbuf_take hands ownership to the caller and resets the buffer.
 * A zeroed struct is an empty, valid buffer.
 */
#ifndef MD_STRBUF_H
#define MD_STRBUF_H

#include <stddef.h>

struct strbuf {
	char	*s;	/* NUL-terminated; NULL until the first append */
	size_t	 len;
	size_t	 cap;
};

void	 strbuf_add(struct strbuf *b, const void *data, size_t len);
void	 strbuf_adds(struct strbuf *b, const char *s);
void	 strbuf_addc(struct strbuf *b, char c);
void	 strbuf_addf(struct strbuf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal, quotes included. */
void	 strbuf_add_json_string(struct strbuf *b, const char *s);
/*
 * Append v as a JSON value the way every modeldeck report writes numbers:
 * %.17g (round-trips), NaN ("cannot be computed") as null, and an
 * infinity as the string "inf" or "-inf", since strict JSON has none.
 */
void	 strbuf_add_json_number(struct strbuf *b, double v);
/* Current contents; "" for an empty buffer, never NULL. */
const char *strbuf_str(const struct strbuf *b);
char	*strbuf_take(struct strbuf *b);
void	 strbuf_reset(struct strbuf *b);
void	 strbuf_free(struct strbuf *b);

#endif
