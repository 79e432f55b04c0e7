/*
 * main.c: modeldeck-hostd's command line, lifecycle and signals.  The main
 * thread only parses options, starts the daemon and then waits for a
 * signal, restarting the listener when the host is set to flap.  All
 * serving happens on libmicrohttpd's threads.
 */
#include "hostd/hostd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/timefmt.h"
#include "util/xmalloc.h"

static const char usage_text[] =
"usage: modeldeck-hostd [options]\n"
"       modeldeck-hostd --fleet FILE --write-references DIR\n"
"\n"
"The reference model host: serves one host of a fleet file (OIP v2, /metrics,\n"
"/ops/v1) with real small models, replaying the fleet's scenarios in\n"
"compressed time.  See docs/demo.md.\n"
"\n"
"  --fleet FILE          fleet file (default sample-data/fleet.json)\n"
"  --host-name NAME      which host of the fleet to serve (default: the first)\n"
"  --name NAME           host name to report (default: --host-name)\n"
"  --listen ADDR[:PORT]  address and port: an IPv4 address, an IPv6 one (::1,\n"
"                        or [::1]:PORT with a port), or localhost for both\n"
"                        127.0.0.1 and ::1 (default 127.0.0.1 and the host's\n"
"                        port in the fleet file; port 0 picks one)\n"
"  --port-file FILE      write the bound port to FILE once listening\n"
"  --ready-file FILE     create FILE once listening\n"
"  --state FILE          keep the deployments and the answers of the last\n"
"                        10000 action request_ids in FILE (written before\n"
"                        each answer, read back at start), so a restart\n"
"                        never applies a retried action twice; a FILE that\n"
"                        cannot be read is an error, never a fresh start\n"
"  --token-file FILE     require \"Authorization: Bearer TOKEN\" (401 without)\n"
"  --tls-cert FILE, --tls-key FILE   serve HTTPS with this PEM certificate/key\n"
"  --speed X             scenario seconds per real second (default 60; 0 stops\n"
"                        the clock)\n"
"  --epoch TIME          wall time (RFC 3339) at which the scenario stands at\n"
"                        --start-at (default: now).  Restarting with the same\n"
"                        --epoch, --speed and --seed serves the same rows.\n"
"  --start-at HOURS      scenario hours at the epoch (default: the fleet's\n"
"                        start_at_h, the history already there at start)\n"
"  --seed N              override the fleet's seed\n"
"  --triton              metrics with Triton's names (nv_inference_*)\n"
"  --fault MODE          inject a fault: hang, trickle, reset, 5xx, badjson,\n"
"                        huge, 401, flap\n"
"  --fault-path PREFIX   only for request paths starting with PREFIX\n"
"  --fault-every N       only every Nth such request (default: all)\n"
"  --huge-bytes N        body size of the huge fault (default 1 GiB)\n"
"  --huge-chunked        send the huge body chunked, without Content-Length\n"
"  --trickle-ms N        delay before each trickled byte (default 1000)\n"
"  --flap UP:DOWN        with --fault flap: listen UP s, then close the\n"
"                        listener DOWN s, repeatedly (default 20:10; a fleet\n"
"                        host may set this with \"flap\")\n"
"  --write-references DIR  write each version's reference JSON into DIR, exit\n"
"  --help, --version\n";

struct options {
	const char	*fleet, *host_name, *name, *listen, *port_file;
	const char	*ready_file, *token_file, *cert_file, *key_file;
	const char	*epoch, *fault_path, *write_refs, *state;
	double		 speed, start_at;
	int		 has_start, has_seed, triton, flap_up, flap_down;
	uint64_t	 seed;
	enum hd_fault	 fault;
	unsigned	 fault_every;
	uint64_t	 huge_bytes;
	int		 huge_chunked, trickle_ms;
};

static char *
slurp(const char *path, char **cause)
{
	FILE		*f = fopen(path, "r");
	struct strbuf	 b = { 0 };
	char		 buf[4096];
	size_t		 n;

	if (f == NULL) {
		xcause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && b.len < (1 << 20))
		strbuf_add(&b, buf, n);
	fclose(f);
	if (b.s == NULL)
		return xstrdup("");
	return strbuf_take(&b);
}

static int
number(const char *s, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (errno == 0 && end != s && *end == '\0' && *out >= lo &&
	    *out <= hi) ? 0 : -1;
}

