/* Unit tests for src/hosts/contract.c: OIP v2 and /ops/v1 JSON bodies. */
#include <stdint.h>

#include "testhelp.h"
#include "hosts/contract.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define LEN(s) strlen(s)
/* A string literal and its length (which may include NUL bytes). */
#define P(lit) lit, (sizeof lit - 1)

/* Expect failure with exactly this cause; out must be left empty. */
#define CHECK_CAUSE(call, want) do {					\
	char *cause_ = NULL;						\
	CHECK_INT((call), -1);						\
	CHECK_STR(cause_, want);					\
	free(cause_);							\
} while (0)

static void
test_model_meta(void)
{
	static const char body[] = "{\"name\": \"credit-risk\", \"versions\": "
	    "[\"6\", \"7\"], \"platform\": \"onnxruntime_onnx\", \"extra\": {\"x\": [1]},"
	    " \"inputs\": [{\"name\": \"income\", \"datatype\": \"FP32\", "
	    "\"shape\": [-1, 1]}], \"outputs\": [{\"name\": \"p\", \"datatype\": "
	    "\"FP32\", \"shape\": [-1]}]}";
	struct contract_model_meta m;

	CHECK_INT(contract_parse_model_meta(body, LEN(body), &m, NULL), 0);
	CHECK_STR(m.name, "credit-risk");
	CHECK_STR(m.platform, "onnxruntime_onnx");
	CHECK_INT(m.nversions, 2);
	CHECK_STR(m.versions[1], "7");
	CHECK_INT(m.ninputs, 1);
	CHECK_STR(m.inputs[0].datatype, "FP32");
	CHECK_INT(m.inputs[0].nshape, 2);
	CHECK_INT(m.inputs[0].shape[0], -1);
	CHECK_STR(m.outputs[0].name, "p");
	contract_model_meta_free(&m);
	CHECK(m.name == NULL);

	CHECK_INT(contract_parse_model_meta(P("{\"name\":\"a\"}"), &m, NULL), 0);
	CHECK(m.nversions == 0 && m.ninputs == 0 && strcmp(m.platform, "") == 0);
	contract_model_meta_free(&m);

	CHECK_CAUSE(contract_parse_model_meta(P("{\"versions\":[]}"), &m,
	    &cause_), "name: missing");
	CHECK(m.name == NULL && m.versions == NULL);
	CHECK_CAUSE(contract_parse_model_meta(P("{\"name\":5}"), &m, &cause_),
	    "name: expected a string, not a number");
	CHECK_CAUSE(contract_parse_model_meta(P("{\"name\":\"a\",\"versions\":[\"1\",2]}"),
	    &m, &cause_),
	    "versions[1]: expected a string, not a number");
	CHECK_CAUSE(contract_parse_model_meta(P("{\"name\":\"a\",\"inputs\":[{\"name\":"
	    "\"x\",\"shape\":[1,-2]}]}"), &m, &cause_),
	    "inputs[0].shape[1]: expected an integer >= -1");
	CHECK_CAUSE(contract_parse_model_meta(P("{\"name\":\"a\",\"outputs\":{}}"),
	    &m, &cause_),
	    "outputs: expected an array, not an object");
	CHECK_CAUSE(contract_parse_model_meta(P("[]"), &m, &cause_),
	    "(body): expected an object, not an array");
}

