#!/bin/bash
# modeldeck-hostd: command line, OIP v2 endpoints, inference computed with
# the fleet's weights (checked by an independent Python computation),
# reference data (baseline and AUC checked with scikit-learn), /metrics
# (checked with promtool and for monotonic counters).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/hostd_common.inc"

expect_exit 0 help "$HOSTD" --help
expect_grep help-lists-faults 'hang, trickle, reset, 5xx, badjson' "$OUT"
expect_exit 2 bad-option "$HOSTD" --no-such-option
expect_exit 2 bad-speed "$HOSTD" --speed fast
expect_grep bad-speed-says 'bad value "fast" for --speed' "$OUT"
expect_exit 2 bad-fault "$HOSTD" --fault explode
expect_exit 1 missing-fleet "$HOSTD" --fleet "$T/nope.json"
expect_grep missing-fleet-names-file "nope.json: No such file" "$OUT"
echo '{"models": [' >"$T/broken.json"
expect_exit 1 broken-fleet "$HOSTD" --fleet "$T/broken.json"
expect_grep broken-fleet-says "broken.json: not valid JSON" "$OUT"
echo '{"models":[{"name":"m","features":[{"name":"x","sd":-1}],"versions":[{"version":"1"}]}],"hosts":[]}' >"$T/badsd.json"
expect_exit 1 bad-feature "$HOSTD" --fleet "$T/badsd.json"
expect_grep bad-feature-names-it "model m: feature x: needs sd > 0" "$OUT"
echo '{"models":[{"name":"m","features":[{"name":"x"}],"versions":[{"version":"1","traffic_percent":60}]}],"hosts":[]}' >"$T/traffic.json"
expect_exit 1 bad-traffic "$HOSTD" --fleet "$T/traffic.json"
expect_grep bad-traffic-says "adds up to 60, not 100" "$OUT"
expect_exit 1 unknown-host "$HOSTD" --fleet "$FLEET" --host-name nowhere
expect_grep unknown-host-says "no host nowhere" "$OUT"
expect_exit 1 bad-listen "$HOSTD" --fleet "$FLEET" --listen 300.1.1.1:0
expect_grep bad-listen-says "bad listen address" "$OUT"

start_hostd eu1 --host-name serving-eu-1 --speed 0 --epoch $EPOCH
U=http://127.0.0.1:$PORT
expect_grep startup-line "serving-eu-1 listening on http://127.0.0.1:$PORT" "$(cat "$T/eu1.log")"
check live [ "$(status_of $U/v2/health/live)" = 200 ]
check ready [ "$(status_of $U/v2/health/ready)" = 200 ]
check server-meta [ "$(curl -s $U/v2 | jq_py 'd["host"]')" = serving-eu-1 ]
META=$(curl -s $U/v2/models/credit-risk)
check model-meta-versions [ "$(echo "$META" | jq_py 'sorted(d["versions"])')" = "['6', '7']" ]
check model-meta-inputs [ "$(echo "$META" | jq_py '[i["name"] for i in d["inputs"]][:2]')" = "['income', 'age']" ]
check version-ready [ "$(status_of $U/v2/models/credit-risk/versions/7/ready)" = 200 ]
check retired-not-ready [ "$(status_of $U/v2/models/credit-risk/versions/5/ready)" = 503 ]
check unknown-model-404 [ "$(status_of $U/v2/models/nope)" = 404 ]
check unknown-model-json [ "$(curl -s $U/v2/models/nope | jq_py 'd["error"]')" = "no model nope on host serving-eu-1" ]
check unknown-version-404 [ "$(status_of $U/v2/models/credit-risk/versions/99/ready)" = 404 ]
check unknown-endpoint-404 [ "$(status_of $U/nothing/here)" = 404 ]
check wrong-method-405 [ "$(status_of $U/ops/v1/deployments -X POST)" = 405 ]
check other-hosts-model-404 [ "$(status_of $U/v2/models/churn-predict)" = 404 ]

# Inference: the host's answer must equal the logistic model computed here
# from fleet.json's own parameters (standardised numeric, one-hot categorical).
INFER='{"id":"q1","inputs":[
 {"name":"income","shape":[3],"datatype":"FP64","data":[30000,90000,null]},
 {"name":"age","shape":[3],"datatype":"FP64","data":[30,50,70]},
 {"name":"tenure_months","shape":[3],"datatype":"FP64","data":[10,100,5]},
 {"name":"debt_ratio","shape":[3],"datatype":"FP64","data":[0.6,null,0.2]},
 {"name":"region","shape":[3],"datatype":"BYTES","data":["south","north","mars"]},
 {"name":"channel","shape":[3],"datatype":"BYTES","data":["web","partner","partner"]}]}'
