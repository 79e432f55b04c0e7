#!/bin/bash
# poll: one full poll cycle of 200 hosts (200 modeldeck-hostd listeners on
# loopback, clocks stopped, no history: the steady state of a fleet) by
# modeldeck's poller against `curl --parallel` fetching the same URLs, as
# a ratio; modeldeck's CPU time per cycle; then the ingest rate in feature
# values per CPU second through HTTP, JSON and the windows, over the
# three demo hosts' 12 hours of history (target >= 1,000,000).
set -u
BUILD=${MD_BUILD:-build} ROOT=${MD_ROOT:-.}
HOSTD=$BUILD/modeldeck-hostd BENCH=$BUILD/bench/bench_poll
N=${MD_BENCH_HOSTS:-200}
T=$(mktemp -d "${TMPDIR:-/tmp}/mdbench.XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
FLEET_HOSTS=(serving-eu-1 serving-eu-2 serving-us-1)

# start NAME FLEET-HOST ARGS...
start() {
	"$HOSTD" --fleet "$ROOT/sample-data/fleet.json" --host-name "$2" --name "$1" \
	    --listen 127.0.0.1:0 --port-file "$T/$1.port" --epoch 2026-11-20T00:00:00Z \
	    "${@:3}" >"$T/$1.log" 2>&1 &
	PIDS="$PIDS $!"
}
wait_ports() {	# wait_ports NAME...
	for h in "$@"; do
		i=0
		while [ ! -s "$T/$h.port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
		[ -s "$T/$h.port" ] || { echo "poll: $h did not start: $(tail -2 "$T/$h.log")"; exit 1; }
	done
}
# config FILE NAME...: a configuration with these hosts.
config() {
	out=$1; shift
	python3 - "$T" "$out" "$@" <<'PY'
import json, sys
t, out = sys.argv[1:3]
hosts = [{"name": h, "url": "http://127.0.0.1:" + open("%s/%s.port" % (t, h)).read().strip()}
         for h in sys.argv[3:]]
json.dump({"version": 1, "users": {"root": ["oncall"]}, "hosts": hosts,
           "options": {"timeout": "60s", "connect_timeout": "10s"}}, open(out, "w"))
PY
}

names=()
for i in $(seq 1 "$N"); do
	names+=("h$i")
	start "h$i" "${FLEET_HOSTS[$((i % 3))]}" --speed 0 --start-at 0
done
wait_ports "${names[@]}"
config "$T/fleet.json" "${names[@]}"

# The URLs of one steady-state cycle: what the poller asks each host.
python3 - "$T" "${names[@]}" >"$T/urls" <<'PY'
import json, sys, urllib.request
t = sys.argv[1]
for h in sys.argv[2:]:
    base = "http://127.0.0.1:" + open("%s/%s.port" % (t, h)).read().strip()
    for p in ("/v2/health/ready", "/ops/v1/deployments", "/metrics"):
        print('url = "%s%s"\noutput = "/dev/null"' % (base, p))
    deps = json.load(urllib.request.urlopen(base + "/ops/v1/deployments"))["deployments"]
    for d in deps:
        if d["stage"] == "retired":
            continue
        for s in ("samples", "labels"):
            print('url = "%s/ops/v1/models/%s/versions/%s/%s?limit=1000"\noutput = "/dev/null"'
                  % (base, d["model"], d["version"], s))
PY
nurls=$(grep -c '^url' "$T/urls")

"$BENCH" "$T/fleet.json" cycles 7 >"$T/md.out" || { echo "poll: bench_poll failed: $(tail -3 "$T/md.out")"; exit 1; }
md_ms=$(awk '$1 == "cycle_wall_ms_median" { print $2 }' "$T/md.out")
md_cpu=$(awk '$1 == "cycle_cpu_ms_median" { print $2 }' "$T/md.out")

times=()
for r in 1 2 3 4 5 6 7; do
	t0=$(date +%s%N)
	curl -s --no-progress-meter --parallel --parallel-max 300 --config "$T/urls" 2>/dev/null
	times+=($(( ($(date +%s%N) - t0) / 1000 )))
done
curl_ms=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }')

echo "one full poll of $N hosts ($nurls requests):"
printf '  modeldeck poller   %8.1f ms wall (median of 7), %.1f ms CPU per cycle\n' "$md_ms" "$md_cpu"
printf '  curl --parallel    %8.1f ms wall (median of 7, same URLs, its process start included)\n' "$curl_ms"
printf '  ratio modeldeck/curl: %.2f\n' "$(echo "$md_ms / $curl_ms" | bc -l)"
for p in $PIDS; do kill "$p" 2>/dev/null; done
for p in $PIDS; do wait "$p" 2>/dev/null; done
PIDS=""

# Ingest: the three demo hosts with their 12 hours of history, no store.
for h in "${FLEET_HOSTS[@]}"; do start "$h" "$h" --speed 0; done
wait_ports "${FLEET_HOSTS[@]}"
config "$T/demo.json" "${FLEET_HOSTS[@]}"
"$BENCH" "$T/demo.json" ingest >"$T/ingest.out" || { echo "poll: ingest failed: $(tail -3 "$T/ingest.out")"; exit 1; }
rate=$(awk '$1 == "ingest_values_per_cpu_second" { print $2 }' "$T/ingest.out")
vals=$(awk '$1 == "ingest_feature_values" { print $2 }' "$T/ingest.out")
cpu=$(awk '$1 == "ingest_cpu_ms" { print $2 }' "$T/ingest.out")
printf 'ingest through HTTP, JSON and the windows: %s feature values in %s ms CPU\n' "$vals" "$cpu"
printf '  %.0f feature values per second per core (target 1000000: %s)\n' "$rate" \
    "$([ "${rate%.*}" -ge 1000000 ] && echo met || echo NOT met)"