static void
test_repo_index(void)
{
	static const char body[] = "[{\"name\":\"a\",\"version\":\"1\",\"state\":"
	    "\"READY\"},{\"name\":\"a\",\"version\":2,\"state\":\"UNAVAILABLE\","
	    "\"reason\":\"unloaded\"},{\"name\":\"b\",\"state\":\"LOADING\"},"
	    "{\"name\":\"c\",\"state\":\"WEIRD\"}]";
	struct contract_repo_index r;

	CHECK_INT(contract_parse_repo_index(body, LEN(body), &r, NULL), 0);
	CHECK_INT(r.n, 4);
	CHECK_INT(r.v[0].state, CONTRACT_REPO_READY);
	CHECK_STR(r.v[1].version, "2");
	CHECK_STR(r.v[1].reason, "unloaded");
	CHECK_INT(r.v[1].state, CONTRACT_REPO_UNAVAILABLE);
	CHECK_STR(r.v[2].version, "");
	CHECK_INT(r.v[2].state, CONTRACT_REPO_LOADING);
	CHECK_INT(r.v[3].state, CONTRACT_REPO_UNKNOWN);
	contract_repo_index_free(&r);
	CHECK_CAUSE(contract_parse_repo_index(P("{}"), &r, &cause_),
	    "(body): expected an array, not an object");
	CHECK_CAUSE(contract_parse_repo_index(P("[{\"name\":\"a\"},{\"state\":"
	    "\"READY\"}]"), &r, &cause_), "[1].name: missing");
	CHECK_CAUSE(contract_parse_repo_index(P("[{\"name\":\"a\",\"version\":1.5}]"),
	    &r, &cause_),
	    "[0].version: expected a string or an integer");
	CHECK(r.v == NULL && r.n == 0);
}

static const char deployments_body[] =
    "{\"host\": \"serving-eu-1\",\n"
    " \"deployments\": [\n"
    "  {\"model\": \"credit-risk\", \"version\": \"6\", \"stage\": \"full\",   \"traffic_percent\": 90, \"since\": \"2026-11-01T09:00:00Z\"},\n"
    "  {\"model\": \"credit-risk\", \"version\": \"7\", \"stage\": \"canary\", \"traffic_percent\": 10, \"since\": \"2026-11-20T10:00:00Z\"},\n"
    "  {\"model\": \"credit-risk\", \"version\": 8, \"stage\": \"shadow\", \"traffic_percent\": 0,  \"since\": 1795250000000}]}";

static void
test_deployments(void)
{
	struct contract_deployments d;

	CHECK_INT(contract_parse_deployments(deployments_body,
	    LEN(deployments_body), &d, NULL), 0);
	CHECK_STR(d.host, "serving-eu-1");
	CHECK_INT(d.n, 3);
	CHECK_INT(d.v[0].stage, CONTRACT_STAGE_FULL);
	CHECK(d.v[0].traffic_percent == 90);
	/* 2026-11-01T09:00:00Z: date -u -d ... +%s gives 1793523600. */
	CHECK_INT(d.v[0].since_ms, 1793523600000LL);
	CHECK_INT(d.v[1].stage, CONTRACT_STAGE_CANARY);
	CHECK_STR(d.v[2].version, "8");
	CHECK_INT(d.v[2].since_ms, 1795250000000LL);
	CHECK_STR(contract_stage_name(d.v[2].stage), "shadow");
	contract_deployments_free(&d);

	CHECK_CAUSE(contract_parse_deployments(P("{\"deployments\":[{\"model\":"
	    "\"a\",\"version\":\"1\",\"stage\":\"live\"}]}"), &d, &cause_),
	    "deployments[0].stage: expected \"shadow\", \"canary\", \"full\" or "
	    "\"retired\"");
	CHECK_CAUSE(contract_parse_deployments(P("{\"deployments\":[{\"model\":"
	    "\"a\",\"version\":\"1\",\"stage\":\"full\",\"traffic_percent\":150}]}"),
	    &d, &cause_),
	    "deployments[0].traffic_percent: expected a "
	    "number from 0 to 100");
	CHECK_CAUSE(contract_parse_deployments(P("{\"deployments\":[{\"model\":"
	    "\"a\",\"stage\":\"full\"}]}"), &d, &cause_),
	    "deployments[0].version: missing");
	CHECK_CAUSE(contract_parse_deployments(P("{\"deployments\":[{\"model\":"
	    "\"a\",\"version\":\"1\"}]}"), &d, &cause_),
	    "deployments[0].stage: missing");
	CHECK_CAUSE(contract_parse_deployments(P("{\"deployments\":[{\"model\":"
	    "\"a\",\"version\":\"1\",\"stage\":\"full\",\"since\":\"yesterday\"}]}"),
	    &d, &cause_),
	    "deployments[0].since: expected milliseconds "
	    "since the epoch or an RFC 3339 time");
	CHECK_CAUSE(contract_parse_deployments(P("{\"host\":\"x\"}"), &d,
	    &cause_), "deployments: missing");
	CHECK_CAUSE(contract_parse_deployments(P("{\"deployments\":[7]}"), &d,
	    &cause_), "deployments[0]: expected an object, not a number");
	CHECK(d.v == NULL && d.host == NULL);
	CHECK_INT(contract_stage_from_name("retired"), CONTRACT_STAGE_RETIRED);
	CHECK_INT(contract_stage_from_name("Retired"), -1);
}

