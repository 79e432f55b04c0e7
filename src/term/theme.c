/*
 * theme: the theme file parser and resolver (format and rules in theme.h
 * and docs/themes.md).  One pass over the text: each line is cut at '\n'
 * (a '\r' before it dropped), checked, copied into a bounded stack buffer
 * and read.  A role's line is kept as a delta (colours given, attributes
 * added, whether `none` cleared the base's), so DEFAULT may come anywhere
 * in the file: the deltas are applied to DEFAULT's style once the whole
 * file is read.  Text quoted from the file in a warning is cut to
 * QUOTE_MAX bytes and made safe to show (util/sanitize.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "term/theme.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define QUOTE_MAX	40
#define BLANKS		" \t"

/* What one role line says, relative to the style it starts from. */
struct delta {
	int	fg;
	int	bg;
	int	fg_set;
	int	bg_set;
	int	clear;		/* `none` seen: the base's attributes go */
	int	attr;		/* attributes added after the last `none` */
};

struct parse {
	struct theme	*t;
	struct delta	 delta[ROLE_COUNT];
	size_t		 line;
	int		 seen_version;
	int		 seen_setting;
};

static const struct {
	const char	*name;
	int		 attr;
} attr_table[] = {
	{ "bold", THEME_BOLD },
	{ "dim", THEME_DIM },
	{ "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE },
	{ "italic", THEME_ITALIC },
};

static void warn(struct parse *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct parse *p, const char *fmt, ...)
{
	struct theme	*t = p->t;
	va_list		 ap;
	char		*reason;

	if (t->nwarnings >= THEME_WARNINGS_MAX) {
		t->ndropped++;
		return;
	}
	va_start(ap, fmt);
	reason = xvasprintf(fmt, ap);
	va_end(ap);
	t->warnings = xreallocarray(t->warnings, t->nwarnings + 1,
	    sizeof *t->warnings);
	t->warnings[t->nwarnings++] = xasprintf("%s:%zu: %s", t->file, p->line,
	    reason);
	free(reason);
}

/* s as a quoted, safe, bounded string for a warning; the caller frees. */
static char *
quote(const char *s)
{
	struct strbuf	 b = { 0 };
	size_t		 len = strlen(s);

	strbuf_addc(&b, '"');
	sanitize_append(&b, s, len > QUOTE_MAX ? QUOTE_MAX : len, 0);
	strbuf_adds(&b, len > QUOTE_MAX ? "...\"" : "\"");
	return (strbuf_take(&b));
}

static char *
trim(char *s)
{
	char	*end;

	s += strspn(s, BLANKS);
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return (s);
}

/* One item of a style: an attribute, `none`, `default` or fg=/bg=. */
static void
parse_item(struct parse *p, struct delta *d, const char *item)
{
	size_t	 i;
	int	 c;
	char	*q;

	if (strncasecmp(item, "fg=", 3) == 0 || strncasecmp(item, "bg=", 3) == 0) {
		if (theme_colour_parse(item + 3, &c) != 0) {
			q = quote(item + 3);
			warn(p, "bad colour %s", q);
			free(q);
		} else if (item[0] == 'f' || item[0] == 'F') {
			d->fg = c;
			d->fg_set = 1;
		} else {
			d->bg = c;
			d->bg_set = 1;
		}
		return;
	}
	if (strcasecmp(item, "none") == 0) {
		d->clear = 1;
		d->attr = 0;
		return;
	}
	if (strcasecmp(item, "default") == 0) {
		memset(d, 0, sizeof *d);
		return;
	}
	for (i = 0; i < sizeof attr_table / sizeof attr_table[0]; i++) {
		if (strcasecmp(item, attr_table[i].name) == 0) {
			d->attr |= attr_table[i].attr;
			return;
		}
	}
	q = quote(item);
	warn(p, "unknown attribute %s", q);
	free(q);
}

/* `version N`, which must come before any role. */
static void
parse_version(struct parse *p, char *arg)
{
	char	*end, *q;
	long	 v;

	arg = trim(arg[0] == '=' ? arg + 1 : arg);
	if (p->seen_version || p->seen_setting) {
		warn(p, "version must be the first setting; line ignored");
		return;
	}
	p->seen_version = 1;
	errno = 0;
	v = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    v < 1 || v > 1000000) {
		q = quote(arg);
		warn(p, "bad version %s; reading as version %d", q,
		    THEME_VERSION);
		free(q);
		return;
	}
	p->t->version = (int)v;
	if (v > THEME_VERSION)
		warn(p, "version %ld is newer than %d; reading what version %d "
		    "knows", v, THEME_VERSION, THEME_VERSION);
}

/* `role = style`. */
static void
parse_setting(struct parse *p, char *s)
{
	struct delta	 d;
	char		*eq, *key, *item, *q, *last;
	int		 r;

	if (!p->seen_version && !p->seen_setting)
		warn(p, "no version line; reading as version %d", THEME_VERSION);
	p->seen_setting = 1;
	if ((eq = strchr(s, '=')) == NULL) {
		s[strcspn(s, BLANKS)] = '\0';
		q = quote(s);
		warn(p, "missing '=' after %s", q);
		free(q);
		return;
	}
	*eq = '\0';
	key = trim(s);
	if ((r = roles_find(key)) < 0) {
		q = quote(key);
		warn(p, "unknown role %s", q);
		free(q);
		return;
	}
	memset(&d, 0, sizeof d);
	if (*trim(eq + 1) == '\0') {
		warn(p, "no style after '='; %s ignored", roles_name(r));
		return;
	}
	for (item = strtok_r(eq + 1, " \t,", &last); item != NULL;
	    item = strtok_r(NULL, " \t,", &last))
		parse_item(p, &d, item);
	p->delta[r] = d;
	p->t->named[r] = 1;
}

