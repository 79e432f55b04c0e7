/*
 * http: libcurl multi transfers driven by a poll() loop (see http.h for
 * the transport rules).  Sockets libcurl asks for are kept in a small
 * table (fd, events); the timer is one deadline on the monotonic clock.
 * A finished transfer is unlinked before its callback runs, so the
 * callback may start or cancel other transfers.
 */
#include "hosts/http.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define SYSTEM_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define ERROR_TEXT_MAX 200	/* bytes of a host's {"error"} text kept */

struct xfer {
	int64_t		 id;
	CURL		*easy;
	struct curl_slist *hdrs;
	char		*auth;		/* the header line, wiped at the end */
	char		*url;
	char		*host_name;
	char		*post;
	char		*buf;
	size_t		 len, cap, max;
	int		 too_big;
	long		 connect_ms, total_ms;
	int64_t		 start_ms;
	char		 errbuf[CURL_ERROR_SIZE];
	http_done_fn	 done;
	void		*arg;
	struct xfer	*next;
};

struct sock {
	curl_socket_t	 fd;
	short		 events;
};

struct http {
	CURLM		*multi;
	struct xfer	*xfers;
	size_t		 nxfers;
	struct sock	*socks;
	size_t		 nsocks, capsocks;
	int64_t		 deadline;	/* monotonic ms, -1 = no timer */
	int64_t		 next_id;
	char		*system_ca;
};

static struct sock *
sock_find(struct http *h, curl_socket_t fd)
{
	size_t i;

	for (i = 0; i < h->nsocks; i++) {
		if (h->socks[i].fd == fd)
			return &h->socks[i];
	}
	return NULL;
}

static int
socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct http *h = userp;
	struct sock *s = sock_find(h, fd);

	(void)easy;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL)
			*s = h->socks[--h->nsocks];
		return 0;
	}
	if (s == NULL) {
		if (h->nsocks == h->capsocks) {
			h->capsocks = h->capsocks ? h->capsocks * 2 : 16;
			h->socks = xreallocarray(h->socks, h->capsocks,
			    sizeof *h->socks);
		}
		s = &h->socks[h->nsocks++];
		s->fd = fd;
	}
	s->events = 0;
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		s->events |= POLLIN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		s->events |= POLLOUT;
	return 0;
}

static int
timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	h->deadline = timeout_ms < 0 ? -1 : timefmt_mono_ms() + timeout_ms;
	return 0;
}

/* The CA bundle libcurl was built with, asked once per handle. */
static char *
system_ca_bundle(void)
{
	CURL *easy;
	char *path = NULL;

	if ((easy = curl_easy_init()) != NULL) {
		if (curl_easy_getinfo(easy, CURLINFO_CAINFO, &path) != CURLE_OK)
			path = NULL;
		path = xstrdup(path != NULL ? path : SYSTEM_CA_BUNDLE);
		curl_easy_cleanup(easy);
	}
	return path != NULL ? path : xstrdup(SYSTEM_CA_BUNDLE);
}

struct http *
http_new(void)
{
	struct http *h = xcalloc(1, sizeof *h);

	/* Before libcurl initialises OpenSSL, which reads it (see http.h). */
	unsetenv("SSLKEYLOGFILE");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (h->multi = curl_multi_init()) == NULL) {
		fprintf(stderr, "modeldeck: libcurl cannot be initialised\n");
		abort();
	}
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	h->deadline = -1;
	h->next_id = 1;
	h->system_ca = system_ca_bundle();
	return h;
}

static void
xfer_free(struct http *h, struct xfer *x)
{
	curl_multi_remove_handle(h->multi, x->easy);
	curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	if (x->auth != NULL) {
		explicit_bzero(x->auth, strlen(x->auth));
		free(x->auth);
	}
	free(x->url);
	free(x->host_name);
	free(x->post);
	free(x->buf);
	free(x);
}

static void
xfer_unlink(struct http *h, struct xfer *x)
{
	struct xfer **pp;

	for (pp = &h->xfers; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			h->nxfers--;
			return;
		}
	}
}

