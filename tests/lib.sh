# tests/lib.sh: the shell test framework, sourced by tests/integration/*.sh.
# Each check prints "PASS name" or "FAIL name: why"; tests/run.sh counts them.
# Environment from tests/run.sh: MD_BUILD (build directory, absolute),
# MD_SANITIZER (non-empty under make asan), MD_ROOT (the checkout).
set -u
MD_ROOT=${MD_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
MD_BUILD=${MD_BUILD:-$MD_ROOT/build}
MD=$MD_BUILD/modeldeck
HOSTD=$MD_BUILD/modeldeck-hostd
T=$(mktemp -d "${TMPDIR:-/tmp}/mdtest.XXXXXX")
chmod 0755 "$T"
MD_PIDS=""
md_cleanup() {
	for p in $MD_PIDS; do kill "$p" 2>/dev/null; done
	for p in $MD_PIDS; do wait "$p" 2>/dev/null; done
	[ -n "${MD_KEEP:-}" ] || rm -rf "$T"
}
trap md_cleanup EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# check NAME CMD...: passes when CMD exits 0.
check() {
	name=$1; shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "exit $? from: $* :: $(printf %s "$out" | tail -3)"; fi
}

# expect_exit CODE NAME CMD...: passes when CMD exits with CODE; output in $OUT.
expect_exit() {
	code=$1 name=$2; shift 2
	OUT=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$code" ]; then pass "$name"; else fail "$name" "expected exit $code, got $rc from: $* :: $(printf %s "$OUT" | tail -3)"; fi
}

# expect_grep NAME PATTERN TEXT: passes when TEXT matches the extended regex.
expect_grep() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then pass "$1"; else fail "$1" "no match for /$2/ in: $(printf %s "$3" | head -5)"; fi
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
	    echo $((20000 + $$ % 20000 + ${1:-0}))
}

# wait_http URL [SECONDS]: wait until URL answers anything.
wait_http() {
	i=0; n=$(( ${2:-10} * 10 ))
	while [ $i -lt $n ]; do
		curl -s -o /dev/null --max-time 1 "$1" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