static int
parse_option(int c, const char *a, struct options *o)
{
	double d;

	switch (c) {
	case 'f': o->fleet = a; return 0;
	case 'H': o->host_name = a; return 0;
	case 'n': o->name = a; return 0;
	case 'l': o->listen = a; return 0;
	case 'P': o->port_file = a; return 0;
	case 'R': o->ready_file = a; return 0;
	case 't': o->token_file = a; return 0;
	case 'c': o->cert_file = a; return 0;
	case 'k': o->key_file = a; return 0;
	case 'e': o->epoch = a; return 0;
	case 'p': o->fault_path = a; return 0;
	case 'W': o->write_refs = a; return 0;
	case 'Z': o->state = a; return 0;
	case 'T': o->triton = 1; return 0;
	case 'C': o->huge_chunked = 1; return 0;
	case 's': return number(a, 0, 1e6, &o->speed);
	case 'a': o->has_start = 1; return number(a, 0, 1e5, &o->start_at);
	case 'S': o->has_seed = 1; o->seed = strtoull(a, NULL, 10);
		return number(a, 0, 1e18, &d);
	case 'F': return fault_parse(a, &o->fault);
	case 'E': if (number(a, 0, 1e9, &d) != 0) return -1;
		o->fault_every = (unsigned)d; return 0;
	case 'B': if (number(a, 1, 1e15, &d) != 0) return -1;
		o->huge_bytes = (uint64_t)d; return 0;
	case 'M': if (number(a, 1, 60000, &d) != 0) return -1;
		o->trickle_ms = (int)d; return 0;
	case 'U': return sscanf(a, "%d:%d", &o->flap_up, &o->flap_down) == 2 &&
		    o->flap_up > 0 && o->flap_down > 0 ? 0 : -1;
	}
	return -1;
}

static int
parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "fleet", required_argument, NULL, 'f' },
		{ "host-name", required_argument, NULL, 'H' },
		{ "name", required_argument, NULL, 'n' },
		{ "listen", required_argument, NULL, 'l' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "ready-file", required_argument, NULL, 'R' },
		{ "token-file", required_argument, NULL, 't' },
		{ "state", required_argument, NULL, 'Z' },
		{ "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' },
		{ "speed", required_argument, NULL, 's' },
		{ "epoch", required_argument, NULL, 'e' },
		{ "start-at", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 'S' },
		{ "triton", no_argument, NULL, 'T' },
		{ "fault", required_argument, NULL, 'F' },
		{ "fault-path", required_argument, NULL, 'p' },
		{ "fault-every", required_argument, NULL, 'E' },
		{ "huge-bytes", required_argument, NULL, 'B' },
		{ "huge-chunked", no_argument, NULL, 'C' },
		{ "trickle-ms", required_argument, NULL, 'M' },
		{ "flap", required_argument, NULL, 'U' },
		{ "write-references", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c, idx = 0;

	while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (c == 'V') {
			puts("modeldeck-hostd 1");
			exit(0);
		}
		if (c == '?' || parse_option(c, optarg, o) != 0) {
			if (c != '?')
				fprintf(stderr, "modeldeck-hostd: bad value "
				    "\"%s\" for --%s\n", optarg, longopts[idx].name);
			fputs("Try modeldeck-hostd --help\n", stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "modeldeck-hostd: unexpected argument %s\n",
		    argv[optind]);
		return -1;
	}
	if ((o->cert_file == NULL) != (o->key_file == NULL)) {
		fprintf(stderr, "modeldeck-hostd: --tls-cert and --tls-key go "
		    "together\n");
		return -1;
	}
	return 0;
}

static int
write_references(struct hd_fleet *fl, const char *dir)
{
	struct strbuf	 b = { 0 };
	char		*path;
	FILE		*f;
	size_t		 i, k;
	int		 rc = 0;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "modeldeck-hostd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	for (i = 0; i < fl->nmodels && rc == 0; i++) {
		for (k = 0; k < fl->models[i].nversions && rc == 0; k++) {
			struct hd_version *v = &fl->models[i].versions[k];

			path = xasprintf("%s/%s-v%s.json", dir, fl->models[i].name,
			    v->name);
			strbuf_reset(&b);
			ops_reference_json(&b, v, fl->seed);
			if ((f = fopen(path, "w")) == NULL ||
			    fwrite(b.s, 1, b.len, f) != b.len || fclose(f) != 0) {
				fprintf(stderr, "modeldeck-hostd: %s: %s\n", path,
				    strerror(errno));
				rc = 1;
			} else
				printf("%s\n", path);
			free(path);
		}
	}
	strbuf_free(&b);
	return rc;
}