void
http_free(struct http *h)
{
	struct xfer *x;

	if (h == NULL)
		return;
	while ((x = h->xfers) != NULL) {
		xfer_unlink(h, x);
		xfer_free(h, x);
	}
	curl_multi_cleanup(h->multi);
	curl_global_cleanup();
	free(h->socks);
	free(h->system_ca);
	free(h);
}

/* Keep the body, refusing (and so aborting the transfer) past the cap. */
static size_t
write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct xfer *x = userp;
	size_t n = size * nmemb;

	if (n > x->max - x->len) {
		x->too_big = 1;
		return 0;
	}
	if (x->len + n + 1 > x->cap) {
		while (x->len + n + 1 > x->cap)
			x->cap = x->cap ? x->cap * 2 : 16384;
		if (x->cap > x->max + 1)
			x->cap = x->max + 1;
		x->buf = xrealloc(x->buf, x->cap);
	}
	memcpy(x->buf + x->len, data, n);
	x->len += n;
	x->buf[x->len] = '\0';
	return n;
}

static void
set_options(struct http *h, struct xfer *x, const struct http_request *req)
{
	CURL *e = x->easy;

	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_CAINFO,
	    req->ca_file != NULL ? req->ca_file : h->system_ca);
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, x->connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, x->total_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "modeldeck");
	if (x->post != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->post);
		x->hdrs = curl_slist_append(x->hdrs,
		    "Content-Type: application/json");
	}
	x->hdrs = curl_slist_append(x->hdrs, "Accept: application/json, text/plain");
	if (x->auth != NULL)
		x->hdrs = curl_slist_append(x->hdrs, x->auth);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
}

int64_t
http_start(struct http *h, const struct http_request *req, http_done_fn done,
    void *arg, char **cause)
{
	struct xfer *x;

	if (req->url == NULL || *req->url == '\0')
		return xcause(cause, "no URL");
	if (req->token != NULL && strpbrk(req->token, "\r\n") != NULL)
		return xcause(cause, "token contains a line break");
	x = xcalloc(1, sizeof *x);
	if ((x->easy = curl_easy_init()) == NULL) {
		free(x);
		return xcause(cause, "libcurl cannot create a transfer");
	}
	x->id = h->next_id++;
	x->url = xstrdup(req->url);
	x->host_name = xstrdup(req->host_name != NULL ? req->host_name : "?");
	x->post = req->post_body != NULL ? xstrdup(req->post_body) : NULL;
	x->auth = req->token != NULL ?
	    xasprintf("Authorization: Bearer %s", req->token) : NULL;
	x->max = req->max_body ? req->max_body : HTTP_MAX_BODY;
	x->connect_ms = req->connect_timeout_ms ? req->connect_timeout_ms :
	    HTTP_CONNECT_TIMEOUT_MS;
	x->total_ms = req->timeout_ms ? req->timeout_ms : HTTP_TIMEOUT_MS;
	x->done = done;
	x->arg = arg;
	x->start_ms = timefmt_mono_ms();
	set_options(h, x, req);
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK) {
		xfer_free(h, x);
		return xcause(cause, "libcurl refused the transfer");
	}
	x->next = h->xfers;
	h->xfers = x;
	h->nxfers++;
	return x->id;
}

void
http_cancel(struct http *h, int64_t id)
{
	struct xfer *x;

	for (x = h->xfers; x != NULL; x = x->next) {
		if (x->id == id) {
			xfer_unlink(h, x);
			xfer_free(h, x);
			return;
		}
	}
}

size_t
http_running(const struct http *h)
{
	return h->nxfers;
}

size_t
http_pollfds(const struct http *h, struct pollfd *fds, size_t max)
{
	size_t i;

	for (i = 0; i < h->nsocks && i < max; i++) {
		fds[i].fd = h->socks[i].fd;
		fds[i].events = h->socks[i].events;
		fds[i].revents = 0;
	}
	return h->nsocks;
}

int64_t
http_timeout_ms(const struct http *h)
{
	int64_t left;

	if (h->deadline < 0)
		return -1;
	left = h->deadline - timefmt_mono_ms();
	return left > 0 ? left : 0;
}

/* "10 s", "2.5 s", "64 MiB", "512 KiB", "1000 bytes": for messages. */
static void
fmt_seconds(char *buf, size_t len, long ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%ld s", ms / 1000);
	else
		snprintf(buf, len, "%.1f s", (double)ms / 1000.0);
}

