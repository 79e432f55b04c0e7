/*
 * The fuzz harnesses of tests/fuzz/ run over their checked-in seed corpora
 * (tests/fuzz/corpus/<name>/, crash reproducers included) as a plain unit
 * test, so `make test` and `make asan` replay them without libFuzzer.  Each
 * harness is included under its own name for LLVMFuzzerTestOneInput; a
 * harness's own checks abort, which fails this test.  Every harness is
 * here (prom, hostjson, promapi, time, cmdline, csv, dataset, config,
 * sanitize, theme), whatever the file name says; a new harness adds an
 * include and a test.
 * gcc's -fsanitize=undefined leaves out float-cast-overflow, so a seed of
 * that kind (config/tier_inf) fails only under `make fuzz` (clang).
 */
#include <dirent.h>
#include <stdint.h>
#include <sys/stat.h>

#include "testhelp.h"
#include "util/xmalloc.h"

#define LLVMFuzzerTestOneInput fuzz_prom_one
#include "tests/fuzz/fuzz_prom.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_hostjson_one
#include "tests/fuzz/fuzz_hostjson.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_promapi_one
#include "tests/fuzz/fuzz_promapi.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_time_one
#include "tests/fuzz/fuzz_time.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_cmdline_one
#include "tests/fuzz/fuzz_cmdline.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "tests/fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_dataset_one
#include "tests/fuzz/fuzz_dataset.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_config_one
#include "tests/fuzz/fuzz_config.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_sanitize_one
#include "tests/fuzz/fuzz_sanitize.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_theme_one
#include "tests/fuzz/fuzz_theme.c"
#undef LLVMFuzzerTestOneInput

static char *
read_all(const char *path, size_t *len)
{
	FILE	*f = fopen(path, "rb");
	char	*buf;
	long	 n;

	if (f == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	/* An exact-size copy, so ASan sees any read past the input. */
	buf = xmalloc(n > 0 ? (size_t)n : 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return (buf);
}

/* Feed every file of corpus/<name>/ to fn; the number of files. */
static size_t
replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
	const char	*root = getenv("MD_ROOT");
	char		*dir, *path, *buf;
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0, len;

	dir = xasprintf("%s/tests/fuzz/corpus/%s", root ? root : ".", name);
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return (0);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if ((buf = read_all(path, &len)) != NULL) {
			fn((const uint8_t *)buf, len);
			/* Every prefix too: truncated bodies are common. */
			while (len > 0 && len % 7 != 0)
				fn((const uint8_t *)buf, --len);
			fn((const uint8_t *)buf, len / 2);
			free(buf);
			n++;
		}
		free(path);
	}
	closedir(d);
	free(dir);
	return (n);
}

static void
test_corpus_prom(void)
{
	CHECK(replay("prom", fuzz_prom_one) >= 5);
}

static void
test_corpus_hostjson(void)
{
	CHECK(replay("hostjson", fuzz_hostjson_one) >= 8);
}

static void
test_corpus_promapi(void)
{
	CHECK(replay("promapi", fuzz_promapi_one) >= 3);
}

static void
test_corpus_time(void)
{
	CHECK(replay("time", fuzz_time_one) >= 12);
}

static void
test_corpus_cmdline(void)
{
	CHECK(replay("cmdline", fuzz_cmdline_one) >= 16);
}

static void
test_corpus_csv(void)
{
	CHECK(replay("csv", fuzz_csv_one) >= 14);
}

static void
test_corpus_dataset(void)
{
	CHECK(replay("dataset", fuzz_dataset_one) >= 14);
}

static void
test_corpus_config(void)
{
	CHECK(replay("config", fuzz_config_one) >= 12);
}

static void
test_corpus_sanitize(void)
{
	CHECK(replay("sanitize", fuzz_sanitize_one) >= 8);
}

static void
test_corpus_theme(void)
{
	CHECK(replay("theme", fuzz_theme_one) >= 12);
}

int
main(void)
{
	RUN(test_corpus_prom);
	RUN(test_corpus_hostjson);
	RUN(test_corpus_promapi);
	RUN(test_corpus_time);
	RUN(test_corpus_cmdline);
	RUN(test_corpus_csv);
	RUN(test_corpus_dataset);
	RUN(test_corpus_config);
	RUN(test_corpus_sanitize);
	RUN(test_corpus_theme);
	return TEST_REPORT();
}
