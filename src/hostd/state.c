/*
 * state.c: the --state file.  It holds what a restart must not lose: each
 * served version's deployment (stage, traffic, loaded, since, the periods in
 * which it logged samples, its request counter), each model's rollback
 * stack, and the newest HD_MAX_ANSWERS idempotent answers with the request
 * text each answered.  A change reaches the disk before its answer is sent
 * (action.c, oip.c), so a console that retries a request_id after a crash
 * gets the stored answer, never a second effect.
 *
 * This file writes it; state_load.c reads it back at start.
 *
 * Writes go to FILE.tmp in the same folder, which is fsync'd, renamed over
 * FILE, and the folder fsync'd: a crash leaves the old file or the new one,
 * never half of one (a stale FILE.tmp is simply overwritten).  Reads are
 * all or nothing: the whole file is checked before anything changes, and
 * any fault (unreadable, not JSON, another host's, a model or version the
 * fleet does not have) is an error naming the file, since starting fresh
 * instead would forget answers and apply their actions a second time.
 *
 * Scenario times in the file mean something only under the clock that
 * wrote them (epoch, speed, start, seed).  Under the same clock every
 * version comes back exactly, sample periods and counters included; under
 * another one (a restart with the epoch "now") the restored deployments
 * take effect at the new clock's now, as if actions had set them then.
 * Counts of real /infer calls are not kept: they restart at zero.
 *
 * The file is rewritten whole at every change: a few MB with a full table
 * of answers, which suits actions people take, not a request stream.
 */
#include "hostd/hostd.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xmalloc.h"

/* Copy a model's deployment state (undone with state_restore). */
void
state_snapshot(const struct hd_model *m, struct hd_saved *s)
{
	size_t	i;

	s->st = xcalloc(m->nversions, sizeof *s->st);
	for (i = 0; i < m->nversions; i++)
		s->st[i] = m->versions[i].st;
	memcpy(s->prev_full, m->prev_full, sizeof s->prev_full);
	s->nprev_full = m->nprev_full;
}

/* Put back a model's state copied by state_snapshot and free the copy. */
void
state_restore(struct hd_model *m, struct hd_saved *s)
{
	size_t	i;

	for (i = 0; i < m->nversions; i++)
		m->versions[i].st = s->st[i];
	memcpy(m->prev_full, s->prev_full, sizeof m->prev_full);
	m->nprev_full = s->nprev_full;
	free(s->st);
	s->st = NULL;
}

static void
add_version(struct strbuf *b, const struct hd_version *v)
{
	const struct hd_state	*st = &v->st;
	size_t			 i;

	strbuf_adds(b, "{\"name\":");
	strbuf_add_json_string(b, v->name);
	strbuf_addf(b, ",\"stage\":\"%s\",\"traffic_percent\":%d,\"loaded\":%s,"
	    "\"since_ms\":%" PRId64 ",\"intervals\":[",
	    fleet_stage_name(st->stage), st->traffic,
	    st->loaded ? "true" : "false", st->since_ms);
	for (i = 0; i < st->nivl; i++) {
		strbuf_adds(b, i > 0 ? ",[" : "[");
		strbuf_add_json_number(b, st->ivl_start[i]);
		strbuf_addc(b, ',');
		if (isinf(st->ivl_end[i]))
			strbuf_adds(b, "null");	/* still open */
		else
			strbuf_add_json_number(b, st->ivl_end[i]);
		strbuf_addc(b, ']');
	}
	strbuf_adds(b, "],\"requests\":{\"base\":");
	strbuf_add_json_number(b, st->req_base);
	strbuf_adds(b, ",\"t0\":");
	strbuf_add_json_number(b, st->req_t0);
	strbuf_adds(b, ",\"rps\":");
	strbuf_add_json_number(b, st->req_rps);
	strbuf_adds(b, "}}");
}

