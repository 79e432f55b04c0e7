/*
 * test_http: the libcurl multi wrapper against a real HTTP server on
 * 127.0.0.1 forked by this test (one process per connection), which
 * misbehaves on purpose by path: /hang, /trickle, /reset, /close, /500,
 * /401, /redirect, /big (Content-Length over the cap), /stream (endless
 * chunked body), /echo-auth.  A second listener plays a proxy the
 * environment points at: it must never see a connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hosts/http.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"
#include "testhelp.h"

static int server_port, proxy_port, closed_port;
static pid_t server_pid, proxy_pid;
static int proxy_pipe[2];

static int
listen_any(int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(fd, 64) != 0)
		abort();
	getsockname(fd, (struct sockaddr *)&sa, &len);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
say(int fd, const char *s)
{
	size_t off = 0, n = strlen(s);
	ssize_t w;

	while (off < n && (w = write(fd, s + off, n - off)) > 0)
		off += (size_t)w;
}

static void
answer(int fd, const char *req)
{
	char path[256] = "", buf[512], chunk[8192];
	const char *auth, *body;
	struct linger lg = { 1, 0 };
	int i;

	sscanf(req, "%*s %255s", path);
	if (strcmp(path, "/ok") == 0)
		say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"a\": 1}");
	else if (strcmp(path, "/hang") == 0)
		sleep(30);
	else if (strcmp(path, "/trickle") == 0) {
		say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
		for (i = 0; i < 1000; i++) {
			say(fd, "x");
			usleep(100000);
		}
	} else if (strcmp(path, "/reset") == 0) {
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	} else if (strcmp(path, "/close") == 0) {
		/* closed below without a byte */
	} else if (strcmp(path, "/500") == 0) {
		body = "{\"error\": \"store \\u001b[31mbroken\"}";
		dprintf(fd, "HTTP/1.1 500 Oops\r\nContent-Length: %zu\r\n\r\n%s",
		    strlen(body), body);
	} else if (strcmp(path, "/401") == 0)
		say(fd, "HTTP/1.1 401 No\r\nContent-Length: 0\r\n\r\n");
	else if (strcmp(path, "/redirect") == 0)
		say(fd, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:1/x"
		    "\r\nContent-Length: 0\r\n\r\n");
	else if (strcmp(path, "/big") == 0)
		say(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\nxx");
	else if (strcmp(path, "/stream") == 0) {
		say(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		memset(chunk, 'y', sizeof chunk);
		for (i = 0; i < 1000000; i++) {
			say(fd, "2000\r\n");
			if (write(fd, chunk, sizeof chunk) < 0)
				break;
			say(fd, "\r\n");
		}
	} else if (strcmp(path, "/echo-auth") == 0) {
		auth = strstr(req, "Authorization: ");
		snprintf(buf, sizeof buf, "%.*s", auth ?
		    (int)strcspn(auth, "\r\n") : 4, auth ? auth : "none");
		dprintf(fd, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s",
		    strlen(buf), buf);
	} else
		say(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}

static void
serve(int lfd)
{
	char req[4096];
	size_t len;
	ssize_t r;
	int fd;

	signal(SIGCHLD, SIG_IGN);
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) < 0)
			continue;
		if (fork() == 0) {
			len = 0;
			while (len < sizeof req - 1 &&
			    (r = read(fd, req + len, sizeof req - 1 - len)) > 0) {
				len += (size_t)r;
				req[len] = '\0';
				if (strstr(req, "\r\n\r\n") != NULL)
					break;
			}
			req[len] = '\0';
			answer(fd, req);
			close(fd);
			_exit(0);
		}
		close(fd);
	}
}

/* The proxy: reports one byte down the pipe per connection it gets. */
static void
serve_proxy(int lfd)
{
	int fd;

	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) < 0)
			continue;
		if (write(proxy_pipe[1], "c", 1) < 0)
			_exit(1);
		close(fd);
	}
}

static void
start_servers(void)
{
	int lfd, pfd, cfd;

	lfd = listen_any(&server_port);
	pfd = listen_any(&proxy_port);
	cfd = listen_any(&closed_port);
	close(cfd);
	if (pipe2(proxy_pipe, O_NONBLOCK) != 0)
		abort();
	if ((server_pid = fork()) == 0) {
		setpgid(0, 0);
		serve(lfd);
	}
	setpgid(server_pid, server_pid);
	if ((proxy_pid = fork()) == 0)
		serve_proxy(pfd);
	close(lfd);
	close(pfd);
	close(proxy_pipe[1]);
}

static void
stop_servers(void)
{
	kill(-server_pid, SIGKILL);
	kill(server_pid, SIGKILL);
	kill(proxy_pid, SIGKILL);
	waitpid(server_pid, NULL, 0);
	waitpid(proxy_pid, NULL, 0);
}

struct got {
	int			 done;
	enum http_result	 result;
	long			 status;
	char			*body;
	char			*error;
	int64_t			 elapsed;
};

