/*
 * options: the settings table and the one parser that applies it (see
 * options.h).  Adding a setting is one row here plus one field in its
 * struct; the docs and `config check` follow from the row.
 */
#include "config/options.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/thresholds.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define SEC	1000.0
#define MIN	(60 * SEC)
#define DAY	(86400 * SEC)
#define KIB	1024.0
#define GIB	(1024.0 * 1024.0 * 1024.0)

#define G(field) offsetof(struct config_options, field)
#define T(field) offsetof(struct stats_thresholds, field)

const struct options_entry options_global[] = {
	{ "poll_seconds", OPTIONS_INT, "10", 1, 86400, "seconds", NULL,
	  G(poll_seconds), "Seconds between two polls of a host (a host's "
	  "own poll_seconds wins)." },
	{ "connect_timeout", OPTIONS_DURATION, "\"2s\"", 100, 60 * SEC,
	  "duration", NULL, G(connect_timeout_ms),
	  "Longest wait for a TCP and TLS connection to a host." },
	{ "timeout", OPTIONS_DURATION, "\"10s\"", SEC, 600 * SEC, "duration",
	  NULL, G(timeout_ms), "Longest wait for one whole request, body included." },
	{ "max_body", OPTIONS_BYTES, "\"64MiB\"", KIB, 4 * GIB, "bytes", NULL,
	  G(max_body), "Largest response body accepted; a longer one is cut "
	  "off and the request fails." },
	{ "window_rows", OPTIONS_INT, "50000", 100, 10000000, "rows", NULL,
	  G(window_rows), "Rows of live predictions kept per model version "
	  "for drift and accuracy." },
	{ "window_max_age", OPTIONS_DURATION, "\"7d\"", MIN, 365 * DAY,
	  "duration", NULL, G(window_max_age_ms),
	  "Rows older than this leave a version's live window." },
	{ "retry_max", OPTIONS_INT, "2", 0, 10, "retries", NULL, G(retry_max),
	  "Retries of a failed request within one poll cycle." },
	{ "backoff_initial", OPTIONS_DURATION, "\"1s\"", 100, 3600 * SEC,
	  "duration", NULL, G(backoff_initial_ms),
	  "First wait before polling a failing host again; doubled per failure." },
	{ "backoff_max", OPTIONS_DURATION, "\"5m\"", SEC, DAY, "duration", NULL,
	  G(backoff_max_ms), "Longest wait between two polls of a failing host." },
	{ "page_limit", OPTIONS_INT, "1000", 1, 100000, "rows", NULL,
	  G(page_limit), "Rows asked for per page of samples or labels." },
	{ NULL, 0, NULL, 0, 0, NULL, NULL, 0, NULL }
};

/* In the order of enum stats_method. */
static const char *const method_names[] = { "psi", "js", "ks", "wasserstein",
	NULL };

const struct options_entry options_thresholds[] = {
	{ "method", OPTIONS_CHOICE, "\"psi\"", 0, 0, NULL, method_names,
	  T(method), "Drift measure: psi (PSI), js (Jensen-Shannon distance), "
	  "ks (KS / chi-square p-value) or wasserstein (normed Wasserstein)." },
	{ "psi_warn", OPTIONS_DOUBLE, "0.1", 0, 10, NULL, NULL, T(psi_warn),
	  "A feature's PSI at or above this is warn." },
	{ "psi_alert", OPTIONS_DOUBLE, "0.25", 0, 10, NULL, NULL, T(psi_alert),
	  "A feature's PSI at or above this is alert." },
	{ "pvalue_alert", OPTIONS_DOUBLE, "0.05", 0, 1, NULL, NULL,
	  T(pvalue_alert), "A p-value below this is alert (method ks)." },
	{ "distance_alert", OPTIONS_DOUBLE, "0.1", 0, 1, NULL, NULL,
	  T(distance_alert), "A JS or normed Wasserstein distance at or above "
	  "this is alert." },
	{ "model_alert_share", OPTIONS_DOUBLE, "0.5", 0, 1, NULL, NULL,
	  T(model_alert_share), "Share of features at alert that puts the "
	  "whole model at alert." },
	{ "prediction_psi_alert", OPTIONS_DOUBLE, "0.25", 0, 10, NULL, NULL,
	  T(prediction_psi_alert), "PSI of the predictions at or above this "
	  "is alert." },
	{ "accuracy_warn_drop", OPTIONS_DOUBLE, "0.02", 0, 1, NULL, NULL,
	  T(accuracy_warn_drop), "Accuracy this far below the baseline is warn." },
	{ "accuracy_alert_drop", OPTIONS_DOUBLE, "0.05", 0, 1, NULL, NULL,
	  T(accuracy_alert_drop), "Accuracy this far below the baseline is alert." },
	{ "disparate_impact_min", OPTIONS_DOUBLE, "0.8", 0, 1, NULL, NULL,
	  T(disparate_impact_min), "Disparate impact below this is alert "
	  "(the four-fifths rule)." },
	{ "min_rows", OPTIONS_INT, "100", 1, 10000000, "rows", NULL,
	  T(min_rows), "Fewer rows than this on either side: too few rows to judge." },
	{ "min_labels", OPTIONS_INT, "200", 1, 10000000, "labels", NULL,
	  T(min_labels), "Labelled rows needed before accuracy is judged." },
	{ "fairness_min_rows", OPTIONS_INT, "30", 1, 10000000, "rows", NULL,
	  T(fairness_min_rows), "Rows needed in each segment for fairness." },
	{ "fairness_min_positives", OPTIONS_INT, "30", 1, 10000000, "rows",
	  NULL, T(fairness_min_positives),
	  "Labelled positives needed in each segment for fairness." },
	{ NULL, 0, NULL, 0, 0, NULL, NULL, 0, NULL }
};

