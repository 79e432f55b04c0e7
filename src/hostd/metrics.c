/*
 * metrics.c: GET /metrics in the Prometheus text format 0.0.4.
 *
 * Counters are closed-form functions of scenario time (requests per second
 * times the time each version served at its share, plus the real /infer
 * calls), so they only grow and a restart at the same scenario time shows
 * the same figures.  Latency follows a lognormal per version; a bucket
 * holds floor(count * CDF(le)), which is monotonic in le as Prometheus
 * requires.  With --triton (or "triton": 1 on the host) the series use
 * Triton's names instead.
 */
#include "hostd/hostd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/xmalloc.h"

static const double buckets[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};

/* Requests version v has answered by scenario time t (lock held). */
uint64_t
metrics_requests(struct hostd *h, struct hd_version *v, double t)
{
	const struct hd_state	*st = &v->st;
	double			 n = st->req_base;

	(void)h;
	if (t > st->req_t0)
		n += st->req_rps * (t - st->req_t0);
	return (uint64_t)floor(n) + st->infer_ok;
}

static void
labels(struct strbuf *b, const struct hd_version *v)
{
	strbuf_adds(b, "{model=");
	strbuf_add_json_string(b, v->model->name);
	strbuf_adds(b, ",version=");
	strbuf_add_json_string(b, v->name);
}

static void
histogram(struct strbuf *b, const struct hd_version *v, uint64_t total)
{
	double	mu = log(v->latency_ms / 1000), s = v->latency_sigma, c;
	size_t	i;

	for (i = 0; i < sizeof buckets / sizeof buckets[0]; i++) {
		c = 0.5 * erfc(-(log(buckets[i]) - mu) / (s * M_SQRT2));
		strbuf_adds(b, "model_request_duration_seconds_bucket");
		labels(b, v);
		strbuf_addf(b, ",le=\"%g\"} %llu\n", buckets[i],
		    (unsigned long long)floor((double)total * c));
	}
	strbuf_adds(b, "model_request_duration_seconds_bucket");
	labels(b, v);
	strbuf_addf(b, ",le=\"+Inf\"} %llu\n", (unsigned long long)total);
	strbuf_adds(b, "model_request_duration_seconds_sum");
	labels(b, v);
	strbuf_addf(b, "} %.6f\n", (double)total * exp(mu + s * s / 2));
	strbuf_adds(b, "model_request_duration_seconds_count");
	labels(b, v);
	strbuf_addf(b, "} %llu\n", (unsigned long long)total);
}

static double
kpi_value(const struct hd_version *v, const struct hd_kpi *k, double t)
{
	double flip = v->flip_max * sim_ramp(t, v->flip_start, v->flip_ramp);

	/* a small slow wobble so the gauge looks alive */
	return k->value * (1 - k->degrade * (v->flip_max > 0 ?
	    flip / v->flip_max : 0)) * (1 + 0.01 * sin(t / 900));
}

static void
standard(struct strbuf *b, struct hd_version *v, uint64_t total, double t)
{
	uint64_t	bad = (uint64_t)floor((double)total * v->error_rate);
	size_t		k;

	strbuf_adds(b, "model_requests_total");
	labels(b, v);
	strbuf_addf(b, ",code=\"200\"} %llu\n",
	    (unsigned long long)(total - bad));
	strbuf_adds(b, "model_requests_total");
	labels(b, v);
	strbuf_addf(b, ",code=\"500\"} %llu\n", (unsigned long long)bad);
	histogram(b, v, total);
	for (k = 0; k < v->nkpis; k++) {
		strbuf_adds(b, "model_business_kpi");
		labels(b, v);
		strbuf_adds(b, ",kpi=");
		strbuf_add_json_string(b, v->kpis[k].name);
		strbuf_addf(b, "} %.6f\n", kpi_value(v, &v->kpis[k], t));
	}
}

static void
triton(struct strbuf *b, struct hd_version *v, uint64_t total)
{
	uint64_t	bad = (uint64_t)floor((double)total * v->error_rate);
	double		mean_us = v->latency_ms * 1000 *
			    exp(v->latency_sigma * v->latency_sigma / 2);

	strbuf_adds(b, "nv_inference_request_success");
	labels(b, v);
	strbuf_addf(b, "} %llu\n", (unsigned long long)(total - bad));
	strbuf_adds(b, "nv_inference_request_failure");
	labels(b, v);
	strbuf_addf(b, "} %llu\n", (unsigned long long)bad);
	strbuf_adds(b, "nv_inference_count");
	labels(b, v);
	strbuf_addf(b, "} %llu\n", (unsigned long long)total);
	strbuf_adds(b, "nv_inference_request_duration_us");
	labels(b, v);
	strbuf_addf(b, "} %.0f\n", (double)(total - bad) * mean_us);
}

static const char standard_head[] =
    "# HELP model_requests_total Requests answered, by HTTP-like code.\n"
    "# TYPE model_requests_total counter\n"
    "# HELP model_request_duration_seconds Request latency.\n"
    "# TYPE model_request_duration_seconds histogram\n"
    "# HELP model_business_kpi A business KPI the model's owner follows.\n"
    "# TYPE model_business_kpi gauge\n";

static const char triton_head[] =
    "# HELP nv_inference_request_success Number of successful requests.\n"
    "# TYPE nv_inference_request_success counter\n"
    "# HELP nv_inference_request_failure Number of failed requests.\n"
    "# TYPE nv_inference_request_failure counter\n"
    "# HELP nv_inference_count Number of inferences performed.\n"
    "# TYPE nv_inference_count counter\n"
    "# HELP nv_inference_request_duration_us Cumulative request duration.\n"
    "# TYPE nv_inference_request_duration_us counter\n";

/* GET /metrics */
void
metrics_render(struct hostd *h, struct hd_reply *r)
{
	struct strbuf		 b = { 0 };
	struct hd_version	*v;
	double			 t;
	size_t			 i, k;

	strbuf_adds(&b, h->triton ? triton_head : standard_head);
	pthread_mutex_lock(&h->lock);
	t = ops_now(h);
	for (i = 0; i < h->nmodels; i++) {
		for (k = 0; k < h->models[i]->nversions; k++) {
			v = &h->models[i]->versions[k];
			if (h->triton)
				triton(&b, v, metrics_requests(h, v, t));
			else
				standard(&b, v, metrics_requests(h, v, t), t);
		}
	}
	pthread_mutex_unlock(&h->lock);
	r->status = 200;
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	r->len = b.len;
	r->body = strbuf_take(&b);
}