static const char reference_body[] =
    "{\"task\": \"binary_classification\", \"positive_label\": 1, \"threshold\": 0.6,\n"
    " \"schema\": [{\"name\": \"income\", \"type\": \"numeric\"},\n"
    "            {\"name\": \"region\", \"type\": \"categorical\"},\n"
    "            {\"name\": \"age\", \"type\": \"numeric\"}],\n"
    " \"baseline\": {\"accuracy\": 0.912, \"roc_auc\": 0.874},\n"
    " \"segment_by\": \"region\",\n"
    " \"importance\": {\"income\": 0.41, \"region\": 0.07, \"gone\": 1},\n"
    " \"rows\": [\n"
    "  {\"id\": \"t-1\", \"features\": {\"income\": 52000.5, \"region\": \"north\", \"age\": 41}, \"prediction\": 0.13, \"label\": 0},\n"
    "  {\"id\": \"t-2\", \"features\": {\"region\": \"south\", \"income\": null, \"other\": [1]}, \"prediction\": 0.81, \"label\": 1},\n"
    "  {\"id\": 3, \"features\": {\"income\": 1e5, \"region\": \"north\", \"age\": null}, \"prediction\": 0.5, \"label\": null},\n"
    "  {\"id\": \"t-4\", \"features\": {\"region\": 3, \"age\": 30}, \"prediction\": 0.2}]}";

static void
test_reference(void)
{
	struct contract_reference r;
	struct contract_rows	*w = &r.rows;

	CHECK_INT(contract_parse_reference(reference_body, LEN(reference_body),
	    &r, NULL), 0);
	CHECK_INT(r.task.kind, CONTRACT_TASK_BINARY);
	CHECK(r.task.threshold == 0.6 && r.task.positive_num == 1);
	CHECK(r.task.positive_str == NULL);
	CHECK_INT(r.nfeatures, 3);
	CHECK_INT(r.schema[1].kind, CONTRACT_CATEGORICAL);
	CHECK(r.schema[0].importance == 0.41 && r.schema[1].importance == 0.07);
	CHECK(isnan(r.schema[2].importance));
	CHECK_INT(r.nbaseline, 2);
	CHECK_STR(r.baseline[1].name, "roc_auc");
	CHECK(r.baseline[0].value == 0.912);
	CHECK_STR(r.segment_by, "region");
	CHECK_INT(r.segment_index, 1);
	CHECK_INT(w->n, 4);
	CHECK_STR(w->id[2], "3");
	CHECK(w->cols[0].num != NULL && w->cols[0].cat == NULL);
	CHECK(w->cols[1].cat != NULL && w->cols[1].num == NULL);
	CHECK(w->cols[0].num[0] == 52000.5 && isnan(w->cols[0].num[1]));
	CHECK(w->cols[0].num[2] == 1e5 && isnan(w->cols[0].num[3]));
	CHECK(w->cols[2].num[0] == 41 && isnan(w->cols[2].num[2]));
	CHECK_STR(w->cols[1].cat[0], "north");
	CHECK_STR(w->cols[1].cat[3], "3");
	/* Interned: the same pointer for the same category. */
	CHECK(w->cols[1].cat[0] == w->cols[1].cat[2]);
	CHECK(w->prediction[1] == 0.81);
	CHECK(w->label[0] == 0 && w->label[1] == 1);
	CHECK(isnan(w->label[2]) && isnan(w->label[3]));
	CHECK_INT(contract_reference_feature(&r, "age"), 2);
	CHECK_INT(contract_reference_feature(&r, "gone"), -1);
	contract_reference_free(&r);
	CHECK(r.schema == NULL && r.rows.n == 0);
}

