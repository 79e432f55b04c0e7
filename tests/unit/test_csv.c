/*
 * test_csv: the streaming CSV reader and the cell number parser.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/csv.h"
#include "testhelp.h"

static char tmpdir[] = "/tmp/test_csv.XXXXXX";

static char *
write_file(const char *name, const char *data, size_t len)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", tmpdir, name) < 0)
		abort();
	f = fopen(path, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

/* Read the whole file into "a|b;c|d;" form (fields | rows ;), or the error. */
static char *
flatten(const char *data, size_t len)
{
	char *path = write_file("f.csv", data, len), *cause = NULL, *out;
	struct csv_reader *r = csv_open(path, &cause);
	size_t cap = 4096, n = 0, i, flen;
	const char *fs;
	int rc;

	out = calloc(1, cap);
	while ((rc = csv_read(r, &cause)) == 1) {
		for (i = 0; i < csv_nfields(r); i++) {
			fs = csv_field(r, i, &flen);
			n += (size_t)snprintf(out + n, cap - n, "%s%s",
			    i > 0 ? "|" : "", fs);
			CHECK(strlen(fs) == flen);
		}
		n += (size_t)snprintf(out + n, cap - n, ";");
	}
	if (rc == -1) {
		snprintf(out, cap, "ERR %s", cause);
		free(cause);
	}
	csv_close(r);
	free(path);
	return out;
}

#define FLAT(lit) flatten(lit, sizeof lit - 1)

static void
test_csv_basic(void)
{
	char *s;

	s = FLAT("a,b,c\n1,2,3\n");
	CHECK_STR(s, "a|b|c;1|2|3;");
	free(s);
	s = FLAT("a,b\r\n1,2\r\n3,4");	/* CRLF, no final line end */
	CHECK_STR(s, "a|b;1|2;3|4;");
	free(s);
	s = FLAT("\xef\xbb\xbfx,y\n\n1,\n\r\n,2\n");	/* BOM, blank lines */
	CHECK_STR(s, "x|y;1|;|2;");
	free(s);
	s = FLAT("");
	CHECK_STR(s, "");
	free(s);
	s = FLAT("a,\n");
	CHECK_STR(s, "a|;");
	free(s);
}

