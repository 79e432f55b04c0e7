/*
 * prom: the Prometheus text format 0.0.4 parser (see prom.h for the policy
 * on bad lines and what is kept).  One pass over the body: each line is cut
 * at '\n' (a '\r' before it is dropped), tokens are spans into the body, and
 * only the label values of recognised series are copied (unescaped) into
 * small stack buffers before being added to the scrape.
 *
 * The grammar follows the Go expfmt text parser: blanks (space, tab) may
 * lead a line and separate tokens; `# HELP name text`, `# TYPE name type`,
 * other `#` lines are comments; a sample is
 *   name [ "{" [ label="value" { "," label="value" } [","] ] "}" ] value [ timestamp ]
 * with label values escaping only \\, \" and \n.  Values are Go floats
 * (NaN, +Inf, -Inf included); timestamps are integers in milliseconds.
 *
 * Past the 600-line aim: it is one single-pass parser (tokenizer, series
 * recognition, per-version grouping) read top to bottom; a split would
 * cut the one pass in pieces.
 */
#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hosts/prom.h"
#include "util/xmalloc.h"

/* A token of the line being read: a span into the body. */
struct span {
	const char	*p;
	size_t		 len;
	int		 set;
};

/* What a sample line said, before it is added to the scrape. */
struct sample {
	enum prom_series series;
	struct span	 model;
	struct span	 version;
	struct span	 key;		/* code, le or kpi */
	double		 value;
	int64_t		 ts_ms;
};

static const struct {
	const char		*name;
	enum prom_series	 series;
	const char		*key;	/* the label that keys the series */
} series_table[] = {
	{ "model_requests_total", PROM_SERIES_REQUESTS, "code" },
	{ "model_request_duration_seconds_bucket", PROM_SERIES_BUCKET, "le" },
	{ "model_request_duration_seconds_sum", PROM_SERIES_SUM, NULL },
	{ "model_request_duration_seconds_count", PROM_SERIES_COUNT, NULL },
	{ "model_business_kpi", PROM_SERIES_KPI, "kpi" },
	{ "nv_inference_request_success", PROM_SERIES_NV_SUCCESS, NULL },
	{ "nv_inference_request_failure", PROM_SERIES_NV_FAILURE, NULL },
	{ "nv_inference_count", PROM_SERIES_NV_COUNT, NULL },
	{ "nv_inference_request_duration_us", PROM_SERIES_NV_DURATION, NULL },
};
#define NSERIES (sizeof series_table / sizeof series_table[0])

static const char *const metric_types[] = {
	"counter", "gauge", "histogram", "summary", "untyped",
};

enum prom_series
prom_series_of(const char *name, size_t len)
{
	size_t	i;

	if (len < 18 || (name[0] != 'm' && name[0] != 'n'))
		return (PROM_SERIES_NONE);
	for (i = 0; i < NSERIES; i++) {
		if (strlen(series_table[i].name) == len &&
		    memcmp(series_table[i].name, name, len) == 0)
			return (series_table[i].series);
	}
	return (PROM_SERIES_NONE);
}

const char *
prom_series_name(enum prom_series series)
{
	size_t	i;

	for (i = 0; i < NSERIES; i++) {
		if (series_table[i].series == series)
			return (series_table[i].name);
	}
	return (NULL);
}

static const char *
series_key(enum prom_series series)
{
	size_t	i;

	for (i = 0; i < NSERIES; i++) {
		if (series_table[i].series == series)
			return (series_table[i].key);
	}
	return (NULL);
}

static int
is_blank(char c)
{
	return (c == ' ' || c == '\t');
}

static const char *
skip_blanks(const char *p, const char *e)
{
	while (p < e && is_blank(*p))
		p++;
	return (p);
}

static int
name_start(unsigned char c)
{
	return (isalpha(c) || c == '_' || c == ':');
}

static int
name_char(unsigned char c)
{
	return (isalnum(c) || c == '_' || c == ':');
}

/* Read a metric name (colons allowed) or label name at p into *out. */
static const char *
read_name(const char *p, const char *e, int colons, struct span *out)
{
	const char	*s = p;

	if (p >= e || !name_start((unsigned char)*p) || (!colons && *p == ':'))
		return (NULL);
	for (p++; p < e && name_char((unsigned char)*p); p++) {
		if (!colons && *p == ':')
			break;
	}
	out->p = s;
	out->len = p - s;
	out->set = 1;
	return (p);
}

/*
 * Parse a float token.  Plain decimals with at most 15 significant digits
 * and a power of ten within 22 are exact in one division or product
 * (Clinger's fast path); anything else goes to strtod, with '.' swapped
 * for the locale's decimal point since the console may run under a locale
 * that uses ','.
 */
