/*
 * Concurrency and crash tests of the audit trail, with real processes on
 * one real SQLite file: two writers appending 2,000 entries each at once
 * leave 4,000 entries and a valid chain; a writer killed with SIGKILL in
 * the middle of its stream loses no entry it had committed, and a batch
 * killed mid-transaction leaves nothing half-written.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testhelp.h"
#include "audit/audit.h"
#include "store/store.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static char tmpdir[] = "/tmp/mdauditc.XXXXXX";

static struct store *
open_db(const char *path)
{
	char *cause = NULL;
	struct store *st = store_open(path, STORE_CREATE, &cause);

	if (st == NULL)
		printf("# open: %s\n", cause);
	free(cause);
	return st;
}

/* Child: append n entries as actor, one transaction each; exit status. */
static void
writer(const char *path, int n, const char *actor, int report_fd)
{
	struct store_audit_entry e;
	struct store *st = open_db(path);
	char *cause = NULL;
	int i;

	if (st == NULL)
		_exit(2);
	for (i = 0; n < 0 || i < n; i++) {
		if (audit_entry_init(&e, timefmt_now_ms(), actor, "status", "",
		    "{}", "allowed", &cause) != 0 ||
		    st->ops->audit_append(st, &e, audit_seal, &cause) != 0) {
			printf("# %s: %s\n", actor, cause);
			_exit(1);
		}
		/* Only after COMMIT returned: this seq is committed. */
		if (report_fd >= 0 && write(report_fd, &e.seq, sizeof e.seq) !=
		    sizeof e.seq)
			_exit(3);
		store_audit_entry_clear(&e);
	}
	st->ops->close(st);
	_exit(0);
}

static void
discard(void *arg, const char *text)
{
	(void)arg;
	(void)text;
}

static int64_t
count_actor(struct store *st, const char *actor)
{
	struct audit_filter *f;
	char *re = xasprintf("  %s  status", actor);
	int64_t n = -1;

	f = audit_filter_new(re, 0, NULL);
	if (f != NULL && audit_filter_list(st, f, AUDIT_FORMAT_JSONL, discard,
	    NULL, &n, NULL) != 0)
		n = -1;
	audit_filter_free(f);
	free(re);
	return n;
}

static void
test_two_writers(void)
{
	char *path = xasprintf("%s/two.db", tmpdir);
	struct audit_verify r;
	struct store *st;
	pid_t a, b;
	int sa, sb;

	if ((st = open_db(path)) != NULL)
		st->ops->close(st);
	if ((a = fork()) == 0)
		writer(path, 2000, "writer-a", -1);
	if ((b = fork()) == 0)
		writer(path, 2000, "writer-b", -1);
	waitpid(a, &sa, 0);
	waitpid(b, &sb, 0);
	CHECK(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	CHECK(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
	st = open_db(path);
	CHECK(st != NULL);
	if (st != NULL) {
		CHECK_INT(audit_verify(st, NULL, &r, NULL), 0);
		CHECK_INT(r.entries, 4000);
		CHECK_INT(r.last_seq, 4000);
		audit_verify_free(&r);
		CHECK_INT(count_actor(st, "writer-a"), 2000);
		CHECK_INT(count_actor(st, "writer-b"), 2000);
		st->ops->close(st);
	}
	free(path);
}

static void
test_killed_writer(void)
{
	char *path = xasprintf("%s/kill.db", tmpdir);
	struct audit_verify r;
	struct store *st;
	int64_t seq, last = 0;
	int fds[2], status;
	pid_t pid;

	if ((st = open_db(path)) != NULL)
		st->ops->close(st);
	CHECK(pipe(fds) == 0);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		writer(path, -1, "victim", fds[1]);
	}
	close(fds[1]);
	usleep(400 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status));
	while (read(fds[0], &seq, sizeof seq) == sizeof seq)
		last = seq;
	close(fds[0]);
	CHECK(last > 0);
	st = open_db(path);
	CHECK(st != NULL);
	if (st != NULL) {
		CHECK_INT(audit_verify(st, NULL, &r, NULL), 0);
		/* Every reported commit is there (one more may have committed). */
		CHECK(r.last_seq >= last && r.last_seq <= last + 1);
		audit_verify_free(&r);
		st->ops->close(st);
	}
	free(path);
}

static void
test_killed_batch(void)
{
	char *path = xasprintf("%s/batch.db", tmpdir);
	struct store_audit_entry *e;
	struct audit_verify r;
	struct store *st;
	int i, n = 200000, status;
	pid_t pid;

	if ((st = open_db(path)) != NULL) {
		CHECK_INT(audit_append(st, "first", "x", "", NULL, "allowed",
		    NULL), 0);
		st->ops->close(st);
	}
	if ((pid = fork()) == 0) {
		if ((st = open_db(path)) == NULL)
			_exit(2);
		e = xcalloc((size_t)n, sizeof *e);
		for (i = 0; i < n; i++)
			audit_entry_init(&e[i], 1, "batch", "x", "", "{}",
			    "allowed", NULL);
		st->ops->audit_append_batch(st, e, (size_t)n, audit_seal, NULL);
		_exit(0);
	}
	usleep(500 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	st = open_db(path);
	CHECK(st != NULL);
	if (st != NULL) {
		CHECK_INT(audit_verify(st, NULL, &r, NULL), 0);
		/* All or nothing: the batch either committed whole or not. */
		if (WIFSIGNALED(status))
			CHECK(r.entries == 1 || r.entries == n + 1);
		else
			CHECK_INT(r.entries, n + 1);
		audit_verify_free(&r);
		st->ops->close(st);
	}
	free(path);
}

int
main(void)
{
	char *cmd;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(test_two_writers);
	RUN(test_killed_writer);
	RUN(test_killed_batch);
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (getenv("MD_KEEP") == NULL && system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	free(cmd);
	return TEST_REPORT();
}
