/*
 * listen.c: where modeldeck-hostd listens.  --listen names one numeric
 * address (IPv4 "127.0.0.1", IPv6 "::1" or "[::1]"), or "localhost" for
 * both loopbacks, each optionally with ":PORT".  A libmicrohttpd daemon has
 * one listening socket, so each address gets its own daemon, all on one
 * port: the first picks it (port 0), the others take the same.
 *
 * "localhost" on a machine without an IPv6 loopback is 127.0.0.1 alone
 * (said on stderr); a named ::1 there is an error.  Host names other than
 * localhost are refused rather than resolved: the host serves loopback
 * addresses or the exact address it is given, never what DNS says.
 */
#include "hostd/hostd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/xmalloc.h"

#define PICK_TRIES 8	/* port 0 on two addresses: tries for a shared port */

static int
port_of(const char *s, int *port)
{
	char	*end;
	long	 p;

	errno = 0;
	p = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

static int
add_addr(struct hd_listen *l, const char *s, size_t len, int family)
{
	unsigned char	buf[sizeof(struct in6_addr)];

	if (len == 0 || len >= sizeof l->addr[0])
		return -1;
	memcpy(l->addr[l->naddr], s, len);
	l->addr[l->naddr][len] = '\0';
	if (inet_pton(family, l->addr[l->naddr], buf) != 1)
		return -1;
	l->naddr++;
	return 0;
}

static int
parse(const char *spec, struct hd_listen *l)
{
	const char	*colon = strrchr(spec, ':'), *close;

	if (spec[0] == '[') {
		if ((close = strchr(spec, ']')) == NULL || (close[1] != '\0' &&
		    (close[1] != ':' || port_of(close + 2, &l->port) != 0)))
			return -1;
		return add_addr(l, spec + 1, (size_t)(close - spec - 1), AF_INET6);
	}
	if (colon != NULL && strchr(spec, ':') != colon)	/* bare IPv6 */
		return add_addr(l, spec, strlen(spec), AF_INET6);
	if (colon != NULL && port_of(colon + 1, &l->port) != 0)
		return -1;
	if (strncmp(spec, "localhost", 9) == 0 &&
	    (spec[9] == '\0' || spec + 9 == colon)) {
		add_addr(l, "127.0.0.1", 9, AF_INET);
		add_addr(l, "::1", 3, AF_INET6);
		l->optional6 = 1;
		return 0;
	}
	return add_addr(l, spec, colon != NULL ? (size_t)(colon - spec) :
	    strlen(spec), AF_INET);
}

/*
 * Parse a --listen value into l (port -1 when none is given); -1 with
 * *cause when it is not an address, [IPv6], localhost, each with :PORT.
 */
int
listen_parse(const char *spec, struct hd_listen *l, char **cause)
{
	memset(l, 0, sizeof *l);
	l->port = -1;
	if (parse(spec, l) != 0) {
		memset(l, 0, sizeof *l);
		return xcause(cause, "bad listen address %s (--listen takes an "
		    "IPv4 address, an IPv6 address, [IPv6] or localhost, each "
		    "with an optional :PORT)", spec);
	}
	return 0;
}

/* Whether ::1 can be bound here (a machine may have no IPv6 loopback). */
static int
have_ipv6_loopback(void)
{
	struct sockaddr_in6	sin6 = { 0 };
	int			fd, ok;

	if ((fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	ok = bind(fd, (struct sockaddr *)&sin6, sizeof sin6) == 0;
	close(fd);
	return ok;
}

static int
start_all(struct hostd *h, struct hd_listen *l, const char *cert,
    const char *key, int port, char **cause)
{
	size_t	i;
	int	bound;

	for (i = 0; i < l->naddr; i++) {
		l->d[i] = server_start(h, l->addr[i], port, cert, key, &bound,
		    cause);
		if (l->d[i] == NULL) {
			listen_stop(h, l);
			return -1;
		}
		l->nd = i + 1;
		port = l->bound = bound;
	}
	return 0;
}

/*
 * Start one daemon per address of l on one port: l->port, or l->bound
 * once bound (a flapping host comes back on the same port).  cert and key
 * as server_start.  -1 with *cause, and nothing listening, on failure.
 */
int
listen_start(struct hostd *h, struct hd_listen *l, const char *cert,
    const char *key, char **cause)
{
	int	port = l->bound > 0 ? l->bound : l->port, tries;

	if (l->optional6 && l->naddr == 2 && !have_ipv6_loopback()) {
		fprintf(stderr, "modeldeck-hostd: no IPv6 loopback (::1) here: "
		    "listening on 127.0.0.1 only\n");
		l->naddr = 1;
	}
	for (tries = 1;; tries++) {
		if (start_all(h, l, cert, key, port, cause) == 0)
			return 0;
		/* a picked port may be taken on the second address: again */
		if (port != 0 || l->naddr < 2 || tries == PICK_TRIES)
			return -1;
		free(*cause);
		*cause = NULL;
	}
}

/* Stop every daemon of l (their connections end first). */
void
listen_stop(struct hostd *h, struct hd_listen *l)
{
	size_t	i;

	h->stopping = 1;
	for (i = 0; i < l->nd; i++)
		MHD_stop_daemon(l->d[i]);
	h->stopping = 0;
	l->nd = 0;
}

/* Append the URLs l serves, "http://127.0.0.1:8101 and http://[::1]:8101". */
void
listen_describe(const struct hd_listen *l, int https, struct strbuf *b)
{
	size_t	i;
	int	v6;

	for (i = 0; i < l->naddr; i++) {
		v6 = strchr(l->addr[i], ':') != NULL;
		strbuf_addf(b, "%s%s://%s%s%s:%d", i > 0 ? " and " : "",
		    https ? "https" : "http", v6 ? "[" : "", l->addr[i],
		    v6 ? "]" : "", l->bound);
	}
}
