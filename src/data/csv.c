/*
 * csv: streaming RFC 4180 reader (see csv.h).
 *
 * A row is first delimited (the next line feed outside quotes, found with
 * memchr and quote parity), read more input until it is whole, then split
 * in place: unquoted fields are NUL-terminated where their separator was,
 * quoted ones are unescaped one byte to the left, which always leaves room
 * for the terminator.  The buffer keeps one spare byte past the data so the
 * last field of a file without a final line feed can be terminated too.
 */
#include "data/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/xmalloc.h"

#define BUF_INITIAL	(4u << 20)

struct csv_reader {
	char		 *name;
	int		  fd;
	int		  own_fd;
	int		  eof;
	int		  started;	/* BOM checked */
	char		 *buf;
	size_t		  cap;
	size_t		  start;	/* first byte of the next row */
	size_t		  end;		/* end of valid data */
	unsigned long	  line;		/* line of buf[start] */
	unsigned long	  row_line;
	size_t		  nfields;
	size_t		  fcap;
	char		**fptr;
	size_t		 *flen;
	unsigned long	 *fline;
};

struct csv_reader *
csv_open_fd(int fd, const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);

	r->name = xstrdup(name);
	r->fd = fd;
	r->cap = BUF_INITIAL;
	r->buf = xmalloc(r->cap);
	r->line = 1;
	return r;
}

struct csv_reader *
csv_open(const char *path, char **cause)
{
	struct csv_reader *r;
	int fd;

	if (strcmp(path, "-") == 0)
		return csv_open_fd(STDIN_FILENO, "(stdin)");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		xcause(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	r = csv_open_fd(fd, path);
	r->own_fd = 1;
	return r;
}

void
csv_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->own_fd)
		close(r->fd);
	free(r->name);
	free(r->buf);
	free(r->fptr);
	free(r->flen);
	free(r->fline);
	free(r);
}

/* Move the unread data to the front, grow if full, read more. */
static int
refill(struct csv_reader *r, char **cause)
{
	ssize_t n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end + 1 >= r->cap) {
		if (r->cap > CSV_MAX_ROW)
			return xcause(cause, "%s:%lu: row longer than %u bytes",
			    r->name, r->line, CSV_MAX_ROW);
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	do
		n = read(r->fd, r->buf + r->end, r->cap - 1 - r->end);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return xcause(cause, "%s: read: %s", r->name, strerror(errno));
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	if (!r->started && r->end - r->start >= 3) {
		r->started = 1;
		if (memcmp(r->buf + r->start, "\xef\xbb\xbf", 3) == 0)
			r->start += 3;
	} else if (r->eof)
		r->started = 1;
	return 0;
}

