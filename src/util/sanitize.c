/*
 * sanitize: untrusted text made safe for a terminal (sanitize.h).
 */
#include <string.h>

#include "util/sanitize.h"

size_t
sanitize_utf8(const unsigned char *s, size_t len, unsigned *cp)
{
	size_t		n, i;
	unsigned	c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms and surrogates are how filters get bypassed. */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Characters that control the terminal or hide or reorder text. */
static int
unsafe(unsigned cp, unsigned flags)
{
	if (cp == '\n' || cp == '\t')
		return !(flags & SANITIZE_KEEP_LINES);
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 1;
	return cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

void
sanitize_append(struct strbuf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, start = 0, n;
	unsigned		 cp;

	while (i < len) {
		n = sanitize_utf8(p + i, len - i, &cp);
		if (n > 0 && !unsafe(cp, flags)) {
			i += n;
			continue;
		}
		/* Copy the safe run before it in one go. */
		strbuf_add(out, s + start, i - start);
		if (n == 0) {
			strbuf_addf(out, "\\x%02x", p[i]);
			n = 1;
		} else
			strbuf_addf(out, "\\u%04x", cp);
		i += n;
		start = i;
	}
	strbuf_add(out, s + start, len - start);
}

char *
sanitize_dup(const char *s, unsigned flags)
{
	struct strbuf	b = { 0 };

	sanitize_append(&b, s, strlen(s), flags);
	return strbuf_take(&b);
}
