# Tampering with a real audit trail through the sqlite3 shell: an edited,
# deleted, inserted, swapped or reordered entry and a truncated tail each
# make verify exit 1 naming the right seq; an untouched chain verifies.
# Drives build/tests/test_audit in its tool mode (the library's own
# verify) and, when the CLI has the audit commands, `modeldeck audit verify`.
. "$(dirname "$0")/../lib.sh"
TOOL=$MD_BUILD/tests/test_audit
command -v sqlite3 >/dev/null || { fail sqlite3-shell "sqlite3 not installed"; exit 1; }
mkdir -m 0700 "$T/db"
BASE=$T/db/base.db

"$TOOL" append "$BASE" 10 alice >/dev/null || fail build-chain "append failed"
HEAD=$("$TOOL" head "$BASE")

fresh() {	# fresh NAME: a copy of the 10-entry chain; prints its path
	cp "$BASE" "$T/db/$1.db"
	echo "$T/db/$1.db"
}
sq() {	# sq DB SQL: run SQL with the append-only triggers dropped
	sqlite3 "$1" "DROP TRIGGER IF EXISTS audit_no_update;
	    DROP TRIGGER IF EXISTS audit_no_delete; $2"
}
# broken NAME DB SEQ [HEAD]: verify exits 1 and names seq SEQ.
broken() {
	expect_exit 1 "$1 exits 1" "$TOOL" verify "$2" ${4:-}
	expect_grep "$1 names seq $3" "BROKEN at seq $3:" "$OUT"
}

expect_exit 0 "untouched chain verifies" "$TOOL" verify "$BASE"
expect_grep "untouched chain counts 10" "valid: 10 entries" "$OUT"
expect_exit 0 "untouched chain verifies against its head" "$TOOL" verify "$BASE" "$HEAD"

# refused NAME SQL: the sqlite3 shell fails and says the trail is append-only.
refused() {
	if OUT=$(sqlite3 "$BASE" "$2" 2>&1); then fail "$1" "sqlite3 accepted: $2"
	else expect_grep "$1" "append-only: $3 refused" "$OUT"; fi
}
refused "trigger refuses UPDATE" "UPDATE audit SET actor = 'x' WHERE seq = 1" UPDATE
refused "trigger refuses DELETE" "DELETE FROM audit WHERE seq = 10" DELETE
expect_exit 0 "chain intact after refused writes" "$TOOL" verify "$BASE" "$HEAD"

db=$(fresh edit); sq "$db" "UPDATE audit SET actor = 'mallory' WHERE seq = 4"
broken "edited row" "$db" 4
db=$(fresh edit-details); sq "$db" "UPDATE audit SET details = '{\"i\":1} ' WHERE seq = 7"
broken "edited details" "$db" 7
db=$(fresh edit-time); sq "$db" "UPDATE audit SET ts_ms = ts_ms + 1 WHERE seq = 1"
broken "edited time" "$db" 1

db=$(fresh delete); sq "$db" "DELETE FROM audit WHERE seq = 6"
broken "deleted row" "$db" 6
db=$(fresh delete-first); sq "$db" "DELETE FROM audit WHERE seq = 1"
broken "deleted first row" "$db" 1

# Swap the contents of two entries (seq numbers stay).
db=$(fresh swap); sq "$db" "
	CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (3, 8);
	UPDATE audit SET (ts_ms, actor, action, target, details, outcome, prev_hash, hash) =
	    (SELECT ts_ms, actor, action, target, details, outcome, prev_hash, hash
	     FROM t WHERE t.seq = 11 - audit.seq) WHERE seq IN (3, 8);"
broken "swapped rows" "$db" 3

# Reorder: entries 5 and 6 trade places, numbers and all.
db=$(fresh reorder); sq "$db" "
	UPDATE audit SET seq = -5 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6;
	UPDATE audit SET seq = 6 WHERE seq = -5;"
broken "reordered rows" "$db" 5

# Insert a forged entry in the middle (later ones renumbered).
db=$(fresh insert); sq "$db" "
	UPDATE audit SET seq = seq + 100 WHERE seq >= 5; UPDATE audit SET seq = seq - 99 WHERE seq >= 105;
	INSERT INTO audit SELECT 5, ts_ms, 'mallory', 'approve', 'credit-risk@7', '{}', 'allowed',
	    hash, printf('%064d', 0) FROM audit WHERE seq = 4;"
broken "inserted row" "$db" 5
# Append a forged entry at the end.
db=$(fresh append-forged); sq "$db" "
	INSERT INTO audit SELECT 11, ts_ms, 'mallory', 'approve', '', '{}', 'allowed',
	    hash, hash FROM audit WHERE seq = 10;"
broken "forged last row" "$db" 11

# Truncate the tail: the rest is a valid chain; the head catches it.
db=$(fresh truncate); sq "$db" "DELETE FROM audit WHERE seq >= 8"
expect_exit 0 "truncated chain alone still chains" "$TOOL" verify "$db"
broken "truncated tail against head" "$db" 8 "$HEAD"

expect_exit 2 "malformed head is bad input" "$TOOL" verify "$BASE" "not-a-hash"
expect_grep "malformed head message" "64 lowercase hex" "$OUT"
