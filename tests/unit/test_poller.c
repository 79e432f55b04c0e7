/*
 * test_poller: the poller's states and scheduling without a model host:
 * a refused token file, a closed port, a forbidden protocol; backoff
 * doubling after failed cycles; the views.  Hosts that answer are tested
 * against real modeldeck-hostd processes in tests/integration/poller_*.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/options.h"
#include "hosts/poller.h"
#include "util/timefmt.h"
#include "testhelp.h"

/* A loopback port nothing listens on. */
static int
closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sa, sizeof sa);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void
test_states_without_hosts(void)
{
	struct poller_host_conf hc[3];
	struct poller_host_view v;
	struct poller *p;
	char url[64], bare[64];
	int port = closed_port();

	memset(hc, 0, sizeof hc);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	snprintf(bare, sizeof bare, "http://127.0.0.1:%d", port);
	hc[0].name = "refused";
	hc[0].url = url;
	hc[0].token = "secret-token";
	hc[1].name = "tokenless";
	hc[1].url = "http://127.0.0.1:9";
	hc[1].token_error = "token file /x/t: mode 0644, must be 0600";
	hc[2].name = "ftp";
	hc[2].url = "ftp://127.0.0.1/";
	p = poller_new(hc, 3, NULL, NULL);
	CHECK_INT(poller_nhosts(p), 3);
	poller_host(p, 0, &v);
	CHECK_INT(v.state, POLLER_UNKNOWN);
	CHECK_STR(v.url, bare);	/* the trailing slash goes */
	poller_run_once(p, timefmt_mono_ms() + 10000);
	CHECK_INT(poller_busy(p), 0);
	poller_host(p, 0, &v);
	CHECK_INT(v.state, POLLER_DOWN);
	CHECK_STR(v.error, "connection refused");
	CHECK(v.last_ok_ms == 0);
	CHECK_INT(v.cycles, 1);
	poller_host(p, 1, &v);
	CHECK_INT(v.state, POLLER_UNAUTHORIZED);
	CHECK_STR(v.error, "token file /x/t: mode 0644, must be 0600");
	poller_host(p, 2, &v);
	CHECK_INT(v.state, POLLER_DOWN);
	CHECK_STR(v.error, "protocol not allowed (http and https only)");
	CHECK_INT(poller_nversions(p), 0);
	poller_free(p);
}

/* Failed cycles wait backoff_initial, then twice that, up to backoff_max. */
static void
test_backoff(void)
{
	struct config_options o;
	struct poller_host_conf hc = { 0 };
	struct poller *p;
	int64_t t1, t2, t3;
	char url[64];

	CHECK_INT(options_defaults(options_global, &o, NULL), 0);
	o.backoff_initial_ms = 400;
	o.backoff_max_ms = 1000;
	snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
	hc.name = "h";
	hc.url = url;
	p = poller_new(&hc, 1, &o, NULL);
	poller_run_once(p, timefmt_mono_ms() + 5000);
	t1 = poller_timeout_ms(p, timefmt_mono_ms());
	poller_run_once(p, timefmt_mono_ms() + 5000);
	t2 = poller_timeout_ms(p, timefmt_mono_ms());
	poller_run_once(p, timefmt_mono_ms() + 5000);
	t3 = poller_timeout_ms(p, timefmt_mono_ms());
	CHECK(t1 > 300 && t1 <= 400);
	CHECK(t2 > 700 && t2 <= 800);
	CHECK(t3 > 900 && t3 <= 1000);
	poller_free(p);
}

/* The caller's loop: pollfds/timeout/tick start due hosts and finish them. */
static void
test_driven_by_loop(void)
{
	struct poller_host_conf hc = { 0 };
	struct poller_host_view v;
	struct pollfd fds[16];
	struct poller *p;
	char url[64];
	int64_t end = timefmt_mono_ms() + 5000, t;
	size_t n;

	snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
	hc.name = "h";
	hc.url = url;
	p = poller_new(&hc, 1, NULL, NULL);
	CHECK_INT(poller_timeout_ms(p, timefmt_mono_ms()), 0);	/* due now */
	poller_start_due(p, timefmt_mono_ms());
	CHECK_INT(poller_busy(p), 1);
	while (poller_busy(p) > 0 && timefmt_mono_ms() < end) {
		n = poller_pollfds(p, fds, 16);
		t = poller_timeout_ms(p, timefmt_mono_ms());
		poll(fds, n, t < 0 || t > 100 ? 100 : (int)t);
		poller_tick(p, fds, n, timefmt_mono_ms());
	}
	poller_host(p, 0, &v);
	CHECK_INT(v.state, POLLER_DOWN);
	CHECK(v.last_cycle_ms >= 0 && v.last_cycle_ms < 2000);
	poller_free(p);
}

/* A poll cut short by its deadline: busy, then freed with requests in flight. */
static void
test_deadline_then_free(void)
{
	struct poller_host_conf hc = { 0 };
	struct poller_host_view v;
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	struct poller *p;
	char url[64];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int64_t t0;

	/* Listening but never accepting: connects, then no answer. */
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	CHECK(listen(fd, 16) == 0);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(sa.sin_port));
	hc.name = "silent";
	hc.url = url;
	p = poller_new(&hc, 1, NULL, NULL);
	t0 = timefmt_mono_ms();
	poller_run_once(p, t0 + 300);
	CHECK(timefmt_mono_ms() - t0 < 2000);
	CHECK_INT(poller_busy(p), 1);
	poller_host(p, 0, &v);
	CHECK_INT(v.busy, 1);
	CHECK_INT(v.state, POLLER_UNKNOWN);
	poller_free(p);		/* leak-checked under make asan */
	close(fd);
}

static void
test_state_names(void)
{
	CHECK_STR(poller_state_name(POLLER_UP), "up");
	CHECK_STR(poller_state_name(POLLER_DEGRADED), "degraded");
	CHECK_STR(poller_state_name(POLLER_DOWN), "down");
	CHECK_STR(poller_state_name(POLLER_UNAUTHORIZED), "unauthorized");
	CHECK_STR(poller_state_name(POLLER_UNKNOWN), "unknown");
}

int
main(void)
{
	RUN(test_states_without_hosts);
	RUN(test_backoff);
	RUN(test_driven_by_loop);
	RUN(test_deadline_then_free);
	RUN(test_state_names);
	return TEST_REPORT();
}
