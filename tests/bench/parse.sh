#!/bin/bash
# tests/bench/parse.sh: parsing speed of the host contract's bulk bodies,
# side by side in one run.  bench_parse writes a samples page (20,000 rows
# x 20 features) and a /metrics scrape, times modeldeck's parsers on them;
# then Python times json.loads + per-feature columns, and a regex line
# parser, on the same files.  Prints figures and ratios; the ingest target
# of issue 4 is 1,000,000 feature values per second per core.
set -u
BUILD=${MD_BUILD:-build}
ROOT=${MD_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
B=$BUILD/bench/bench_parse
[ -x "$B" ] || { echo "parse: $B not built (make bench)"; exit 1; }
D=$(mktemp -d "${TMPDIR:-/tmp}/mdbench.XXXXXX")
trap 'rm -rf "$D"' EXIT
"$B" "$D" >"$D/c.out" || { echo "parse: bench_parse failed"; exit 1; }
OPENBLAS_NUM_THREADS=1 /usr/bin/python3 - "$D" >"$D/py.out" <<'PY' || { echo "parse: python reference failed"; exit 1; }
import json, re, sys, time
d = sys.argv[1]
page = open(d + "/samples.json", "rb").read()
metrics = open(d + "/metrics.txt").read()
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"')
def samples():
    doc = json.loads(page)
    rows = doc["rows"]
    names = list(rows[0]["features"].keys())
    cols = {n: [r["features"].get(n) for r in rows] for n in names}
    return len(rows) * len(names)
def prom():
    n = 0
    for line in metrics.splitlines():
        if not line or line.startswith("#"):
            n += 1
            continue
        m = line_re.match(line)
        labels = dict(label_re.findall(m.group(2) or ""))
        float(m.group(3))
        n += 1
    return n
def best(fn):
    b = 1e9
    for _ in range(5):
        t = time.process_time(); r = fn(); t = time.process_time() - t
        b = min(b, t)
    return r, b
v, t = best(samples)
print("py_values_per_s %.0f" % (v / t))
n, t = best(prom)
print("py_lines_per_s %.0f" % (n / t))
PY
get() { awk -v k="$1" '$1 == k { print $2 }' "$D/c.out" "$D/py.out"; }
vals=$(get samples_values_per_s) cj=$(get cjson_only_values_per_s) pyv=$(get py_values_per_s)
lines=$(get prom_lines_per_s) pyl=$(get py_lines_per_s)
printf 'samples page: %s rows, %s feature values, %s bytes\n' "$(get samples_rows)" "$(get samples_values)" "$(get samples_bytes)"
printf '  modeldeck contract_parse_samples  %12s values/s\n' "$vals"
printf '  cJSON parse alone (no columns)    %12s values/s\n' "$cj"
printf '  python json.loads + columns       %12s values/s\n' "$pyv"
awk -v a="$vals" -v b="$pyv" -v c="$cj" 'BEGIN { printf "  ratio modeldeck/python %.2fx, modeldeck/cJSON-alone %.2f; target 1,000,000 values/s per core: %s\n", a / b, a / c, (a >= 1000000 ? "met" : "NOT met") }'
printf '/metrics scrape: %s lines, %s bytes\n' "$(get metrics_lines)" "$(get metrics_bytes)"
printf '  modeldeck prom_parse              %12s lines/s\n' "$lines"
printf '  python regex line parser          %12s lines/s\n' "$pyl"
awk -v a="$lines" -v b="$pyl" 'BEGIN { printf "  ratio modeldeck/python %.2fx\n", a / b }'