static void
test_reference_labels_as_strings(void)
{
	static const char body[] = "{\"task\":\"binary_classification\","
	    "\"positive_label\":\"fraud\",\"schema\":[{\"name\":\"x\",\"type\":"
	    "\"numeric\"}],\"rows\":[{\"id\":\"a\",\"features\":{\"x\":1},"
	    "\"prediction\":0.9,\"label\":\"fraud\"},{\"id\":\"b\",\"features\":"
	    "{},\"prediction\":0.1,\"label\":\"ok\"},{\"id\":\"c\",\"features\":"
	    "{},\"label\":1}]}";
	static const char reg[] = "{\"task\":\"regression\",\"schema\":[{\"name\":"
	    "\"x\",\"type\":\"numeric\"}],\"rows\":[{\"id\":\"a\",\"features\":"
	    "{\"x\":2},\"prediction\":10.5,\"label\":12.25}]}";
	struct contract_reference r;

	CHECK_INT(contract_parse_reference(body, LEN(body), &r, NULL), 0);
	CHECK_STR(r.task.positive_str, "fraud");
	CHECK(r.rows.label[0] == 1 && r.rows.label[1] == 0);
	CHECK(r.rows.label[2] == 0);
	CHECK(isnan(r.rows.prediction[2]));
	CHECK(r.segment_by == NULL && r.segment_index == -1);
	contract_reference_free(&r);
	CHECK_INT(contract_parse_reference(reg, LEN(reg), &r, NULL), 0);
	CHECK_INT(r.task.kind, CONTRACT_TASK_REGRESSION);
	CHECK(r.rows.label[0] == 12.25 && r.rows.prediction[0] == 10.5);
	contract_reference_free(&r);
}

static const struct {
	const char	*body;
	const char	*cause;
} bad_references[] = {
	{ "{\"schema\":[],\"rows\":[]}", "task: missing" },
	{ "{\"task\":\"ranking\",\"schema\":[],\"rows\":[]}",
	  "task: expected \"binary_classification\" or \"regression\"" },
	{ "{\"task\":\"regression\",\"rows\":[]}", "schema: missing" },
	{ "{\"task\":\"regression\",\"schema\":[{\"name\":\"a\",\"type\":\"text\"}],"
	  "\"rows\":[]}", "schema[0].type: expected \"numeric\" or \"categorical\"" },
	{ "{\"task\":\"regression\",\"schema\":[{\"name\":\"a\",\"type\":\"numeric\"},"
	  "{\"name\":\"a\",\"type\":\"numeric\"}],\"rows\":[]}",
	  "schema[1].name: feature \"a\" named twice" },
	{ "{\"task\":\"regression\",\"schema\":[{\"type\":\"numeric\"}],\"rows\":[]}",
	  "schema[0].name: missing" },
	{ "{\"task\":\"regression\",\"schema\":[],\"segment_by\":\"z\",\"rows\":[]}",
	  "segment_by: no feature named \"z\" in the schema" },
	{ "{\"task\":\"regression\",\"schema\":[],\"baseline\":{\"mae\":\"low\"},"
	  "\"rows\":[]}", "baseline.mae: expected a number" },
	{ "{\"task\":\"regression\",\"schema\":[{\"name\":\"a\",\"type\":\"numeric\"}],"
	  "\"importance\":{\"a\":-1},\"rows\":[]}",
	  "importance.a: expected a non-negative number" },
	{ "{\"task\":\"regression\",\"threshold\":\"high\",\"schema\":[],\"rows\":[]}",
	  "threshold: expected a number, not a string" },
	{ "{\"task\":\"binary_classification\",\"positive_label\":[1],\"schema\":[],"
	  "\"rows\":[]}", "positive_label: expected a number, string or boolean" },
	{ "{\"task\":\"regression\",\"schema\":[]}", "rows: missing" },
	{ "{\"task\":\"regression\",\"schema\":[{\"name\":\"income\",\"type\":"
	  "\"numeric\"}],\"rows\":[{\"id\":\"a\",\"features\":{}},{\"id\":\"b\","
	  "\"features\":{}},{\"id\":\"c\",\"features\":{}},{\"id\":\"d\",\"features\":"
	  "{\"income\":\"52k\"}}]}", "rows[3].features.income: expected number or null" },
	{ "{\"task\":\"regression\",\"schema\":[{\"name\":\"r\",\"type\":"
	  "\"categorical\"}],\"rows\":[{\"id\":\"a\",\"features\":{\"r\":{}}}]}",
	  "rows[0].features.r: expected string, number or null (at most 4096 bytes)" },
	{ "{\"task\":\"regression\",\"schema\":[],\"rows\":[{\"features\":{}}]}",
	  "rows[0].id: missing" },
	{ "{\"task\":\"regression\",\"schema\":[],\"rows\":[{\"id\":\"a\"}]}",
	  "rows[0].features: missing" },
	{ "{\"task\":\"regression\",\"schema\":[],\"rows\":[{\"id\":\"a\","
	  "\"features\":[]}]}", "rows[0].features: expected an object, not an array" },
	{ "{\"task\":\"regression\",\"schema\":[],\"rows\":[{\"id\":\"a\","
	  "\"features\":{},\"prediction\":\"yes\"}]}",
	  "rows[0].prediction: expected a number, not a string" },
	{ "{\"task\":\"regression\",\"schema\":[],\"rows\":[{\"id\":\"a\","
	  "\"features\":{},\"label\":\"high\"}]}",
	  "rows[0].label: expected a number or null" },
	{ "{\"task\":\"binary_classification\",\"schema\":[],\"rows\":[{\"id\":\"a\","
	  "\"features\":{},\"label\":{}}]}",
	  "rows[0].label: expected a number, string or boolean or null" },
	{ "{\"task\":\"regression\",\"schema\":[],\"rows\":{}}",
	  "rows: expected an array, not an object" },
	{ "{\"task\":\"regression\",\"schema\":[],\"rows\":[]} x",
	  "invalid JSON at byte 44: data after the value" },
	{ "{\"task\":\"regression\",", "invalid JSON at byte 20" },
	{ "", "empty body, expected JSON" },
};

