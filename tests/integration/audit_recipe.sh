# The audit trail checked by something other than our own code: the Python
# recipe printed in docs/audit.md (extracted from the doc, so the doc stays
# right) must agree with `verify` on a chain full of awkward strings, and
# on a tampered copy; the CSV and JSON-lines exports must read back, with
# Python's csv and json modules, exactly as the table holds them.
. "$(dirname "$0")/../lib.sh"
TOOL=$MD_BUILD/tests/test_audit
DB=$T/recipe.db
RECIPE=$T/verify.py
sed -n '/<!-- recipe:begin -->/,/<!-- recipe:end -->/p' "$MD_ROOT/docs/audit.md" |
    sed '1,2d;$d' | sed '$d' >"$RECIPE"
check "recipe extracted from docs/audit.md" grep -q 'hashlib.sha256' "$RECIPE"

"$TOOL" append "$DB" 5 alice >/dev/null
"$TOOL" add "$DB" 'root as bob' approve 'credit-risk@7' '{"reason":"tab\there, \"quoted\", back\\slash"}' allowed
"$TOOL" add "$DB" "$(printf 'ctl\001\037 del\177 é ü 漢字 \360\237\230\200')" 'rollback' "$(printf 'multi\nline,comma')" '{"u":"\u00e9\n"}' denied
"$TOOL" add "$DB" "$(printf 'bad\377utf8')" x '' '{}' failed
"$TOOL" append "$DB" 3 carol >/dev/null
HEAD=$("$TOOL" head "$DB")

expect_exit 0 "python recipe verifies our chain" python3 "$RECIPE" "$DB" "$HEAD"
expect_grep "python recipe counts 11 entries" "valid: 11 entries, head $HEAD" "$OUT"
expect_exit 0 "our verify agrees" "$TOOL" verify "$DB" "$HEAD"
expect_grep "invalid UTF-8 stored as U+FFFD" "bad\\\\ufffdutf8|bad.utf8" "$(sqlite3 "$DB" "SELECT json_quote(actor) FROM audit WHERE seq = 8")"

cp "$DB" "$T/bad.db"
sqlite3 "$T/bad.db" "DROP TRIGGER audit_no_update; UPDATE audit SET target = 'x' WHERE seq = 7"
expect_exit 1 "python recipe finds the edit" python3 "$RECIPE" "$T/bad.db"
expect_grep "python recipe names seq 7" "broken at seq 7" "$OUT"
expect_exit 1 "our verify finds the edit" "$TOOL" verify "$T/bad.db"
expect_grep "our verify names seq 7" "BROKEN at seq 7:" "$OUT"

# Exports read back field for field.
cat >"$T/readback.py" <<'PY'
import csv, io, json, sqlite3, sys
db, fmt, path = sys.argv[1], sys.argv[2], sys.argv[3]
cols = ["seq", "ts_ms", "actor", "action", "target", "details", "outcome", "prev_hash", "hash"]
rows = [list(r) for r in sqlite3.connect(db).execute(
    "SELECT %s FROM audit ORDER BY seq" % ", ".join(cols))]
data = open(path, encoding="utf-8", newline="").read()
if fmt == "csv":
    got = list(csv.DictReader(io.StringIO(data, newline="")))
    got = [[int(g["seq"]), int(g["ts_ms"])] + [g[c] for c in cols[2:]] for g in got]
else:
    got = [json.loads(l) for l in data.splitlines()]
    got = [[g[c] for c in cols] for g in got]
if got != rows:
    for a, b in zip(got, rows):
        if a != b: print("differs:", a, b)
    sys.exit("%s export differs (%d vs %d rows)" % (fmt, len(got), len(rows)))
print("ok", len(got))
PY
"$TOOL" list "$DB" csv >"$T/out.csv"
expect_exit 0 "csv export reads back exactly" python3 "$T/readback.py" "$DB" csv "$T/out.csv"
"$TOOL" list "$DB" jsonl >"$T/out.jsonl"
expect_exit 0 "jsonl export reads back exactly" python3 "$T/readback.py" "$DB" jsonl "$T/out.jsonl"
"$TOOL" list "$DB" json >"$T/out.json"
check "json listing is one valid array of 11" python3 -c "import json,sys; a=json.load(open(sys.argv[1])); sys.exit(len(a) != 11)" "$T/out.json"
expect_exit 0 "text listing escapes control characters" "$TOOL" list "$DB" text
expect_grep "control bytes shown as \\\\uXXXX" 'ctl\\u0001\\u001f del\\u007f' "$OUT"

# --grep: a match, a bad pattern, a runaway pattern.
expect_exit 0 "grep selects entries" "$TOOL" list "$DB" text 'root as bob'
expect_grep "grep shows the matching entry" "credit-risk@7" "$OUT"
expect_exit 2 "bad regex is bad input" "$TOOL" list "$DB" text '(oops'
expect_grep "bad regex message" "bad regular expression at offset" "$OUT"
"$TOOL" add "$DB" long x "$(head -c 5000 /dev/zero | tr '\0' a)!" '{}' allowed
start=$(date +%s)
expect_exit 2 "runaway regex stops with an error" "$TOOL" list "$DB" text '(a+)+$'
expect_grep "runaway regex message" "backtracks too much" "$OUT"
[ $(( $(date +%s) - start )) -lt 10 ] && pass "runaway regex returns quickly" || fail "runaway regex returns quickly" "took $(( $(date +%s) - start ))s"
