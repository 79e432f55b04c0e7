/*
 * libFuzzer harness: the dataset loader and the whole of `modeldeck drift`
 * on files (data/dataset.h, data/drift.h).  The input is a reference and a
 * current file separated by the first form feed (no form feed: the same
 * text is both), written to two memfds and named by /proc/self/fd paths,
 * so the loader takes the regular-file paths (the re-read of a column
 * that turns from numbers to text included).  CSV or JSON, as the loader
 * sniffs.  Runs: dataset_load of the reference; dataset_open_like of the
 * current in chunks of 1 to 4 rows (JSON comes in one chunk, parsed
 * whole), then dataset_load_like in one go;
 * drift_report_build with everything asked, printed as JSON and as a
 * table.  Checked besides "no crash": chunks have the reference's columns
 * and (CSV) at most the rows asked, category ids are in their dictionary, the
 * rows read in chunks add up to the rows read whole, the JSON report
 * parses, every error has a reason.  Also built into
 * tests/unit/test_prom_fuzz.c, which replays corpus/dataset/.
 */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "data/dataset.h"
#include "data/drift.h"
#include "util/strbuf.h"

static void
dataset_fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_dataset: %s\n", what);
	abort();
}

static void
dataset_fuzz_cause(char *cause)
{
	if (cause == NULL || *cause == '\0')
		dataset_fuzz_fail("an error without a reason");
	free(cause);
}

/* A memfd holding len bytes of data; its path in path. */
static int
dataset_fuzz_file(const uint8_t *data, size_t len, char *path, size_t plen)
{
	int fd;

	if ((fd = memfd_create("fuzz-dataset", MFD_CLOEXEC)) == -1)
		abort();
	if (len > 0 && write(fd, data, len) != (ssize_t)len)
		abort();
	snprintf(path, plen, "/proc/self/fd/%d", fd);
	return fd;
}

/* The chunk has ref's columns, at most max rows, ids in range. */
static void
dataset_fuzz_chunk(const struct dataset *ref, const struct dataset *ds,
    size_t max)
{
	const struct dataset_column *c;
	size_t i, j;

	if (ds->nrows > max || ds->ncols != ref->ncols)
		dataset_fuzz_fail("a chunk unlike its reference");
	for (j = 0; j < ds->ncols; j++) {
		c = &ds->cols[j];
		if (strcmp(c->name, ref->cols[j].name) != 0 ||
		    c->kind != ref->cols[j].kind || c->missing > ds->nrows)
			dataset_fuzz_fail("a column unlike its reference");
		for (i = 0; c->kind == STATS_CATEGORICAL && i < ds->nrows; i++) {
			if (c->cat[i] < -1 ||
			    (c->cat[i] >= 0 &&
			    (size_t)c->cat[i] >= cat_dict_size(c->dict)))
				dataset_fuzz_fail("a category id out of range");
		}
	}
}

/* Does the loader take this text for JSON (first byte past BOM, blanks)? */
static int
dataset_fuzz_is_json(const uint8_t *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && i < 512 && strchr(" \t\r\n", data[i]) != NULL &&
	    data[i] != '\0')
		i++;
	return i < len && i < 512 && (data[i] == '{' || data[i] == '[');
}

/* The current file in chunks, then whole: the same number of rows. */
static void
dataset_fuzz_like(struct dataset *ref, const char *path, size_t max)
{
	struct dataset_reader	*rd;
	struct dataset		*chunk, *whole;
	char			*cause = NULL;
	size_t			 rows = 0;
	int			 rc;

	if ((rd = dataset_open_like(path, ref, "label", &cause)) == NULL) {
		dataset_fuzz_cause(cause);
		return;
	}
	while ((rc = dataset_read(rd, max, &chunk, &cause)) == 1) {
		dataset_fuzz_chunk(ref, chunk, max);
		rows += chunk->nrows;
	}
	dataset_reader_close(rd);
	if (rc == -1) {
		dataset_fuzz_cause(cause);
		return;
	}
	if ((whole = dataset_load_like(path, ref, "label", &cause)) == NULL)
		dataset_fuzz_fail("read in chunks but not whole");
	dataset_fuzz_chunk(ref, whole, SIZE_MAX);
	if (whole->nrows != rows)
		dataset_fuzz_fail("chunks and whole differ in rows");
	dataset_free(whole);
}

static void
dataset_fuzz_drift(const char *ref, const char *cur)
{
	struct drift_opts	 o;
	struct drift_report	 r;
	struct strbuf		 b = { 0 };
	cJSON			*json;
	char			*cause = NULL;

	drift_opts_init(&o);
	o.reference = ref;
	o.current = cur;
	if (drift_report_build(&o, &r, &cause) != 0) {
		dataset_fuzz_cause(cause);
		return;
	}
	drift_print_json(&r, &b);
	if ((json = cJSON_Parse(strbuf_str(&b))) == NULL)
		dataset_fuzz_fail("the JSON report does not parse");
	cJSON_Delete(json);
	strbuf_reset(&b);
	drift_print_table(&r, &b);
	strbuf_free(&b);
	drift_report_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*ff = memchr(data, '\f', size);
	char		 pref[64], pcur[64], *cause = NULL;
	size_t		 nref = ff != NULL ? (size_t)(ff - data) : size;
	struct dataset	*ref;
	int		 fref, fcur;

	fref = dataset_fuzz_file(data, nref, pref, sizeof pref);
	if (ff != NULL)
		fcur = dataset_fuzz_file(ff + 1, size - nref - 1, pcur,
		    sizeof pcur);
	else
		fcur = dataset_fuzz_file(data, size, pcur, sizeof pcur);
	if ((ref = dataset_load(pref, &cause)) == NULL)
		dataset_fuzz_cause(cause);
	else {
		dataset_fuzz_like(ref, pcur, dataset_fuzz_is_json(ff != NULL ?
		    ff + 1 : data, ff != NULL ? size - nref - 1 : size) ?
		    SIZE_MAX : 1 + size % 4);
		dataset_free(ref);
	}
	dataset_fuzz_drift(pref, pcur);
	close(fref);
	close(fcur);
	return (0);
}
