#!/bin/sh
# tests/bench/run.sh BUILD: run every benchmark script tests/bench/*.sh in
# turn.  Each compares modeldeck with a reference side by side in one run
# and prints ratios, since the machines are shared and noisy.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
export MD_BUILD=$BUILD MD_ROOT=$ROOT
status=0
for b in "$ROOT"/tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	case $(basename "$b") in *${BENCH:-}*) ;; *) continue ;; esac
	echo "== $(basename "$b" .sh)"
	bash "$b" || { echo "benchmark $(basename "$b") failed"; status=1; }
done
exit $status
