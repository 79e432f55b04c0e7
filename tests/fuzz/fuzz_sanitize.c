/*
 * libFuzzer harness: the terminal sanitizer (util/sanitize.h).  Besides
 * "no crash", it checks that whatever the input bytes, the output:
 *  - is valid UTF-8 (sanitize_utf8 accepts every character of it);
 *  - holds no C0 control (newline and tab only with SANITIZE_KEEP_LINES),
 *    no DEL, no C1 control, and none of the bidi or invisible characters;
 *  - is the input itself when the input had nothing to escape.
 * The first input byte picks the flags.  Also built into
 * tests/unit/test_prom_fuzz.c, which replays corpus/sanitize/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

static void
sanitize_fuzz_fail(const char *what, unsigned cp)
{
	fprintf(stderr, "fuzz_sanitize: %s (U+%04X)\n", what, cp);
	abort();
}

static int
sanitize_fuzz_hidden(unsigned cp)
{
	return cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf	 b = { 0 };
	const uint8_t	*p;
	unsigned	 flags, cp;
	size_t		 i = 0, n;

	if (size == 0)
		return 0;
	flags = data[0] & 1 ? SANITIZE_KEEP_LINES : 0;
	sanitize_append(&b, (const char *)data + 1, size - 1, flags);
	p = (const uint8_t *)strbuf_str(&b);
	while (i < b.len) {
		if ((n = sanitize_utf8(p + i, b.len - i, &cp)) == 0)
			sanitize_fuzz_fail("invalid UTF-8 out", p[i]);
		if ((cp < 0x20 && !((flags & SANITIZE_KEEP_LINES) &&
		    (cp == '\n' || cp == '\t'))) || (cp >= 0x7f && cp <= 0x9f))
			sanitize_fuzz_fail("control character out", cp);
		if (sanitize_fuzz_hidden(cp))
			sanitize_fuzz_fail("hidden character out", cp);
		i += n;
	}
	if (memchr(data + 1, '\\', size - 1) == NULL &&
	    memchr(p, '\\', b.len) == NULL &&
	    (b.len != size - 1 || memcmp(p, data + 1, b.len) != 0))
		sanitize_fuzz_fail("clean input changed", 0);
	strbuf_free(&b);
	return 0;
}
