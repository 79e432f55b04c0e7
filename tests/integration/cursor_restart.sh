#!/bin/bash
# cursor_restart: kill modeldeck (SIGKILL) in the middle of polls, again and
# again, then let it finish.  The database must hold exactly the samples
# and labels the host serves (none lost), and the figures built from them
# (window rows, labels, accuracy) must equal those of a run that was never
# interrupted (none counted twice).  The host's clock is stopped (--speed
# 0) so both runs see the same rows; small pages make a poll long enough
# to be killed inside.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/poller_common.inc"

hd_start a serving-eu-1 --speed 0; PA=$PORT
write_config "$T/c.json" '{"page_limit": 100}' "serving-eu-1=http://127.0.0.1:$PA"

# What the host serves: every sample and label id per live version.
$PY - "http://127.0.0.1:$PA" >"$T/truth" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
get = lambda p: json.load(urllib.request.urlopen(base + p, timeout=30))
for d in get("/ops/v1/deployments")["deployments"]:
    if d["stage"] == "retired":
        continue
    counts = []
    for stream, key in (("samples", "rows"), ("labels", "labels")):
        ids, after = set(), None
        while True:
            q = "/ops/v1/models/%s/versions/%s/%s?limit=5000" % (d["model"], d["version"], stream)
            page = get(q + ("&after=" + after if after else ""))
            ids.update(r["id"] for r in page[key])
            if page.get("cursor"):
                after = page["cursor"]
            if not page["more"] or not page[key]:
                break
        counts.append(len(ids))
    print("%s@%s %d %d" % (d["model"], d["version"], counts[0], counts[1]))
PY

# db_counts DB: "model@version samples labels" per stream, sorted.
db_counts() {
	sqlite3 "$1" "select m.name || '@' || v.version, (select count(*) from samples s where s.stream_id = st.id), (select count(*) from labels l where l.stream_id = st.id) from streams st join versions v on v.id = st.version_id join models m on m.id = v.model_id order by 1" 2>&1 | tr '|' ' '
}

# finish DB: poll until a cycle brings nothing new; figures of the last.
finish() {
	for i in 1 2 3 4 5 6 7 8; do
		md_status "$T/c.json" "$1" --json
		new=$(jget "sum(m['samples_new'] + m['labels_new'] for m in d['models'])")
		[ "$new" = 0 ] && break
	done
	jget "'\n'.join('%s@%s %d %d %s' % (m['model'], m['version'], m['window_rows'], m['labels'], m['accuracy']) for m in sorted(d['models'], key=lambda m: (m['model'], m['version'])))"
}

finish "$T/clean.db" >"$T/clean.fig"
# Interrupted: SIGKILL at different moments of the polls.
kills=0
for delay in 0.2 0.4 0.3 0.6 0.25 0.5 0.35 0.45; do
	"$MD" --config "$T/c.json" --db "$T/killed.db" status --json >/dev/null 2>&1 &
	p=$!
	sleep "$delay"
	kill -9 "$p" 2>/dev/null && kills=$((kills + 1))
	wait "$p" 2>/dev/null
done
echo "# killed $kills polls in flight"
[ "$kills" -ge 3 ] && pass killed-during-polls || fail killed-during-polls "only $kills polls were still running when killed"
finish "$T/killed.db" >"$T/killed.fig"

sort "$T/truth" >"$T/truth.s"
db_counts "$T/clean.db" | grep -v ' 0 0$' >"$T/clean.cnt"
db_counts "$T/killed.db" | grep -v ' 0 0$' >"$T/killed.cnt"
if [ -s "$T/truth.s" ] && diff "$T/truth.s" "$T/clean.cnt" >/dev/null; then pass clean-run-complete; else
	fail clean-run-complete "host vs db: $(diff "$T/truth.s" "$T/clean.cnt" | head -6 | tr '\n' ' ')"; fi
if diff "$T/truth.s" "$T/killed.cnt" >/dev/null; then pass killed-run-none-lost; else
	fail killed-run-none-lost "host vs db: $(diff "$T/truth.s" "$T/killed.cnt" | head -6 | tr '\n' ' ')"; fi
if [ -s "$T/clean.fig" ] && diff "$T/clean.fig" "$T/killed.fig" >/dev/null; then pass killed-run-none-twice; else
	fail killed-run-none-twice "figures differ: $(diff "$T/clean.fig" "$T/killed.fig" | head -6 | tr '\n' ' ')"; fi
# The store refuses duplicates itself; the window must agree with the store.
while read -r mv ns nl; do
	wr=$(awk -v k="$mv" '$1 == k { print $2 }' "$T/killed.fig")
	[ "$wr" = "$ns" ] || { fail window-matches-store "$mv: window $wr rows, store $ns"; wr=bad; break; }
done <"$T/killed.cnt"
[ "${wr:-}" != bad ] && pass window-matches-store