/* Is this line fit to read?  Warns and says no if not. */
static int
check_line(struct parse *p, const char *s, size_t len)
{
	size_t	i;

	if (len > THEME_LINE_MAX) {
		warn(p, "line longer than %d bytes; ignored", THEME_LINE_MAX);
		return (0);
	}
	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
			warn(p, "control character 0x%02x; line ignored",
			    (unsigned char)s[i]);
			return (0);
		}
	}
	return (1);
}

static void
parse_line(struct parse *p, const char *s, size_t len)
{
	char	 buf[THEME_LINE_MAX + 1], *line;
	size_t	 n;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (!check_line(p, s, len))
		return;
	memcpy(buf, s, len);
	buf[len] = '\0';
	line = trim(buf);
	if (*line == '\0' || *line == '#')
		return;
	n = strcspn(line, " \t=");
	if (n == 7 && strncmp(line, "version", 7) == 0)
		parse_version(p, trim(line + 7));
	else
		parse_setting(p, line);
}

static struct theme_style
apply(const struct delta *d, struct theme_style base)
{
	struct theme_style	s;

	s.fg = d->fg_set ? d->fg : base.fg;
	s.bg = d->bg_set ? d->bg : base.bg;
	s.attr = (d->clear ? 0 : base.attr) | d->attr;
	return (s);
}

struct theme *
theme_parse(const char *text, size_t len, const char *file)
{
	struct parse		 p;
	struct theme_style	 none = { THEME_COLOUR_DEFAULT, THEME_COLOUR_DEFAULT, 0 };
	const char		*nl, *end = text + len;
	int			 r;

	memset(&p, 0, sizeof p);
	p.t = xcalloc(1, sizeof *p.t);
	p.t->file = xstrdup(file);
	p.t->version = THEME_VERSION;
	while (text < end) {
		p.line++;
		if ((nl = memchr(text, '\n', (size_t)(end - text))) == NULL)
			nl = end;
		parse_line(&p, text, (size_t)(nl - text));
		text = nl + 1;
	}
	p.t->style[ROLE_DEFAULT] = apply(&p.delta[ROLE_DEFAULT], none);
	for (r = 0; r < ROLE_COUNT; r++) {
		if (r != ROLE_DEFAULT)
			p.t->style[r] = apply(&p.delta[r],
			    p.t->style[ROLE_DEFAULT]);
	}
	return (p.t);
}

struct theme *
theme_load(const char *path, char **cause)
{
	struct theme	*t;
	FILE		*f;
	char		*buf;
	size_t		 len;
	int		 error;

	if ((f = fopen(path, "rb")) == NULL)
		return (xcause(cause, "theme: cannot read %s: %s", path,
		    strerror(errno)), NULL);
	buf = xmalloc(THEME_FILE_MAX + 1);
	len = fread(buf, 1, THEME_FILE_MAX + 1, f);
	error = ferror(f) ? errno : 0;
	fclose(f);
	if (error != 0 || len > THEME_FILE_MAX) {
		free(buf);
		if (error != 0)
			xcause(cause, "theme: cannot read %s: %s", path,
			    strerror(error));
		else
			xcause(cause, "theme: %s: larger than %d bytes", path,
			    THEME_FILE_MAX);
		return (NULL);
	}
	t = theme_parse(buf, len, path);
	free(buf);
	return (t);
}

struct theme *
theme_default(void)
{
	return (theme_parse(theme_default_text, strlen(theme_default_text),
	    "default.theme (built in)"));
}

void
theme_free(struct theme *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nwarnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	free(t->file);
	free(t);
}

/* The attribute that keeps role r visible once colours are dropped. */
static int
mono_mark(int r, const struct theme_style *s, const struct theme_style *def)
{
	if (r == ROLE_DEFAULT)
		return (0);
	if (s->bg != def->bg)
		return (THEME_REVERSE);
	if (r != ROLE_ERROR && r != ROLE_STATUS_ALERT && r != ROLE_HOST_DOWN)
		return (0);
	if (s->fg != def->fg && s->attr == def->attr)
		return (THEME_BOLD);
	return (0);
}

void
theme_resolve(const struct theme *t, int ncolours, int no_colour,
    struct theme_style out[ROLE_COUNT])
{
	const struct theme_style	*def = &t->style[ROLE_DEFAULT];
	int				 r, mono = no_colour || ncolours < 8;

	for (r = 0; r < ROLE_COUNT; r++) {
		out[r] = t->style[r];
		if (mono) {
			out[r].attr |= mono_mark(r, &t->style[r], def);
			out[r].fg = out[r].bg = THEME_COLOUR_DEFAULT;
			continue;
		}
		if (out[r].fg >= 0)
			out[r].fg = theme_colour_degrade(out[r].fg, ncolours);
		if (out[r].bg >= 0)
			out[r].bg = theme_colour_degrade(out[r].bg, ncolours);
	}
}