ANS=$(curl -s -d "$INFER" $U/v2/models/credit-risk/versions/7/infer)
echo "$INFER" >"$T/infer.json"
echo "$ANS" >"$T/answer.json"
check infer-matches-weights $PY - "$FLEET" "$T/infer.json" "$T/answer.json" <<'PY'
import json, math, sys
fleet = json.load(open(sys.argv[1])); req = json.load(open(sys.argv[2])); ans = json.load(open(sys.argv[3]))
m = [x for x in fleet["models"] if x["name"] == "credit-risk"][0]
v = [x for x in m["versions"] if x["version"] == "7"][0]
coef = dict(m["truth"]["coef"]); coef.update(v["weights"]["coef"])
icpt = v["weights"].get("intercept", m["truth"]["intercept"])
inp = {i["name"]: i["data"] for i in req["inputs"]}
out = ans["outputs"][0]["data"]; lab = ans["outputs"][1]["data"]
assert ans["model_version"] == "7" and ans["id"] == "q1" and len(out) == 3
for k in range(3):
    s = icpt
    for f in m["features"]:
        x = inp[f["name"]][k]; c = coef.get(f["name"])
        if x is None or c is None: continue
        if f.get("type") == "categorical":
            s += c.get(x, 0) if isinstance(c, dict) else 0
        else:
            if f.get("dist") == "lognormal": x = math.log(x)
            s += c * (x - f["mean"]) / f["sd"]
    p = 1 / (1 + math.exp(-s))
    assert abs(p - out[k]) < 1e-9, (k, p, out[k])
    assert lab[k] == (1 if p >= m["threshold"] else 0)
PY
check infer-default-version [ "$(curl -s -d "$INFER" $U/v2/models/credit-risk/infer | jq_py 'd["model_version"]')" = 6 ]
check infer-bad-json [ "$(status_of $U/v2/models/credit-risk/versions/7/infer -d '{nope')" = 400 ]
BAD=$(curl -s -d '{"inputs":[{"name":"income","data":[1,2]}]}' $U/v2/models/credit-risk/versions/7/infer)
expect_grep infer-missing-input '"error":"missing input age' "$BAD"
BAD=$(curl -s -d "$(echo "$INFER" | sed 's/\[10,100,5\]/[10,100]/')" $U/v2/models/credit-risk/versions/7/infer)
expect_grep infer-ragged 'input tenure_months has 2 elements, not 3' "$BAD"
BAD=$(curl -s -d "$(echo "$INFER" | sed 's/\[30,50,70\]/[30,"x",70]/')" $U/v2/models/credit-risk/versions/7/infer)
expect_grep infer-type 'input age: element 1 is not a number' "$BAD"
check infer-retired-503 [ "$(status_of $U/v2/models/credit-risk/versions/5/infer -d "$INFER")" = 503 ]
check infer-get-405 [ "$(status_of $U/v2/models/credit-risk/versions/7/infer)" = 405 ]
head -c 2000000 /dev/zero | tr '\0' 'x' >"$T/big"
check body-cap-413 [ "$(status_of $U/v2/models/credit-risk/versions/7/infer --data-binary @"$T/big")" = 413 ]

# A logged sample's prediction is what /infer answers for its features.
curl -s "$U/ops/v1/models/credit-risk/versions/7/samples?limit=5" >"$T/s.json"
check samples-scored-by-same-model $PY - "$U" "$T/s.json" <<'PY'
import json, sys, urllib.request
u = sys.argv[1]; rows = json.load(open(sys.argv[2]))["rows"]
names = list(rows[0]["features"])
req = {"inputs": [{"name": n, "shape": [len(rows)], "datatype": "BYTES",
       "data": [r["features"][n] for r in rows]} for n in names]}
ans = json.load(urllib.request.urlopen(urllib.request.Request(
    u + "/v2/models/credit-risk/versions/7/infer", json.dumps(req).encode())))
for r, p in zip(rows, ans["outputs"][0]["data"]):
    assert abs(r["prediction"] - p) < 1e-8, (r, p)
PY

# Reference: 2,000 rows, baseline accuracy and ROC AUC as scikit-learn
# computes them from the rows, an importance for every schema feature.
curl -s $U/ops/v1/models/credit-risk/versions/6/reference >"$T/ref.json"
check reference-baseline $PY - "$T/ref.json" <<'PY'
import json, sys
from sklearn.metrics import accuracy_score, roc_auc_score
r = json.load(open(sys.argv[1]))
assert r["task"] == "binary_classification" and r["segment_by"] == "region"
assert len(r["rows"]) == 2000 and len({x["id"] for x in r["rows"]}) == 2000
y = [x["label"] for x in r["rows"]]; p = [x["prediction"] for x in r["rows"]]
acc = accuracy_score(y, [int(v >= r["threshold"]) for v in p])
assert abs(acc - r["baseline"]["accuracy"]) < 1e-9, (acc, r["baseline"])
assert abs(roc_auc_score(y, p) - r["baseline"]["roc_auc"]) < 1e-6
names = [f["name"] for f in r["schema"]]
assert sorted(names) == sorted(r["importance"]) and all(v >= 0 for v in r["importance"].values())
assert r["importance"]["income"] > r["importance"]["region"]
assert any(x["features"]["income"] is None for x in r["rows"])
PY
curl -s $U/ops/v1/models/credit-risk/versions/7/reference >"$T/ref7.json"
check reference-per-version [ "$(cmp -s "$T/ref.json" "$T/ref7.json"; echo $?)" = 1 ]

