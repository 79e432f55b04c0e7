#!/bin/sh
# The layering rules of docs/architecture.md, checked on every test run:
# only src/term/ includes curses; the core (store, hosts, stats, gov, audit,
# cmd, config, util) includes nothing from src/ui/, src/term/ or screens/.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|panel\.h)' src screens tests 2>/dev/null | grep -v '^src/term/')
if [ -z "$bad" ]; then echo "PASS curses only in src/term"; else echo "FAIL curses only in src/term: $bad"; fi
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*"(ui|term|screens)/' src/store src/hosts src/stats src/gov src/audit src/cmd src/config src/util src/data 2>/dev/null)
if [ -z "$bad" ]; then echo "PASS core does not include ui, term or screens"; else echo "FAIL core does not include ui, term or screens: $bad"; fi
bad=$(grep -rlE 'sqlite3' src --include='*.c' --include='*.h' | grep -v '^src/store/')
if [ -z "$bad" ]; then echo "PASS SQL only in src/store"; else echo "FAIL SQL only in src/store: $bad"; fi
