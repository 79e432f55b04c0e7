/*
 * csv: a streaming reader of RFC 4180 CSV, one row at a time, in bounded
 * memory (a buffer of a few MiB, grown only for one row longer than it,
 * up to CSV_MAX_ROW).
 *
 * Accepted: "," separators; fields quoted with '"' ("" inside quotes is one
 * quote; quoted fields may hold separators and line breaks); LF or CRLF
 * line ends; a last line without a line end; a UTF-8 byte order mark at the
 * start.  Blank lines are skipped (as pandas and Python's csv module do).
 * Errors, each naming the file and line (and for quoting the byte column):
 * a quote inside an unquoted field, text after a closing quote, an
 * unterminated quoted field, a NUL byte, a row over CSV_MAX_ROW bytes, a
 * read error.  Ragged rows are for the caller to judge (csv_nfields).
 *
 * Ownership: the reader owns its buffer; field pointers returned by
 * csv_field stay valid only until the next csv_read.  Fields are
 * NUL-terminated in place (no field can hold a NUL byte).
 */
#ifndef MD_CSV_H
#define MD_CSV_H

#include <stddef.h>

#define CSV_MAX_ROW	(64u << 20)	/* longest row accepted, bytes */

struct csv_reader;

/* Open path for reading ("-" is standard input); NULL with *cause. */
struct csv_reader	*csv_open(const char *path, char **cause);
/* Read from fd (not closed by csv_close); name is used in messages. */
struct csv_reader	*csv_open_fd(int fd, const char *name);
void			 csv_close(struct csv_reader *r);
/*
 * Read the next non-blank row: 1 when read, 0 at end of input, -1 with
 * *cause ("cur.csv:12:7: quote inside an unquoted field").
 */
int			 csv_read(struct csv_reader *r, char **cause);
/* Number of fields of the current row (at least 1). */
size_t			 csv_nfields(const struct csv_reader *r);
/* Field i of the current row (i < csv_nfields), NUL-terminated; *len set. */
const char		*csv_field(const struct csv_reader *r, size_t i,
			    size_t *len);
/* The line (1-based) where field i of the current row starts. */
unsigned long		 csv_field_line(const struct csv_reader *r, size_t i);
/* The line where the current row starts. */
unsigned long		 csv_line(const struct csv_reader *r);
/* The name given at open (the path). */
const char		*csv_name(const struct csv_reader *r);

/* What csv_number made of a cell. */
enum csv_num {
	CSV_NUM_FINITE,		/* a finite number */
	CSV_NUM_MISSING,	/* empty or blank, "NaN"/"nan" (any case) */
	CSV_NUM_INFINITE,	/* "inf", "Infinity" (any case, signed), 1e999 */
	CSV_NUM_TEXT,		/* anything else */
};

/*
 * Parse a cell as a decimal number (optional sign, digits with an optional
 * point, optional exponent; blanks around are allowed; no hex, no digit
 * separators), correctly rounded and independent of the locale.  *out is
 * set for CSV_NUM_FINITE.  s needs no NUL terminator.
 */
enum csv_num		 csv_number(const char *s, size_t len, double *out);

#endif