/* Write s to path through a temporary file, so readers never see half. */
static int
write_atomic(const char *path, const char *s)
{
	char	*tmp = xasprintf("%s.tmp", path);
	FILE	*f = fopen(tmp, "w");
	int	 rc = -1;

	if (f != NULL && fputs(s, f) >= 0 && fclose(f) == 0)
		rc = rename(tmp, path);
	else if (f != NULL)
		fclose(f);
	if (rc != 0)
		fprintf(stderr, "modeldeck-hostd: %s: %s\n", path,
		    strerror(errno));
	free(tmp);
	return rc;
}

static int
setup_host(struct hostd *h, struct options *o, char **cause)
{
	size_t	i;
	int64_t	now = timefmt_now_ms();
	char	*why = NULL;

	h->host = o->host_name != NULL ? fleet_host(h->fleet, o->host_name) :
	    (h->fleet->nhosts > 0 ? &h->fleet->hosts[0] : NULL);
	if (h->host == NULL)
		return xcause(cause, "no host %s in the fleet file",
		    o->host_name != NULL ? o->host_name : "at all");
	h->name = xstrdup(o->name != NULL ? o->name : h->host->name);
	h->models = xcalloc(h->host->nmodels + 1, sizeof *h->models);
	for (i = 0; i < h->host->nmodels; i++)
		h->models[h->nmodels++] = fleet_model(h->fleet,
		    h->host->models[i]);
	h->speed = o->speed;
	h->start_at = o->has_start ? o->start_at * 3600 : h->fleet->start_at_s;
	h->epoch_ms = now;
	if (o->epoch != NULL && strcmp(o->epoch, "now") != 0 &&
	    timefmt_parse_rfc3339(o->epoch, &h->epoch_ms, &why) != 0) {
		xcause(cause, "--epoch: %s", why);
		free(why);
		return -1;
	}
	/* scenario time runs from the epoch on the monotonic clock */
	h->mono0_ms = timefmt_mono_ms() - (now - h->epoch_ms);
	h->triton = o->triton || h->host->triton;
	h->fault = o->fault;
	h->fault_path = o->fault_path != NULL ? xstrdup(o->fault_path) : NULL;
	h->fault_every = o->fault_every;
	h->huge_bytes = o->huge_bytes;
	h->huge_chunked = o->huge_chunked;
	h->trickle_ms = o->trickle_ms;
	if (h->fault != HD_FAULT_FLAP && h->host->flap_up_s > 0 &&
	    o->fault == HD_FAULT_NONE) {
		h->fault = HD_FAULT_FLAP;
		o->flap_up = h->host->flap_up_s;
		o->flap_down = h->host->flap_down_s;
	}
	ops_init_state(h);
	return 0;
}

static int
read_secrets(struct options *o, struct hostd *h, char **cert, char **key,
    char **cause)
{
	size_t n;

	if (o->token_file != NULL) {
		if ((h->token = slurp(o->token_file, cause)) == NULL)
			return -1;
		n = strlen(h->token);
		while (n > 0 && strchr(" \t\r\n", h->token[n - 1]) != NULL)
			h->token[--n] = '\0';
		if (n == 0)
			return xcause(cause, "%s: empty token", o->token_file);
	}
	if (o->cert_file != NULL) {
		if ((*cert = slurp(o->cert_file, cause)) == NULL ||
		    (*key = slurp(o->key_file, cause)) == NULL)
			return -1;
	}
	return 0;
}

/* Wait for a signal for up to ms; 1 when told to stop. */
static int
wait_signal(const sigset_t *set, int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	int		sig = sigtimedwait(set, NULL, &ts);

	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
}

/* Flap: close the listener when open, reopen it (same port) when closed. */
static void
restart(struct hostd *h, struct hd_listen *l, const char *cert,
    const char *key)
{
	char	*cause = NULL;

	if (l->nd > 0) {
		listen_stop(h, l);
		return;
	}
	if (listen_start(h, l, cert, key, &cause) != 0) {
		fprintf(stderr, "modeldeck-hostd: %s\n", cause);
		free(cause);
	}
}

static void
run(struct hostd *h, struct hd_listen *l, const struct options *o,
    const char *cert, const char *key)
{
	sigset_t	set;
	int64_t		next = 0, now;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (h->fault == HD_FAULT_FLAP)
		next = timefmt_mono_ms() + (int64_t)o->flap_up * 1000;
	for (;;) {
		if (wait_signal(&set, 100))
			break;
		if (next == 0 || (now = timefmt_mono_ms()) < next)
			continue;
		restart(h, l, cert, key);
		next = now + (int64_t)(l->nd > 0 ? o->flap_up : o->flap_down) *
		    1000;
	}
	listen_stop(h, l);
	h->stopping = 1;
}

