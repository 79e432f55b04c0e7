/*
 * sanitize: the one place that makes untrusted text safe to show on a
 * terminal.  Model names, versions, error texts and feature names come
 * from hosts, files and the database; written raw, an ESC, CSI, OSC or DCS
 * sequence (or a C1 control, which some terminals obey in UTF-8 too) could
 * retitle the window, rewrite the screen or the clipboard, and a bidi
 * override could make "rollback credit-risk" read as something else.
 *
 * What is kept: printable UTF-8, and with SANITIZE_KEEP_LINES newline and
 * tab.  What is shown as a visible escape instead: C0 controls (CR
 * included), DEL, C1 controls and the invisible format characters that
 * reorder or hide text (bidi marks, embeddings, overrides and isolates,
 * zero-width characters, line/paragraph separators, BOM) as \uXXXX, which
 * is also a valid JSON escape of the same character, so sanitised JSON
 * stays JSON; a byte that is not valid UTF-8 as \xHH.  The CLI applies it
 * to whatever it writes to a terminal (cmd_print, cmd_error), and the
 * console's canvas to every string it draws.
 */
#ifndef MD_SANITIZE_H
#define MD_SANITIZE_H

#include <stddef.h>

#include "util/strbuf.h"

#define SANITIZE_KEEP_LINES	0x01	/* newline and tab pass through */

/* Append s[0..len) to out, made safe as above. */
void	 sanitize_append(struct strbuf *out, const char *s, size_t len,
	    unsigned flags);
/* The safe form of the NUL-terminated s, allocated. */
char	*sanitize_dup(const char *s, unsigned flags);
/*
 * Length of the valid UTF-8 sequence at s (at most len bytes) and its code
 * point in *cp; 0 when the bytes there are not valid UTF-8 (overlong,
 * surrogate, beyond U+10FFFF, cut short).
 */
size_t	 sanitize_utf8(const unsigned char *s, size_t len, unsigned *cp);

#endif