int
prom_parse_float(const char *p, size_t len, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
	    1e19, 1e20, 1e21, 1e22 };
	const char	*e = p + len, *q = p;
	uint64_t	 m = 0;
	int		 neg = 0, ndig = 0, sig = 0, frac = 0, dot = 0;
	char		 buf[128], *end, dp;
	size_t		 i;

	if (len == 0)
		return (-1);
	if (*q == '-' || *q == '+')
		neg = (*q++ == '-');
	for (; q < e; q++) {
		if (*q >= '0' && *q <= '9') {
			ndig++;
			if (m != 0 || *q != '0')
				sig++;
			if (sig > 15)
				break;
			m = m * 10 + (*q - '0');
			frac += dot;
		} else if (*q == '.' && !dot)
			dot = 1;
		else
			break;
	}
	if (q == e && ndig > 0 && frac <= 22) {
		*out = (double)m / pow10[frac];
		if (neg)
			*out = -*out;
		return (0);
	}
	if (len >= sizeof buf)
		return (-1);
	dp = localeconv()->decimal_point[0];
	for (i = 0; i < len; i++) {
		buf[i] = p[i];
		if (buf[i] == '.')
			buf[i] = dp;
		else if (buf[i] == dp || is_blank(buf[i]) || buf[i] == '\0')
			return (-1);
	}
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (end != buf + len || (errno == ERANGE && fabs(*out) > 1))
		return (-1);
	return (0);
}

static int
parse_int64(const char *p, size_t len, int64_t *out)
{
	const char	*e = p + len;
	int		 neg = 0;
	uint64_t	 v = 0, lim;

	if (p < e && (*p == '-' || *p == '+'))
		neg = (*p++ == '-');
	if (p == e)
		return (-1);
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return (-1);
		if (v > (lim - (*p - '0')) / 10)
			return (-1);
		v = v * 10 + (*p - '0');
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return (0);
}

/* A quoted label value at p (just past '"'); *why on error. */
static const char *
read_label_value(const char *p, const char *e, struct span *out,
    const char **why)
{
	const char	*s = p;

	for (; p < e; p++) {
		if (*p == '"') {
			out->p = s;
			out->len = p - s;
			return (p + 1);
		}
		if (*p == '\0') {
			*why = "NUL byte in label value";
			return (NULL);
		}
		if (*p == '\\') {
			if (p + 1 >= e)
				break;
			p++;
			if (*p != '\\' && *p != '"' && *p != 'n') {
				*why = "invalid escape sequence in label value "
				    "(only \\\\, \\\" and \\n)";
				return (NULL);
			}
		}
	}
	*why = "label value not terminated by '\"'";
	return (NULL);
}

/* Keep the span of a label the series cares about. */
static int
keep_label(struct sample *smp, const struct span *name,
    const struct span *value, const char **why)
{
	struct span	*dst = NULL;
	const char	*key;

	if (smp->series == PROM_SERIES_NONE)
		return (0);
	if (name->len == 5 && memcmp(name->p, "model", 5) == 0)
		dst = &smp->model;
	else if (name->len == 7 && memcmp(name->p, "version", 7) == 0)
		dst = &smp->version;
	else if ((key = series_key(smp->series)) != NULL &&
	    strlen(key) == name->len && memcmp(key, name->p, name->len) == 0)
		dst = &smp->key;
	if (dst == NULL)
		return (0);
	if (dst->set) {
		*why = "duplicate label name";
		return (-1);
	}
	*dst = *value;
	dst->set = 1;
	return (0);
}

/* The label set after '{'; returns past '}'. */
static const char *
read_labels(const char *p, const char *e, struct sample *smp,
    const char **why)
{
	struct span	 name, value;

	for (;;) {
		p = skip_blanks(p, e);
		if (p < e && *p == '}')
			return (p + 1);
		memset(&name, 0, sizeof name);
		memset(&value, 0, sizeof value);
		if ((p = read_name(p, e, 0, &name)) == NULL) {
			*why = "invalid label name";
			return (NULL);
		}
		p = skip_blanks(p, e);
		if (p >= e || *p != '=') {
			*why = "expected '=' after label name";
			return (NULL);
		}
		p = skip_blanks(p + 1, e);
		if (p >= e || *p != '"') {
			*why = "expected '\"' to start the label value";
			return (NULL);
		}
		if ((p = read_label_value(p + 1, e, &value, why)) == NULL)
			return (NULL);
		if (keep_label(smp, &name, &value, why) != 0)
			return (NULL);
		p = skip_blanks(p, e);
		if (p < e && *p == ',')
			p++;
		else if (p >= e || *p != '}') {
			*why = "expected ',' or '}' after label value";
			return (NULL);
		}
	}
}

