/*
 * theme_default: the text of themes/default.theme, compiled in so the
 * console has a theme when none is installed.  Keep it identical to the
 * file, line for line (tests/unit/test_theme.c compares the two).
 */
#include "term/theme.h"

const char theme_default_text[] =
	"# modeldeck default theme, for a dark terminal background.\n"
	"# One `role = style` line per role (roles in src/term/roles.h); the format\n"
	"# is described in docs/themes.md.  This text is also compiled into\n"
	"# modeldeck (src/term/theme_default.c) so the console works with no theme\n"
	"# file installed; the two must stay identical (tests/unit/test_theme.c).\n"
	"version 1\n"
	"\n"
	"default        = fg=default,bg=default\n"
	"title          = fg=brightwhite,bold\n"
	"header         = fg=colour250,bold,underline\n"
	"border         = fg=colour240\n"
	"status_bar     = fg=colour252,bg=colour236\n"
	"prompt         = fg=brightwhite,bg=colour236\n"
	"sel_focus      = fg=black,bg=colour74,bold\n"
	"sel_unfocus    = fg=colour252,bg=colour238\n"
	"dim            = fg=colour244\n"
	"notice         = fg=colour117\n"
	"error          = fg=brightwhite,bg=colour160,bold\n"
	"status_ok      = fg=colour71\n"
	"status_warn    = fg=colour214\n"
	"status_alert   = fg=colour196,bold\n"
	"status_unknown = fg=colour245\n"
	"stage_shadow   = fg=colour103\n"
	"stage_canary   = fg=colour179\n"
	"stage_full     = fg=colour78\n"
	"stage_retired  = fg=colour242\n"
	"host_up        = fg=colour71\n"
	"host_degraded  = fg=colour214\n"
	"host_down      = fg=colour196,bold\n"
	"spark          = fg=colour74\n";
