#!/bin/bash
# hostd_durable: modeldeck-hostd --state keeps the actions' answers and the
# deployments they changed across kill -9 (a retried request_id answers the
# same bytes, the action happens once), keeps only the newest 10000
# answers, undoes a change it cannot save, and refuses to start on a state
# file it cannot trust (naming it, leaving it as it was).  Then --listen
# on the IPv6 loopback and on localhost (both loopbacks), with `modeldeck
# status` reaching a host at http://[::1]:PORT.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/hostd_common.inc"

SD=$T/state
mkdir -p "$SD"
ST=$SD/eu1.json

# act NAME BODY [MODEL]: POST an action, body to $T/NAME.json, status printed.
act() {
	curl -s --max-time 10 -H 'Content-Type: application/json' -o "$T/$1.json" \
	    -w '%{http_code}' -d "$2" "$U/ops/v1/models/${3:-credit-risk}/actions"
}
deps() {
	curl -s "$U/ops/v1/deployments" | jq_py '[(x["version"],x["stage"],x["traffic_percent"]) for x in d["deployments"] if x["model"]=="'"${1:-credit-risk}"'"]'
}
# crash: kill -9 the running host, as a power cut would.
crash() {
	kill -9 "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
}
durable() {	# durable TAG [ARGS]: serving-eu-1 with the state file $ST
	tag=$1; shift
	start_hostd "$tag" --host-name serving-eu-1 --state "$ST" "$@"
	U=http://127.0.0.1:$PORT
}

C1='{"request_id":"c-1","action":"set_stage","version":"7","stage":"canary","traffic_percent":25}'
P1='{"request_id":"p-1","action":"set_stage","version":"7","stage":"full","actor":"alice","reason":"gate G-12 \u00e9"}'
RB1='{"request_id":"rb-1","action":"rollback","actor":"bob","reason":"accuracy fell"}'
RB2='{"request_id":"rb-2","action":"rollback"}'

durable d1 --speed 0 --epoch $EPOCH
check state-created [ -s "$ST" ]
check state-private [ "$(stat -c %a "$ST")" = 600 ]
expect_grep state-new-said "state $ST: new \(0 answers\)" "$(cat "$T/d1.log")"
check canary-200 [ "$(act c1 "$C1")" = 200 ]
check promote-200 [ "$(act p1 "$P1")" = 200 ]
check promoted [ "$(deps)" = "[('5', 'retired', 0), ('6', 'retired', 0), ('7', 'full', 100)]" ]
curl -s "$U/ops/v1/deployments" >"$T/deps-before.json"
curl -s "$U/ops/v1/models/credit-risk/versions/6/samples?limit=5000&after=18000" >"$T/s6-before.json"
# A second host on the same state file would overwrite the first's answers.
cp "$ST" "$T/st-before-second.json"
expect_exit 1 second-host-refused timeout 20 "$HOSTD" --fleet "$FLEET" --host-name serving-eu-1 \
    --listen 127.0.0.1:0 --state "$ST"
expect_grep second-host-says-why "state file $ST is in use by another modeldeck-hostd" "$OUT"
check second-host-left-file cmp "$ST" "$T/st-before-second.json"
crash

