#!/bin/sh
# tests/fuzz/run.sh BUILD: build every libFuzzer harness tests/fuzz/fuzz_*.c
# and run each for FUZZ_SECONDS (default 30) with its .dict, starting from
# corpus/<name>/.  The core library is built once for fuzzing into
# BUILD/fuzz/lib (the Makefile with CC=clang and
# SANITIZER=fuzzer-no-link,address,undefined, so it is incremental); each
# harness links what it needs from it (a harness including term/ or ui/
# headers also the console's BUILD/fuzz/lib/libmodeldeck-ui.a).
# FUZZ_TARGETS="time csv" runs only those.  New inputs go to
# BUILD/fuzz/corpus-<name>/, never into the checked-in seeds.  Exit 1 when a harness fails to build or finds a crash
# (the reproducer is left in BUILD/fuzz/, named crash-* or leak-* as
# libFuzzer names them).
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
SECONDS_EACH=${FUZZ_SECONDS:-30}
CLANG=${CLANG:-clang}
OUT=$BUILD/fuzz
LIB=$OUT/lib
mkdir -p "$OUT"
command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz: $CLANG not found (apt-get install clang)"; exit 1; }
SAN=address,undefined
# WARN= : the -Werror gcc warnings are checked by the normal build, not here.
if ! make --no-print-directory -C "$ROOT" BUILD="$LIB" CC="$CLANG" \
    SANITIZER=fuzzer-no-link,$SAN WARN=-w \
    "$LIB/libmodeldeck.a" "$LIB/obj/paths-personal.o" >"$OUT/lib.log" 2>&1; then
	tail -20 "$OUT/lib.log"
	echo "fuzz: the core library does not build with $CLANG"
	exit 1
fi
# The console's archive (src/term, src/ui) only for harnesses that include
# term/ or ui/ headers (fuzz_theme), so the others do not depend on it.
ui_ok=1
if ! make --no-print-directory -C "$ROOT" BUILD="$LIB" CC="$CLANG" \
    SANITIZER=fuzzer-no-link,$SAN WARN=-w \
    "$LIB/libmodeldeck-ui.a" >"$OUT/lib-ui.log" 2>&1; then
	tail -20 "$OUT/lib-ui.log"
	echo "fuzz: the console library does not build with $CLANG"
	ui_ok=0
fi
PKGS="ncursesw sqlite3 libcurl libpcre2-8 libcjson libcrypto"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,$SAN -fno-sanitize-recover=all -I$ROOT/src -I$ROOT $(pkg-config --cflags $PKGS)"
LIBS="$LIB/obj/paths-personal.o $LIB/libmodeldeck.a $(pkg-config --libs $PKGS) -lm -lpthread"
status=0
for h in "$ROOT"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	short=${name#fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $short "*) ;; *) continue ;; esac
	fi
	echo "== $name (${SECONDS_EACH}s)"
	ui=
	if grep -qE '#include "(term|ui)/' "$h"; then
		[ $ui_ok = 1 ] || { echo "fuzz: $name needs the console library"; status=1; continue; }
		ui=$LIB/libmodeldeck-ui.a
	fi
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS -o "$OUT/$name" "$h" $ui $LIBS; then
		echo "fuzz: $name does not build"; status=1; continue
	fi
	mkdir -p "$OUT/corpus-$short"
	dict=$ROOT/tests/fuzz/$name.dict
	[ -f "$dict" ] || dict=
	(cd "$OUT" && ASAN_OPTIONS=detect_leaks=1 "./$name" \
	    ${dict:+-dict="$dict"} -max_total_time="$SECONDS_EACH" \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    "corpus-$short" "$ROOT/tests/fuzz/corpus/$short") >"$OUT/$name.log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$OUT/$name.log" | sed 's/^/   /'
	if [ $rc != 0 ]; then
		echo "fuzz: $name failed (exit $rc), see $OUT/$name.log"
		grep -E 'ERROR|SUMMARY|Test unit written|^fuzz_' "$OUT/$name.log" | head -5 | sed 's/^/   /'
		status=1
	fi
done
exit $status
