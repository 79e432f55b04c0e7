#!/bin/bash
# modeldeck-hostd /ops/v1: cursor paging of samples and late labels,
# determinism across a restart, and idempotent actions (set_stage,
# rollback) with their 400/404/409 answers.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/hostd_common.inc"

start_hostd eu1 --host-name serving-eu-1 --speed 0 --epoch $EPOCH
U=http://127.0.0.1:$PORT
S=$U/ops/v1/models/credit-risk/versions/7

# Paging: small pages with cursors give exactly the rows of one big page.
check paging $PY - "$S" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def get(q): return json.load(urllib.request.urlopen(base + "/samples" + q))
big = get("?limit=5000")
assert len(big["rows"]) == 5000 and big["more"] is True
rows, cur, pages = [], None, 0
while len(rows) < 5000:
    d = get("?limit=700" + ("&after=" + cur if cur else ""))
    assert len(d["rows"]) <= 700
    rows += d["rows"]; cur = d["cursor"]; pages += 1
assert [r["id"] for r in rows[:5000]] == [r["id"] for r in big["rows"]], "paged ids differ"
assert rows[:5000] == big["rows"]
assert len({r["id"] for r in rows}) == len(rows), "duplicate ids"
assert all(a["ts"] <= b["ts"] for a, b in zip(rows, rows[1:])), "not oldest first"
# walk to the end: more becomes false, and a cursor at the end gives nothing
total = len(big["rows"]); cur = big["cursor"]
while True:
    d = get("?limit=5000&after=" + cur); total += len(d["rows"]); cur = d["cursor"]
    if not d["more"]: break
assert total == 21601, total  # 12 h of history at 0.5 rows/s, frozen clock
e = get("?after=" + cur)
assert e["rows"] == [] and e["more"] is False and e["cursor"] == cur
PY
check bad-cursor-400 [ "$(status_of "$S/samples?after=abc")" = 400 ]
check bad-cursor-json [ "$(curl -s "$S/samples?after=-5" | jq_py 'd["error"]')" = 'bad cursor "-5"' ]
check bad-limit-400 [ "$(status_of "$S/samples?limit=0")" = 400 ]
check big-limit-400 [ "$(status_of "$S/samples?limit=5001")" = 400 ]

# Labels: join samples by id, arrive label_delay after the sample, only a share.
check labels $PY - "$S" "$FLEET" <<'PY'
import json, sys, urllib.request
base, fleet = sys.argv[1], json.load(open(sys.argv[2]))
m = [x for x in fleet["models"] if x["name"] == "credit-risk"][0]
def all_of(kind, key):
    out, cur = [], None
    while True:
        d = json.load(urllib.request.urlopen(base + "/" + kind + "?limit=5000" + ("&after=" + cur if cur else "")))
        out += d[key]; cur = d["cursor"]
        if not d["more"]: return out
s = {r["id"]: r for r in all_of("samples", "rows")}
l = all_of("labels", "labels")
assert l and all(x["id"] in s for x in l), "label without sample"
assert all(x["label"] in (0, 1) for x in l)
share = len(l) / len(s)
assert 0.4 < share < 0.5, share  # label_share 0.5, none for the last hour
delay_ms = m["label_delay_h"] * 3600 * 1000  # --speed 0 stamps at speed 1
assert all(abs(x["ts"] - s[x["id"]]["ts"] - delay_ms) <= 1 for x in l)
last = max(r["ts"] for r in s.values())
assert max(s[x["id"]]["ts"] for x in l) <= last - delay_ms + 1, "label from the future"
PY

# Restart at the same scenario time: the same rows, ids, features and labels.
curl -s "$S/samples?limit=3000&after=1234" >"$T/before.json"
curl -s "$S/labels?limit=1000" >"$T/lbefore.json"
stop_hostd $HPID
start_hostd eu1b --host-name serving-eu-1 --speed 0 --epoch $EPOCH
U=http://127.0.0.1:$PORT
S=$U/ops/v1/models/credit-risk/versions/7
curl -s "$S/samples?limit=3000&after=1234" >"$T/after.json"
curl -s "$S/labels?limit=1000" >"$T/lafter.json"
check restart-same-samples cmp "$T/before.json" "$T/after.json"
check restart-same-labels cmp "$T/lbefore.json" "$T/lafter.json"
check restart-nonempty [ "$(jq_py 'len(d["rows"])' <"$T/after.json")" = 3000 ]
stop_hostd $HPID
start_hostd seed --host-name serving-eu-1 --speed 0 --epoch $EPOCH --seed 7
curl -s "http://127.0.0.1:$PORT/ops/v1/models/credit-risk/versions/7/samples?limit=3000&after=1234" >"$T/seed.json"
check other-seed-other-rows [ "$(cmp -s "$T/before.json" "$T/seed.json"; echo $?)" = 1 ]
stop_hostd $HPID