static const char *const type_names[] = {
	[OPTIONS_INT] = "integer", [OPTIONS_DOUBLE] = "number",
	[OPTIONS_DURATION] = "duration", [OPTIONS_BYTES] = "size",
	[OPTIONS_CHOICE] = "choice",
};

const struct options_entry *
options_find(const struct options_entry *table, const char *name)
{
	for (; table->name != NULL; table++) {
		if (strcmp(table->name, name) == 0)
			return table;
	}
	return NULL;
}

/* "64MiB", "512KiB", "1024" or "1024B" into bytes. */
static int
parse_bytes(const char *s, double *out)
{
	static const struct { const char *unit; double mul; } units[] = {
		{ "", 1 }, { "B", 1 }, { "KiB", KIB }, { "MiB", KIB * KIB },
		{ "GiB", GIB },
	};
	char *end;
	size_t i;
	double v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtod(s, &end);
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].unit) == 0) {
			*out = v * units[i].mul;
			return 0;
		}
	}
	return -1;
}

/* Largest unit that divides ms exactly: "90s", "7d". */
static void
add_duration(struct strbuf *b, double ms)
{
	static const struct { const char *unit; double ms; } units[] = {
		{ "d", DAY }, { "h", 3600 * SEC }, { "m", MIN }, { "s", SEC },
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (ms >= units[i].ms && fmod(ms, units[i].ms) == 0) {
			strbuf_addf(b, "%.0f%s", ms / units[i].ms, units[i].unit);
			return;
		}
	}
	strbuf_addf(b, "%.0fms", ms);
}

static void
add_bytes(struct strbuf *b, double v)
{
	if (v >= GIB && fmod(v, GIB) == 0)
		strbuf_addf(b, "%.0fGiB", v / GIB);
	else if (v >= KIB * KIB && fmod(v, KIB * KIB) == 0)
		strbuf_addf(b, "%.0fMiB", v / (KIB * KIB));
	else if (v >= KIB && fmod(v, KIB) == 0)
		strbuf_addf(b, "%.0fKiB", v / KIB);
	else
		strbuf_addf(b, "%.0f bytes", v);
}

static void
add_value(struct strbuf *b, const struct options_entry *o, double v)
{
	if (o->type == OPTIONS_DURATION)
		add_duration(b, v);
	else if (o->type == OPTIONS_BYTES)
		add_bytes(b, v);
	else
		strbuf_addf(b, "%.17g", v);
}

void
options_range_text(const struct options_entry *o, struct strbuf *b)
{
	const char *const *c;

	if (o->type == OPTIONS_CHOICE) {
		strbuf_adds(b, "one of ");
		for (c = o->choices; *c != NULL; c++)
			strbuf_addf(b, "%s%s", c == o->choices ? "" : ", ", *c);
		return;
	}
	add_value(b, o, o->min);
	strbuf_adds(b, " to ");
	add_value(b, o, o->max);
	if (o->type == OPTIONS_INT && o->unit != NULL)
		strbuf_addf(b, " %s", o->unit);
}

static int
set_choice(const struct options_entry *o, void *base, const cJSON *v,
    char **cause)
{
	struct strbuf b = { 0 };
	int i;

	for (i = 0; cJSON_IsString(v) && o->choices[i] != NULL; i++) {
		if (strcmp(o->choices[i], v->valuestring) == 0) {
			memcpy((char *)base + o->offset, &i, sizeof i);
			return 0;
		}
	}
	options_range_text(o, &b);
	if (cJSON_IsString(v))
		xcause(cause, "unknown value \"%s\" (%s)", v->valuestring,
		    strbuf_str(&b));
	else
		xcause(cause, "expected a string (%s)", strbuf_str(&b));
	strbuf_free(&b);
	return -1;
}