static const char *
read_comment(const char *p, const char *e, const char **why)
{
	struct span	 word, name;
	size_t		 i;

	p = skip_blanks(p + 1, e);
	memset(&word, 0, sizeof word);
	word.p = p;
	while (p < e && !is_blank(*p))
		p++;
	word.len = p - word.p;
	if (!(word.len == 4 && memcmp(word.p, "HELP", 4) == 0) &&
	    !(word.len == 4 && memcmp(word.p, "TYPE", 4) == 0))
		return (e);
	p = skip_blanks(p, e);
	if ((p = read_name(p, e, 1, &name)) == NULL ||
	    (p < e && !is_blank(*p))) {
		*why = "invalid metric name in HELP or TYPE line";
		return (NULL);
	}
	if (word.p[0] == 'H')
		return (e);
	p = skip_blanks(p, e);
	word.p = p;
	while (p < e && !is_blank(*p))
		p++;
	word.len = p - word.p;
	if (skip_blanks(p, e) != e)
		goto bad_type;
	for (i = 0; i < sizeof metric_types / sizeof metric_types[0]; i++) {
		if (strlen(metric_types[i]) == word.len &&
		    memcmp(metric_types[i], word.p, word.len) == 0)
			return (e);
	}
bad_type:
	*why = "unknown metric type in TYPE line";
	return (NULL);
}

/*
 * Read one line [p, e) (no newline).  1 with *smp filled for a sample,
 * 0 for a blank or comment line, -1 with *why.
 */
static int
read_line(const char *p, const char *e, struct sample *smp, const char **why)
{
	struct span	 name, tok;

	p = skip_blanks(p, e);
	if (p == e)
		return (0);
	if (*p == '#')
		return (read_comment(p, e, why) == NULL ? -1 : 0);
	memset(smp, 0, sizeof *smp);
	if ((p = read_name(p, e, 1, &name)) == NULL) {
		*why = "invalid metric name";
		return (-1);
	}
	smp->series = prom_series_of(name.p, name.len);
	p = skip_blanks(p, e);
	if (p < e && *p == '{') {
		if ((p = read_labels(p + 1, e, smp, why)) == NULL)
			return (-1);
		p = skip_blanks(p, e);
	} else if (p < e && p == name.p + name.len) {
		*why = "invalid character after metric name";
		return (-1);
	}
	tok.p = p;
	while (p < e && !is_blank(*p))
		p++;
	tok.len = p - tok.p;
	if (tok.len == 0) {
		*why = "missing sample value";
		return (-1);
	}
	if (prom_parse_float(tok.p, tok.len, &smp->value) != 0) {
		*why = "sample value is not a number";
		return (-1);
	}
	p = skip_blanks(p, e);
	tok.p = p;
	while (p < e && !is_blank(*p))
		p++;
	tok.len = p - tok.p;
	if (tok.len > 0 && parse_int64(tok.p, tok.len, &smp->ts_ms) != 0) {
		*why = "timestamp is not an integer";
		return (-1);
	}
	if (skip_blanks(p, e) != e) {
		*why = "unexpected text after the timestamp";
		return (-1);
	}
	return (1);
}

/* Unescape a label value into buf (PROM_MAX_LABEL_VALUE + 1 bytes). */
static int
unescape(const struct span *sp, char *buf)
{
	size_t	i, n = 0;

	for (i = 0; i < sp->len; i++) {
		if (n == PROM_MAX_LABEL_VALUE)
			return (-1);
		if (sp->p[i] == '\\' && i + 1 < sp->len) {
			i++;
			buf[n++] = sp->p[i] == 'n' ? '\n' : sp->p[i];
		} else
			buf[n++] = sp->p[i];
	}
	buf[n] = '\0';
	return (0);
}

/* Add a recognised sample to the scrape; *why or *cause on error. */
static int
add_sample(struct prom_scrape *s, const struct sample *smp, const char **why,
    char **cause)
{
	char	model[PROM_MAX_LABEL_VALUE + 1];
	char	version[PROM_MAX_LABEL_VALUE + 1];
	char	key[PROM_MAX_LABEL_VALUE + 1];

	if (!smp->model.set)
		return (0);
	if (series_key(smp->series) != NULL && !smp->key.set)
		return (0);
	if (unescape(&smp->model, model) != 0 ||
	    unescape(&smp->version, version) != 0 ||
	    unescape(&smp->key, key) != 0) {
		*why = "label value longer than 1024 bytes";
		return (-1);
	}
	return (prom_scrape_add(s, smp->series, model, version, key,
	    smp->value, smp->ts_ms, cause));
}