static void
add_model(struct strbuf *b, const struct hd_model *m)
{
	size_t	i;

	strbuf_adds(b, "{\"name\":");
	strbuf_add_json_string(b, m->name);
	strbuf_adds(b, ",\"rollback_stack\":[");
	for (i = 0; i < m->nprev_full; i++) {
		if (i > 0)
			strbuf_addc(b, ',');
		strbuf_add_json_string(b, m->versions[m->prev_full[i]].name);
	}
	strbuf_adds(b, "],\"versions\":[");
	for (i = 0; i < m->nversions; i++) {
		if (i > 0)
			strbuf_addc(b, ',');
		add_version(b, &m->versions[i]);
	}
	strbuf_adds(b, "]}");
}

static void
add_answer(struct strbuf *b, const struct hd_idem *e)
{
	strbuf_adds(b, "{\"model\":");
	strbuf_add_json_string(b, e->model);
	strbuf_adds(b, ",\"request_id\":");
	strbuf_add_json_string(b, e->request_id);
	strbuf_addf(b, ",\"status\":%d,\"request\":", e->status);
	strbuf_add_json_string(b, e->request);
	strbuf_adds(b, ",\"answer\":");
	strbuf_add_json_string(b, e->answer);
	strbuf_addc(b, '}');
}

static void
render(struct hostd *h, struct strbuf *b)
{
	size_t	i;

	strbuf_adds(b, "{\"format\":\"" HD_STATE_FORMAT "\",\"version\":");
	strbuf_addf(b, "%d,\"host\":", HD_STATE_VERSION);
	strbuf_add_json_string(b, h->host->name);
	strbuf_addf(b, ",\"clock\":{\"epoch_ms\":%" PRId64 ",\"speed\":",
	    h->epoch_ms);
	strbuf_add_json_number(b, h->speed);
	strbuf_adds(b, ",\"start_at_s\":");
	strbuf_add_json_number(b, h->start_at);
	strbuf_addf(b, ",\"seed\":\"%" PRIu64 "\"},\n\"models\":[",
	    h->fleet->seed);
	for (i = 0; i < h->nmodels; i++) {
		strbuf_adds(b, i > 0 ? ",\n" : "\n");
		add_model(b, h->models[i]);
	}
	strbuf_adds(b, "],\n\"answers\":[");
	for (i = 0; i < h->nidem; i++) {
		strbuf_adds(b, i > 0 ? ",\n" : "\n");
		add_answer(b, &h->idem[i]);
	}
	strbuf_adds(b, "]}\n");
}

/* fsync the folder holding path, so the rename itself is durable. */
static int
sync_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd, rc;

	if (slash == NULL)
		dir = xstrdup(".");
	else
		dir = xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd == -1)
		return -1;
	rc = fsync(fd);
	/* some file systems cannot fsync a folder; the rename stands */
	if (rc != 0 && (errno == EINVAL || errno == ENOTSUP))
		rc = 0;
	close(fd);
	return rc;
}

static int
write_all(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, s, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
write_file(const char *path, const struct strbuf *b, char **cause)
{
	char		*tmp = xasprintf("%s.tmp", path);
	const char	*step = "create", *what = tmp;
	int		 fd, err;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1)
		goto fail;
	if (write_all(fd, b->s, b->len) != 0) {
		step = "write";
		goto fail;
	}
	if (fsync(fd) != 0) {
		step = "fsync";
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		step = "close";
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		step = "rename";
		goto fail;
	}
	free(tmp);
	if (sync_dir(path) != 0)
		return xcause(cause, "cannot save state file %s: fsync its "
		    "folder: %s", path, strerror(errno));
	return 0;
fail:
	err = errno;
	if (fd != -1)
		close(fd);
	if (strcmp(step, "create") != 0)
		unlink(tmp);
	xcause(cause, "cannot save state file %s: %s %s: %s", path, step, what,
	    strerror(err));
	free(tmp);
	return -1;
}

/* Write the whole state to h->state_path (temp file, fsync, rename). */
int
state_save(struct hostd *h, char **cause)
{
	struct strbuf	b = { 0 };
	int		rc;

	if (h->state_path == NULL)
		return 0;
	render(h, &b);
	rc = write_file(h->state_path, &b, cause);
	strbuf_free(&b);
	return rc;
}