# Restart on the same clock: the same deployments, byte for byte.
durable d2 --speed 0 --epoch $EPOCH
expect_grep state-restored-said "state $ST: restored \(2 answers\)" "$(cat "$T/d2.log")"
curl -s "$U/ops/v1/deployments" >"$T/deps-after.json"
check restart-same-deployments cmp "$T/deps-before.json" "$T/deps-after.json"
curl -s "$U/ops/v1/models/credit-risk/versions/6/samples?limit=5000&after=18000" >"$T/s6-after.json"
check restart-same-retired-samples cmp "$T/s6-before.json" "$T/s6-after.json"
check retry-p1-200 [ "$(act p1b "$P1")" = 200 ]
check retry-p1-same-bytes cmp "$T/p1.json" "$T/p1b.json"
# c-1 applied now would be a 409 (7 is the full version): 200 is the stored answer
check retry-c1-200 [ "$(act c1b "$C1")" = 200 ]
check retry-c1-same-bytes cmp "$T/c1.json" "$T/c1b.json"
check retries-no-effect [ "$(deps)" = "[('5', 'retired', 0), ('6', 'retired', 0), ('7', 'full', 100)]" ]
check reused-id-409-after-restart [ "$(act x "${P1/full/shadow}")" = 409 ]
# The rollback stack came back too: rolling back goes to 6 (promoted from).
check rollback-200 [ "$(act rb1 "$RB1")" = 200 ]
check rolled-back-to-6 [ "$(deps)" = "[('5', 'retired', 0), ('6', 'full', 100), ('7', 'retired', 0)]" ]
crash

# Restart on another clock (epoch now, running): the deployments stand,
# the retried rollback happens once, and a new request_id still works.
durable d3 --speed 600
check rb1-retry-200 [ "$(act rb1b "$RB1")" = 200 ]
check rb1-retry-same-bytes cmp "$T/rb1.json" "$T/rb1b.json"
check rollback-happened-once [ "$(deps)" = "[('5', 'retired', 0), ('6', 'full', 100), ('7', 'retired', 0)]" ]
check since-kept [ "$(jq_py '[x["since"] for x in d["deployments"] if x["version"]=="6"][0]' <"$T/rb1.json")" = \
    "$(curl -s "$U/ops/v1/deployments" | jq_py '[x["since"] for x in d["deployments"] if x["model"]=="credit-risk" and x["version"]=="6"][0]')" ]
check new-id-works [ "$(act rb2 "$RB2")" = 200 ]
check rolled-back-to-5 [ "$(deps)" = "[('5', 'full', 100), ('6', 'retired', 0), ('7', 'retired', 0)]" ]
S6=$U/ops/v1/models/credit-risk/versions/6/samples?limit=5000\&after=21000
N=$(curl -s "$S6" | jq_py 'd["cursor"]')
sleep 0.3
check retired-after-restart-logs-nothing [ "$(curl -s "$S6" | jq_py 'd["cursor"]')" = "$N" ]
# A repository unload is kept as well.
check unload-200 [ "$(curl -s -o /dev/null -w '%{http_code}' -d '{"version":"4"}' "$U/v2/repository/models/fraud-detect/unload")" = 200 ]
crash
durable d4 --speed 600
check unload-kept [ "$(status_of "$U/v2/models/fraud-detect/versions/4/ready")" = 503 ]
check rb2-retry-same-bytes [ "$(act rb2b "$RB2")" = 200 ] && check rb2-same cmp "$T/rb2.json" "$T/rb2b.json"

# A change that cannot be saved is undone and answered 503; the retry,
# once the state can be written again, applies it.
cp "$ST" "$T/st-before-fail.json"
mkdir "$ST.tmp"
F1='{"request_id":"f-1","action":"set_stage","version":"4","stage":"canary","traffic_percent":10}'
check unsaved-503 [ "$(act f1 "$F1" fraud-detect)" = 503 ]
expect_grep unsaved-names-file "cannot save state file $ST.*f-1 was not applied" "$(cat "$T/f1.json")"
check unsaved-undone [ "$(deps fraud-detect)" = "[('3', 'full', 100), ('4', 'retired', 0)]" ]
check unsaved-file-unchanged cmp "$ST" "$T/st-before-fail.json"
check unsaved-unload-503 [ "$(curl -s -o /dev/null -w '%{http_code}' -d '{"version":"3"}' "$U/v2/repository/models/fraud-detect/unload")" = 503 ]
check unsaved-unload-undone [ "$(status_of "$U/v2/models/fraud-detect/versions/3/ready")" = 200 ]
rmdir "$ST.tmp"
# the same when the rename fails (FILE became a folder): nothing half-done
mv "$ST" "$T/st-aside.json"
mkdir -p "$ST/x"
check unrenamed-503 [ "$(act f1 "$F1" fraud-detect)" = 503 ]
expect_grep unrenamed-says "cannot save state file $ST: rename $ST.tmp: Is a directory" "$(cat "$T/f1.json")"
check unrenamed-undone [ "$(deps fraud-detect)" = "[('3', 'full', 100), ('4', 'retired', 0)]" ]
check unrenamed-no-tmp-left [ ! -e "$ST.tmp" ]
rm -r "$ST"
mv "$T/st-aside.json" "$ST"
check saved-retry-200 [ "$(act f1b "$F1" fraud-detect)" = 200 ]
check saved-retry-applied [ "$(deps fraud-detect)" = "[('3', 'full', 90), ('4', 'canary', 10)]" ]
stop_hostd $HPID

