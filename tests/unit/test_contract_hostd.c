/*
 * The parsers against a real modeldeck-hostd on 127.0.0.1 (started here,
 * from MD_BUILD): every body it serves parses, strictly, and what comes out
 * is consistent (shares add up to 100, samples fit the reference's schema,
 * figures are finite where there is traffic).  Same with --triton.
 */
#include <curl/curl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testhelp.h"
#include "hosts/contract.h"
#include "hosts/derive.h"
#include "hosts/prom.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

struct hostd {
	pid_t	pid;
	int	port;
	char	dir[64];
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	strbuf_add(arg, p, size * n);
	return (size * n);
}

/* GET (or POST with an empty JSON body) path; the HTTP status. */
static long
fetch(const struct hostd *h, const char *path, int post, struct strbuf *b)
{
	CURL	*c = curl_easy_init();
	char	*url = xasprintf("http://127.0.0.1:%d%s", h->port, path);
	long	 code = 0;

	strbuf_reset(b);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{}");
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	free(url);
	return (code);
}

static int
hostd_start(struct hostd *h, int triton)
{
	const char	*build = getenv("MD_BUILD"), *root = getenv("MD_ROOT");
	char		*bin, *fleet, *pf, buf[32];
	FILE		*f;
	int		 i;

	snprintf(h->dir, sizeof h->dir, "/tmp/test_hostd.XXXXXX");
	if (mkdtemp(h->dir) == NULL)
		return (-1);
	bin = xasprintf("%s/modeldeck-hostd", build ? build : "build");
	fleet = xasprintf("%s/sample-data/fleet.json", root ? root : ".");
	pf = xasprintf("%s/port", h->dir);
	if ((h->pid = fork()) == 0) {
		execl(bin, bin, "--fleet", fleet, "--listen", "127.0.0.1:0",
		    "--port-file", pf, "--speed", "600",
		    triton ? "--triton" : NULL, (char *)NULL);
		_exit(127);
	}
	h->port = 0;
	for (i = 0; i < 100 && h->port == 0; i++) {
		usleep(50000);
		if ((f = fopen(pf, "r")) != NULL) {
			if (fgets(buf, sizeof buf, f) != NULL)
				h->port = atoi(buf);
			fclose(f);
		}
	}
	free(bin);
	free(fleet);
	free(pf);
	return (h->port > 0 ? 0 : -1);
}

