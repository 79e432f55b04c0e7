#!/bin/bash
# prometheus_api: a real Prometheus server (Debian's prometheus), started on
# a loopback port with a configuration written here, scrapes a
# modeldeck-hostd; modeldeck then reads the same series through the
# Prometheus HTTP API (prometheus_url) and must derive the same figures as
# from its own scrape of /metrics.  The host's clock is stopped so the
# counters do not move between the two reads.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/poller_common.inc"

PROM=$(command -v prometheus) || { echo "SKIP prometheus_api: prometheus is not installed (make deps)"; exit 0; }
hd_start a serving-eu-1 --speed 0; PA=$PORT
PP=$(free_port 7)
cat >"$T/prom.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: modeldeck-hostd
    static_configs:
      - targets: ['127.0.0.1:$PA']
YML
"$PROM" --config.file="$T/prom.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$PP" >"$T/prom.log" 2>&1 &
MD_PIDS="$MD_PIDS $!"
# Ready when the target's series are in.
i=0; have=0
while [ $i -lt 300 ]; do
	have=$(curl -s --max-time 2 "http://127.0.0.1:$PP/api/v1/query?query=count(model_requests_total)" |
	    $PY -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)' 2>/dev/null)
	[ "${have:-0}" != 0 ] && break
	sleep 0.2; i=$((i + 1))
done
if [ "${have:-0}" = 0 ]; then fail prometheus-scrapes "no series after 60 s: $(tail -3 "$T/prom.log")"; exit 1; fi
pass prometheus-scrapes

write_config "$T/own.json" '{}' "serving-eu-1=http://127.0.0.1:$PA"
write_config "$T/prom.json" '{}' "serving-eu-1=http://127.0.0.1:$PA,prom=http://127.0.0.1:$PP"
md_status "$T/own.json" "$T/own.db" --json; OWN=$OUT; rc1=$RC
md_status "$T/prom.json" "$T/prom.db" --json; VIA=$OUT; rc2=$RC
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && pass both-up || fail both-up "exits $rc1 and $rc2: $(printf %s "$VIA" | head -8)"

# Same figures for every live version, and figures there are to compare.
res=$($PY - "$OWN" "$VIA" <<'PY'
import json, math, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
key = lambda m: (m["model"], m["version"])
bm = {key(m): m for m in b["models"]}
compared, bad = 0, []
for m in a["models"]:
    if m["stage"] == "retired":
        continue
    n = bm.get(key(m))
    for f in ("error_rate", "p99_latency_ms", "p50_latency_ms", "mean_latency_ms"):
        x, y = m[f], n[f] if n else None
        if x is None and y is None:
            continue
        if x is None or y is None or not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12):
            bad.append("%s@%s %s: own %r, prometheus %r" % (m["model"], m["version"], f, x, y))
        else:
            compared += 1
print(compared, "; ".join(bad))
PY
)
n=${res%% *}; bad=${res#* }
[ "${n:-0}" -ge 8 ] && [ "$bad" = "" ] && pass prometheus-agrees-with-own-scrape ||
	fail prometheus-agrees-with-own-scrape "compared ${n:-0} figures; differences: $bad"
echo "# compared $n figures"

# Matchers pick one host's series out of a shared Prometheus: the right
# instance gives the same figures, another instance gives none.
write_config "$T/match.json" '{}' "serving-eu-1=http://127.0.0.1:$PA,prom=http://127.0.0.1:$PP,match=instance=\"127.0.0.1:$PA\""
md_status "$T/match.json" "$T/match.db" --json; MATCH=$OUT
write_config "$T/other.json" '{}' "serving-eu-1=http://127.0.0.1:$PA,prom=http://127.0.0.1:$PP,match=instance=\"127.0.0.1:1\""
md_status "$T/other.json" "$T/other.db" --json; OTHER=$OUT
res=$($PY - "$VIA" "$MATCH" "$OTHER" <<'PY'
import json, sys
via, match, other = (json.loads(x) for x in sys.argv[1:4])
fig = lambda d: sorted((m["model"], m["version"], m["p99_latency_ms"], m["error_rate"])
                       for m in d["models"] if m["stage"] != "retired")
some = lambda d: [f for f in fig(d) if f[2] is not None or f[3] is not None]
print("ok" if fig(via) == fig(match) and some(match) and not some(other) else
      "via %s match %s other %s" % (fig(via)[:2], fig(match)[:2], some(other)[:2]))
PY
)
[ "$res" = ok ] && pass prometheus-matchers-pick-the-host || fail prometheus-matchers-pick-the-host "$res"

# A Prometheus that is not there: the host is degraded, the error names it.
write_config "$T/gone.json" '{}' "serving-eu-1=http://127.0.0.1:$PA,prom=http://127.0.0.1:$(free_port 9)"
md_status "$T/gone.json" "$T/gone.db" --json
st=$(jget "host('serving-eu-1')['state']"); err=$(jget "host('serving-eu-1')['error']")
[ "$st" = degraded ] && [ "$err" = "prometheus: connection refused" ] && pass prometheus-down-degraded ||
	fail prometheus-down-degraded "state $st error '$err'"
