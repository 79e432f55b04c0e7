/*
 * prom: the Prometheus text exposition format 0.0.4, read in one pass
 * (no regex, no copy of the body) into the series the console recognises,
 * grouped per (model, version).  See docs/host-api.md for the series.
 *
 * Policy on bad input: by default the scrape is rejected as a whole at the
 * first malformed line, with its line number ("line 12: ..."), as
 * Prometheus itself rejects such a scrape; a figure built from a partly
 * read histogram would be silently wrong.  With PROM_LENIENT, malformed
 * lines are skipped instead and counted in bad_lines (the first one's
 * message kept in first_error).
 *
 * Series of names we do not recognise are checked for syntax and dropped
 * without allocation.  Series of one (model, version) that differ in other
 * labels (instance, reason, ...) are summed, as `sum by (model, version,
 * code|le|kpi)` would; a series without a `model` label is ignored, one
 * without `version` gets version "".  Bucket series whose `le` is not a
 * number are ignored.
 *
 * Ownership: a struct prom_scrape owns every string and array inside it;
 * prom_scrape_free releases them.  A zeroed struct prom_scrape is empty.
 * promapi.c fills the same struct from the Prometheus HTTP API, through
 * prom_scrape_add.
 */
#ifndef MD_PROM_H
#define MD_PROM_H

#include <stddef.h>
#include <stdint.h>

#define PROM_LENIENT	0x1	/* skip malformed lines instead of failing */

#define PROM_MAX_LABEL_VALUE	1024	/* bytes of a recognised label value */
#define PROM_MAX_MODELS		10000	/* (model, version) pairs per scrape */
#define PROM_MAX_PER_MODEL	1000	/* codes, buckets or KPIs per model */

/* One cumulative histogram bucket: observations <= le. */
struct prom_bucket {
	double	le;		/* upper bound; +Inf for the last */
	double	count;
};

/* A count keyed by a label value (model_requests_total by code). */
struct prom_code {
	char	*code;
	double	 count;
};

/* A business KPI gauge (model_business_kpi by kpi). */
struct prom_kpi {
	char	*kpi;
	double	 value;
	int64_t	 ts_ms;		/* the sample's timestamp, 0 when none */
};

/* Which series a model had; bits of prom_model.has. */
#define PROM_HAS_REQUESTS	0x01	/* model_requests_total */
#define PROM_HAS_BUCKETS	0x02	/* ..._duration_seconds_bucket */
#define PROM_HAS_SUM		0x04	/* ..._duration_seconds_sum */
#define PROM_HAS_COUNT		0x08	/* ..._duration_seconds_count */
#define PROM_HAS_KPI		0x10	/* model_business_kpi */
#define PROM_HAS_NV_SUCCESS	0x20	/* nv_inference_request_success */
#define PROM_HAS_NV_FAILURE	0x40	/* nv_inference_request_failure */
#define PROM_HAS_NV_COUNT	0x80	/* nv_inference_count */
#define PROM_HAS_NV_DURATION	0x100	/* nv_inference_request_duration_us */

/* Everything recognised for one (model, version). */
struct prom_model {
	char			*model;
	char			*version;
	unsigned		 has;		/* PROM_HAS_* */

	struct prom_code	*codes;		/* model_requests_total{code} */
	size_t			 ncodes;

	struct prom_bucket	*buckets;	/* sorted by le, +Inf last once */
	size_t			 nbuckets;	/* prom_parse returns */
	double			 sum;		/* _sum, seconds */
	double			 count;		/* _count */

	struct prom_kpi		*kpis;
	size_t			 nkpis;

	double			 nv_success;	/* Triton counters */
	double			 nv_failure;
	double			 nv_count;
	double			 nv_duration_us;
};

/* A parsed scrape: the models in order of first appearance. */
struct prom_scrape {
	struct prom_model	*models;
	size_t			 nmodels;
	size_t			 cap;
	size_t			 last;		/* private: last model used */

	size_t			 lines;		/* lines read, comments included */
	size_t			 samples;	/* sample lines, recognised or not */
	size_t			 recognised;	/* sample lines kept */
	size_t			 bad_lines;	/* PROM_LENIENT only */
	char			*first_error;	/* PROM_LENIENT only, or NULL */
};

/*
 * Parse len bytes of text format 0.0.4 into *out (zeroed first).  0, or -1
 * with *cause ("line 12: expected '=' after label name") and *out empty.
 */
int	 prom_parse(const char *buf, size_t len, int flags,
	    struct prom_scrape *out, char **cause);

/* Free everything inside s and leave it zeroed. */
void	 prom_scrape_free(struct prom_scrape *s);

/* The model entry for (model, version), or NULL. */
struct prom_model *prom_scrape_find(const struct prom_scrape *s,
	    const char *model, const char *version);

/* Which recognised series a sample belongs to, for prom_scrape_add. */
enum prom_series {
	PROM_SERIES_NONE,
	PROM_SERIES_REQUESTS,		/* key: code */
	PROM_SERIES_BUCKET,		/* key: le (as text) */
	PROM_SERIES_SUM,
	PROM_SERIES_COUNT,
	PROM_SERIES_KPI,		/* key: kpi */
	PROM_SERIES_NV_SUCCESS,
	PROM_SERIES_NV_FAILURE,
	PROM_SERIES_NV_COUNT,
	PROM_SERIES_NV_DURATION,
};

/* The recognised series of a metric name, or PROM_SERIES_NONE. */
enum prom_series prom_series_of(const char *name, size_t len);

/* The metric name of a series ("model_requests_total"), NULL for NONE. */
const char *prom_series_name(enum prom_series series);

/*
 * Add one sample to s (summed into an existing entry as prom_parse does).
 * key is the code, le or kpi label value for those series, else ignored.
 * 0, or -1 with *cause when a limit is hit or an le is not a number.
 * Call prom_scrape_finish once all samples are in.
 */
int	 prom_scrape_add(struct prom_scrape *s, enum prom_series series,
	    const char *model, const char *version, const char *key,
	    double value, int64_t ts_ms, char **cause);

/*
 * Parse a sample value as Go's ParseFloat would (NaN, +Inf, -Inf, decimals,
 * exponents), whatever the C locale.  0, or -1 when s is not a number.
 */
int	 prom_parse_float(const char *s, size_t len, double *out);

/* Sort each model's buckets by le (prom_parse does this itself). */
void	 prom_scrape_finish(struct prom_scrape *s);

#endif
