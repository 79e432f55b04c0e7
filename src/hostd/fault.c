/*
 * fault.c: injected faults, for testing clients against a host that
 * misbehaves.  Which requests are hit: those whose path starts with
 * --fault-path (all when unset), and of those every --fault-every'th (all
 * when 0 or 1).  Blocking faults (hang, trickle) sleep in short steps and
 * give up when the daemon is stopping, so shutdown never waits on them.
 * The huge body is generated block by block and never held in memory.
 */
#include "hostd/hostd.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <netinet/in.h>
#include <unistd.h>

#include "util/xmalloc.h"

static const char *fault_names[] = {
	"none", "hang", "trickle", "reset", "5xx", "badjson", "huge", "401",
	"flap"
};

struct trickle {
	struct hostd	*h;
	char		*body;
	size_t		 len;
};

/* Parse a --fault name: 0, or -1 when unknown. */
int
fault_parse(const char *s, enum hd_fault *out)
{
	size_t	i;

	for (i = 0; i < sizeof fault_names / sizeof fault_names[0]; i++) {
		if (strcmp(s, fault_names[i]) == 0) {
			*out = (enum hd_fault)i;
			return 0;
		}
	}
	return -1;
}

/* Whether this request (to url) gets the injected fault. */
int
fault_wanted(struct hostd *h, const char *url)
{
	unsigned long	n;

	if (h->fault == HD_FAULT_NONE || h->fault == HD_FAULT_FLAP)
		return 0;
	if (h->fault_path != NULL &&
	    strncmp(url, h->fault_path, strlen(h->fault_path)) != 0)
		return 0;
	n = ++h->fault_seen;
	return h->fault_every <= 1 || n % h->fault_every == 0;
}

/* Sleep ms in 50 ms steps; 0 when the daemon started stopping. */
static int
nap(struct hostd *h, int ms)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	for (; ms > 0; ms -= 50) {
		if (h->stopping)
			return 0;
		nanosleep(&ts, NULL);
	}
	return !h->stopping;
}

static ssize_t
huge_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	static const char	 pat[] = "{\"id\":\"huge\",\"ts\":0,\"v\":1},";
	struct hostd		*h = cls;
	size_t			 i, n = max;

	if (h->stopping)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (pos >= h->huge_bytes)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (n > h->huge_bytes - pos)
		n = (size_t)(h->huge_bytes - pos);
	for (i = 0; i < n; i++) {
		if (pos + i < 9)
			buf[i] = "{\"rows\":["[pos + i];
		else
			buf[i] = pat[(pos + i - 9) % (sizeof pat - 1)];
	}
	return (ssize_t)n;
}

static enum MHD_Result
queue(struct MHD_Connection *conn, int status, const char *ctype,
    struct MHD_Response *resp)
{
	enum MHD_Result ret;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
text(struct MHD_Connection *conn, int status, const char *body)
{
	return queue(conn, status, "application/json",
	    MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_PERSISTENT));
}

static enum MHD_Result
reset(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo	*ci;
	struct linger			 lg = { 1, 0 };
	int				 fd, spare;

	/*
	 * SO_LINGER 0 makes the last close send RST instead of FIN.  The close
	 * must happen now: libmicrohttpd would shutdown(SHUT_WR) first, sending
	 * a FIN.  dup2 closes the connection and leaves an unconnected socket
	 * in its place for libmicrohttpd to close later.
	 */
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return MHD_NO;
	fd = ci->connect_fd;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	if ((spare = socket(AF_INET, SOCK_STREAM, 0)) >= 0) {
		dup2(spare, fd);
		close(spare);
	}
	return MHD_NO;
}

/* Answer a request with the configured fault (all but trickle). */
int
fault_serve(struct hostd *h, struct MHD_Connection *conn, const char *url)
{
	int metrics = strncmp(url, "/metrics", 8) == 0;

	switch (h->fault) {
	case HD_FAULT_HANG:
		while (nap(h, 1000))
			;
		return MHD_NO;
	case HD_FAULT_RESET:
		return reset(conn);
	case HD_FAULT_5XX:
		return text(conn, 500, "{\"error\":\"injected fault: internal "
		    "server error\"}");
	case HD_FAULT_401:
		return text(conn, 401, "{\"error\":\"injected fault: not "
		    "authorised\"}");
	case HD_FAULT_BADJSON:
		return text(conn, 200, metrics ?
		    "model_requests_total{model=\"x\",version= 12 oops\n{{{\n" :
		    "{\"host\": \"x\", \"deployments\": [{\"model\": nul, \"ver");
	case HD_FAULT_HUGE:
		return queue(conn, 200, "application/json",
		    MHD_create_response_from_callback(h->huge_chunked ?
		    MHD_SIZE_UNKNOWN : h->huge_bytes, 64 * 1024, huge_read, h,
		    NULL));
	default:
		return MHD_NO;
	}
}

static ssize_t
trickle_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct trickle *t = cls;

	if (pos >= t->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max < 1 || !nap(t->h, t->h->trickle_ms))
		return MHD_CONTENT_READER_END_WITH_ERROR;
	buf[0] = t->body[pos];
	return 1;
}

static void
trickle_free(void *cls)
{
	struct trickle *t = cls;

	free(t->body);
	free(t);
}

/* Send the reply r one byte per trickle_ms; takes r's body. */
int
fault_trickle(struct hostd *h, struct MHD_Connection *conn, struct hd_reply *r)
{
	struct trickle *t = xcalloc(1, sizeof *t);

	t->h = h;
	t->body = r->body;
	t->len = r->len;
	r->body = NULL;
	return queue(conn, r->status, r->ctype,
	    MHD_create_response_from_callback(t->len, 1, trickle_read, t,
	    trickle_free));
}