static void
on_done(void *arg, struct http_response *r)
{
	struct got *g = arg;

	g->done++;
	g->result = r->result;
	g->status = r->status;
	g->body = r->body;
	r->body = NULL;
	g->error = r->error != NULL ? xstrdup(r->error) : NULL;
	g->elapsed = r->elapsed_ms;
}

static void
got_free(struct got *g)
{
	free(g->body);
	free(g->error);
	memset(g, 0, sizeof *g);
}

/* Fetch one path with the given limits and wait for it. */
static void
fetch(const char *path, long timeout, size_t max, const char *token,
    struct got *g)
{
	struct http *h = http_new();
	struct http_request req = { 0 };
	char url[128];

	memset(g, 0, sizeof *g);
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", server_port, path);
	req.url = url;
	req.host_name = "h1";
	req.token = token;
	req.timeout_ms = timeout;
	req.connect_timeout_ms = 500;
	req.max_body = max;
	if (http_start(h, &req, on_done, g, NULL) < 0)
		abort();
	http_run(h, timefmt_mono_ms() + 20000);
	http_free(h);
}

static void
test_ok(void)
{
	struct got g;

	fetch("/ok", 0, 0, NULL, &g);
	CHECK_INT(g.done, 1);
	CHECK_INT(g.result, HTTP_OK);
	CHECK_INT(g.status, 200);
	CHECK_STR(g.body, "{\"a\": 1}");
	CHECK(g.error == NULL);
	got_free(&g);
}

static void
test_bearer_sent(void)
{
	struct got g;

	fetch("/echo-auth", 0, 0, "s3cr3t", &g);
	CHECK_STR(g.body, "Authorization: Bearer s3cr3t");
	got_free(&g);
	fetch("/echo-auth", 0, 0, NULL, &g);
	CHECK_STR(g.body, "none");
	got_free(&g);
}

static void
test_token_with_newline_refused(void)
{
	struct http *h = http_new();
	struct http_request req = { .url = "http://127.0.0.1:1/",
	    .token = "a\r\nX-Evil: 1" };
	char *cause = NULL;

	CHECK(http_start(h, &req, on_done, NULL, &cause) < 0);
	CHECK(cause != NULL && strstr(cause, "line break") != NULL);
	CHECK(cause != NULL && strstr(cause, "Evil") == NULL);
	free(cause);
	http_free(h);
}

static void
test_hang_times_out(void)
{
	struct got g;

	fetch("/hang", 700, 0, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_TIMEOUT);
	CHECK_STR(g.error, "timed out after 0.7 s");
	CHECK(g.elapsed >= 650 && g.elapsed < 3000);
	got_free(&g);
}

static void
test_trickle_times_out(void)
{
	struct got g;

	fetch("/trickle", 1000, 0, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_TIMEOUT);
	CHECK_STR(g.error, "timed out after 1 s");
	CHECK(g.elapsed < 4000);
	got_free(&g);
}

static void
test_reset(void)
{
	struct got g;

	fetch("/reset", 0, 0, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_RESET);
	CHECK_STR(g.error, "connection reset by host");
	got_free(&g);
	fetch("/close", 0, 0, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_RESET);
	CHECK_STR(g.error, "host closed the connection without answering");
	got_free(&g);
}

static void
test_status_errors(void)
{
	struct got g;

	fetch("/500", 0, 0, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_STATUS);
	CHECK_INT(g.status, 500);
	/* The host's text is kept, its escape sequence made harmless. */
	CHECK_STR(g.error, "HTTP 500: store \\u001b[31mbroken");
	CHECK(g.body == NULL);
	got_free(&g);
	fetch("/nowhere", 0, 0, NULL, &g);
	CHECK_STR(g.error, "HTTP 404");
	got_free(&g);
	fetch("/redirect", 0, 0, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_STATUS);
	CHECK_STR(g.error, "redirect (HTTP 302) not followed");
	got_free(&g);
}

static void
test_unauthorised(void)
{
	struct got g;

	fetch("/401", 0, 0, "tok-XYZ", &g);
	CHECK_INT(g.result, HTTP_ERR_AUTH);
	CHECK_STR(g.error, "not authorised by host h1 (401)");
	got_free(&g);
}

static void
test_body_caps(void)
{
	struct got g;

	fetch("/big", 0, 1 << 20, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_TOO_BIG);
	CHECK_STR(g.error, "body larger than 1 MiB");
	got_free(&g);
	/* An endless chunked body is cut at the cap, not read to the end. */
	fetch("/stream", 5000, 100000, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_TOO_BIG);
	CHECK_STR(g.error, "body larger than 100000 bytes");
	CHECK(g.elapsed < 4500);
	got_free(&g);
	fetch("/ok", 0, 8, NULL, &g);
	CHECK_INT(g.result, HTTP_OK);
	got_free(&g);
	fetch("/ok", 0, 7, NULL, &g);
	CHECK_INT(g.result, HTTP_ERR_TOO_BIG);
	got_free(&g);
}