static void
fmt_size(char *buf, size_t len, size_t n)
{
	if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, len, "%zu KiB", n >> 10);
	else
		snprintf(buf, len, "%zu bytes", n);
}

/*
 * A host's error text (untrusted) as the error to keep: at most
 * ERROR_TEXT_MAX bytes, cut between characters, on one line and made safe
 * for a terminal by the one sanitizer.
 */
static char *
clean_text(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	struct strbuf		 b = { 0 };
	size_t			 i = 0, k, n = strlen(s);
	unsigned		 cp;

	while (i < n) {
		if ((k = sanitize_utf8(p + i, n - i, &cp)) == 0)
			k = 1;
		if (i + k > ERROR_TEXT_MAX)
			break;
		i += k;
	}
	sanitize_append(&b, s, i, 0);
	return strbuf_take(&b);
}

/* "HTTP 503", with the host's {"error": "..."} text when it sent one. */
static char *
status_error(const struct xfer *x, long status)
{
	cJSON *j, *e;
	char *text, *msg;

	if (status >= 300 && status < 400)
		return xasprintf("redirect (HTTP %ld) not followed", status);
	if (x->buf == NULL || x->len > 65536 ||
	    (j = cJSON_ParseWithLength(x->buf, x->len)) == NULL)
		return xasprintf("HTTP %ld", status);
	e = cJSON_GetObjectItemCaseSensitive(j, "error");
	if (!cJSON_IsString(e) || *e->valuestring == '\0') {
		cJSON_Delete(j);
		return xasprintf("HTTP %ld", status);
	}
	text = clean_text(e->valuestring);
	msg = xasprintf("HTTP %ld: %s", status, text);
	free(text);
	cJSON_Delete(j);
	return msg;
}

static char *
tls_error(const struct xfer *x, CURLcode rc)
{
	long vr = 0;

	if (rc == CURLE_SSL_CACERT_BADFILE)
		return xstrdup("CA file cannot be read");
	curl_easy_getinfo(x->easy, CURLINFO_SSL_VERIFYRESULT, &vr);
	switch (vr) {
	case 18:	/* X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT */
		return xstrdup("certificate not trusted (self-signed)");
	case 2: case 19: case 20: case 21:	/* issuer not found/trusted */
		return xstrdup("certificate not trusted (unknown CA)");
	case 9:
		return xstrdup("certificate not valid yet");
	case 10:
		return xstrdup("certificate expired");
	case 62:
		return xstrdup("certificate does not match the host name");
	}
	if (strstr(x->errbuf, "subject name") != NULL ||
	    strstr(x->errbuf, "does not match") != NULL)
		return xstrdup("certificate does not match the host name");
	if (rc == CURLE_PEER_FAILED_VERIFICATION)
		return xstrdup("certificate not trusted");
	if (strstr(x->errbuf, "wrong version number") != NULL)
		return xstrdup("TLS handshake failed (the host does not speak "
		    "TLS on this port)");
	/* A plain-HTTP server that reads a ClientHello may answer 400 (the
	 * case above) or just hang up; which one depends on timing, so the
	 * hang-up gets its own plain words instead of OpenSSL's
	 * "SSL_ERROR_SYSCALL". */
	if (strstr(x->errbuf, "SSL_ERROR_SYSCALL") != NULL ||
	    strstr(x->errbuf, "unexpected eof") != NULL)
		return xstrdup("TLS handshake failed (the host closed the "
		    "connection; is this port TLS?)");
	return xasprintf("TLS handshake failed (%s)",
	    x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
}

static enum http_result
transport_error(const struct xfer *x, CURLcode rc, char **msg)
{
	char tmp[32];
	long oserr = 0;
	curl_off_t conn = 0;

	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		*msg = xstrdup(oserr == ECONNREFUSED ? "connection refused" :
		    (oserr == EHOSTUNREACH || oserr == ENETUNREACH) ?
		    "host unreachable" : "could not connect");
		return HTTP_ERR_CONNECT;
	case CURLE_COULDNT_RESOLVE_HOST:
		*msg = xstrdup("host name not found");
		return HTTP_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &conn);
		fmt_seconds(tmp, sizeof tmp, conn == 0 ? x->connect_ms :
		    x->total_ms);
		*msg = xasprintf("%s after %s", conn == 0 ?
		    "connect timed out" : "timed out", tmp);
		return HTTP_ERR_TIMEOUT;
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
			fmt_size(tmp, sizeof tmp, x->max);
			*msg = xasprintf("body larger than %s", tmp);
			return HTTP_ERR_TOO_BIG;
		}
		break;
	case CURLE_GOT_NOTHING:
		*msg = xstrdup("host closed the connection without answering");
		return HTTP_ERR_RESET;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		*msg = xstrdup(oserr == ECONNRESET ? "connection reset by host" :
		    "connection closed in the middle of the answer");
		return HTTP_ERR_RESET;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
		*msg = tls_error(x, rc);
		return HTTP_ERR_TLS;
	case CURLE_UNSUPPORTED_PROTOCOL:
		*msg = xstrdup("protocol not allowed (http and https only)");
		return HTTP_ERR_OTHER;
	case CURLE_URL_MALFORMAT:
		*msg = xstrdup("malformed URL");
		return HTTP_ERR_OTHER;
	default:
		break;
	}
	*msg = xstrdup(x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	return HTTP_ERR_OTHER;
}