/* Note a bad line: fail the scrape, or count it under PROM_LENIENT. */
static int
bad_line(struct prom_scrape *s, int flags, const char *why, char *cause_in,
    char **cause)
{
	char	*msg;

	if (cause_in != NULL) {
		msg = xasprintf("line %zu: %s", s->lines, cause_in);
		free(cause_in);
	} else
		msg = xasprintf("line %zu: %s", s->lines, why);
	if (flags & PROM_LENIENT) {
		s->bad_lines++;
		if (s->first_error == NULL)
			s->first_error = msg;
		else
			free(msg);
		return (0);
	}
	prom_scrape_free(s);
	if (cause != NULL)
		*cause = msg;
	else
		free(msg);
	return (-1);
}

int
prom_parse(const char *buf, size_t len, int flags, struct prom_scrape *out,
    char **cause)
{
	const char	*p = buf, *e = buf + len, *nl, *le;
	const char	*why;
	char		*acause;
	struct sample	 smp;
	int		 r;

	memset(out, 0, sizeof *out);
	while (p < e) {
		nl = memchr(p, '\n', e - p);
		le = nl != NULL ? nl : e;
		if (le > p && le[-1] == '\r')
			le--;
		out->lines++;
		why = NULL;
		acause = NULL;
		r = read_line(p, le, &smp, &why);
		if (r == 1) {
			out->samples++;
			if (smp.series != PROM_SERIES_NONE &&
			    add_sample(out, &smp, &why, &acause) != 0)
				r = -1;
		}
		if (r == -1 && bad_line(out, flags, why, acause, cause) != 0)
			return (-1);
		p = nl != NULL ? nl + 1 : e;
	}
	prom_scrape_finish(out);
	return (0);
}

static void
model_free(struct prom_model *m)
{
	size_t	i;

	for (i = 0; i < m->ncodes; i++)
		free(m->codes[i].code);
	for (i = 0; i < m->nkpis; i++)
		free(m->kpis[i].kpi);
	free(m->codes);
	free(m->kpis);
	free(m->buckets);
	free(m->model);
	free(m->version);
}

void
prom_scrape_free(struct prom_scrape *s)
{
	size_t	i;

	for (i = 0; i < s->nmodels; i++)
		model_free(&s->models[i]);
	free(s->models);
	free(s->first_error);
	memset(s, 0, sizeof *s);
}

static struct prom_model *
find_model(const struct prom_scrape *s, const char *model, const char *version)
{
	size_t	i;

	if (s->last < s->nmodels &&
	    strcmp(s->models[s->last].model, model) == 0 &&
	    strcmp(s->models[s->last].version, version) == 0)
		return (&s->models[s->last]);
	for (i = 0; i < s->nmodels; i++) {
		if (strcmp(s->models[i].model, model) == 0 &&
		    strcmp(s->models[i].version, version) == 0)
			return (&s->models[i]);
	}
	return (NULL);
}

struct prom_model *
prom_scrape_find(const struct prom_scrape *s, const char *model,
    const char *version)
{
	return (find_model(s, model, version));
}

static struct prom_model *
get_model(struct prom_scrape *s, const char *model, const char *version,
    char **cause)
{
	struct prom_model	*m;

	if ((m = find_model(s, model, version)) != NULL) {
		s->last = m - s->models;
		return (m);
	}
	if (s->nmodels == PROM_MAX_MODELS) {
		xcause(cause, "more than %d (model, version) pairs",
		    PROM_MAX_MODELS);
		return (NULL);
	}
	if (s->nmodels == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->models = xreallocarray(s->models, s->cap, sizeof *s->models);
	}
	m = &s->models[s->nmodels];
	memset(m, 0, sizeof *m);
	m->model = xstrdup(model);
	m->version = xstrdup(version);
	s->last = s->nmodels++;
	return (m);
}

/* Grow an array of n elements when n is a power of two (or 0). */
static void *
grow(void *v, size_t n, size_t size)
{
	if (n == 0)
		return (xreallocarray(v, 4, size));
	if (n >= 4 && (n & (n - 1)) == 0)
		return (xreallocarray(v, n * 2, size));
	return (v);
}