static void
test_reference_errors(void)
{
	struct contract_reference r;
	size_t			  i;

	for (i = 0; i < sizeof bad_references / sizeof bad_references[0]; i++) {
		char *cause = NULL;

		CHECK_INT(contract_parse_reference(bad_references[i].body,
		    LEN(bad_references[i].body), &r, &cause), -1);
		CHECK_STR(cause, bad_references[i].cause);
		CHECK(r.schema == NULL && r.rows.n == 0 && r.rows.id == NULL);
		free(cause);
	}
}

static void
test_long_strings(void)
{
	struct strbuf	b = { 0 };
	struct contract_deployments d;
	struct contract_reference r;
	char		*cause = NULL;
	int		 i;

	strbuf_adds(&b, "{\"deployments\":[{\"model\":\"");
	for (i = 0; i <= CONTRACT_MAX_STRING; i++)
		strbuf_addc(&b, 'm');
	strbuf_adds(&b, "\",\"version\":\"1\",\"stage\":\"full\"}]}");
	CHECK_INT(contract_parse_deployments(b.s, b.len, &d, &cause), -1);
	CHECK_STR(cause, "deployments[0].model: longer than 4096 bytes");
	free(cause);
	strbuf_reset(&b);
	strbuf_adds(&b, "{\"task\":\"regression\",\"schema\":[");
	for (i = 0; i <= CONTRACT_MAX_FEATURES; i++)
		strbuf_addf(&b, "%s{\"name\":\"f%d\",\"type\":\"numeric\"}",
		    i ? "," : "", i);
	strbuf_adds(&b, "],\"rows\":[]}");
	CHECK_INT(contract_parse_reference(b.s, b.len, &r, &cause), -1);
	CHECK_STR(cause, "schema: more than 4096 entries");
	free(cause);
	strbuf_free(&b);
}