static void
test_refused_and_bad_urls(void)
{
	struct http *h = http_new();
	struct http_request req = { 0 };
	struct got a, b, c;
	char url[64];

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	memset(&c, 0, sizeof c);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", closed_port);
	req.url = url;
	http_start(h, &req, on_done, &a, NULL);
	req.url = "ftp://127.0.0.1/x";
	http_start(h, &req, on_done, &b, NULL);
	req.url = "file:///etc/passwd";
	http_start(h, &req, on_done, &c, NULL);
	http_run(h, timefmt_mono_ms() + 5000);
	CHECK_INT(a.result, HTTP_ERR_CONNECT);
	CHECK_STR(a.error, "connection refused");
	CHECK_STR(b.error, "protocol not allowed (http and https only)");
	CHECK_STR(c.error, "protocol not allowed (http and https only)");
	CHECK(c.body == NULL);
	got_free(&a);
	got_free(&b);
	got_free(&c);
	req.url = "";
	CHECK(http_start(h, &req, on_done, NULL, NULL) < 0);
	http_free(h);
}

/* A hung transfer does not hold up the others running beside it. */
static void
test_parallel_independent(void)
{
	struct http *h = http_new();
	struct http_request req = { .timeout_ms = 1500 };
	struct got g[4];
	char url[4][64];
	const char *paths[4] = { "/hang", "/ok", "/trickle", "/ok" };
	int i;
	int64_t t0 = timefmt_mono_ms();

	memset(g, 0, sizeof g);
	for (i = 0; i < 4; i++) {
		snprintf(url[i], sizeof url[i], "http://127.0.0.1:%d%s",
		    server_port, paths[i]);
		req.url = url[i];
		CHECK(http_start(h, &req, on_done, &g[i], NULL) > 0);
	}
	CHECK_INT(http_running(h), 4);
	http_run(h, t0 + 10000);
	CHECK_INT(http_running(h), 0);
	CHECK_INT(g[1].result, HTTP_OK);
	CHECK_INT(g[3].result, HTTP_OK);
	/* Done long before the 1.5 s timeouts of the other two. */
	CHECK(g[1].elapsed < 1000 && g[3].elapsed < 1000);
	CHECK_INT(g[0].result, HTTP_ERR_TIMEOUT);
	CHECK_INT(g[2].result, HTTP_ERR_TIMEOUT);
	CHECK(timefmt_mono_ms() - t0 < 4000);
	for (i = 0; i < 4; i++)
		got_free(&g[i]);
	http_free(h);
}

static void
test_cancel(void)
{
	struct http *h = http_new();
	struct http_request req = { .timeout_ms = 5000 };
	struct got g;
	char url[64];
	int64_t id;

	memset(&g, 0, sizeof g);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hang", server_port);
	req.url = url;
	id = http_start(h, &req, on_done, &g, NULL);
	http_run(h, timefmt_mono_ms() + 200);
	http_cancel(h, id);
	CHECK_INT(http_running(h), 0);
	CHECK_INT(g.done, 0);
	/* Freed with transfers running: no callback, no leak. */
	http_start(h, &req, on_done, &g, NULL);
	http_free(h);
	CHECK_INT(g.done, 0);
}

/* Proxies from the environment are never used; SSLKEYLOGFILE is dropped. */
static void
test_no_proxy_from_env(void)
{
	struct got g;
	char proxy[64], c;
	int n = 0;

	snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", proxy_port);
	setenv("http_proxy", proxy, 1);
	setenv("HTTPS_PROXY", proxy, 1);
	setenv("ALL_PROXY", proxy, 1);
	setenv("no_proxy", "", 1);
	setenv("SSLKEYLOGFILE", "/tmp/md-test-keylog", 1);
	fetch("/echo-auth", 0, 0, "tok", &g);
	CHECK_INT(g.result, HTTP_OK);
	CHECK(getenv("SSLKEYLOGFILE") == NULL);
	got_free(&g);
	/* Give a stray connection time to show up, then count. */
	usleep(200000);
	while (read(proxy_pipe[0], &c, 1) == 1)
		n++;
	CHECK_INT(n, 0);
	unsetenv("http_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("ALL_PROXY");
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	start_servers();
	RUN(test_ok);
	RUN(test_bearer_sent);
	RUN(test_token_with_newline_refused);
	RUN(test_hang_times_out);
	RUN(test_trickle_times_out);
	RUN(test_reset);
	RUN(test_status_errors);
	RUN(test_unauthorised);
	RUN(test_body_caps);
	RUN(test_refused_and_bad_urls);
	RUN(test_parallel_independent);
	RUN(test_cancel);
	RUN(test_no_proxy_from_env);
	stop_servers();
	return TEST_REPORT();
}
