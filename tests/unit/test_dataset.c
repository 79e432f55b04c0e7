/*
 * test_dataset: files into typed columns (CSV and JSON), type inference,
 * reading like a reference, chunked reading, and every error path.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/dataset.h"
#include "data/drift.h"
#include "testhelp.h"

static char tmpdir[] = "/tmp/test_dataset.XXXXXX";

static char *
put(const char *name, const char *data)
{
	char *path;
	FILE *f;

	if (asprintf(&path, "%s/%s", tmpdir, name) < 0)
		abort();
	f = fopen(path, "wb");
	fputs(data, f);
	fclose(f);
	return path;
}

/* Load path as a reference; the error text (allocated) or NULL. */
static char *
load_error(const char *name, const char *data)
{
	char *path = put(name, data), *cause = NULL;
	struct dataset *ds = dataset_load(path, &cause);

	dataset_free(ds);
	free(path);
	return cause;
}

static const char *
cat_of(const struct dataset *ds, size_t j, size_t row)
{
	int32_t id = ds->cols[j].cat[row];

	return id < 0 ? NULL : cat_dict_name(ds->cols[j].dict, (size_t)id);
}

static void
test_dataset_infer(void)
{
	char *path = put("a.csv", "id,n,c,m,flip\n"
	    "r1,1.5,x,,1\n"
	    "r2,NaN,y, ,1.0\n"
	    "r3,-2e3,x,nan,z\n"), *cause = NULL;
	struct dataset *ds = dataset_load(path, &cause);

	CHECK(ds != NULL);
	if (ds == NULL)
		return;
	CHECK_INT(ds->nrows, 3);
	CHECK_INT(ds->ncols, 4);	/* id dropped */
	CHECK_STR(ds->cols[0].name, "n");
	CHECK_INT(ds->cols[0].kind, STATS_NUMERIC);
	CHECK(ds->cols[0].num[0] == 1.5 && isnan(ds->cols[0].num[1]) &&
	    ds->cols[0].num[2] == -2000);
	CHECK_INT(ds->cols[0].missing, 1);
	CHECK_INT(ds->cols[1].kind, STATS_CATEGORICAL);
	CHECK(ds->cols[1].cat[0] == ds->cols[1].cat[2]);
	CHECK_INT(ds->cols[2].kind, STATS_NUMERIC);	/* all missing */
	CHECK_INT(ds->cols[2].missing, 3);
	/* Numbers then text: categorical, the numbers as they were written. */
	CHECK_INT(ds->cols[3].kind, STATS_CATEGORICAL);
	CHECK_STR(cat_of(ds, 3, 0), "1");
	CHECK_STR(cat_of(ds, 3, 1), "1.0");
	CHECK_STR(cat_of(ds, 3, 2), "z");
	CHECK_INT(dataset_column_index(ds, "m"), 2);
	CHECK_INT(dataset_column_index(ds, "id"), -1);
	dataset_free(ds);
	free(path);
}

static void
test_dataset_like_chunks(void)
{
	char *rp = put("r.csv", "x,c,label\n1,a,0\n2,b,1\n"), *cause = NULL;
	char *cp = put("c.csv", "c,x\nb,3\nq,\na,4\n");
	struct dataset *ref = dataset_load(rp, &cause), *chunk;
	struct dataset_reader *rd;
	size_t rows = 0, reads = 0;

	CHECK(ref != NULL);
	rd = dataset_open_like(cp, ref, "label", &cause);
	CHECK(rd != NULL);
	if (rd == NULL || ref == NULL)
		return;
	while (dataset_read(rd, 2, &chunk, &cause) == 1) {
		reads++;
		/* Columns in the reference's order, whatever the file's. */
		CHECK_STR(chunk->cols[0].name, "x");
		if (reads == 1) {
			CHECK(chunk->cols[0].num[0] == 3);
			CHECK(isnan(chunk->cols[0].num[1]));
			CHECK_STR(cat_of(chunk, 1, 1), "q");	/* new category */
			CHECK(isnan(chunk->cols[2].num[0]));	/* absent label */
			CHECK_INT(chunk->cols[2].missing, 2);
		}
		rows += chunk->nrows;
	}
	CHECK_INT(reads, 2);
	CHECK_INT(rows, 3);
	CHECK(cause == NULL);
	/* Shared dictionary: "b" has the reference's id. */
	CHECK(cat_dict_find(ref->cols[1].dict, "b") == 1);
	dataset_reader_close(rd);
	dataset_free(ref);
	free(rp);
	free(cp);
}

static void
test_dataset_json(void)
{
	char *path = put("r.json", "{\"task\": \"regression\", \"threshold\": 0.3,"
	    " \"segment_by\": \"g\", \"baseline\": {\"accuracy\": 0.9},"
	    " \"schema\": [{\"name\": \"z\", \"type\": \"categorical\"}],"
	    " \"rows\": [{\"id\": \"a\", \"features\": {\"z\": 10, \"v\": 1.5,"
	    " \"g\": \"n\"}, \"prediction\": 0.2, \"label\": 1},"
	    " {\"features\": {\"z\": \"x\", \"v\": null, \"g\": true},"
	    " \"prediction\": 0.7}]}"), *cause = NULL;
	struct dataset *ds = dataset_load(path, &cause);
	long z, v, g, p, l;

	CHECK(ds != NULL);
	if (ds == NULL)
		return;
	CHECK_STR(ds->task, "regression");
	CHECK(ds->threshold == 0.3 && ds->baseline_accuracy == 0.9);
	CHECK_STR(ds->segment_by, "g");
	z = dataset_column_index(ds, "z");
	v = dataset_column_index(ds, "v");
	g = dataset_column_index(ds, "g");
	p = dataset_column_index(ds, "prediction");
	l = dataset_column_index(ds, "label");
	CHECK(z == 0 && v >= 0 && g >= 0 && p >= 0 && l >= 0);
	CHECK_INT(ds->nrows, 2);
	CHECK_STR(cat_of(ds, (size_t)z, 0), "10");
	CHECK_INT(ds->cols[v].kind, STATS_NUMERIC);
	CHECK(isnan(ds->cols[v].num[1]));
	CHECK_INT(ds->cols[g].kind, STATS_CATEGORICAL);
	CHECK_STR(cat_of(ds, (size_t)g, 1), "true");
	CHECK(ds->cols[l].num[0] == 1 && isnan(ds->cols[l].num[1]));
	dataset_free(ds);
	free(path);
}

