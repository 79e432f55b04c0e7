# trust_install: the trust model of docs/security.md with a REAL Unix user
# against a setgid `make install` of the normal build into a fresh 0755
# directory ($T, all of PREFIX, SYSCONFDIR and LOCALSTATEDIR inside it).
# Skipped, with the reason printed and no PASS line, when not root, under
# a sanitizer (its runtime refuses setgid runs), without useradd/setpriv,
# or on a nosuid mount.  The user and (if this test made it) the group are
# removed afterwards.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/trust_common.inc"

trust_require trust_install "creates Unix users and a setgid install" sqlite3 python3
trust_make_install mdt
pass "make install into a fresh prefix"
expect_grep "binary is root:modeldeck 2755" '^2755 root modeldeck$' "$(stat -c '%a %U %G' "$MDI")"
expect_grep "state directory is root:modeldeck 2770" '^2770 root modeldeck$' "$(stat -c '%a %U %G' "$STATE")"
expect_grep "configuration is root-owned" '^644 root$' "$(stat -c '%a %U' "$CONF/config.json")"
expect_exit 0 "installed minimal configuration is valid" "$MDI" config check "$CONF/config.json"
[ -f "$T/p/share/man/man1/modeldeck.1" ] && grep -q '^\.B config check' "$T/p/share/man/man1/modeldeck.1" &&
	pass "man page installed with the command list" || fail "man page installed" "missing or no command list"

trust_user tmp cfg/modeldeck state

# The system configuration: the user is an ml-engineer; a host token.
printf 'host-secret\n' > "$CONF/tokens/h1"
chown root:modeldeck "$CONF/tokens/h1" && chmod 0640 "$CONF/tokens/h1"
cat > "$CONF/config.json" <<JSON
{"version": 1, "users": {"$U": ["ml-engineer"], "root": ["governance"]},
 "hosts": [{"name": "h1", "url": "http://127.0.0.1:9", "token_file": "$CONF/tokens/h1"}]}
JSON
expect_exit 0 "system configuration with a root:modeldeck 0640 token is valid" "$MDI" config check
# The user's own file would make them governance and head-of-ml.
printf '{"users": {"%s": ["governance", "head-of-ml"]}}\n' "$U" > "$H/mine.json"
cp "$H/mine.json" "$H/cfg/modeldeck/config.json"
chown -R "$U" "$H"

# as_user CMD...: run as the test user with a minimal environment.
as_user() {
	setpriv --reuid="$UID_U" --regid="$GID_U" --clear-groups -- \
	    env -i PATH=/usr/bin:/bin TERM=dumb "$@"
}
roles_of() {	# JSON of whoami -> "role,role|config|db"
	printf '%s' "$1" | python3 -c 'import json,sys
d=json.loads(sys.stdin.read())
print(",".join(d["roles"]) + "|" + d.get("config","") + "|" + d.get("db","") + "|" + str(d["privileged"]))' 2>/dev/null
}

touch "$T/marker"
sleep 1
expect_exit 0 "user whoami runs" as_user "$MDI" whoami --json
base=$(roles_of "$OUT")
expect_grep "user has the system configuration's roles" "^ml-engineer\|$CONF/config.json\|$STATE/modeldeck.db\|True$" "$base"
expect_grep "database created 0660 in group modeldeck" '^660 modeldeck$' "$(stat -c '%a %G' "$STATE/modeldeck.db" 2>&1)"

expect_exit 1 "user --config refused" as_user "$MDI" --config "$H/mine.json" whoami --json
expect_grep "--config refusal says why" 'config .*refused for a non-root user' "$OUT"
case $OUT in *governance*) fail "no role from own --config" "$OUT" ;; *) pass "no role from own --config" ;; esac
expect_exit 1 "user MODELDECK_CONFIG refused" as_user MODELDECK_CONFIG="$H/mine.json" "$MDI" whoami
expect_grep "MODELDECK_CONFIG refusal says why" 'MODELDECK_CONFIG: refused' "$OUT"
expect_exit 1 "user --db refused" as_user "$MDI" --db "$H/own.db" whoami
expect_grep "--db refusal says why" 'db .*refused' "$OUT"
[ ! -e "$H/own.db" ] && pass "--db file not created" || fail "--db file not created" "$H/own.db exists"
expect_exit 1 "user --as refused" as_user "$MDI" --as root whoami
expect_grep "--as refusal says why" 'only root may act for another user' "$OUT"

# HOME, XDG_* and TMPDIR change nothing the setgid run reads or writes.
expect_exit 0 "whoami with HOME/XDG/TMPDIR set" as_user HOME="$H" XDG_CONFIG_HOME="$H/cfg" \
    XDG_STATE_HOME="$H/state" XDG_DATA_HOME="$H" XDG_RUNTIME_DIR="$H" TMPDIR="$H/tmp" \
    "$MDI" whoami --json
expect_grep "HOME/XDG/TMPDIR change nothing" "^$(printf '%s' "$base" | sed 's/[|.]/\\&/g')\$" "$(roles_of "$OUT")"
new=$(find "$H" "$T/etc" "$T/p" -newer "$T/marker" ! -path "$H" 2>/dev/null | grep -v '^$')
[ -z "$new" ] && pass "nothing written outside the state directory" ||
	fail "nothing written outside the state directory" "$new"

# The data stays behind the binary.
expect_exit 1 "user cannot open the database with sqlite3" as_user sqlite3 "$STATE/modeldeck.db" 'select count(*) from audit;'
if as_user cat "$CONF/tokens/h1" >/dev/null 2>&1; then
	fail "user cannot read a host token" "cat succeeded"
else
	pass "user cannot read a host token"
fi
expect_exit 2 "config check cannot read a token for the user" as_user "$MDI" config check "$CONF/tokens/h1"
expect_grep "config check names the permission error" 'Permission denied' "$OUT"
case $OUT in *host-secret*) fail "config check leaks no token" "$OUT" ;; *) pass "config check leaks no token" ;; esac

# Each refusal is in the audit trail as denied; root may act as the user.
expect_exit 0 "root --as user" "$MDI" --as "$U" whoami
expect_exit 0 "root reads the audit trail" "$MDI" audit --json
denied=$(printf '%s' "$OUT" | python3 -c 'import json,sys
u=sys.argv[1]
print(sum(1 for e in json.load(sys.stdin) if e["actor"]==u and e["outcome"]=="denied"))' "$U" 2>&1)
[ "$denied" = 4 ] && pass "4 refusals audited as denied" || fail "4 refusals audited as denied" "got $denied"
expect_grep "refusal text in the audit details" 'refused for a non-root user' "$OUT"
expect_grep "root as user audited" "\"actor\":\"root as $U\"" "$OUT"
expect_exit 0 "audit chain verifies" "$MDI" audit verify