# Actions.  A running clock, so samples stop after a version is retired.
start_hostd act --host-name serving-eu-1 --speed 600
U=http://127.0.0.1:$PORT
A=$U/ops/v1/models/credit-risk/actions
deps() { curl -s $U/ops/v1/deployments | jq_py '[(x["version"],x["stage"],x["traffic_percent"]) for x in d["deployments"] if x["model"]=="'"${1:-credit-risk}"'"]'; }

R1=$(post $A '{"request_id":"r-1","action":"set_stage","version":"7","stage":"canary","traffic_percent":25,"actor":"alice","reason":"gate G-12"}')
check canary-25-status [ "$(echo "$R1" | tail -1)" = 200 ]
check canary-25-answer [ "$(echo "$R1" | head -1 | jq_py '(d["request_id"], d["status"], [(x["version"],x["stage"],x["traffic_percent"]) for x in d["deployments"]])')" = "('r-1', 'applied', [('5', 'retired', 0), ('6', 'full', 75), ('7', 'canary', 25)])" ]
R2=$(post $A '{"request_id":"r-2","action":"set_stage","version":"7","stage":"canary","traffic_percent":40}')
check canary-40 [ "$(deps)" = "[('5', 'retired', 0), ('6', 'full', 60), ('7', 'canary', 40)]" ]
R1B=$(post $A '{"request_id":"r-1","action":"set_stage","version":"7","stage":"canary","traffic_percent":25,"actor":"alice","reason":"gate G-12"}')
check idempotent-same-answer [ "$R1" = "$R1B" ]
check idempotent-no-second-effect [ "$(deps)" = "[('5', 'retired', 0), ('6', 'full', 60), ('7', 'canary', 40)]" ]
R=$(post $A '{"request_id":"r-1","action":"rollback"}')
check reused-id-409 [ "$(echo "$R" | tail -1)" = 409 ]
expect_grep reused-id-says 'already used for a different request' "$R"

R=$(post $A '{"request_id":"r-3","action":"set_stage","version":"99","stage":"canary"}')
check unknown-version-404 [ "$(echo "$R" | tail -1)" = 404 ]
expect_grep unknown-version-says '"error":"model credit-risk has no version 99"' "$R"
R=$(post $U/ops/v1/models/nope/actions '{"request_id":"r-4","action":"rollback"}')
check unknown-model-404 [ "$(echo "$R" | tail -1)" = 404 ]
R=$(post $A '{"request_id":"r-5", "action":')
check bad-json-400 [ "$(echo "$R" | tail -1)" = 400 ]
expect_grep bad-json-error '"error":"request body is not a JSON object"' "$R"
check no-request-id-400 [ "$(post $A '{"action":"rollback"}' | tail -1)" = 400 ]
check unknown-action-400 [ "$(post $A '{"request_id":"r-6","action":"explode"}' | tail -1)" = 400 ]
check bad-stage-400 [ "$(post $A '{"request_id":"r-7","action":"set_stage","version":"7","stage":"half"}' | tail -1)" = 400 ]
check bad-traffic-400 [ "$(post $A '{"request_id":"r-8","action":"set_stage","version":"7","stage":"canary","traffic_percent":140}' | tail -1)" = 400 ]
R=$(post $A '{"request_id":"r-9","action":"set_stage","version":"6","stage":"shadow"}')
check shadow-full-409 [ "$(echo "$R" | tail -1)" = 409 ]
check errors-left-state [ "$(deps)" = "[('5', 'retired', 0), ('6', 'full', 60), ('7', 'canary', 40)]" ]
R9B=$(post $A '{"request_id":"r-9","action":"set_stage","version":"6","stage":"shadow"}')
check idempotent-error-answer [ "$R" = "$R9B" ]