# Bound: a file holding 10000 answers keeps the newest 10000 after one more.
$PY - "$ST" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["answers"] = [{"model": "fraud-detect", "request_id": "old-%d" % i, "status": 409,
                 "request": '{"request_id":"old-%d","action":"rollback"}' % i,
                 "answer": '{"stored":%d}' % i} for i in range(10000)]
json.dump(s, open(sys.argv[1], "w"))
PY
durable d5 --speed 600
expect_grep bound-restored "restored \(10000 answers\)" "$(cat "$T/d5.log")"
check bound-stored-answer [ "$(act o1 '{"request_id":"old-1","action":"rollback"}' fraud-detect)$(cat "$T/o1.json")" = '409{"stored":1}' ]
check bound-one-more [ "$(act n1 '{"request_id":"n-1","action":"rollback"}' fraud-detect)" = 200 ]
check bound-file-10000 [ "$(jq_py 'len(d["answers"]), d["answers"][0]["request_id"], d["answers"][-1]["request_id"]' <"$ST")" = '10000 old-1 n-1' ]
act o0 '{"request_id":"old-0","action":"rollback"}' fraud-detect >/dev/null
check bound-oldest-forgotten [ "$(cat "$T/o0.json")" != '{"stored":0}' ]
check bound-next-kept [ "$(act o2 '{"request_id":"old-2","action":"rollback"}' fraud-detect)$(cat "$T/o2.json")" = '409{"stored":2}' ]
stop_hostd $HPID

# A stale temporary file from a crash mid-write is no obstacle.
echo '{"half": ' >"$ST.tmp"
durable d6 --speed 0
check stale-tmp-replaced [ ! -e "$ST.tmp" ]
stop_hostd $HPID

# kill -9 while actions stream in: the file always loads, and every answer
# a client received comes back byte for byte (saved before it was sent).
ST=$SD/storm.json
durable storm --speed 0 --epoch $EPOCH
$PY - "$U" "$T/storm.txt" <<'PY' &
import json, sys, urllib.request
u, out = sys.argv[1], open(sys.argv[2], "w")
for i in range(100000):
    b = {"request_id": "s-%d" % i, "action": "set_stage", "version": "4", "stage": "shadow"}
    if i % 2 == 0:
        b.update(stage="canary", traffic_percent=10)
    data = json.dumps(b, separators=(",", ":"))
    try:
        r = urllib.request.urlopen(urllib.request.Request(u + "/ops/v1/models/fraud-detect/actions",
            data=data.encode(), headers={"Content-Type": "application/json"}), timeout=10)
        out.write(json.dumps([data, r.status, r.read().decode()]) + "\n")
        out.flush()
    except Exception:
        break