static size_t
count_quotes(const char *p, const char *e)
{
	size_t n = 0;

	while ((p = memchr(p, '"', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static int	split(struct csv_reader *, char *, char *, char **);

/*
 * An odd number of quotes up to the end of input: a stray quote in the
 * first line is the likelier mistake, and names its column.
 */
static int
unterminated(struct csv_reader *r, char **cause)
{
	char *p = r->buf + r->start, *nl;

	nl = memchr(p, '\n', r->end - r->start);
	if (nl != NULL && split(r, p, nl, cause) != 0)
		return -1;
	return xcause(cause, "%s:%lu: unterminated quoted field", r->name,
	    r->line);
}

/*
 * Find the end of the row at r->start: the offset of its line feed, or
 * r->end at end of input.  Reads more as needed.  -1 with *cause.
 */
static int
delimit(struct csv_reader *r, size_t *row_end, char **cause)
{
	size_t scanned = 0;	/* bytes after start whose quotes are counted */
	int inq = 0;
	char *p, *e, *nl;

	for (;;) {
		p = r->buf + r->start + scanned;
		e = r->buf + r->end;
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL) {
			if (r->eof) {
				if ((inq ^ (int)(count_quotes(p, e) % 2)) != 0)
					return unterminated(r, cause);
				*row_end = r->end;
				return 0;
			}
			if (count_quotes(p, e) % 2 != 0)
				inq = !inq;
			scanned = r->end - r->start;
			if (inq && r->end - r->start >= CSV_MAX_ROW)
				return unterminated(r, cause);
			if (refill(r, cause) != 0)
				return -1;
			continue;
		}
		if (count_quotes(p, nl) % 2 != 0)
			inq = !inq;
		if (!inq) {
			*row_end = (size_t)(nl - r->buf);
			return 0;
		}
		scanned = (size_t)(nl + 1 - (r->buf + r->start));
	}
}

static void
add_field(struct csv_reader *r, char *s, size_t len, unsigned long line)
{
	if (r->nfields == r->fcap) {
		r->fcap = r->fcap == 0 ? 32 : r->fcap * 2;
		r->fptr = xreallocarray(r->fptr, r->fcap, sizeof *r->fptr);
		r->flen = xreallocarray(r->flen, r->fcap, sizeof *r->flen);
		r->fline = xreallocarray(r->fline, r->fcap, sizeof *r->fline);
	}
	r->fptr[r->nfields] = s;
	r->flen[r->nfields] = len;
	r->fline[r->nfields] = line;
	r->nfields++;
}

/* Unescape a quoted field starting at *pp (the opening quote) in place. */
static int
quoted(struct csv_reader *r, char **pp, char *rend, unsigned long *line,
    char **lstart, char **cause)
{
	char *p = *pp + 1, *w = *pp, *s = *pp;
	unsigned long first = *line;

	for (;;) {
		if (p >= rend)
			return xcause(cause, "%s:%lu: unterminated quoted field",
			    r->name, *line);
		if (*p == '"') {
			if (p + 1 < rend && p[1] == '"') {
				*w++ = '"';
				p += 2;
				continue;
			}
			p++;
			break;
		}
		if (*p == '\n') {
			(*line)++;
			*lstart = p + 1;
		}
		*w++ = *p++;
	}
	if (p < rend && *p != ',')
		return xcause(cause, "%s:%lu:%ld: text after a closing quote",
		    r->name, *line, (long)(p - *lstart) + 1);
	*w = '\0';
	add_field(r, s, (size_t)(w - s), first);
	*pp = p;
	return 0;
}

/* Split the row [p, rend) into fields. */
static int
split(struct csv_reader *r, char *p, char *rend, char **cause)
{
	unsigned long line = r->line;
	char *lstart = p, *comma, *q;
	/* Most rows hold no quote: then one scan spares one per field. */
	int quotes = memchr(p, '"', (size_t)(rend - p)) != NULL;

	r->nfields = 0;
	for (;;) {
		if (p < rend && *p == '"') {
			if (quoted(r, &p, rend, &line, &lstart, cause) != 0)
				return -1;
		} else {
			comma = memchr(p, ',', (size_t)(rend - p));
			if (comma == NULL)
				comma = rend;
			if (quotes &&
			    (q = memchr(p, '"', (size_t)(comma - p))) != NULL)
				return xcause(cause, "%s:%lu:%ld: quote inside an "
				    "unquoted field", r->name, line,
				    (long)(q - lstart) + 1);
			*comma = '\0';
			add_field(r, p, (size_t)(comma - p), line);
			p = comma;
		}
		if (p >= rend)
			break;
		p++;	/* the separator */
		if (p == rend) {
			*p = '\0';
			add_field(r, p, 0, line);
			break;
		}
	}
	r->line = line;
	return 0;
}

int
csv_read(struct csv_reader *r, char **cause)
{
	size_t row_end = 0, len;
	char *row, *rend;

	for (;;) {
		/*
		 * The byte order mark is settled (3 bytes read, or the end)
		 * before any row: skipping it later would move r->start under
		 * delimit, or strip one from the middle of the file.
		 */
		if (r->start == r->end || !r->started) {
			if (r->start == r->end && r->eof)
				return 0;
			if (refill(r, cause) != 0)
				return -1;
			continue;
		}
		if (delimit(r, &row_end, cause) != 0)
			return -1;
		row = r->buf + r->start;
		rend = r->buf + row_end;
		len = (size_t)(rend - row);
		r->start = row_end < r->end ? row_end + 1 : row_end;
		if (len > 0 && rend[-1] == '\r') {
			rend--;
			len--;
		}
		if (len == 0) {
			r->line++;
			continue;
		}
		if (memchr(row, '\0', len) != NULL)
			return xcause(cause, "%s:%lu: NUL byte in the input",
			    r->name, r->line);
		r->row_line = r->line;
		if (split(r, row, rend, cause) != 0)
			return -1;
		r->line++;
		return 1;
	}
}

size_t
csv_nfields(const struct csv_reader *r)
{
	return r->nfields;
}

const char *
csv_field(const struct csv_reader *r, size_t i, size_t *len)
{
	if (len != NULL)
		*len = r->flen[i];
	return r->fptr[i];
}

unsigned long
csv_field_line(const struct csv_reader *r, size_t i)
{
	return r->fline[i];
}

unsigned long
csv_line(const struct csv_reader *r)
{
	return r->row_line;
}

const char *
csv_name(const struct csv_reader *r)
{
	return r->name;
}

/* ---- numbers ------------------------------------------------------------ */

static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static int
word_is(const char *s, const char *e, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(e - s) == n && strncasecmp(s, w, n) == 0;
}

/*
 * The slow path: the significant digits and a decimal exponent rewritten
 * as "DIGITSeEXP" (no decimal point, so strtod's locale does not matter).
 * Digits past the buffer only matter for rounding: a sticky 1 keeps it.
 */
static enum csv_num
slow(int neg, const char *d, const char *de, long exp10, double *out)
{
	char buf[900], *w = buf;
	size_t nd = 0;
	int sticky = 0;
	double v;

	if (neg)
		*w++ = '-';
	for (; d < de; d++) {
		if (*d == '.')
			continue;
		if (nd < 780) {
			*w++ = *d;
			nd++;
		} else {
			exp10++;
			if (*d != '0')
				sticky = 1;
		}
	}
	if (sticky) {
		*w++ = '1';
		exp10--;
	}
	snprintf(w, sizeof buf - (size_t)(w - buf), "e%ld", exp10);
	errno = 0;
	v = strtod(buf, NULL);
	if (errno == ERANGE && (v > 1 || v < -1))
		return CSV_NUM_INFINITE;
	*out = v;
	return CSV_NUM_FINITE;
}

enum csv_num
csv_number(const char *s, size_t len, double *out)
{
	const char *e = s + len, *d, *de;
	uint64_t m = 0;
	long exp10 = 0, ex = 0, nfrac = 0;
	int neg = 0, nsig = 0, ndig = 0, eneg = 0;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (s == e)
		return CSV_NUM_MISSING;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s < e && (*s == 'n' || *s == 'N' || *s == 'i' || *s == 'I')) {
		if (word_is(s, e, "nan"))
			return CSV_NUM_MISSING;
		if (word_is(s, e, "inf") || word_is(s, e, "infinity"))
			return CSV_NUM_INFINITE;
		return CSV_NUM_TEXT;
	}
	while (s < e && *s == '0') {	/* leading zeros are not significant */
		s++;
		ndig++;
	}
	d = s;
	for (; s < e && *s >= '0' && *s <= '9'; s++, ndig++) {
		if (nsig < 19)
			m = m * 10 + (uint64_t)(*s - '0');
		else
			exp10++;
		nsig++;
	}
	if (s < e && *s == '.') {
		s++;
		if (nsig == 0) {
			for (; s < e && *s == '0'; s++, ndig++, nfrac++)
				exp10--;
			d = s;
		}
		for (; s < e && *s >= '0' && *s <= '9'; s++, ndig++, nfrac++) {
			if (nsig < 19) {
				m = m * 10 + (uint64_t)(*s - '0');
				exp10--;
			}
			nsig++;
		}
	}
	de = s;
	if (ndig == 0)
		return CSV_NUM_TEXT;
	if (s < e && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < e && (*s == '-' || *s == '+'))
			eneg = *s++ == '-';
		if (s == e)
			return CSV_NUM_TEXT;
		for (; s < e && *s >= '0' && *s <= '9'; s++)
			if (ex < 100000)
				ex = ex * 10 + (*s - '0');
	}
	if (s != e)
		return CSV_NUM_TEXT;
	exp10 += eneg ? -ex : ex;
	if (m == 0) {
		*out = neg ? -0.0 : 0.0;
		return CSV_NUM_FINITE;
	}
	/* Clinger's fast path: both m and 10^|e| exact, one rounding. */
	if (nsig <= 19 && m <= (UINT64_C(1) << 53) && exp10 >= -22 &&
	    exp10 <= 22) {
		*out = exp10 < 0 ? (double)m / pow10_exact[-exp10] :
		    (double)m * pow10_exact[exp10];
		if (neg)
			*out = -*out;
		return CSV_NUM_FINITE;
	}
	return slow(neg, d, de, (eneg ? -ex : ex) - nfrac, out);
}
