# The audit commands through the real CLI: every call leaves one entry,
# verify/head/export/list behave and exit as documented (0 valid, 1
# broken naming the seq, 2 bad input), a tampered or truncated trail is
# caught, and a caller without the role is denied - and that is audited.
. "$(dirname "$0")/../lib.sh"
mkdir -m 0700 "$T/state"
DB=$T/state/modeldeck.db
me=$(id -un)
printf '{"users": {"%s": ["governance"]}}\n' "$me" >"$T/gov.json"
printf '{"users": {"%s": ["oncall"]}}\n' "$me" >"$T/oncall.json"
md() { "$MD" --config "$T/gov.json" --db "$DB" "$@"; }
entries() { sqlite3 "$DB" "SELECT count(*) FROM audit"; }

expect_exit 0 "verify on a new trail" md audit verify
expect_grep "new trail is valid" "audit trail valid: 0 entries" "$OUT"
expect_exit 0 "verify again" md audit verify
expect_grep "the first verify call was audited" "valid: 1 entries" "$OUT"
before=$(entries)
md audit head >/dev/null
[ "$(entries)" = $((before + 1)) ] && pass "one call, one entry" || fail "one call, one entry" "$before -> $(entries)"

expect_exit 0 "audit --json" md audit --json
check "audit --json is a JSON array of entries" python3 -c \
    'import json,sys; a=json.loads(sys.argv[1]); sys.exit(not (len(a) >= 3 and a[0]["seq"] == 1 and a[0]["action"] == "audit verify"))' "$OUT"
expect_exit 0 "audit --grep" md audit --grep 'audit head'
expect_grep "grep shows audit head calls" "audit head" "$OUT"
[ "$(printf '%s\n' "$OUT" | grep -c 'audit verify')" = 0 ] && pass "grep hides other entries" || fail "grep hides other entries" "$OUT"
expect_exit 2 "bad --grep is bad input" md audit --grep '(x'
expect_grep "bad --grep names the offset" "offset" "$OUT"
expect_exit 0 "audit --since 1h" md audit --since 1h
expect_grep "--since 1h keeps recent entries" "audit verify" "$OUT"
expect_exit 0 "audit --since the future" md audit --since 2999-01-01
[ -z "$OUT" ] && pass "--since the future lists nothing" || fail "--since the future lists nothing" "$OUT"
expect_exit 2 "bad --since is bad input" md audit --since yesterdayish

expect_exit 0 "export jsonl" md audit export --format jsonl
check "export jsonl: one object per line" python3 -c \
    'import json,sys; [json.loads(l) for l in sys.argv[1].splitlines()]' "$OUT"
expect_exit 0 "export csv" md audit export --format csv
expect_grep "export csv header" "^seq,ts_ms,time,actor,action,target,details,outcome,prev_hash,hash" "$OUT"
expect_exit 2 "export --format xml is bad input" md audit export --format xml

head_json=$(md audit head --json)
H=$(printf '%s' "$head_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')
N=$(printf '%s' "$head_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
expect_exit 0 "verify --head of the current head" md audit verify --head "$H"
expect_exit 2 "verify --head garbage is bad input" md audit verify --head xyz

# Denied for lack of role, and the denial is audited.
expect_exit 1 "audit without the role is denied" "$MD" --config "$T/oncall.json" --db "$DB" audit
expect_grep "denial names the role" "governance" "$OUT"
last=$(sqlite3 "$DB" "SELECT action || '|' || outcome FROM audit ORDER BY seq DESC LIMIT 1")
[ "$last" = "audit|denied" ] && pass "denial is audited" || fail "denial is audited" "last entry: $last"

# Tamper: truncate below the head, then edit a row.
cp "$DB" "$T/state/clean.db"
sqlite3 "$DB" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= $((N - 1))"
expect_exit 1 "truncated tail caught with --head" md audit verify --head "$H"
expect_grep "truncation names seq $((N - 1))" "BROKEN at seq $((N - 1)):" "$OUT"
cp "$T/state/clean.db" "$DB"
sqlite3 "$DB" "DROP TRIGGER audit_no_update; UPDATE audit SET outcome = 'allowed' WHERE seq = 2"
sqlite3 "$DB" "UPDATE audit SET actor = 'mallory' WHERE seq = 2"
expect_exit 1 "edited entry caught" md audit verify
expect_grep "edit names seq 2" "BROKEN at seq 2:" "$OUT"