static void
check_error(const char *name, const char *data, const char *want)
{
	char *cause = load_error(name, data), what[512];

	if (cause == NULL || strstr(cause, want) == NULL) {
		snprintf(what, sizeof what, "%s: want \"%s\", got \"%s\"", name,
		    want, cause ? cause : "(no error)");
		th_fail(__FILE__, __LINE__, what);
	}
	free(cause);
}

static void
test_dataset_errors(void)
{
	char *cause = NULL, *rp, *cp;
	struct dataset *ref;

	check_error("e1.csv", "", "e1.csv: empty file: no header row");
	check_error("e2.csv", "a,b\n1,2\n3\n", "e2.csv:3: 1 fields, but the header has 2");
	check_error("e3.csv", "a,,b\n", "e3.csv:1: column 2 has no name");
	check_error("e4.csv", "a,b,a\n", "e4.csv:1: column 3: \"a\" named twice");
	check_error("e5.csv", "a,b\n1,2\n3,inf\n", "e5.csv:3: column 2 (\"b\"): infinite value");
	check_error("e6.csv", "a\n1\n\"x\n", "e6.csv:3: unterminated quoted field");
	check_error("e7.json", "{\"rows\": [1,\n 2,]}", "e7.json:2:");
	check_error("e8.json", "{\"rows\": 3}", "no \"rows\" array");
	check_error("e9.json", "[5]", "each row must be an object");
	check_error("e10.json", "[{\"features\": {\"a\": [1]}}]",
	    "rows[0].features.a: not a number or a string");
	check_error("e11.json", "{\"schema\": [{\"name\": \"a\"}], \"rows\": []}",
	    "schema: each entry needs");
	check_error("e12.json", "[{\"prediction\": -1e400}]",
	    "rows[0].prediction: infinite value");
	CHECK(dataset_load(tmpdir, &cause) == NULL);	/* a directory */
	CHECK(cause != NULL);
	free(cause);
	cause = NULL;
	CHECK(dataset_load("/nonexistent/f.csv", &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "No such file") != NULL);
	free(cause);
	cause = NULL;

	/* Reading like a reference. */
	rp = put("lr.csv", "x,c\n1,a\n");
	ref = dataset_load(rp, &cause);
	cp = put("l1.csv", "x,c,extra\n1,a,2\n");
	CHECK(dataset_load_like(cp, ref, NULL, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "column \"extra\" is not in the reference") != NULL);
	free(cause);
	free(cp);
	cause = NULL;
	cp = put("l2.csv", "x\n1\n");
	CHECK(dataset_load_like(cp, ref, NULL, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "column \"c\" of the reference") != NULL);
	free(cause);
	free(cp);
	cause = NULL;
	cp = put("l3.csv", "c,x\na,\nb,1x\n");
	CHECK(dataset_load_like(cp, ref, NULL, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "l3.csv:3: column 2 (\"x\"): not a number") != NULL);
	free(cause);
	free(cp);
	cause = NULL;
	cp = put("l4.json", "[{\"features\": {\"x\": \"s\", \"c\": \"a\"}}]");
	CHECK(dataset_load_like(cp, ref, NULL, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "rows[0].features.x: not a number") != NULL);
	free(cause);
	free(cp);
	cause = NULL;
	cp = put("l5.json", "[{\"features\": {\"x\": 1}}]");
	CHECK(dataset_load_like(cp, ref, NULL, &cause) == NULL);
	CHECK(cause != NULL && strstr(cause, "column \"c\" of the reference") != NULL);
	free(cause);
	free(cp);
	dataset_free(ref);
	free(rp);
}

static void
test_dataset_drift_options(void)
{
	unsigned which = 0;
	enum stats_method m = STATS_METHOD_PSI;
	char *cause = NULL;

	CHECK_INT(drift_parse_stats("psi,js,missing", &which, &cause), 0);
	CHECK_INT(which, STATS_PSI | STATS_JS);
	CHECK_INT(drift_parse_stats("all", &which, &cause), 0);
	CHECK_INT(which, DRIFT_ALL);
	CHECK_INT(drift_parse_stats("psi,", &which, &cause), -1);
	CHECK(cause != NULL && strstr(cause, "unknown statistic \"\"") != NULL);
	free(cause);
	cause = NULL;
	CHECK_INT(drift_parse_method("wasserstein", &m, &cause), 0);
	CHECK_INT(m, STATS_METHOD_WASSERSTEIN);
	CHECK_INT(drift_parse_method("KS", &m, &cause), -1);
	free(cause);
}

int
main(void)
{
	char cmd[64];

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_dataset_infer);
	RUN(test_dataset_like_chunks);
	RUN(test_dataset_json);
	RUN(test_dataset_errors);
	RUN(test_dataset_drift_options);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	(void)!system(cmd);
	return TEST_REPORT();
}