PY
CP=$!
# Crash once a few answers are in (a slow disk makes each save slower).
i=0
while [ "$(wc -l <"$T/storm.txt" 2>/dev/null || echo 0)" -lt 3 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.2
crash
wait $CP
durable storm2 --speed 0 --epoch $EPOCH
check storm-answers-seen [ "$(wc -l <"$T/storm.txt")" -gt 0 ]
check storm-replayed-same $PY - "$U" "$T/storm.txt" <<'PY'
import json, sys, urllib.request
u = sys.argv[1]
for line in open(sys.argv[2]):
    data, status, body = json.loads(line)
    r = urllib.request.urlopen(urllib.request.Request(u + "/ops/v1/models/fraud-detect/actions",
        data=data.encode(), headers={"Content-Type": "application/json"}), timeout=10)
    again = r.read().decode()
    assert (r.status, again) == (status, body), (data, status, body, r.status, again)
PY
stop_hostd $HPID

# refuse NAME FILE WHY-REGEX [HOST]: hostd on FILE exits 1 saying WHY with
# the file's name, and leaves the file as it was.
refuse() {
	local rname=$1 f=$2 why=$3
	cp -p "$f" "$T/refuse-copy"
	expect_exit 1 "refuse-$rname" timeout 20 $RUNAS "$HOSTD" --fleet "$FLEET" \
	    --host-name "${4:-serving-eu-1}" --listen 127.0.0.1:0 --state "$f"
	expect_grep "refuse-$rname-says" "state file $f: .*$why.*not starting" "$OUT"
	check "refuse-$rname-file-kept" cmp "$f" "$T/refuse-copy"
}
RUNAS=
cp "$ST" "$SD/good.json"
head -c $(( $(stat -c %s "$ST") / 2 )) "$SD/good.json" >"$SD/cut.json"
refuse truncated "$SD/cut.json" "not valid JSON at byte [0-9]+ of [0-9]+ \(cut short or damaged\)"
printf 'MZ\001\377garbage{"format":' >"$SD/garbage.json"
refuse garbage "$SD/garbage.json" "not valid JSON"
: >"$SD/empty.json"
refuse empty "$SD/empty.json" "the file is empty"
echo '{"hosts": []}' >"$SD/other.json"
refuse not-state "$SD/other.json" "not a modeldeck-hostd state file"
refuse other-host "$SD/good.json" "it is host serving-eu-1's, not serving-eu-2's" serving-eu-2
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); s["models"][0]["versions"][2]["name"]="9"; json.dump(s, open(sys.argv[2],"w"))' "$SD/good.json" "$SD/fleet.json"
refuse other-fleet "$SD/fleet.json" "models\[0\]\.versions\[2\]: model credit-risk has no version 9 in the fleet file"
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); s["models"][1]["versions"][0]["stage"]=7; json.dump(s, open(sys.argv[2],"w"))' "$SD/good.json" "$SD/field.json"
refuse bad-field "$SD/field.json" "models\[1\]\.versions\[0\]: \"stage\" must be a string"
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); s["version"]=2; json.dump(s, open(sys.argv[2],"w"))' "$SD/good.json" "$SD/v2.json"
refuse newer-format "$SD/v2.json" "state format version 2, this build reads 1"
mkdir "$SD/folder.json"
expect_exit 1 refuse-folder timeout 20 "$HOSTD" --fleet "$FLEET" --host-name serving-eu-1 --listen 127.0.0.1:0 --state "$SD/folder.json"
expect_grep refuse-folder-says "state file $SD/folder.json: cannot read it: Is a directory.*not starting" "$OUT"
cp "$SD/good.json" "$SD/nodir.json"
mkdir "$SD/nodir.json.tmp"
refuse unwritable "$SD/nodir.json" "create .*nodir.json.tmp: Is a directory"
cp "$SD/good.json" "$SD/lockdir.json"
mkdir "$SD/lockdir.json.lock"
refuse lock-unusable "$SD/lockdir.json" "cannot open its lock .*lockdir.json.lock: Is a directory"
cp "$SD/good.json" "$SD/locked.json"
chmod 000 "$SD/locked.json"
if [ "$(id -u)" != 0 ]; then
	refuse unreadable "$SD/locked.json" "cannot read it: Permission denied"
