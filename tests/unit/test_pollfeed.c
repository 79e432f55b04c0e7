/*
 * test_pollfeed: a version's feed without a host or a store: the
 * reference, a samples page and labels pages as the poller hands them
 * over.  Labels are joined in one batch; a page holding one label the
 * window refuses (null) still joins every other label, as the same labels
 * joined one by one do.
 */
#include "config/options.h"
#include "hosts/pollfeed.h"
#include "stats/status.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "testhelp.h"

#define NROWS 40

static const char reference[] =
    "{\"task\": \"binary_classification\", \"threshold\": 0.5,"
    " \"schema\": [{\"name\": \"x\", \"type\": \"numeric\"}],"
    " \"baseline\": {\"accuracy\": 0.9},"
    " \"rows\": [{\"id\": \"r1\", \"features\": {\"x\": 1}, \"prediction\": 0.2, \"label\": 0},"
    "           {\"id\": \"r2\", \"features\": {\"x\": 2}, \"prediction\": 0.7, \"label\": 1},"
    "           {\"id\": \"r3\", \"features\": {\"x\": 3}, \"prediction\": 0.9, \"label\": 1}]}";

static struct pfeed *
fed_feed(void)
{
	struct config_options opts;
	struct strbuf b = { 0 };
	struct pfeed *v;
	char *cause = NULL;
	int i;

	CHECK_INT(options_defaults(options_global, &opts, NULL), 0);
	v = pollfeed_new("h", "m", "1", NULL, &opts);
	CHECK_INT(pollfeed_reference(v, reference, sizeof reference - 1, &cause), 0);
	strbuf_adds(&b, "{\"more\": false, \"cursor\": \"c1\", \"rows\": [");
	for (i = 0; i < NROWS; i++)
		strbuf_addf(&b, "%s{\"id\": \"s%d\", \"ts\": %lld, \"features\": "
		    "{\"x\": %d}, \"prediction\": %s}", i ? "," : "", i,
		    (long long)timefmt_now_ms(), i % 7, i % 3 ? "0.8" : "0.1");
	strbuf_adds(&b, "]}");
	CHECK_INT(pollfeed_samples(v, b.s, b.len, &cause), 0);
	if (cause != NULL)
		printf("# %s\n", cause);
	free(cause);
	strbuf_free(&b);
	return v;
}

/* Labels for ids s0..s(n-1), label i%2, the one at bad as null. */
static int
labels_page(struct pfeed *v, int n, int bad, const char *extra)
{
	struct strbuf b = { 0 };
	char *cause = NULL;
	int i, rc;

	strbuf_adds(&b, "{\"more\": false, \"cursor\": \"l1\", \"labels\": [");
	for (i = 0; i < n; i++) {
		if (i == bad)
			strbuf_addf(&b, "%s{\"id\": \"s%d\", \"label\": null}",
			    i ? "," : "", i);
		else
			strbuf_addf(&b, "%s{\"id\": \"s%d\", \"label\": %d}",
			    i ? "," : "", i, i % 2);
	}
	strbuf_addf(&b, "%s]}", extra);
	rc = pollfeed_labels(v, b.s, b.len, &cause);
	if (cause != NULL)
		printf("# %s\n", cause);
	free(cause);
	strbuf_free(&b);
	return rc;
}

static void
figures(struct pfeed *v, struct poller_version_view *out)
{
	struct stats_thresholds t = stats_thresholds_default();

	pollfeed_figures(v, NULL, NULL, &t);
	pollfeed_view(v, out);
}

static void
test_batch_join(void)
{
	struct pfeed *a = fed_feed(), *b = fed_feed();
	struct poller_version_view va, vb;
	int i;

	/* a: one page of 30 labels; b: the same labels a page each. */
	CHECK_INT(labels_page(a, 30, -1, ""), 0);
	for (i = 1; i <= 30; i++)
		CHECK_INT(labels_page(b, i, -1, ""), 0);
	figures(a, &va);
	figures(b, &vb);
	CHECK(va.status != NULL && vb.status != NULL);
	if (va.status == NULL || vb.status == NULL)
		goto out;
	CHECK_INT(va.status->labels, 30);
	CHECK_INT(vb.status->labels, 30);
	CHECK_NEAR(va.status->accuracy, vb.status->accuracy, 0, 0);
	CHECK_INT(va.labels_seen, 30);
out:
	pollfeed_free(a);
	pollfeed_free(b);
}

static void
test_null_label_keeps_the_rest(void)
{
	struct pfeed *v = fed_feed();
	struct poller_version_view vv;

	/* 20 labels, the 7th null, plus 2 for ids the window never saw. */
	CHECK_INT(labels_page(v, 20, 6, ",{\"id\": \"gone-1\", \"label\": 1},"
	    "{\"id\": \"gone-2\", \"label\": 0}"), 0);
	figures(v, &vv);
	CHECK(vv.status != NULL);
	if (vv.status != NULL)
		CHECK_INT(vv.status->labels, 19);
	CHECK_INT(vv.labels_seen, 19);
	pollfeed_free(v);
}

int
main(void)
{
	RUN(test_batch_join);
	RUN(test_null_label_keeps_the_rest);
	return TEST_REPORT();
}
