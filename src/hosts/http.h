/*
 * http: non-blocking HTTP(S) transfers on one libcurl multi handle, driven
 * by the caller's poll() loop (the console's, or the small loops of
 * `status` and `watch`).  libcurl tells us which sockets it wants through
 * CURLMOPT_SOCKETFUNCTION and when it wants a timeout through
 * CURLMOPT_TIMERFUNCTION; http_pollfds/http_timeout_ms hand these to the
 * loop and http_dispatch feeds poll()'s answer back with
 * curl_multi_socket_action.  Nothing here ever blocks.
 *
 * Every transfer is locked down the same way, whatever the environment:
 * - protocols http and https only (redirects too), and no redirect is
 *   followed: a 3xx is an error naming the status;
 * - never a proxy: CURLOPT_PROXY "" and CURLOPT_NOPROXY "*", so an
 *   http_proxy/HTTPS_PROXY/ALL_PROXY chosen by the user never sees a
 *   request, nor the bearer token in it;
 * - certificate and host name verification on; CAINFO is always set
 *   explicitly (the host's ca_file, else the system bundle) and CAPATH
 *   cleared, so CURL_CA_BUNDLE, SSL_CERT_FILE or SSL_CERT_DIR cannot
 *   widen or replace the configured trust;
 * - SSLKEYLOGFILE: libcurl's OpenSSL back end reads it when libcurl is
 *   initialised and then writes every TLS session key there, which would
 *   let whoever reads that file decrypt the bearer tokens.  http_new
 *   removes it from the environment before libcurl's first use, for every
 *   run (personal builds too): a console has no business logging keys;
 * - a body cap: the write callback aborts the transfer as soon as the body
 *   would exceed max_body (bodies with a larger Content-Length are refused
 *   before any byte is read), so memory never holds more than the cap;
 * - connect and total timeouts (2 s and 10 s unless the request says);
 * - the Authorization header is built here and never logged, printed or
 *   put in an error text; it is wiped when the transfer ends.
 *
 * Errors are in plain words: "connection refused", "timed out after 10 s",
 * "certificate not trusted (unknown CA)", "body larger than 64 MiB",
 * "not authorised by host X (401)", "HTTP 503: the host's error text".
 *
 * Ownership: the http handle owns its transfers; a transfer's response is
 * owned by the handle and valid only during the done callback, which may
 * take the body (set resp->body to NULL after taking it).  The callback
 * may start new transfers but must not free the handle.
 */
#ifndef MD_HTTP_H
#define MD_HTTP_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_CONNECT_TIMEOUT_MS	2000
#define HTTP_TIMEOUT_MS		10000
#define HTTP_MAX_BODY		((size_t)64 << 20)

/* What became of a transfer; also decides a host's state. */
enum http_result {
	HTTP_OK,		/* a 2xx answer, body complete */
	HTTP_ERR_STATUS,	/* an answer that is not 2xx (not 401/403) */
	HTTP_ERR_AUTH,		/* 401 or 403 */
	HTTP_ERR_CONNECT,	/* refused, unreachable, name not found */
	HTTP_ERR_TIMEOUT,	/* connect or total timeout */
	HTTP_ERR_TLS,		/* certificate or handshake */
	HTTP_ERR_TOO_BIG,	/* body over the cap */
	HTTP_ERR_RESET,		/* connection reset or closed mid-answer */
	HTTP_ERR_OTHER,		/* anything else libcurl reports */
};

/* One request.  Strings are copied by http_start. */
struct http_request {
	const char	*url;
	const char	*host_name;	/* for messages ("not authorised by host X") */
	const char	*token;		/* bearer token, NULL for none */
	const char	*ca_file;	/* NULL: the system bundle */
	const char	*post_body;	/* NULL: GET; else POST application/json */
	long		 connect_timeout_ms;	/* 0: HTTP_CONNECT_TIMEOUT_MS */
	long		 timeout_ms;		/* 0: HTTP_TIMEOUT_MS */
	size_t		 max_body;		/* 0: HTTP_MAX_BODY */
};

/* What the done callback receives. */
struct http_response {
	enum http_result result;
	long		 status;	/* HTTP status, 0 when no answer */
	char		*body;		/* NUL-terminated; may be taken */
	size_t		 len;
	char		*error;		/* plain words, NULL when HTTP_OK */
	int64_t		 elapsed_ms;
	const char	*url;		/* the request's URL */
};

/* Called once per transfer when it ends (success or not). */
typedef void (*http_done_fn)(void *arg, struct http_response *resp);

struct http;

/* A new transfer set with its own multi handle (initialises libcurl once). */
struct http	*http_new(void);
/* Abort every running transfer (callbacks not called) and free. */
void		 http_free(struct http *h);
/*
 * Start a transfer; done(arg, resp) is called from http_dispatch when it
 * ends.  Returns a transfer id > 0, or -1 with *cause (bad URL...).
 */
int64_t		 http_start(struct http *h, const struct http_request *req,
		    http_done_fn done, void *arg, char **cause);
/* Abort transfer id if it still runs; its callback is not called. */
void		 http_cancel(struct http *h, int64_t id);
/* How many transfers are running. */
size_t		 http_running(const struct http *h);
/*
 * Fill fds (room for max) with the sockets libcurl waits on; returns how
 * many there are (may exceed max: call again with more room).
 */
size_t		 http_pollfds(const struct http *h, struct pollfd *fds,
		    size_t max);
/* Milliseconds until libcurl wants a timeout call, -1 for none. */
int64_t		 http_timeout_ms(const struct http *h);
/*
 * After poll(): act on the ready sockets among fds[0..n-1] (others are
 * ignored, so the loop may pass its whole array) and on an expired
 * timeout, then call the done callbacks of finished transfers.
 */
void		 http_dispatch(struct http *h, const struct pollfd *fds,
		    size_t n);
/*
 * Run poll() on libcurl's sockets alone until every transfer has ended
 * or deadline_ms (timefmt_mono_ms clock) passes.  For tests and one-shot
 * commands; the console uses its own loop.
 */
void		 http_run(struct http *h, int64_t deadline_ms);

#endif
