#!/bin/sh
# demo.sh BUILD: what `make run` does.  Starts the three demo hosts of
# sample-data/fleet.json (modeldeck-hostd) on loopback ports the system
# picks, writes a demo configuration (sample-data/config.json with these
# hosts, and the user running it given every role) and uses a demo
# database of its own, both under $XDG_STATE_HOME/modeldeck/ (never the
# real database), then opens the console on them.  Until the console
# exists, `modeldeck status` is shown every few seconds instead.  The hosts
# are stopped when this script ends, Ctrl-C included.
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
MD=$BUILD/modeldeck
HOSTD=$BUILD/modeldeck-hostd
STATE=${XDG_STATE_HOME:-${HOME:?HOME is not set}/.local/state}/modeldeck
RUN=$STATE/demo
DB=$STATE/demo.db
CONF=$STATE/demo-config.json
REFRESH=${MD_DEMO_REFRESH:-5}

for f in "$MD" "$HOSTD"; do
	[ -x "$f" ] || { echo "demo: $f is missing (run make)" >&2; exit 1; }
done
mkdir -p "$RUN" || exit 1
chmod 0700 "$STATE" "$RUN"
PIDS=""
stop_hosts() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	PIDS=""
}
trap 'stop_hosts' EXIT
trap 'stop_hosts; exit 130' INT
trap 'stop_hosts; exit 143' TERM

HOSTS="serving-eu-1 serving-eu-2 serving-us-1"
for h in $HOSTS; do
	rm -f "$RUN/$h.port"
	# A host refuses a state file that does not match its fleet, so one
	# saved under an older sample-data/fleet.json is set aside, not fatal.
	if [ -f "$RUN/$h.state" ] && [ "$ROOT/sample-data/fleet.json" -nt "$RUN/$h.state" ]; then
		mv -f "$RUN/$h.state" "$RUN/$h.state.old"
		echo "demo: $h starts afresh (its saved state predates sample-data/fleet.json; kept as $RUN/$h.state.old)"
	fi
	"$HOSTD" --fleet "$ROOT/sample-data/fleet.json" --host-name "$h" --state "$RUN/$h.state" \
	    --listen 127.0.0.1:0 --port-file "$RUN/$h.port" >"$RUN/$h.log" 2>&1 &
	PIDS="$PIDS $!"
done
for h in $HOSTS; do
	i=0
	while [ ! -s "$RUN/$h.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$RUN/$h.port" ] || { echo "demo: host $h did not start:" >&2; tail -3 "$RUN/$h.log" >&2; exit 1; }
done

python3 - "$ROOT/sample-data/config.json" "$CONF" "$(id -un)" "$RUN" $HOSTS <<'PY' || exit 1
import json, sys
src, out, me, run = sys.argv[1:5]
c = json.load(open(src))
for h in c["hosts"]:
    if h["name"] in sys.argv[5:]:
        h["url"] = "http://127.0.0.1:" + open("%s/%s.port" % (run, h["name"])).read().strip()
c["users"][me] = ["ml-engineer", "oncall", "governance", "head-of-ml"]
with open(out, "w") as f:
    json.dump(c, f, indent=1)
PY

echo "demo: hosts on $(for h in $HOSTS; do printf '%s ' "127.0.0.1:$(cat "$RUN/$h.port")"; done)"
echo "demo: configuration $CONF, database $DB"
if "$MD" help 2>/dev/null | grep -q '^ *console\b'; then
	"$MD" --config "$CONF" --db "$DB" console
	exit $?
fi
# No console yet: a refreshing status until Ctrl-C.
while :; do
	out=$("$MD" --config "$CONF" --db "$DB" status 2>&1)
	clear 2>/dev/null || printf '\033[H\033[2J'
	printf 'modeldeck demo - %s - Ctrl-C to stop the hosts and quit\n\n%s\n' "$(date '+%H:%M:%S')" "$out"
	# In the background so that a signal's trap runs at once.
	sleep "$REFRESH" &
	wait $!
done
