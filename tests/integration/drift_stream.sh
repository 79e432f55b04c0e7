# drift_stream: with only binned statistics (--stats psi,js) the current
# file is streamed, not loaded: 2,000,000 rows through a FIFO under a 50 MB
# address-space limit, with the peak RSS measured.  (The real 2 GiB file is
# in tests/bench/drift.sh, too slow for `make test`.)
. "$(dirname "$0")/../lib.sh"
cd "$T" || exit 1
PY=/usr/bin/python3
ROWS=2000000
gen() {	# gen SEED ROWS: x (numeric), y (integer), c (categorical)
	awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed); print "id,x,y,c"
		for (i = 0; i < n; i++) printf "r%d,%.4f,%d,%s\n", i, rand() * (seed == 1 ? 1 : 1.1), i % 13, (i % 3 ? "a" : (i % 7 ? "b" : "")) }'
}
gen 1 3000 >ref.csv
gen 2 $ROWS >cur.csv
mkfifo cur.fifo

# peak KIND CMD...: run CMD, print its peak RSS in kB.
peak() { $PY -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], "w"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode == 0 else -r.returncode)' "$@"; }

gen 2 $ROWS >cur.fifo &
MD_PIDS="$MD_PIDS $!"
if [ -z "${MD_SANITIZER:-}" ]; then
	( ulimit -v 50000; "$MD" drift --reference ref.csv --current cur.fifo --stats psi,js --json >fifo.json )
else
	"$MD" drift --reference ref.csv --current cur.fifo --stats psi,js --json >fifo.json
fi
rc=$?
if [ $rc = 0 ]; then pass "drift streams $ROWS rows from a FIFO in 50 MB of address space"; else fail "drift streams a FIFO" "exit $rc"; fi
expect_grep "drift FIFO row count" "\"rows\": \\{\"reference\": 3000, \"current\": $ROWS\\}" "$(cat fifo.json)"

streamed=$(peak file.json "$MD" drift --reference ref.csv --current cur.csv --stats psi,js --json)
whole=$(peak whole.json "$MD" drift --reference ref.csv --current cur.csv --json)
if cmp -s fifo.json file.json; then pass "drift FIFO and file give the same report"; else fail "drift FIFO and file give the same report" "$(diff fifo.json file.json | head -3)"; fi
if [ -z "${MD_SANITIZER:-}" ]; then
	if [ "$streamed" -gt 0 ] && [ "$streamed" -lt 32000 ]; then pass "drift streamed peak RSS ${streamed} kB < 32 MB"; else fail "drift streamed peak RSS" "$streamed kB"; fi
	if [ "$whole" -gt $((streamed * 3)) ]; then pass "drift whole load uses more (${whole} kB): the measure tells them apart"; else fail "drift whole load RSS" "whole $whole kB, streamed $streamed kB"; fi
fi
# The streamed PSI/JS equal the whole-file ones.
$PY - file.json whole.json <<'PYEOF' && pass "drift streamed PSI and JS equal the whole-file values" || fail "drift streamed PSI and JS equal the whole-file values" "differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for x, y in zip(a["features"], b["features"]):
    assert x["name"] == y["name"] and x["psi"] == y["psi"] and x["js"] == y["js"], (x, y)
    assert x["missing"] == y["missing"]
PYEOF
