#!/bin/bash
# status_figures: `modeldeck status --json` against figures computed here,
# independently, in Python from the host's own answers (host-api.md, "What
# the console derives"): error_rate from model_requests_total, p50/p99 by
# Prometheus's histogram_quantile over the cumulative buckets (one-shot
# status), labelled accuracy and the label count over the window's samples
# joined with their late labels by id.  Also the JSON shape of issue 4
# item 7 and the exit code.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/poller_common.inc"

hd_start a serving-eu-1 --speed 0; PA=$PORT
write_config "$T/c.json" '{"page_limit": 5000, "timeout": "30s"}' "serving-eu-1=http://127.0.0.1:$PA"
md_status "$T/c.json" "$T/md.db" --json
[ "$RC" = 0 ] && pass status-exit-0-all-up || fail status-exit-0-all-up "exit $RC: $(printf %s "$OUT" | head -5)"
printf '%s' "$OUT" >"$T/status.json"

res=$($PY - "http://127.0.0.1:$PA" "$T/status.json" <<'PY'
import json, math, re, sys, urllib.request
base, path = sys.argv[1:3]
st = json.load(open(path))
get = lambda p: urllib.request.urlopen(base + p, timeout=60).read().decode()
out = []

# Shape: the keys issue 4 item 7 names, on every entry.
hk = {"name", "url", "state", "error", "last_ok"}
mk = {"model", "version", "host", "stage", "traffic_percent", "drift_status",
      "accuracy", "labels", "p99_latency_ms", "error_rate"}
shape = all(hk <= set(h) for h in st["hosts"]) and all(mk <= set(m) for m in st["models"])
ts = st["hosts"][0]["last_ok"] or ""
rfc = re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", ts) is not None
out.append("shape %s" % ("ok" if shape and rfc else "bad: %r" % ts))

# Metrics, parsed by hand.
codes, buckets = {}, {}
for line in get("/metrics").splitlines():
    m = re.match(r'(\w+)\{([^}]*)\} (\S+)', line)
    if not m:
        continue
    name, labels, v = m.group(1), dict(re.findall(r'(\w+)="([^"]*)"', m.group(2))), float(m.group(3))
    k = (labels.get("model"), labels.get("version"))
    if name == "model_requests_total":
        codes.setdefault(k, {})[labels["code"]] = v
    elif name == "model_request_duration_seconds_bucket":
        buckets.setdefault(k, []).append((float(labels["le"]), v))

def quantile(q, b):	# Prometheus bucketQuantile
    b = sorted(b)
    if len(b) < 2 or not math.isinf(b[-1][0]) or b[-1][1] == 0:
        return None
    rank = q * b[-1][1]
    i = next(i for i, (le, c) in enumerate(b) if c >= rank)
    if i == len(b) - 1:
        return b[-2][0]
    start, lo = (0.0, 0.0) if i == 0 else (b[i - 1][1], b[i - 1][0])
    if i == 0 and b[0][0] <= 0:
        return b[0][0]
    return lo + (b[i][0] - lo) * (rank - start) / (b[i][1] - start)

def close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and
            math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12))

n = 0
for m in st["models"]:
    k = (m["model"], m["version"])
    if m["stage"] == "retired":
        continue
    c = codes.get(k, {})
    tot = sum(c.values())
    er = sum(v for code, v in c.items() if code.startswith("5")) / tot if tot else None
    p99 = quantile(0.99, buckets.get(k, []))
    p50 = quantile(0.5, buckets.get(k, []))
    for name, want, got in (("error_rate", er, m["error_rate"]),
                            ("p99", p99 and p99 * 1000, m["p99_latency_ms"]),
                            ("p50", p50 and p50 * 1000, m["p50_latency_ms"])):
        if not close(want, got):
            out.append("%s@%s %s: python %r, modeldeck %r" % (k[0], k[1], name, want, got))
        n += 1

# Accuracy and labels of every live classification version.
for m in st["models"]:
    if m["stage"] == "retired":
        continue
    mv = "/ops/v1/models/%s/versions/%s/" % (m["model"], m["version"])
    ref = json.loads(get(mv + "reference"))
    def pages(stream, key):
        rows, after = [], None
        while True:
            p = json.loads(get(mv + stream + "?limit=5000" + ("&after=" + after if after else "")))
            rows += p[key]
            after = p.get("cursor") or after
            if not p["more"] or not p[key]:
                return rows
    samples = pages("samples", "rows")[-50000:]
    labels = {l["id"]: l["label"] for l in pages("labels", "labels")}
    joined = [(s["prediction"], labels[s["id"]]) for s in samples
              if s["id"] in labels and s["prediction"] is not None]
    if m["labels"] != len(joined):
        out.append("%s@%s labels: python %d, modeldeck %r" % (m["model"], m["version"], len(joined), m["labels"]))
    n += 1
    if ref["task"] != "binary_classification":
        continue
    t, pos = ref.get("threshold", 0.5), ref.get("positive_label", 1)
    acc = (sum((p >= t) == (y == pos) for p, y in joined) / len(joined)) if len(joined) >= 200 else None
    if not close(acc, m["accuracy"]):
        out.append("%s@%s accuracy: python %r, modeldeck %r" % (m["model"], m["version"], acc, m["accuracy"]))
    n += 1
print(n, "|", "; ".join(out))
PY
)
n=${res%% |*}; rest=${res#*| }
case $rest in "shape ok") pass status-json-shape ;; *) fail status-json-shape "${rest%%;*}" ;; esac
others=${rest#shape ok}; others=${others#; }
if [ "${n:-0}" -ge 20 ] && [ -z "$others" ]; then pass status-figures-match-python; else
	fail status-figures-match-python "checked ${n:-0}: $others"; fi
echo "# $n figures checked against Python"

# Each version joined with the configuration: team and tier of a
# configured model, null and "raci": false for one it does not name.
res=$($PY - "$T/c.json" "$T/status.json" <<'PY'
import json, sys
cfg = {m["name"]: m for m in json.load(open(sys.argv[1]))["models"]}
bad, n = [], 0
for m in json.load(open(sys.argv[2]))["models"]:
    c = cfg.get(m["model"])
    want = (True, c["team"], c.get("tier")) if c else (False, None, None)
    got = (m["raci"], m["team"], m["tier"])
    n += 1
    if want != got:
        bad.append("%s: want %r got %r" % (m["model"], want, got))
print(n, "; ".join(bad))
PY
)
[ "${res%% *}" -ge 3 ] && [ "${res#* }" = "" ] && pass status-joins-config ||
	fail status-joins-config "$res"

# The text table: one line per host and per live version.
md_status "$T/c.json" "$T/md.db"
expect_grep status-table-host '^serving-eu-1 +up ' "$OUT"
expect_grep status-table-canary '^credit-risk +7 +serving-eu-1 +canary +10% +alert' "$OUT"
# Bad usage and an unreadable configuration: clear errors, exit 2.
expect_exit 2 status-bad-option "$MD" --config "$T/c.json" --db "$T/md.db" status --bogus
printf '{"hosts": [' >"$T/broken.json"
expect_exit 2 status-broken-config "$MD" --config "$T/broken.json" --db "$T/md.db" status