/* The value of v in the row's base unit, type-checked; -1 with *cause. */
static int
number_of(const struct options_entry *o, const cJSON *v, double *d,
    char **cause)
{
	int64_t ms;
	char *why = NULL;

	if (o->type == OPTIONS_DURATION && cJSON_IsString(v)) {
		if (timefmt_parse_duration(v->valuestring, &ms, &why) != 0) {
			xcause(cause, "%s", why);
			free(why);
			return -1;
		}
		*d = (double)ms;
		return 0;
	}
	if (o->type == OPTIONS_BYTES && cJSON_IsString(v)) {
		if (parse_bytes(v->valuestring, d) != 0)
			return xcause(cause, "invalid size \"%s\" (expected bytes "
			    "or a number and B, KiB, MiB or GiB, like 64MiB)",
			    v->valuestring);
		return 0;
	}
	if (!cJSON_IsNumber(v))
		return xcause(cause, "expected %s %s", o->type == OPTIONS_INT ?
		    "an" : "a", o->type == OPTIONS_DURATION ? "duration "
		    "(\"30s\", \"7d\" or seconds)" : o->type == OPTIONS_BYTES ?
		    "size (bytes or \"64MiB\")" : type_names[o->type]);
	*d = v->valuedouble;
	if (o->type == OPTIONS_DURATION)
		*d *= SEC;
	if ((o->type == OPTIONS_INT || o->type == OPTIONS_BYTES) &&
	    *d != floor(*d))
		return xcause(cause, "expected an integer, not %.17g", *d);
	return 0;
}

int
options_set(const struct options_entry *o, void *base, const cJSON *v,
    char **cause)
{
	struct strbuf b = { 0 };
	char *field = (char *)base + o->offset;
	double d = 0;
	int64_t i64;
	long l;

	if (o->type == OPTIONS_CHOICE)
		return set_choice(o, base, v, cause);
	if (number_of(o, v, &d, cause) != 0)
		return -1;
	if (!(d >= o->min && d <= o->max)) {
		strbuf_adds(&b, "value ");
		add_value(&b, o, d);
		strbuf_adds(&b, " out of range (");
		options_range_text(o, &b);
		strbuf_addc(&b, ')');
		xcause(cause, "%s", strbuf_str(&b));
		strbuf_free(&b);
		return -1;
	}
	switch (o->type) {
	case OPTIONS_INT:
		l = (long)d;
		memcpy(field, &l, sizeof l);
		break;
	case OPTIONS_DOUBLE:
		memcpy(field, &d, sizeof d);
		break;
	default:
		i64 = (int64_t)d;
		memcpy(field, &i64, sizeof i64);
		break;
	}
	return 0;
}

int
options_defaults(const struct options_entry *table, void *base, char **cause)
{
	cJSON *v;
	char *why = NULL;
	int rc;

	for (; table->name != NULL; table++) {
		if ((v = cJSON_Parse(table->def)) == NULL)
			return xcause(cause, "%s: default is not JSON", table->name);
		rc = options_set(table, base, v, &why);
		cJSON_Delete(v);
		if (rc != 0) {
			xcause(cause, "%s: bad default: %s", table->name, why);
			free(why);
			return -1;
		}
	}
	return 0;
}

const char *
options_default_text(const struct options_entry *o, char *buf, size_t len)
{
	size_t n = strlen(o->def);

	if (n >= 2 && o->def[0] == '"')
		snprintf(buf, len, "%.*s", (int)(n - 2), o->def + 1);
	else
		snprintf(buf, len, "%s", o->def);
	return buf;
}

void
options_describe(const struct options_entry *table, const char *title,
    int markdown, struct strbuf *b)
{
	char def[64];

	if (markdown)
		strbuf_addf(b, "### `%s`\n\n| setting | type | default | range "
		    "| meaning |\n| --- | --- | --- | --- | --- |\n", title);
	else
		strbuf_addf(b, "%s:\n", title);
	for (; table->name != NULL; table++) {
		options_default_text(table, def, sizeof def);
		if (markdown)
			strbuf_addf(b, "| `%s` | %s | `%s` | ", table->name,
			    type_names[table->type], def);
		else
			strbuf_addf(b, "  %-24s %-8s default %-8s range ",
			    table->name, type_names[table->type], def);
		options_range_text(table, b);
		strbuf_addf(b, markdown ? " | %s |\n" : "\n      %s\n",
		    table->help);
	}
	strbuf_addc(b, '\n');
}
