/*
 * test_sanitize: the one sanitizer for terminal output.  Known attacks
 * (CSI, OSC, DCS, C1 CSI, bidi override, CR overwrite, overlong and
 * surrogate encodings) come out as visible escapes; printable UTF-8 comes
 * out unchanged; sanitised JSON parses back to the same strings; and for
 * random bytes the output never holds a control byte, invalid UTF-8 or a
 * hiding/reordering character.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "testhelp.h"

static void
same(const char *in, unsigned flags, const char *want)
{
	char	*got = sanitize_dup(in, flags);

	CHECK_STR(got, want);
	free(got);
}

static void
test_sanitize_attacks(void)
{
	same("\x1b[2J\x1b[H", 0, "\\u001b[2J\\u001b[H");
	same("a\x1b]0;pwned\x07z", 0, "a\\u001b]0;pwned\\u0007z");
	same("\x1bP+q\x1b\\", 0, "\\u001bP+q\\u001b\\");
	same("x\xc2\x9b" "31m", 0, "x\\u009b31m");		/* C1 CSI */
	same("ok\rFAIL", 0, "ok\\u000dFAIL");
	same("rollback \xe2\x80\xae" "7-ksir", 0, "rollback \\u202e7-ksir");
	same("\xe2\x81\xa6" "a\xe2\x81\xa9", 0, "\\u2066a\\u2069");
	same("a\xe2\x80\x8b" "b", 0, "a\\u200bb");		/* zero width */
	same("\x7f", 0, "\\u007f");
	same("\xc0\xaf", 0, "\\xc0\\xaf");			/* overlong / */
	same("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");		/* surrogate */
	same("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80");	/* > 10FFFF */
	same("end\xe2\x82", 0, "end\\xe2\\x82");			/* cut short */
	same("\xff", 0, "\\xff");
}

static void
test_sanitize_keeps_text(void)
{
	same("", 0, "");
	same("credit-risk 7 canary 10%", 0, "credit-risk 7 canary 10%");
	same("r\xc3\xa9gion \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x93\x88", 0,
	    "r\xc3\xa9gion \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x93\x88");
	same("a\tb\nc", SANITIZE_KEEP_LINES, "a\tb\nc");
	same("a\tb\nc", 0, "a\\u0009b\\u000ac");
}

/* JSON that went through the sanitizer parses to the same strings. */
static void
test_sanitize_json_stays_json(void)
{
	static const char *const names[] = {
		"plain", "bidi \xe2\x80\xae here", "c1 \xc2\x85 nel",
		"del \x7f", "esc \x1b[31m", "bom \xef\xbb\xbf",
	};
	struct strbuf	b = { 0 };
	cJSON		*a = cJSON_CreateArray(), *back;
	char		*text;
	size_t		 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(names[i]));
	text = cJSON_Print(a);
	sanitize_append(&b, text, strlen(text), SANITIZE_KEEP_LINES);
	CHECK(strstr(strbuf_str(&b), "\\u202e") != NULL);
	back = cJSON_Parse(strbuf_str(&b));
	CHECK(back != NULL);
	for (i = 0; back != NULL && i < sizeof names / sizeof names[0]; i++)
		CHECK_STR(cJSON_GetArrayItem(back, (int)i)->valuestring,
		    names[i]);
	cJSON_Delete(back);
	cJSON_Delete(a);
	free(text);
	strbuf_free(&b);
}

/* Nothing unsafe survives in the output, whatever the input bytes. */
static int
output_safe(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if ((n = sanitize_utf8(p + i, len - i, &cp)) == 0)
			return 0;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x202e ||
		    cp == 0x2066 || cp == 0x200b || cp == 0xfeff)
			return 0;
		i += n;
	}
	return 1;
}

static void
test_sanitize_random_bytes(void)
{
	static const unsigned char starts[] = {
		0x1b, 0x9b, 0xc2, 0xe2, 0x80, 0xae, 0xed, 0xf4, 0xff, 0x07 };
	unsigned char	in[64];
	struct strbuf	b = { 0 };
	unsigned	seed = 12345;
	int		k, bad = 0;
	size_t		i, n;

	for (k = 0; k < 200000; k++) {
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % sizeof in;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			/* Lean towards the bytes that start sequences. */
			in[i] = (seed >> 16) & 1 ? starts[(seed >> 17) % 10] :
			    (unsigned char)(seed >> 18);
		}
		strbuf_reset(&b);
		sanitize_append(&b, (const char *)in, n, 0);
		if (!output_safe(strbuf_str(&b), b.len))
			bad++;
	}
	CHECK_INT(bad, 0);
	strbuf_free(&b);
}

int
main(void)
{
	RUN(test_sanitize_attacks);
	RUN(test_sanitize_keeps_text);
	RUN(test_sanitize_json_stays_json);
	RUN(test_sanitize_random_bytes);
	return TEST_REPORT();
}
