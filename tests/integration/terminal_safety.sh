#!/bin/bash
# terminal_safety: text from hosts, files and arguments cannot drive the
# user's terminal.  Run under a real pseudo-terminal (Python's pty), what
# modeldeck writes holds no ESC or C1 byte: a model name sent by a real
# modeldeck-hostd with an OSC title sequence and a bidi override, a CSV
# header with a CSI sequence, and an error naming a file with ESC in its
# name all come out as visible \uXXXX escapes.  Through a pipe, JSON output
# is byte-exact (data for scripts and exports).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/poller_common.inc"
cd "$T" || exit 1

# in_pty OUT CMD...: run CMD with stdout and stderr on a new pty; what the
# terminal received goes to OUT.
in_pty() {
	out=$1; shift
	$PY - "$out" "$@" <<'PY'
import os, pty, sys
out, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
data = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
open(out, "wb").write(data)
PY
}
# has_raw FILE: the file holds an ESC, BEL, a C1 control or U+202E raw.
has_raw() {
	$PY -c 'import sys; d = open(sys.argv[1], "rb").read(); t = d.decode("utf-8", "replace")
sys.exit(0 if any(c in t for c in "\x1b\x07\u009b\u202e") else 1)' "$1"
}

# A real host serving a model whose name is an attack.
EVIL=$'credit-risk\e]0;pwned\a\u202e7'
$PY - "$FLEET" "$T/fleet.json" "$EVIL" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
old, new = "credit-risk", sys.argv[3]
for m in f["models"]:
    if m["name"] == old:
        m["name"] = new
for h in f["hosts"]:
    h["models"] = [new if x == old else x for x in h["models"]]
json.dump(f, open(sys.argv[2], "w"))
PY
FLEET=$T/fleet.json
hd_start evil serving-eu-1 --speed 0
write_config c.json '{"timeout": "20s"}' "serving-eu-1=http://127.0.0.1:$PORT"

in_pty status.tty "$MD" --config c.json --db md.db status
if ! has_raw status.tty && grep -q 'credit-risk\\u001b]0;pwned\\u0007\\u202e7' status.tty; then
	pass status-table-on-terminal-escaped; else
	fail status-table-on-terminal-escaped "$(grep -a credit status.tty | od -c | head -5)"; fi
in_pty status-json.tty "$MD" --config c.json --db md.db status --json
tr -d '\r' <status-json.tty >status-json.txt
n=$($PY -c 'import json, sys; d = json.load(open(sys.argv[1])); print(int(sys.argv[2] in [m["model"] for m in d["models"]]))' status-json.txt "$EVIL" 2>&1)
! has_raw status-json.tty && [ "$n" = 1 ] && pass status-json-on-terminal-escaped-and-still-json ||
	fail status-json-on-terminal-escaped-and-still-json "found $n"
"$MD" --config c.json --db md.db status --json >status.pipe 2>&1
n=$($PY -c 'import json, sys; d = json.load(open(sys.argv[1])); print(int(sys.argv[2] in [m["model"] for m in d["models"]]))' status.pipe "$EVIL" 2>&1)
[ "$n" = 1 ] && pass status-json-through-pipe-exact || fail status-json-through-pipe-exact "found $n"

# A CSV header with a CSI sequence, and a file name with ESC in it.
{ printf 'x,\033[2Jcol\n'; for i in $(seq 300); do echo "$i,c$((i % 3))"; done; } >ref.csv
cp ref.csv cur.csv
in_pty drift.tty "$MD" drift --reference ref.csv --current cur.csv
! has_raw drift.tty && grep -q '\\u001b\[2Jcol' drift.tty && pass drift-table-on-terminal-escaped ||
	fail drift-table-on-terminal-escaped "$(od -c drift.tty | head -5)"
"$MD" drift --reference ref.csv --current cur.csv --json >drift.pipe 2>&1
$PY -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if "\x1b[2Jcol" in [f["name"] for f in d["features"]] else 1)' drift.pipe &&
	pass drift-json-through-pipe-exact || fail drift-json-through-pipe-exact "$(head -c 300 drift.pipe)"
in_pty err.tty "$MD" drift --reference $'no\033]0;x\asuch.csv' --current cur.csv
! has_raw err.tty && grep -q 'no\\u001b]0;x\\u0007such.csv' err.tty && pass error-on-terminal-escaped ||
	fail error-on-terminal-escaped "$(od -c err.tty | head -5)"
