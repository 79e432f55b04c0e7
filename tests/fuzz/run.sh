#!/bin/sh
# tests/fuzz/run.sh BUILD: build every libFuzzer harness tests/fuzz/fuzz_*.c
# with clang -fsanitize=fuzzer,address,undefined (only the parser sources
# and util, not the whole library) and run each for FUZZ_SECONDS (default
# 30) with its .dict, starting from corpus/<name>/.  New inputs go to
# BUILD/fuzz/corpus-<name>/, never into the checked-in seeds.  Exit 1 when a
# harness fails to build or finds a crash (the reproducer is left in
# BUILD/fuzz/, named crash-* or leak-* as libFuzzer names them).
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
SECONDS_EACH=${FUZZ_SECONDS:-30}
CLANG=${CLANG:-clang}
OUT=$BUILD/fuzz
mkdir -p "$OUT"
command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz: $CLANG not found (apt-get install clang)"; exit 1; }
SRCS="$ROOT/src/hosts/prom.c $ROOT/src/hosts/derive.c $ROOT/src/hosts/contract.c $ROOT/src/hosts/promapi.c $(ls "$ROOT"/src/util/*.c)"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$ROOT/src -I$ROOT $(pkg-config --cflags libcjson)"
LIBS="$(pkg-config --libs libcjson) -lm"
status=0
for h in "$ROOT"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	short=${name#fuzz_}
	echo "== $name (${SECONDS_EACH}s)"
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS -o "$OUT/$name" "$h" $SRCS $LIBS; then
		echo "fuzz: $name does not build"; status=1; continue
	fi
	mkdir -p "$OUT/corpus-$short"
	dict=$ROOT/tests/fuzz/$name.dict
	(cd "$OUT" && ASAN_OPTIONS=detect_leaks=1 "./$name" \
	    ${dict:+-dict="$dict"} -max_total_time="$SECONDS_EACH" \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    "corpus-$short" "$ROOT/tests/fuzz/corpus/$short") >"$OUT/$name.log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$OUT/$name.log" | sed 's/^/   /'
	if [ $rc != 0 ]; then
		echo "fuzz: $name failed (exit $rc), see $OUT/$name.log"
		grep -E 'ERROR|SUMMARY|Test unit written' "$OUT/$name.log" | head -5 | sed 's/^/   /'
		status=1
	fi
done
exit $status