static void
free_hostd(struct hostd *h)
{
	action_free_all(h);
	fleet_free(h->fleet);
	free(h->models);
	free(h->name);
	free(h->token);
	free(h->fault_path);
	free(h->state_path);
	if (h->state_lock != -1)
		close(h->state_lock);
	pthread_mutex_destroy(&h->lock);
}

/*
 * Hold an exclusive lock on FILE.lock for the host's life: two hosts
 * saving to one state file would each overwrite the other's answers.  The
 * kernel drops the lock when the process ends, kill -9 included.
 */
static int
lock_state(struct hostd *h, const char *path, char **cause)
{
	char	*lock = xasprintf("%s.lock", path);
	int	 fd;

	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		xcause(cause, "state file %s: cannot open its lock %s: %s; "
		    "not starting", path, lock, strerror(errno));
		free(lock);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		xcause(cause, "state file %s is in use by another "
		    "modeldeck-hostd (%s is locked)", path, lock);
		close(fd);
		free(lock);
		return -1;
	}
	free(lock);
	h->state_lock = fd;
	return 0;
}

/* Restore the --state file, then write it (which proves it writable). */
static int
open_state(struct hostd *h, const char *path, char **cause)
{
	char	*why = NULL;
	int	 rc;

	if (lock_state(h, path, cause) != 0)
		return -1;
	h->state_path = xstrdup(path);
	if ((rc = state_load(h, &why)) == -1 || state_save(h, &why) != 0) {
		xcause(cause, "%s; not starting: a host that forgot its "
		    "answers could apply a retried action twice (fix the file, "
		    "or move it away to start from the fleet file)", why);
		free(why);
		return -1;
	}
	printf("modeldeck-hostd: state %s: %s (%zu answers)\n", path,
	    rc == 1 ? "restored" : "new", h->nidem);
	return 0;
}

static int
announce(struct hostd *h, struct options *o, struct hd_listen *l, int https)
{
	struct strbuf	b = { 0 };
	char		pbuf[32];

	listen_describe(l, https, &b);
	printf("modeldeck-hostd: %s listening on %s (%zu models, speed %g)\n",
	    h->name, strbuf_str(&b), h->nmodels, h->speed);
	fflush(stdout);
	strbuf_free(&b);
	snprintf(pbuf, sizeof pbuf, "%d\n", l->bound);
	if ((o->port_file != NULL && write_atomic(o->port_file, pbuf) != 0) ||
	    (o->ready_file != NULL && write_atomic(o->ready_file, "ready\n")))
		return -1;
	return 0;
}

static int
serve_host(struct hostd *h, struct options *o)
{
	struct hd_listen	 l;
	char			*cert = NULL, *key = NULL, *cause = NULL;
	int			 rc = 1;
	sigset_t		 set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	/* blocked before any thread starts, so only sigtimedwait sees them */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (listen_parse(o->listen, &l, &cause) != 0 ||
	    setup_host(h, o, &cause) != 0 ||
	    read_secrets(o, h, &cert, &key, &cause) != 0 ||
	    (o->state != NULL && open_state(h, o->state, &cause) != 0))
		goto out;
	if (l.port == -1)
		l.port = h->host->port;
	if (listen_start(h, &l, cert, key, &cause) != 0)
		goto out;
	if (announce(h, o, &l, cert != NULL) != 0) {
		listen_stop(h, &l);
		goto out;
	}
	run(h, &l, o, cert, key);
	rc = 0;
out:
	if (cause != NULL)
		fprintf(stderr, "modeldeck-hostd: %s\n", cause);
	free(cause);
	free(cert);
	free(key);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options	 o = {
		.fleet = "sample-data/fleet.json", .listen = "127.0.0.1",
		.speed = 60, .huge_bytes = (uint64_t)1 << 30,
		.trickle_ms = 1000, .flap_up = 20, .flap_down = 10
	};
	struct hostd	 h = { 0 };
	char		*cause = NULL;
	int		 rc;

	if (parse_args(argc, argv, &o) != 0)
		return 2;
	h.state_lock = -1;
	pthread_mutex_init(&h.lock, NULL);
	if ((h.fleet = fleet_load(o.fleet, &cause)) == NULL) {
		fprintf(stderr, "modeldeck-hostd: %s\n", cause);
		free(cause);
		pthread_mutex_destroy(&h.lock);
		return 1;
	}
	if (o.has_seed)
		h.fleet->seed = o.seed;
	if (o.write_refs != NULL)
		rc = write_references(h.fleet, o.write_refs);
	else
		rc = serve_host(&h, &o);
	free_hostd(&h);
	return rc;
}