static int
add_code(struct prom_model *m, const char *code, double v, char **cause)
{
	size_t	i;

	for (i = 0; i < m->ncodes; i++) {
		if (strcmp(m->codes[i].code, code) == 0) {
			m->codes[i].count += v;
			return (0);
		}
	}
	if (m->ncodes == PROM_MAX_PER_MODEL)
		return (xcause(cause, "model %s: more than %d codes", m->model,
		    PROM_MAX_PER_MODEL));
	m->codes = grow(m->codes, m->ncodes, sizeof *m->codes);
	m->codes[m->ncodes].code = xstrdup(code);
	m->codes[m->ncodes++].count = v;
	return (0);
}

static int
add_bucket(struct prom_model *m, const char *le_text, double v, char **cause)
{
	double	le;
	size_t	i;

	if (prom_parse_float(le_text, strlen(le_text), &le) != 0 || isnan(le))
		return (0);
	for (i = 0; i < m->nbuckets; i++) {
		if (m->buckets[i].le == le) {
			m->buckets[i].count += v;
			return (0);
		}
	}
	if (m->nbuckets == PROM_MAX_PER_MODEL)
		return (xcause(cause, "model %s: more than %d buckets",
		    m->model, PROM_MAX_PER_MODEL));
	m->buckets = grow(m->buckets, m->nbuckets, sizeof *m->buckets);
	m->buckets[m->nbuckets].le = le;
	m->buckets[m->nbuckets++].count = v;
	return (0);
}

static int
add_kpi(struct prom_model *m, const char *kpi, double v, int64_t ts,
    char **cause)
{
	size_t	i;

	for (i = 0; i < m->nkpis; i++) {
		if (strcmp(m->kpis[i].kpi, kpi) == 0) {
			if (ts >= m->kpis[i].ts_ms) {
				m->kpis[i].value = v;
				m->kpis[i].ts_ms = ts;
			}
			return (0);
		}
	}
	if (m->nkpis == PROM_MAX_PER_MODEL)
		return (xcause(cause, "model %s: more than %d KPIs", m->model,
		    PROM_MAX_PER_MODEL));
	m->kpis = grow(m->kpis, m->nkpis, sizeof *m->kpis);
	m->kpis[m->nkpis].kpi = xstrdup(kpi);
	m->kpis[m->nkpis].value = v;
	m->kpis[m->nkpis++].ts_ms = ts;
	return (0);
}

int
prom_scrape_add(struct prom_scrape *s, enum prom_series series,
    const char *model, const char *version, const char *key, double value,
    int64_t ts_ms, char **cause)
{
	struct prom_model	*m;

	if (series == PROM_SERIES_NONE)
		return (0);
	if ((m = get_model(s, model, version != NULL ? version : "",
	    cause)) == NULL)
		return (-1);
	s->recognised++;
	switch (series) {
	case PROM_SERIES_REQUESTS:
		m->has |= PROM_HAS_REQUESTS;
		return (add_code(m, key, value, cause));
	case PROM_SERIES_BUCKET:
		m->has |= PROM_HAS_BUCKETS;
		return (add_bucket(m, key, value, cause));
	case PROM_SERIES_KPI:
		m->has |= PROM_HAS_KPI;
		return (add_kpi(m, key, value, ts_ms, cause));
	case PROM_SERIES_SUM:
		m->has |= PROM_HAS_SUM;
		m->sum += value;
		break;
	case PROM_SERIES_COUNT:
		m->has |= PROM_HAS_COUNT;
		m->count += value;
		break;
	case PROM_SERIES_NV_SUCCESS:
		m->has |= PROM_HAS_NV_SUCCESS;
		m->nv_success += value;
		break;
	case PROM_SERIES_NV_FAILURE:
		m->has |= PROM_HAS_NV_FAILURE;
		m->nv_failure += value;
		break;
	case PROM_SERIES_NV_COUNT:
		m->has |= PROM_HAS_NV_COUNT;
		m->nv_count += value;
		break;
	case PROM_SERIES_NV_DURATION:
		m->has |= PROM_HAS_NV_DURATION;
		m->nv_duration_us += value;
		break;
	case PROM_SERIES_NONE:
		break;
	}
	return (0);
}

static int
cmp_bucket(const void *a, const void *b)
{
	double	x = ((const struct prom_bucket *)a)->le;
	double	y = ((const struct prom_bucket *)b)->le;

	return ((x > y) - (x < y));
}

void
prom_scrape_finish(struct prom_scrape *s)
{
	size_t	i;

	for (i = 0; i < s->nmodels; i++) {
		if (s->models[i].nbuckets > 1)
			qsort(s->models[i].buckets, s->models[i].nbuckets,
			    sizeof *s->models[i].buckets, cmp_bucket);
	}
}
