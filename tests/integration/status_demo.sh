#!/bin/bash
# status_demo: `make run`'s script (src/scripts/demo.sh) starts the three
# demo hosts on loopback with a demo configuration and database under
# $XDG_STATE_HOME/modeldeck (never the real ones), shows the fleet, and
# stops every host on Ctrl-C (SIGINT) and on SIGTERM.
. "$(dirname "$0")/../lib.sh"

# run_demo SIGNAL: start the demo, wait for three hosts up, send SIGNAL.
run_demo() {
	sig=$1
	export XDG_STATE_HOME=$T/state-$sig HOME=$T/home-$sig
	mkdir -p "$HOME"
	# python starts it with SIGINT at its default, as a terminal would.
	python3 - "$MD_ROOT/src/scripts/demo.sh" "$MD_BUILD" "$T/demo-$sig.out" "$sig" <<'PY'
import os, signal, subprocess, sys, time
script, build, out, sig = sys.argv[1:5]
env = dict(os.environ, MD_DEMO_REFRESH="1", TERM="dumb")
with open(out, "w") as f:
    p = subprocess.Popen(["sh", script, build], stdout=f, stderr=subprocess.STDOUT, env=env,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    end = time.time() + 60
    while time.time() < end:
        time.sleep(0.5)
        text = open(out).read()
        last = text.split("modeldeck demo - ")[-1]
        if last.count(" up ") >= 3 or p.poll() is not None:
            break
    p.send_signal(getattr(signal, sig))
    try:
        p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
PY
	OUT=$(cat "$T/demo-$sig.out")
}

# The SIGTERM run finds a state file saved under an older fleet.json (here
# garbage, dated 2001): set aside, and the host starts afresh.
mkdir -p "$T/state-SIGTERM/modeldeck/demo"
printf 'not a state' >"$T/state-SIGTERM/modeldeck/demo/serving-eu-1.state"
touch -d 2001-01-01 "$T/state-SIGTERM/modeldeck/demo/serving-eu-1.state"

for sig in SIGINT SIGTERM; do
	run_demo $sig
	last=${OUT##*modeldeck demo - }
	n=$(printf '%s\n' "$last" | grep -cE '^serving-(eu-1|eu-2|us-1) +up ')
	[ "$n" = 3 ] && pass "demo-$sig-three-hosts-up" || fail "demo-$sig-three-hosts-up" "$(printf %s "$OUT" | tail -15)"
	expect_grep "demo-$sig-models-shown" '^credit-risk +7 +serving-eu-1 +canary' "$last"
	sleep 0.5
	left=$(pgrep -f "port-file $XDG_STATE_HOME/" | wc -l)
	[ "$left" = 0 ] && pass "demo-$sig-hosts-stopped" || fail "demo-$sig-hosts-stopped" "$left hostd still running"
	for p in $(pgrep -f "port-file $XDG_STATE_HOME/"); do kill "$p"; done
	[ -s "$XDG_STATE_HOME/modeldeck/demo.db" ] && [ -s "$XDG_STATE_HOME/modeldeck/demo-config.json" ] &&
		pass "demo-$sig-own-db-and-config" || fail "demo-$sig-own-db-and-config" "$(ls -R "$XDG_STATE_HOME" | head)"
	if [ $sig = SIGTERM ]; then
		old=$XDG_STATE_HOME/modeldeck/demo/serving-eu-1.state.old
		[ "$(cat "$old" 2>/dev/null)" = "not a state" ] && [ -s "$XDG_STATE_HOME/modeldeck/demo/serving-eu-1.state" ] &&
			pass demo-stale-state-set-aside || fail demo-stale-state-set-aside "$(ls -l "$XDG_STATE_HOME/modeldeck/demo")"
	fi
	real=$(find "$HOME" -name '*.db' ! -path "$XDG_STATE_HOME/*" | head -3)
	[ -z "$real" ] && pass "demo-$sig-real-db-untouched" || fail "demo-$sig-real-db-untouched" "created $real"
done