static void
test_samples(void)
{
	static const char page[] =
	    "{\"cursor\": \"184467\", \"more\": true,\n"
	    " \"rows\": [{\"id\": \"r-1001\", \"ts\": 1763800000123,\n"
	    "           \"features\": {\"income\": 61000.0, \"region\": \"south\"}, \"prediction\": 0.71},\n"
	    "          {\"id\": \"r-1002\", \"ts\": \"2025-11-22T08:26:40.5Z\",\n"
	    "           \"features\": {\"age\": 22, \"region\": \"south\", \"income\": null, \"new_feature\": 3}, \"prediction\": 0.2},\n"
	    "          {\"id\": \"r-1003\", \"features\": {\"region\": true, \"income\": -1.5e-3}, \"prediction\": null, \"label\": 1}]}";
	struct contract_reference r;
	struct contract_samples	  s;

	CHECK_INT(contract_parse_reference(reference_body, LEN(reference_body),
	    &r, NULL), 0);
	CHECK_INT(contract_parse_samples(page, LEN(page), &r, &s, NULL), 0);
	CHECK_STR(s.cursor, "184467");
	CHECK_INT(s.more, 1);
	CHECK_INT(s.rows.n, 3);
	CHECK_INT(s.rows.nfeatures, 3);
	CHECK(s.rows.label == NULL);
	CHECK_INT(s.rows.ts_ms[0], 1763800000123LL);
	CHECK_INT(s.rows.ts_ms[1], 1763800000500LL);
	CHECK_INT(s.rows.ts_ms[2], 0);
	CHECK(s.rows.cols[0].num[0] == 61000 && isnan(s.rows.cols[0].num[1]));
	CHECK(s.rows.cols[0].num[2] == -1.5e-3);
	CHECK(isnan(s.rows.cols[2].num[0]) && s.rows.cols[2].num[1] == 22);
	CHECK_STR(s.rows.cols[1].cat[2], "true");
	CHECK(s.rows.cols[1].cat[0] == s.rows.cols[1].cat[1]);
	CHECK(isnan(s.rows.prediction[2]));
	contract_samples_free(&s);

	CHECK_INT(contract_parse_samples(P("{\"cursor\":42,\"rows\":[]}"), &r,
	    &s, NULL), 0);
	CHECK_STR(s.cursor, "42");
	CHECK_INT(s.more, 0);
	CHECK_INT(s.rows.n, 0);
	contract_samples_free(&s);
	CHECK_INT(contract_parse_samples(P("{\"cursor\":null,\"rows\":[]}"), &r,
	    &s, NULL), 0);
	CHECK_STR(s.cursor, "");
	contract_samples_free(&s);
	CHECK_CAUSE(contract_parse_samples(P("{\"more\":\"no\",\"rows\":[]}"),
	    &r, &s, &cause_), "more: expected true or false, not a string");
	CHECK_CAUSE(contract_parse_samples(P("{\"rows\":[{\"id\":\"a\",\"ts\":true,"
	    "\"features\":{}}]}"), &r, &s, &cause_), "rows[0].ts: expected "
	    "milliseconds since the epoch or an RFC 3339 time");
	CHECK_CAUSE(contract_parse_samples(P("{\"rows\":[{\"id\":\"a\",\"features\":"
	    "{\"age\":\"old\"}}]}"), &r, &s, &cause_),
	    "rows[0].features.age: expected number or null");
	CHECK(s.cursor == NULL && s.rows.id == NULL);
	contract_reference_free(&r);
}