static void
test_csv_quotes(void)
{
	char *s;

	s = FLAT("\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
	CHECK_STR(s, "a,b|say \"hi\"|;");
	free(s);
	s = FLAT("\"line\nbreak\",x\r\n\"cr\r\nlf\",y\n");
	CHECK_STR(s, "line\nbreak|x;cr\r\nlf|y;");
	free(s);
	s = FLAT("a,\"\"\n");
	CHECK_STR(s, "a|;");
	free(s);
}

static void
test_csv_errors(void)
{
	char *s;

	s = FLAT("a,b\n1,x\"y\n");
	CHECK(strstr(s, "f.csv:2:4: quote inside an unquoted field") != NULL);
	free(s);
	s = FLAT("a,b\n\"1\"x,2\n");
	CHECK(strstr(s, "f.csv:2:4: text after a closing quote") != NULL);
	free(s);
	s = FLAT("a,b\n1,2\n\"open,3\n4,5\n");
	CHECK(strstr(s, "f.csv:3: unterminated quoted field") != NULL);
	free(s);
	s = flatten("a,b\n1,\0\n", 8);
	CHECK(strstr(s, "f.csv:2: NUL byte") != NULL);
	free(s);
}

static void
test_csv_lines(void)
{
	char *path, *cause = NULL;
	struct csv_reader *r;

	path = write_file("l.csv", "a,b\n\"x\ny\",z\n\n1,2\n", 17);
	r = csv_open(path, &cause);
	CHECK_INT(csv_read(r, &cause), 1);
	CHECK_INT(csv_line(r), 1);
	CHECK_INT(csv_read(r, &cause), 1);
	CHECK_INT(csv_line(r), 2);
	CHECK_INT(csv_field_line(r, 0), 2);
	CHECK_INT(csv_field_line(r, 1), 3);
	CHECK_INT(csv_read(r, &cause), 1);
	CHECK_INT(csv_line(r), 5);
	CHECK_INT(csv_read(r, &cause), 0);
	csv_close(r);
	free(path);
	CHECK(csv_open("/nonexistent/x.csv", &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "/nonexistent/x.csv: No such") != NULL);
	free(cause);
}

/* Rows far longer than the buffer's first size and many rows across refills. */
static void
test_csv_big(void)
{
	size_t n = 6u << 20, i;
	char *data = malloc(n + 64), *path, *cause = NULL;
	struct csv_reader *r;
	size_t len, rows = 0;
	int rc;

	memset(data, 'x', n);
	memcpy(data + n, ",\"q\"\n", 5);
	path = write_file("big.csv", data, n + 5);
	r = csv_open(path, &cause);
	CHECK_INT(csv_read(r, &cause), 1);
	csv_field(r, 0, &len);
	CHECK_INT(len, n);
	CHECK_STR(csv_field(r, 1, NULL), "q");
	csv_close(r);
	free(path);
	for (i = 0; i < n; i += 8)
		memcpy(data + i, "12,\"2\"\r\n", 8);
	path = write_file("many.csv", data, n);
	r = csv_open(path, &cause);
	while ((rc = csv_read(r, &cause)) == 1) {
		rows++;
		if (csv_nfields(r) != 2 || strcmp(csv_field(r, 1, NULL), "2") != 0)
			break;
	}
	CHECK_INT(rc, 0);
	CHECK_INT(rows, n / 8);
	csv_close(r);
	free(path);
	free(data);
}

static void
test_csv_number_words(void)
{
	double v = 0;

	CHECK_INT(csv_number("", 0, &v), CSV_NUM_MISSING);
	CHECK_INT(csv_number("  ", 2, &v), CSV_NUM_MISSING);
	CHECK_INT(csv_number("NaN", 3, &v), CSV_NUM_MISSING);
	CHECK_INT(csv_number("-nan", 4, &v), CSV_NUM_MISSING);
	CHECK_INT(csv_number("inf", 3, &v), CSV_NUM_INFINITE);
	CHECK_INT(csv_number("-Infinity", 9, &v), CSV_NUM_INFINITE);
	CHECK_INT(csv_number("1e999", 5, &v), CSV_NUM_INFINITE);
	CHECK_INT(csv_number("-1e999", 6, &v), CSV_NUM_INFINITE);
	CHECK_INT(csv_number("abc", 3, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number("0x10", 4, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number("1_000", 5, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number("1e", 2, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number(".", 1, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number("-", 1, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number("1 2", 3, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number("infinite", 8, &v), CSV_NUM_TEXT);
	CHECK_INT(csv_number(" 2.5 ", 5, &v), CSV_NUM_FINITE);
	CHECK(v == 2.5);
	CHECK_INT(csv_number("1e-400", 6, &v), CSV_NUM_FINITE);
	CHECK(v == 0);
}

/* Every accepted spelling must give exactly what glibc's strtod gives. */
static void
check_same(const char *s)
{
	double a = 0, b = strtod(s, NULL);
	char what[160];

	if (csv_number(s, strlen(s), &a) != CSV_NUM_FINITE ||
	    memcmp(&a, &b, sizeof a) != 0) {
		snprintf(what, sizeof what, "csv_number(\"%s\") = %.17g, strtod %.17g",
		    s, a, b);
		th_fail(__FILE__, __LINE__, what);
	}
}

static void
test_csv_number_exact(void)
{
	static const char *fixed[] = {
		"0", "-0", "+1", "1.", ".5", "00012.50", "0.000123", "1e22",
		"1e23", "9007199254740993", "123456789012345678901234567890",
		"0.1", "0.30000000000000004", "2.2250738585072011e-308",
		"4.9e-324", "1.7976931348623157e308", "1E+5", "-3.25e-2",
		"0.0000000000000000000000000000001234567890123456789",
	};
	uint64_t x = 88172645463325252ULL, bits;
	double d;
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		check_same(fixed[i]);
	for (i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		bits = x & ~(UINT64_C(0x7ff) << 52);
		bits |= (uint64_t)(1023 - 40 + (int)(x >> 58)) << 52;
		memcpy(&d, &bits, sizeof d);
		snprintf(buf, sizeof buf, "%.*g", (int)(1 + (x >> 40) % 17), d);
		check_same(buf);
		snprintf(buf, sizeof buf, "%.*f", (int)((x >> 30) % 9), d);
		check_same(buf);
	}
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_csv_basic);
	RUN(test_csv_quotes);
	RUN(test_csv_errors);
	RUN(test_csv_lines);
	RUN(test_csv_big);
	RUN(test_csv_number_words);
	RUN(test_csv_number_exact);
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
		(void)!system(cmd);
	}
	return TEST_REPORT();
}