# Deployments: live shares of each model add up to 100.
curl -s $U/ops/v1/deployments >"$T/dep.json"
check deployments-shares $PY - "$T/dep.json" <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1])); s = collections.Counter()
assert d["host"] == "serving-eu-1"
for x in d["deployments"]:
    assert x["stage"] in ("shadow", "canary", "full", "retired") and x["since"].endswith("Z")
    if x["stage"] in ("full", "canary"): s[x["model"]] += x["traffic_percent"]
assert dict(s) == {"credit-risk": 100, "fraud-detect": 100}, s
stages = {(x["model"], x["version"]): x["stage"] for x in d["deployments"]}
assert stages[("credit-risk", "7")] == "canary" and stages[("fraud-detect", "4")] == "shadow"
PY

# Repository extension: index, unload the full version, load it back.
IDX=$(curl -s -X POST $U/v2/repository/index)
check index-states [ "$(echo "$IDX" | jq_py '[(x["version"], x["state"]) for x in d if x["name"]=="credit-risk"]')" = "[('5', 'UNAVAILABLE'), ('6', 'READY'), ('7', 'READY')]" ]
check unload-version [ "$(status_of $U/v2/repository/models/fraud-detect/unload -d '{"parameters":{"version":"3"}}')" = 200 ]
check unloaded-not-ready [ "$(status_of $U/v2/models/fraud-detect/versions/3/ready)" = 503 ]
check unload-hands-traffic [ "$(curl -s $U/ops/v1/deployments | jq_py '[(x["version"],x["stage"],x["traffic_percent"]) for x in d["deployments"] if x["model"]=="fraud-detect"]')" = "[('3', 'retired', 0), ('4', 'full', 100)]" ]
check load-version [ "$(status_of $U/v2/repository/models/fraud-detect/load -d '{"version":"3"}')" = 200 ]
check loaded-ready [ "$(status_of $U/v2/models/fraud-detect/versions/3/ready)" = 200 ]
check load-unknown-version [ "$(status_of $U/v2/repository/models/fraud-detect/load -d '{"version":"77"}')" = 404 ]
check load-bad-json [ "$(status_of $U/v2/repository/models/fraud-detect/load -d '{x')" = 400 ]
stop_hostd $HPID

# /metrics: valid exposition (promtool), histogram consistent, counters grow.
start_hostd metrics --host-name serving-eu-2 --speed 3600
U=http://127.0.0.1:$PORT
curl -s $U/metrics >"$T/m1"
check metrics-content-type [ "$(curl -s -o /dev/null -w '%{content_type}' $U/metrics)" = "text/plain; version=0.0.4; charset=utf-8" ]
# promtool prints lint advice (names) and "error" for a format error.
check metrics-promtool sh -c "! promtool check metrics <'$T/m1' 2>&1 | grep -i error"
sleep 1.2
curl -s $U/metrics >"$T/m2"
check metrics-histogram-and-growth $PY - "$T/m1" "$T/m2" <<'PY'
import re, sys
def parse(p):
    out = {}
    for line in open(p):
        if line.startswith("#") or not line.strip(): continue
        k, v = line.rsplit(" ", 1); out[k] = float(v)
    return out
a, b = parse(sys.argv[1]), parse(sys.argv[2])
assert any(k.startswith("model_business_kpi{") for k in a)
lab = 'model="marketing-propensity",version="2"'
bk = sorted([(float(re.search(r'le="([^"]+)"', k).group(1).replace("+Inf", "inf")), v)
             for k, v in a.items() if k.startswith("model_request_duration_seconds_bucket{" + lab)])
assert len(bk) == 12 and bk[-1][0] == float("inf")
assert all(x[1] <= y[1] for x, y in zip(bk, bk[1:]))
assert bk[-1][1] == a["model_request_duration_seconds_count{" + lab + "}"]
tot = a['model_requests_total{' + lab + ',code="200"}'] + a['model_requests_total{' + lab + ',code="500"}']
assert tot == bk[-1][1]
for k in a:
    if k.startswith("model_requests_total"): assert b[k] >= a[k], k
k = 'model_requests_total{' + lab + ',code="200"}'
assert b[k] > a[k], (a[k], b[k])
PY
stop_hostd $HPID
start_hostd triton --host-name serving-eu-2 --speed 0 --triton
M=$(curl -s http://127.0.0.1:$PORT/metrics)
expect_grep metrics-triton 'nv_inference_request_success\{model="churn-predict",version="12"\} [0-9]+' "$M"
check metrics-triton-promtool sh -c "! curl -s http://127.0.0.1:$PORT/metrics | promtool check metrics 2>&1 | grep -i error"
stop_hostd $HPID
sanitizer_clean
