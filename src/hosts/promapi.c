/*
 * promapi: the Prometheus HTTP API side of the metrics (see promapi.h).
 * Answers are read with cJSON; each sample of the instant vector goes
 * through prom_scrape_add exactly as a text-format line would, so sums over
 * extra labels (instance, job) and every limit are the same either way.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/promapi.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* Every recognised series, in one regular expression for __name__. */
static const enum prom_series all_series[] = {
	PROM_SERIES_REQUESTS, PROM_SERIES_BUCKET, PROM_SERIES_SUM,
	PROM_SERIES_COUNT, PROM_SERIES_KPI, PROM_SERIES_NV_SUCCESS,
	PROM_SERIES_NV_FAILURE, PROM_SERIES_NV_COUNT, PROM_SERIES_NV_DURATION,
};

/* A PromQL double-quoted string literal. */
static void
add_promql_string(struct strbuf *b, const char *s)
{
	strbuf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			strbuf_addc(b, '\\');
		if (*s == '\n')
			strbuf_adds(b, "\\n");
		else
			strbuf_addc(b, *s);
	}
	strbuf_addc(b, '"');
}

char *
promapi_model_selector(const char *model, const char *matchers)
{
	struct strbuf	b = { 0 };
	size_t		i;

	strbuf_adds(&b, "{__name__=~\"");
	for (i = 0; i < sizeof all_series / sizeof all_series[0]; i++) {
		strbuf_adds(&b, i ? "|" : "");
		strbuf_adds(&b, prom_series_name(all_series[i]));
	}
	strbuf_adds(&b, "\",model=");
	add_promql_string(&b, model);
	if (matchers != NULL && *matchers != '\0') {
		strbuf_addc(&b, ',');
		strbuf_adds(&b, matchers);
	}
	strbuf_addc(&b, '}');
	return (strbuf_take(&b));
}

char *
promapi_urlencode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf	b = { 0 };
	unsigned char	c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			strbuf_addc(&b, (char)c);
		else {
			strbuf_addc(&b, '%');
			strbuf_addc(&b, hex[c >> 4]);
			strbuf_addc(&b, hex[c & 15]);
		}
	}
	return (strbuf_take(&b));
}

char *
promapi_query_path(const char *promql)
{
	char	*q = promapi_urlencode(promql), *path;

	path = xasprintf("/api/v1/query?query=%s", q);
	free(q);
	return (path);
}

static const char *
label(const cJSON *metric, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(metric, name);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* The label that keys a series (code, le, kpi), or NULL. */
static const char *
key_label(enum prom_series series)
{
	switch (series) {
	case PROM_SERIES_REQUESTS:
		return ("code");
	case PROM_SERIES_BUCKET:
		return ("le");
	case PROM_SERIES_KPI:
		return ("kpi");
	default:
		return (NULL);
	}
}

/* One element of data.result: {"metric": {...}, "value": [ts, "v"]}. */
static int
add_result(struct prom_scrape *s, const cJSON *e, size_t i, char **cause)
{
	const cJSON		*metric, *value, *ts, *v;
	const char		*name, *model, *key = "", *kl;
	enum prom_series	 series;
	double			 d, ms;

	metric = cJSON_GetObjectItemCaseSensitive(e, "metric");
	value = cJSON_GetObjectItemCaseSensitive(e, "value");
	if (!cJSON_IsObject(metric))
		return (xcause(cause, "prometheus: data.result[%zu].metric: "
		    "expected an object", i));
	if (!cJSON_IsArray(value) || cJSON_GetArraySize(value) != 2 ||
	    !cJSON_IsNumber(ts = cJSON_GetArrayItem(value, 0)) ||
	    !cJSON_IsString(v = cJSON_GetArrayItem(value, 1)) ||
	    prom_parse_float(v->valuestring, strlen(v->valuestring), &d) != 0)
		return (xcause(cause, "prometheus: data.result[%zu].value: "
		    "expected [time, \"number\"]", i));
	if ((name = label(metric, "__name__")) == NULL ||
	    (series = prom_series_of(name, strlen(name))) == PROM_SERIES_NONE ||
	    (model = label(metric, "model")) == NULL)
		return (0);
	if ((kl = key_label(series)) != NULL && (key = label(metric, kl)) == NULL)
		return (0);
	if (strlen(model) > PROM_MAX_LABEL_VALUE || strlen(key) >
	    PROM_MAX_LABEL_VALUE)
		return (xcause(cause, "prometheus: data.result[%zu]: label "
		    "value longer than %d bytes", i, PROM_MAX_LABEL_VALUE));
	s->samples++;
	/* A time beyond int64 milliseconds is no time: keep 0. */
	ms = ts->valuedouble * 1000;
	return (prom_scrape_add(s, series, model, label(metric, "version"), key,
	    d, fabs(ms) < 9e18 ? (int64_t)ms : 0, cause));
}

static int
check_status(const cJSON *root, char **cause)
{
	const cJSON	*status, *type, *error;

	if (!cJSON_IsObject(root))
		return (xcause(cause, "prometheus: expected a JSON object"));
	status = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (cJSON_IsString(status) && strcmp(status->valuestring, "success") == 0)
		return (0);
	type = cJSON_GetObjectItemCaseSensitive(root, "errorType");
	error = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (cJSON_IsString(status) && strcmp(status->valuestring, "error") == 0)
		return (xcause(cause, "prometheus: %.100s: %.1000s",
		    cJSON_IsString(type) ? type->valuestring : "error",
		    cJSON_IsString(error) ? error->valuestring :
		    "(no message)"));
	return (xcause(cause, "prometheus: status: expected \"success\" or "
	    "\"error\""));
}

int
promapi_parse(const char *buf, size_t len, struct prom_scrape *s,
    char **cause)
{
	cJSON		*root;
	const cJSON	*data, *type, *result, *e;
	size_t		 i = 0;
	int		 r = -1;

	if (buf == NULL || len == 0)
		return (xcause(cause, "prometheus: empty answer"));
	if ((root = cJSON_ParseWithLength(buf, len)) == NULL)
		return (xcause(cause, "prometheus: invalid JSON"));
	if (check_status(root, cause) != 0)
		goto out;
	data = cJSON_GetObjectItemCaseSensitive(root, "data");
	type = cJSON_GetObjectItemCaseSensitive(data, "resultType");
	result = cJSON_GetObjectItemCaseSensitive(data, "result");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "vector") != 0) {
		xcause(cause, "prometheus: data.resultType: expected \"vector\"");
		goto out;
	}
	if (!cJSON_IsArray(result)) {
		xcause(cause, "prometheus: data.result: expected an array");
		goto out;
	}
	cJSON_ArrayForEach(e, result) {
		if (add_result(s, e, i++, cause) != 0)
			goto out;
	}
	prom_scrape_finish(s);
	r = 0;
out:
	cJSON_Delete(root);
	return (r);
}
