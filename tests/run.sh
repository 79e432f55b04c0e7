#!/bin/sh
# tests/run.sh BUILD: run every tier (layer check, unit, integration) and
# print the final "N passed, N failed" line.  Exit 1 when anything failed.
# A test program that dies without reporting counts as one failure.
# TESTS=pattern runs only the matching unit binaries and scripts.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export MD_BUILD=$BUILD MD_ROOT=$ROOT
case $BUILD in *asan*) export MD_SANITIZER=address,undefined ;; esac
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
LOG=$BUILD/test-log
mkdir -p "$LOG"
passed=0 failed=0

run_one() {	# run_one NAME CMD...
	name=$1; shift
	out=$LOG/$(echo "$name" | tr '/' '_').out
	"$@" >"$out" 2>&1 </dev/null
	rc=$?
	p=$(grep -c '^PASS ' "$out"); f=$(grep -c '^FAIL ' "$out")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL $name: exited $rc without reporting a failure (see $out)"
		tail -5 "$out" | sed 's/^/    /'
		f=1
	fi
	grep '^FAIL ' "$out" | sed "s|^|[$name] |"
	printf '%-40s %4d passed %3d failed\n' "$name" "$p" "$f"
	passed=$((passed + p)); failed=$((failed + f))
}

run_one check-layers sh "$ROOT/tests/check-layers.sh"
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	case $(basename "$t") in *${TESTS:-}*) ;; *) continue ;; esac
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$ROOT"/tests/integration/*.sh; do
	[ -f "$t" ] || continue
	case $(basename "$t") in *${TESTS:-}*) ;; *) continue ;; esac
	run_one "integration/$(basename "$t" .sh)" bash "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
