#!/bin/bash
# sample-data: the committed references are what the generator makes now
# (deterministic), the demo config names the fleet's hosts and ports, and
# the fleet has the promised shape (models, teams, hosts, scenarios).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/hostd_common.inc"

"$HOSTD" --fleet "$FLEET" --write-references "$T/refs" >"$T/list" 2>&1
check refs-generated [ "$(wc -l <"$T/list")" -ge 6 ]
check refs-match-committed diff -r "$T/refs" "$MD_ROOT/sample-data/references"
"$HOSTD" --fleet "$FLEET" --write-references "$T/refs2" >/dev/null 2>&1
check refs-deterministic diff -r "$T/refs" "$T/refs2"
expect_exit 1 refs-bad-dir "$HOSTD" --fleet "$FLEET" --write-references /proc/nope/refs
check fleet-shape $PY - "$FLEET" "$MD_ROOT/sample-data/config.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1])); c = json.load(open(sys.argv[2]))
assert len(f["models"]) >= 6 and len({m["team"] for m in f["models"]}) >= 3 and len(f["hosts"]) >= 3
ports = {h["name"]: h["port"] for h in f["hosts"]}
urls = {h["name"]: h["url"] for h in c["hosts"]}
assert urls == {n: "http://127.0.0.1:%d" % p for n, p in ports.items()}, (urls, ports)
assert {m["name"] for m in c["models"]} == {m["name"] for m in f["models"]}
assert sorted(c["users"]) == ["alice", "bob", "carol", "dave", "erin"]
v = {(m["name"], x["version"]): x for m in f["models"] for x in m["versions"]}
assert v[("credit-risk", "7")]["stage"] == "canary" and v[("credit-risk", "7")]["drift"][0]["feature"] == "income"
assert v[("fraud-detect", "4")]["stage"] == "shadow"
assert any(h.get("flap") for h in f["hosts"])
assert any(m["task"] == "regression" for m in f["models"])
PY
if [ -x "$MD" ]; then
	check config-valid "$MD" config check "$MD_ROOT/sample-data/config.json"
fi
