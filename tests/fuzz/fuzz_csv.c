/*
 * libFuzzer harness: the streaming CSV reader and its number parser
 * (data/csv.h).  Differential: the input is read twice, once in a single
 * read (a memfd) and once in pieces of 1 to 13 bytes (then larger), each
 * piece one read(), through a SOCK_SEQPACKET socket fed by a thread; the
 * piece sizes come from a hash of the input, so a run is repeatable.  Both
 * reads must give the same rows, fields, lines and error, whatever the
 * read boundaries.  Every field is then checked against csv_number's
 * contract: a cell of decimal characters that strtod reads whole (C
 * locale) must parse to the very same double (csv_number claims correct
 * rounding), or be infinite exactly when strtod overflows; blank cells
 * are missing.  Also built into tests/unit/test_prom_fuzz.c, which
 * replays corpus/csv/.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "data/csv.h"
#include "util/strbuf.h"

#define CSV_FUZZ_SMALL	8192	/* bytes fed in tiny pieces */

struct csv_fuzz_feed {
	int		 fd;
	const uint8_t	*data;
	size_t		 size;
};

static void
csv_fuzz_fail(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "fuzz_csv: %s\n--- one read:\n%s\n--- in pieces:\n%s\n",
	    what, a, b);
	abort();
}

/* Blank-trimmed cell against strtod. */
static void
csv_fuzz_number(const char *s, size_t len)
{
	enum csv_num	 k;
	double		 v = 0, w;
	char		*t, *end;
	size_t		 tlen;

	k = csv_number(s, len, &v);
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 && k != CSV_NUM_MISSING)
		csv_fuzz_fail("a blank cell is not missing", s, "");
	if (k == CSV_NUM_FINITE && !isfinite(v))
		csv_fuzz_fail("a finite cell is not finite", s, "");
	if (len == 0 || len > 2000)
		return;
	t = strndup(s, len);
	tlen = strspn(t, "0123456789+-.eE");
	if (tlen == len) {
		errno = 0;
		w = strtod(t, &end);
		if (end != t + len) {
			if (k == CSV_NUM_FINITE || k == CSV_NUM_INFINITE)
				csv_fuzz_fail("a number strtod refuses", t, "");
		} else if (isinf(w)) {
			if (k != CSV_NUM_INFINITE)
				csv_fuzz_fail("strtod overflows, csv_number not",
				    t, "");
		} else if (k != CSV_NUM_FINITE || memcmp(&v, &w, sizeof v) != 0)
			csv_fuzz_fail("not the double strtod reads", t, "");
	}
	free(t);
}

/* Every row and field (or the error) of r, as text. */
static void
csv_fuzz_transcript(struct csv_reader *r, struct strbuf *t, int numbers)
{
	const char	*s;
	char		*cause = NULL;
	size_t		 i, len;
	int		 rc;

	while ((rc = csv_read(r, &cause)) == 1) {
		strbuf_addf(t, "row %lu, %zu fields\n", csv_line(r),
		    csv_nfields(r));
		for (i = 0; i < csv_nfields(r); i++) {
			s = csv_field(r, i, &len);
			if (s[len] != '\0' || memchr(s, '\0', len) != NULL)
				csv_fuzz_fail("a field's length is wrong", s, "");
			strbuf_addf(t, " %lu:%zu:", csv_field_line(r, i), len);
			strbuf_add(t, s, len);
			strbuf_addc(t, '\n');
			if (numbers)
				csv_fuzz_number(s, len);
		}
	}
	if (rc == -1) {
		if (cause == NULL || *cause == '\0')
			csv_fuzz_fail("an error without a reason", "", "");
		strbuf_addf(t, "error %s\n", cause);
	} else
		strbuf_adds(t, "end\n");
	free(cause);
}

/* Send the input as packets of hash-chosen sizes, then end it. */
static void *
csv_fuzz_writer(void *arg)
{
	struct csv_fuzz_feed	*f = arg;
	uint64_t		 h = UINT64_C(14695981039346656037);
	size_t			 off, n;

	for (off = 0; off < f->size; off++)
		h = (h ^ f->data[off]) * UINT64_C(1099511628211);
	for (off = 0; off < f->size; off += n) {
		h = h * UINT64_C(6364136223846793005) + 1442695040888963407;
		n = 1 + (size_t)(h >> 33) % (off < CSV_FUZZ_SMALL ? 13 : 4096);
		if (n > f->size - off)
			n = f->size - off;
		if (send(f->fd, f->data + off, n, MSG_NOSIGNAL) == -1)
			break;
	}
	close(f->fd);
	return NULL;
}

static void
csv_fuzz_pieces(const uint8_t *data, size_t size, struct strbuf *t)
{
	struct csv_fuzz_feed	 f = { -1, data, size };
	struct csv_reader	*r;
	pthread_t		 th;
	int			 sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		abort();
	f.fd = sv[1];
	if (pthread_create(&th, NULL, csv_fuzz_writer, &f) != 0)
		abort();
	r = csv_open_fd(sv[0], "fuzz.csv");
	csv_fuzz_transcript(r, t, 0);
	csv_close(r);
	/* The writer may still be sending after an error: unblock it. */
	close(sv[0]);
	pthread_join(th, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf		 one = { 0 }, pieces = { 0 };
	struct csv_reader	*r;
	int			 fd;

	if ((fd = memfd_create("fuzz.csv", MFD_CLOEXEC)) == -1)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	lseek(fd, 0, SEEK_SET);
	r = csv_open_fd(fd, "fuzz.csv");
	csv_fuzz_transcript(r, &one, 1);
	csv_close(r);
	close(fd);
	csv_fuzz_pieces(data, size, &pieces);
	if (strcmp(strbuf_str(&one), strbuf_str(&pieces)) != 0)
		csv_fuzz_fail("reads differ", strbuf_str(&one),
		    strbuf_str(&pieces));
	strbuf_free(&one);
	strbuf_free(&pieces);
	return (0);
}
