/*
 * server.c: the libmicrohttpd glue.  One thread per connection, so a fault
 * that blocks (hang, trickle) blocks only its own connection.  Each request
 * goes: body collected (1 MiB cap) -> injected fault, if any -> bearer
 * token -> route table -> handler -> reply.  Every error is JSON
 * {"error": "..."}.  Bodies handed to libmicrohttpd are malloc'd and freed
 * by it (MHD_RESPMEM_MUST_FREE).
 */
#include "hostd/hostd.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/xmalloc.h"

#define MAX_BODY (1 << 20)

struct request {
	struct strbuf	 body;
	int		 too_big;
};

struct call {
	struct hostd		*h;
	struct MHD_Connection	*conn;
	struct hd_model		*m;
	struct hd_version	*v;
	const char		*body;
	size_t			 len;
	struct hd_reply		*r;
};

struct route {
	const char	*method;
	const char	*pattern;	/* '*' = a model, then a version */
	void		(*fn)(struct call *);
};

/* Set a JSON reply, taking ownership of body. */
void
server_reply_json(struct hd_reply *r, int status, char *body)
{
	free(r->body);
	r->status = status;
	r->ctype = "application/json";
	r->body = body;
	r->len = strlen(body);
}

/* Set a JSON error reply {"error": "..."}. */
void
server_reply_error(struct hd_reply *r, int status, const char *fmt, ...)
{
	struct strbuf	 b = { 0 };
	va_list		 ap;
	char		*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_adds(&b, "{\"error\":");
	strbuf_add_json_string(&b, msg);
	strbuf_addc(&b, '}');
	free(msg);
	server_reply_json(r, status, strbuf_take(&b));
}

static void
r_live(struct call *c)
{
	server_reply_json(c->r, 200, xstrdup("{\"live\":true}"));
}

static void
r_ready(struct call *c)
{
	server_reply_json(c->r, 200, xstrdup("{\"ready\":true}"));
}

static void
r_server(struct call *c)
{
	oip_server(c->h, c->r);
}

static void
r_model(struct call *c)
{
	oip_model(c->h, c->m, c->v, c->r);
}

static void
r_version_ready(struct call *c)
{
	oip_ready(c->h, c->v, c->r);
}

static void
r_model_ready(struct call *c)
{
	struct hd_version *f;

	pthread_mutex_lock(&c->h->lock);
	f = ops_full(c->m);
	pthread_mutex_unlock(&c->h->lock);
	if (f == NULL)
		server_reply_error(c->r, 503, "model %s has no serving version",
		    c->m->name);
	else
		oip_ready(c->h, f, c->r);
}

static void
r_infer(struct call *c)
{
	oip_infer(c->h, c->m, c->v, c->body, c->len, c->r);
}

static void
r_index(struct call *c)
{
	oip_index(c->h, c->r);
}

static void
r_load(struct call *c)
{
	oip_load(c->h, c->m, 1, c->body, c->len, c->r);
}

static void
r_unload(struct call *c)
{
	oip_load(c->h, c->m, 0, c->body, c->len, c->r);
}

static void
r_metrics(struct call *c)
{
	metrics_render(c->h, c->r);
}

static void
r_deployments(struct call *c)
{
	ops_deployments(c->h, c->r);
}

static void
r_reference(struct call *c)
{
	ops_reference(c->h, c->v, c->r);
}

static const char *
arg(struct call *c, const char *key)
{
	return MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, key);
}

static void
r_samples(struct call *c)
{
	ops_samples(c->h, c->v, arg(c, "after"), arg(c, "limit"), 0, c->r);
}

static void
r_labels(struct call *c)
{
	ops_samples(c->h, c->v, arg(c, "after"), arg(c, "limit"), 1, c->r);
}

static void
r_action(struct call *c)
{
	action_post(c->h, c->m, c->body, c->len, c->r);
}

static const struct route routes[] = {
	{ "GET", "/v2", r_server },
	{ "GET", "/v2/health/live", r_live },
	{ "GET", "/v2/health/ready", r_ready },
	{ "GET", "/v2/models/*", r_model },
	{ "GET", "/v2/models/*/ready", r_model_ready },
	{ "POST", "/v2/models/*/infer", r_infer },
	{ "GET", "/v2/models/*/versions/*", r_model },
	{ "GET", "/v2/models/*/versions/*/ready", r_version_ready },
	{ "POST", "/v2/models/*/versions/*/infer", r_infer },
	{ "POST", "/v2/repository/index", r_index },
	{ "POST", "/v2/repository/models/*/load", r_load },
	{ "POST", "/v2/repository/models/*/unload", r_unload },
	{ "GET", "/metrics", r_metrics },
	{ "GET", "/ops/v1/deployments", r_deployments },
	{ "POST", "/ops/v1/models/*/actions", r_action },
	{ "GET", "/ops/v1/models/*/versions/*/reference", r_reference },
	{ "GET", "/ops/v1/models/*/versions/*/samples", r_samples },
	{ "GET", "/ops/v1/models/*/versions/*/labels", r_labels },
};

/* Match url against pattern; up to two '*' segments copied into caps. */
static int
match(const char *pattern, const char *url, char caps[2][256], int *ncaps)
{
	const char	*p = pattern, *u = url;
	size_t		 n;

	*ncaps = 0;
	while (*p != '\0') {
		if (*p == '*') {
			n = strcspn(u, "/");
			if (n == 0 || n >= 256 || *ncaps == 2)
				return 0;
			memcpy(caps[*ncaps], u, n);
			caps[(*ncaps)++][n] = '\0';
			u += n;
			p++;
			continue;
		}
		if (*p++ != *u++)
			return 0;
	}
	return *u == '\0' || (*u == '/' && u[1] == '\0');
}