static void
finish(struct http *h, struct xfer *x, CURLcode rc)
{
	struct http_response r;

	memset(&r, 0, sizeof r);
	r.url = x->url;
	r.elapsed_ms = timefmt_mono_ms() - x->start_ms;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r.status);
	if (rc != CURLE_OK)
		r.result = transport_error(x, rc, &r.error);
	else if (r.status == 401 || r.status == 403) {
		r.result = HTTP_ERR_AUTH;
		r.error = xasprintf("not authorised by host %s (%ld)",
		    x->host_name, r.status);
	} else if (r.status < 200 || r.status > 299) {
		r.result = HTTP_ERR_STATUS;
		r.error = status_error(x, r.status);
	} else
		r.result = HTTP_OK;
	if (r.result == HTTP_OK) {
		r.body = x->buf != NULL ? x->buf : xstrdup("");
		r.len = x->len;
		x->buf = NULL;
	}
	xfer_unlink(h, x);
	if (x->done != NULL)
		x->done(x->arg, &r);
	free(r.body);
	free(r.error);
	xfer_free(h, x);
}

static void
check_done(struct http *h)
{
	CURLMsg *m;
	struct xfer *x;
	int left;

	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		x = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x != NULL)
			finish(h, x, m->data.result);
	}
}

void
http_dispatch(struct http *h, const struct pollfd *fds, size_t n)
{
	int running, mask;
	size_t i;

	for (i = 0; i < n; i++) {
		if (fds[i].revents == 0 || sock_find(h, fds[i].fd) == NULL)
			continue;
		mask = 0;
		if (fds[i].revents & (POLLIN | POLLHUP))
			mask |= CURL_CSELECT_IN;
		if (fds[i].revents & POLLOUT)
			mask |= CURL_CSELECT_OUT;
		if (fds[i].revents & (POLLERR | POLLNVAL))
			mask |= CURL_CSELECT_ERR;
		curl_multi_socket_action(h->multi, fds[i].fd, mask, &running);
	}
	if (h->deadline >= 0 && timefmt_mono_ms() >= h->deadline) {
		/* One-shot: libcurl sets a new timer if it wants one. */
		h->deadline = -1;
		curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0,
		    &running);
	}
	check_done(h);
}

void
http_run(struct http *h, int64_t deadline_ms)
{
	struct pollfd *fds = NULL;
	size_t n, cap = 0;
	int64_t wait, left;

	while (http_running(h) > 0) {
		left = deadline_ms - timefmt_mono_ms();
		if (left <= 0)
			break;
		while ((n = http_pollfds(h, fds, cap)) > cap) {
			cap = n;
			fds = xreallocarray(fds, cap, sizeof *fds);
		}
		wait = http_timeout_ms(h);
		if (wait < 0 || wait > left)
			wait = left;
		if (wait > 1000)
			wait = 1000;
		if (poll(fds, n, (int)wait) < 0 && errno != EINTR)
			break;
		http_dispatch(h, fds, n);
	}
	free(fds);
}