static void
test_labels(void)
{
	static const char page[] = "{\"cursor\": \"9921\", \"more\": false, "
	    "\"labels\": [{\"id\": \"r-1001\", \"label\": 1, \"ts\": 1763803600000},"
	    " {\"id\": \"r-1002\", \"label\": \"yes\"}, {\"id\": \"r-1003\", "
	    "\"label\": \"no\"}, {\"id\": \"r-1004\", \"label\": null}]}";
	struct contract_task	task = { CONTRACT_TASK_BINARY, 0.5, 1, NULL };
	struct contract_labels	l;

	CHECK_INT(contract_parse_labels(page, LEN(page), &task, &l, NULL), 0);
	CHECK_INT(l.n, 4);
	CHECK_STR(l.cursor, "9921");
	CHECK(l.v[0].label == 1 && l.v[1].label == 0 && l.v[2].label == 0);
	CHECK(isnan(l.v[3].label));
	CHECK_INT(l.v[0].ts_ms, 1763803600000LL);
	contract_labels_free(&l);
	task.positive_str = "yes";
	CHECK_INT(contract_parse_labels(page, LEN(page), &task, &l, NULL), 0);
	CHECK(l.v[0].label == 0 && l.v[1].label == 1 && l.v[2].label == 0);
	contract_labels_free(&l);
	CHECK_CAUSE(contract_parse_labels(page, LEN(page), NULL, &l, &cause_),
	    "labels[1].label: expected a number or null");
	CHECK(l.v == NULL && l.n == 0 && l.cursor == NULL);
	CHECK_CAUSE(contract_parse_labels(P("{\"labels\":[{\"id\":\"a\"}]}"),
	    NULL, &l, &cause_), "labels[0].label: missing");
	CHECK_CAUSE(contract_parse_labels(P("{\"cursor\":\"1\"}"), NULL, &l,
	    &cause_), "labels: missing");
	CHECK_CAUSE(contract_parse_labels(P("{\"labels\":[{\"id\":[],\"label\":1}]}"), NULL, &l, &cause_), "labels[0].id: expected a string, not an array");
}

static void
test_action_and_error(void)
{
	static const char answer[] = "{\"request_id\": \"6f1c-uuid\", \"status\": "
	    "\"applied\", \"deployments\": [{\"model\": \"credit-risk\", \"version\":"
	    " \"7\", \"stage\": \"canary\", \"traffic_percent\": 25}]}";
	struct contract_action_answer a;
	char			*msg;

	CHECK_INT(contract_parse_action_answer(answer, LEN(answer), &a, NULL), 0);
	CHECK_STR(a.request_id, "6f1c-uuid");
	CHECK_STR(a.status, "applied");
	CHECK_INT(a.deployments.n, 1);
	CHECK(a.deployments.v[0].traffic_percent == 25);
	contract_action_answer_free(&a);
	CHECK_INT(contract_parse_action_answer(P("{\"request_id\":\"x\",\"status\":"
	    "\"applied\"}"), &a, NULL), 0);
	CHECK_INT(a.deployments.n, 0);
	contract_action_answer_free(&a);
	CHECK_CAUSE(contract_parse_action_answer(P("{\"status\":\"applied\"}"),
	    &a, &cause_), "request_id: missing");

	msg = contract_error_message(P("{\"error\": \"no older version\"}"));
	CHECK_STR(msg, "no older version");
	free(msg);
	CHECK(contract_error_message(P("{\"error\": 5}")) == NULL);
	CHECK(contract_error_message(P("<html>502</html>")) == NULL);
	CHECK(contract_error_message(P("[\"error\"]")) == NULL);
	CHECK(contract_error_message(NULL, 0) == NULL);
}

/* Deep nesting and odd bytes: a clear error, never a crash. */
static void
test_hostile(void)
{
	struct strbuf		b = { 0 };
	struct contract_deployments d;
	char			*cause = NULL;
	int			 i;

	for (i = 0; i < 100000; i++)
		strbuf_addc(&b, '[');
	CHECK_INT(contract_parse_deployments(b.s, b.len, &d, &cause), -1);
	CHECK(cause != NULL && strncmp(cause, P("invalid JSON at byte")) == 0);
	free(cause);
	CHECK_INT(contract_parse_deployments(P("{\"deployments\":[]}\0garbage"),
	    &d, &cause), -1);
	CHECK_STR(cause, "invalid JSON at byte 18: data after the value");
	free(cause);
	CHECK_INT(contract_parse_deployments(P(" {\"deployments\":[]}\r\n"), &d,
	    NULL), 0);
	contract_deployments_free(&d);
	strbuf_free(&b);
}

int
main(void)
{
	RUN(test_model_meta);
	RUN(test_repo_index);
	RUN(test_deployments);
	RUN(test_reference);
	RUN(test_reference_labels_as_strings);
	RUN(test_reference_errors);
	RUN(test_long_strings);
	RUN(test_samples);
	RUN(test_labels);
	RUN(test_action_and_error);
	RUN(test_hostile);
	return TEST_REPORT();
}