static struct hd_model *
served(struct hostd *h, const char *name)
{
	size_t	i;

	for (i = 0; i < h->nmodels; i++) {
		if (strcmp(h->models[i]->name, name) == 0)
			return h->models[i];
	}
	return NULL;
}

static void
route(struct call *c, const char *method, const char *url)
{
	char	caps[2][256];
	size_t	i;
	int	ncaps, path_ok = 0;

	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!match(routes[i].pattern, url, caps, &ncaps))
			continue;
		path_ok = 1;
		if (strcmp(routes[i].method, method) != 0)
			continue;
		if (ncaps > 0 && (c->m = served(c->h, caps[0])) == NULL) {
			server_reply_error(c->r, 404, "no model %s on host %s",
			    caps[0], c->h->name);
			return;
		}
		if (ncaps > 1 && (c->v = fleet_version(c->m, caps[1])) == NULL) {
			server_reply_error(c->r, 404, "model %s has no version "
			    "%s", caps[0], caps[1]);
			return;
		}
		routes[i].fn(c);
		return;
	}
	if (path_ok)
		server_reply_error(c->r, 405, "method %s not allowed on %s",
		    method, url);
	else
		server_reply_error(c->r, 404, "no endpoint %s", url);
}

static int
token_ok(struct hostd *h, struct MHD_Connection *conn)
{
	const char	*a;
	size_t		 i, n;
	unsigned char	 diff = 0;

	if (h->token == NULL)
		return 1;
	a = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	if (a == NULL || strncmp(a, "Bearer ", 7) != 0)
		return 0;
	a += 7;
	n = strlen(h->token);
	if (strlen(a) != n)
		return 0;
	for (i = 0; i < n; i++)		/* constant time over the token */
		diff |= (unsigned char)(a[i] ^ h->token[i]);
	return diff == 0;
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct hd_reply *r)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;

	resp = MHD_create_response_from_buffer(r->len, r->body,
	    MHD_RESPMEM_MUST_FREE);
	r->body = NULL;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
	if (r->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
serve(struct hostd *h, struct MHD_Connection *conn, const char *url,
    const char *method, struct request *req)
{
	struct hd_reply	 r = { 0 };
	struct call	 c = { .h = h, .conn = conn, .r = &r };
	enum MHD_Result	 ret;
	int		 faulty = fault_wanted(h, url);

	if (faulty && h->fault != HD_FAULT_TRICKLE)
		return (enum MHD_Result)fault_serve(h, conn, url);
	if (req->too_big)
		server_reply_error(&r, 413, "request body over %d bytes",
		    MAX_BODY);
	else if (!token_ok(h, conn))
		server_reply_error(&r, 401, "missing or wrong bearer token");
	else {
		c.body = strbuf_str(&req->body);
		c.len = req->body.len;
		route(&c, method, url);
	}
	if (faulty)
		return (enum MHD_Result)fault_trickle(h, conn, &r);
	ret = send_reply(conn, &r);
	free(r.body);
	return ret;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct request	*req = *con_cls;

	(void)version;
	if (req == NULL) {
		*con_cls = xcalloc(1, sizeof *req);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (req->body.len + *upload_size > MAX_BODY)
			req->too_big = 1;
		else
			strbuf_add(&req->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return serve(cls, conn, url, method, req);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request *req = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req != NULL) {
		strbuf_free(&req->body);
		free(req);
		*con_cls = NULL;
	}
}

/* Fill *ss from a numeric IPv4 or IPv6 address and a port; -1 if neither. */
static int
sockaddr_of(const char *addr, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	return -1;
}

/*
 * Listen on addr:port (an IPv4 or IPv6 literal; port 0 picks one, written
 * to *bound).  cert and key are PEM text for HTTPS, or NULL for plain HTTP;
 * they must outlive the daemon.  NULL with *cause on failure.
 */
struct MHD_Daemon *
server_start(struct hostd *h, const char *addr, int port, const char *cert,
    const char *key, int *bound, char **cause)
{
	struct sockaddr_storage	 ss;
	struct MHD_Daemon	*d;
	const union MHD_DaemonInfo *info;
	unsigned		 flags = MHD_USE_THREAD_PER_CONNECTION |
				    MHD_USE_INTERNAL_POLLING_THREAD;

	if (sockaddr_of(addr, port, &ss) != 0) {
		xcause(cause, "bad listen address %s (an IPv4 or IPv6 address)",
		    addr);
		return NULL;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;	/* IPv6 only: no mapped IPv4 */
	if (cert != NULL)
		flags |= MHD_USE_TLS;
	d = MHD_start_daemon(flags, 0, NULL, NULL, handler, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
	    cert != NULL ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key,
	    MHD_OPTION_END);
	if (d == NULL) {
		xcause(cause, "cannot listen on %s%s%s:%d%s",
		    ss.ss_family == AF_INET6 ? "[" : "", addr,
		    ss.ss_family == AF_INET6 ? "]" : "", port, cert != NULL ?
		    " with TLS (check the certificate and key)" : "");
		return NULL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*bound = info != NULL ? info->port : port;
	return d;
}