static void
hostd_stop(struct hostd *h)
{
	char	*cmd;

	if (h->pid > 0) {
		kill(h->pid, SIGTERM);
		waitpid(h->pid, NULL, 0);
	}
	cmd = xasprintf("rm -rf %s", h->dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", h->dir);
	free(cmd);
}

/* Reference, a samples page and a labels page of one version. */
static void
check_version(const struct hostd *h, const char *model, const char *version,
    struct strbuf *b)
{
	struct contract_reference ref;
	struct contract_samples	 s;
	struct contract_labels	 l;
	char			*path, *cause = NULL;

	path = xasprintf("/ops/v1/models/%s/versions/%s/reference", model,
	    version);
	CHECK_INT(fetch(h, path, 0, b), 200);
	free(path);
	CHECK_INT(contract_parse_reference(b->s, b->len, &ref, &cause), 0);
	if (cause != NULL) {
		printf("# %s v%s reference: %s\n", model, version, cause);
		free(cause);
		return;
	}
	CHECK(ref.nfeatures > 0 && ref.rows.n > 0);
	path = xasprintf("/ops/v1/models/%s/versions/%s/samples?limit=200",
	    model, version);
	CHECK_INT(fetch(h, path, 0, b), 200);
	free(path);
	CHECK_INT(contract_parse_samples(b->s, b->len, &ref, &s, &cause), 0);
	if (cause == NULL) {
		CHECK(s.rows.n <= 200 && s.rows.nfeatures == ref.nfeatures);
		CHECK(s.cursor != NULL);
		contract_samples_free(&s);
	} else
		printf("# %s v%s samples: %s\n", model, version, cause);
	free(cause);
	cause = NULL;
	path = xasprintf("/ops/v1/models/%s/versions/%s/labels?limit=200",
	    model, version);
	CHECK_INT(fetch(h, path, 0, b), 200);
	free(path);
	CHECK_INT(contract_parse_labels(b->s, b->len, &ref.task, &l, &cause), 0);
	if (cause == NULL)
		contract_labels_free(&l);
	else
		printf("# %s v%s labels: %s\n", model, version, cause);
	free(cause);
	contract_reference_free(&ref);
}

static void
check_metrics(const struct hostd *h, const struct contract_deployments *d,
    int triton, struct strbuf *b)
{
	struct prom_scrape	 a, c;
	struct prom_model	*m, *pm;
	struct derive_figures	 f;
	char			*cause = NULL;
	size_t			 i;

	CHECK_INT(fetch(h, "/metrics", 0, b), 200);
	CHECK_INT(prom_parse(b->s, b->len, 0, &a, &cause), 0);
	free(cause);
	usleep(300000);
	CHECK_INT(fetch(h, "/metrics", 0, b), 200);
	CHECK_INT(prom_parse(b->s, b->len, 0, &c, NULL), 0);
	for (i = 0; i < d->n; i++) {
		m = prom_scrape_find(&c, d->v[i].model, d->v[i].version);
		CHECK(m != NULL);
		if (m == NULL || d->v[i].traffic_percent == 0)
			continue;
		pm = prom_scrape_find(&a, d->v[i].model, d->v[i].version);
		derive_figures(NULL, m, &f);
		CHECK(f.requests > 0 && f.error_rate >= 0 && f.error_rate <= 1);
		CHECK_INT(f.triton, triton);
		if (triton)
			CHECK(f.mean_latency_ms > 0 && isnan(f.p99_latency_ms));
		else
			CHECK(f.p50_latency_ms > 0 &&
			    f.p99_latency_ms >= f.p50_latency_ms);
		derive_figures(pm, m, &f);
		CHECK(f.reset == 0);
	}
	prom_scrape_free(&a);
	prom_scrape_free(&c);
}

static void
check_host(int triton)
{
	struct hostd		 h;
	struct strbuf		 b = { 0 };
	struct contract_deployments d;
	struct contract_model_meta m;
	struct contract_repo_index r;
	char			*path;
	double			 share;
	size_t			 i, k;

	CHECK_INT(hostd_start(&h, triton), 0);
	if (h.port == 0)
		goto out;
	CHECK_INT(fetch(&h, "/ops/v1/deployments", 0, &b), 200);
	CHECK_INT(contract_parse_deployments(b.s, b.len, &d, NULL), 0);
	CHECK(d.n >= 2);
	for (i = 0; i < d.n; i++) {
		for (k = 0, share = 0; k < d.n; k++) {
			if (strcmp(d.v[k].model, d.v[i].model) == 0 &&
			    d.v[k].stage != CONTRACT_STAGE_RETIRED)
				share += d.v[k].traffic_percent;
		}
		CHECK_NEAR(share, 100, 1e-9, 0);
		if (d.v[i].stage != CONTRACT_STAGE_RETIRED)
			check_version(&h, d.v[i].model, d.v[i].version, &b);
	}
	check_metrics(&h, &d, triton, &b);
	path = xasprintf("/v2/models/%s", d.v[0].model);
	CHECK_INT(fetch(&h, path, 0, &b), 200);
	free(path);
	CHECK_INT(contract_parse_model_meta(b.s, b.len, &m, NULL), 0);
	CHECK(m.nversions >= 1);
	contract_model_meta_free(&m);
	CHECK_INT(fetch(&h, "/v2/repository/index", 1, &b), 200);
	CHECK_INT(contract_parse_repo_index(b.s, b.len, &r, NULL), 0);
	CHECK(r.n >= d.n - 1);
	contract_repo_index_free(&r);
	CHECK_INT(fetch(&h, "/ops/v1/models/no-such-model/versions/1/reference",
	    0, &b), 404);
	path = contract_error_message(b.s, b.len);
	CHECK(path != NULL && *path != '\0');
	free(path);
	contract_deployments_free(&d);
out:
	hostd_stop(&h);
	strbuf_free(&b);
}

static void
test_hostd(void)
{
	check_host(0);
}

static void
test_hostd_triton(void)
{
	check_host(1);
}

int
main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	RUN(test_hostd);
	RUN(test_hostd_triton);
	curl_global_cleanup();
	return TEST_REPORT();
}