elif command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$HOSTD"; then
	# root reads any file: run the host as nobody, whom mode 000 stops
	# (with a lock file nobody may take, so the read is what fails)
	: >"$SD/locked.json.lock"; chmod 666 "$SD/locked.json.lock"
	RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	refuse unreadable "$SD/locked.json" "cannot read it: Permission denied"
	check refuse-unreadable-mode-kept [ "$(stat -c %a "$SD/locked.json")" = 0 ]
	RUNAS=
else
	echo "# skip: unreadable state file: running as root without setpriv or a build nobody can run"
fi

# IPv6: --listen [::1]:0, and localhost for both loopbacks.
for bad in '[::1' '[::1]x' '[::1]:70000' 'example.com:80' '::1:99999' 'localhost:abc' '[127.0.0.1]:0'; do
	expect_exit 1 "bad-listen-$bad" timeout 20 "$HOSTD" --fleet "$FLEET" --listen "$bad"
	expect_grep "bad-listen-$bad-says" "bad listen address" "$OUT"
done
if awk '$1 == "00000000000000000000000000000001" { f = 1 } END { exit !f }' /proc/net/if_inet6 2>/dev/null; then
	start_hostd v6 --host-name serving-eu-2 --listen '[::1]:0' --epoch $EPOCH
	expect_grep v6-startup-line "serving-eu-2 listening on http://\[::1\]:$PORT " "$(cat "$T/v6.log")"
	check v6-live [ "$(curl -s -g --max-time 10 "http://[::1]:$PORT/v2/health/live")" = '{"live":true}' ]
	check v6-only [ "$(status_of "http://127.0.0.1:$PORT/v2/health/live")" = 000 ]
	. "$(dirname "$0")/poller_common.inc"
	write_config "$T/v6.conf" '{}' "serving-eu-2=http://[::1]:$PORT"
	md_status "$T/v6.conf" "$T/v6.db"
	check v6-status-exit-0 [ "$RC" = 0 ]
	expect_grep v6-status-host-up '^serving-eu-2 +up ' "$OUT"
	expect_grep v6-status-model '^churn-predict ' "$OUT"
	stop_hostd $HPID
	start_hostd both --host-name serving-eu-2 --listen localhost:0 --epoch $EPOCH
	expect_grep both-startup-line "listening on http://127.0.0.1:$PORT and http://\[::1\]:$PORT " "$(cat "$T/both.log")"
	check both-v4 [ "$(status_of "http://127.0.0.1:$PORT/v2/health/live")" = 200 ]
	check both-v6 [ "$(curl -s -g -o /dev/null -w '%{http_code}' --max-time 10 "http://[::1]:$PORT/v2/health/live")" = 200 ]
	stop_hostd $HPID
	# A flapping host closes and reopens both listeners on the same port.
	start_hostd flap --host-name serving-eu-2 --listen localhost:0 --fault flap --flap 1:1
	down=0
	for i in $(seq 1 40); do
		[ "$(status_of "http://127.0.0.1:$PORT/v2/health/live")" = 000 ] &&
		    [ "$(curl -s -g -o /dev/null -w '%{http_code}' --max-time 2 "http://[::1]:$PORT/v2/health/live")" = 000 ] && { down=1; break; }
		sleep 0.1
	done
	check flap-both-down [ $down = 1 ]
	check flap-v4-back wait_http "http://127.0.0.1:$PORT/v2/health/live" 10
	check flap-v6-back wait_http "http://[::1]:$PORT/v2/health/live" 10
	stop_hostd $HPID
else
	echo "# skip: IPv6 checks: no IPv6 loopback (::1 is not in /proc/net/if_inet6)"
	start_hostd lo4 --host-name serving-eu-2 --listen localhost:0
	check localhost-v4-only [ "$(status_of "http://127.0.0.1:$PORT/v2/health/live")" = 200 ]
	expect_grep localhost-v4-said "no IPv6 loopback" "$(cat "$T/lo4.log")"
	stop_hostd $HPID
fi
sanitizer_clean