# Rollback of the canary (no to_version: no previous full, so retire canaries).
M1=$(curl -s $U/metrics | grep 'model_requests_total{model="credit-risk",version="7",code="200"}' | awk '{print $2}')
R=$(post $A '{"request_id":"rb-1","action":"rollback","to_version":"6","actor":"bob","reason":"accuracy fell"}')
check rollback-200 [ "$(echo "$R" | tail -1)" = 200 ]
check rollback-state [ "$(deps)" = "[('5', 'retired', 0), ('6', 'full', 100), ('7', 'retired', 0)]" ]
N1=$(curl -s "$U/ops/v1/models/credit-risk/versions/7/samples?limit=5000&after=20000" | jq_py 'd["cursor"]')
N6=$(curl -s "$U/ops/v1/models/credit-risk/versions/6/samples?limit=5000&after=20000" | jq_py 'd["cursor"]')
sleep 1
M2=$(curl -s $U/metrics | grep 'model_requests_total{model="credit-risk",version="7",code="200"}' | awk '{print $2}')
check retired-counter-frozen [ "$M1" -le "$M2" ] && check retired-counter-stops [ "$(curl -s $U/metrics | grep 'model_requests_total{model="credit-risk",version="7",code="200"}' | awk '{print $2}')" = "$M2" ]
check retired-samples-stop [ "$(curl -s "$U/ops/v1/models/credit-risk/versions/7/samples?limit=5000&after=20000" | jq_py 'd["cursor"]')" = "$N1" ]
check full-samples-continue [ "$(curl -s "$U/ops/v1/models/credit-risk/versions/6/samples?limit=5000&after=20000" | jq_py 'd["cursor"]')" -gt "$N6" ]
# Promote 7 to full, then rollbacks without to_version walk back through
# the previous full versions: 6, then 5 (retired in the fleet file).
check promote [ "$(post $A '{"request_id":"p-1","action":"set_stage","version":"7","stage":"full"}' | tail -1)" = 200 ]
check promoted [ "$(deps)" = "[('5', 'retired', 0), ('6', 'retired', 0), ('7', 'full', 100)]" ]
check rollback-previous [ "$(post $A '{"request_id":"rb-3","action":"rollback"}' | tail -1)" = 200 ]
check rolled-back [ "$(deps)" = "[('5', 'retired', 0), ('6', 'full', 100), ('7', 'retired', 0)]" ]
check rollback-older [ "$(post $A '{"request_id":"rb-4","action":"rollback"}' | tail -1)" = 200 ]
check rolled-back-older [ "$(deps)" = "[('5', 'full', 100), ('6', 'retired', 0), ('7', 'retired', 0)]" ]
check v5-ready-again [ "$(status_of $U/v2/models/credit-risk/versions/5/ready)" = 200 ]
R=$(post $U/ops/v1/models/fraud-detect/actions '{"request_id":"rb-5","action":"rollback"}')
check nothing-to-roll-back-409 [ "$(echo "$R" | tail -1)" = 409 ]
expect_grep nothing-to-roll-back-says '"error":"model fraud-detect has no older version to roll back to"' "$R"
# Shadow promotion flow on fraud-detect: shadow 4 -> canary 10 -> full.
F=$U/ops/v1/models/fraud-detect/actions
check shadow-to-canary [ "$(post $F '{"request_id":"f-1","action":"set_stage","version":"4","stage":"canary","traffic_percent":10}' | tail -1)" = 200 ]
check shadow-to-canary-state [ "$(deps fraud-detect)" = "[('3', 'full', 90), ('4', 'canary', 10)]" ]
check canary-overflow-409 [ "$(post $F '{"request_id":"f-2","action":"set_stage","version":"3","stage":"canary","traffic_percent":95}' | tail -1)" = 409 ]
check canary-back-to-shadow [ "$(post $F '{"request_id":"f-3","action":"set_stage","version":"4","stage":"shadow"}' | tail -1)" = 200 ]
check canary-back-state [ "$(deps fraud-detect)" = "[('3', 'full', 100), ('4', 'shadow', 0)]" ]
stop_hostd $HPID
sanitizer_clean
