#!/bin/bash
# token_secrecy: a host's bearer token never appears in what modeldeck
# prints (status text and JSON, errors), in its audit trail or anywhere in
# its database file - whether the host accepts it, refuses it (401), fails
# (5xx) or cannot be reached.  Real hostd processes on 127.0.0.1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/poller_common.inc"

SECRET=tok-$$-s3cr3t-d0-not-leak
printf '%s\n' "$SECRET" >"$T/good.token"
printf 'another-%s\n' "$SECRET" >"$T/wrong.token"
chmod 0600 "$T/good.token" "$T/wrong.token"
hd_start a serving-eu-1 --speed 60 --token-file "$T/good.token"; PA=$PORT
hd_start b serving-eu-2 --speed 60 --token-file "$T/good.token"; PB=$PORT
hd_start c serving-eu-2 --name serving-us-1 --speed 60 --fault 5xx; PC=$PORT
write_config "$T/c.json" '{"timeout": "5s"}' \
    "serving-eu-1=http://127.0.0.1:$PA,token=$T/good.token" \
    "serving-eu-2=http://127.0.0.1:$PB,token=$T/wrong.token" \
    "serving-us-1=http://127.0.0.1:$PC,token=$T/good.token"
DB=$T/md.db
md_status "$T/c.json" "$DB" --json; JSON=$OUT
[ "$(jget "host('serving-eu-1')['state']")" = up ] && pass token-accepted-host-up ||
	fail token-accepted-host-up "$(printf %s "$JSON" | head -5)"
[ "$(jget "host('serving-eu-2')['state']")" = unauthorized ] && pass wrong-token-unauthorized ||
	fail wrong-token-unauthorized "$(jget "host('serving-eu-2')")"
md_status "$T/c.json" "$DB"; TEXT=$OUT
# A host that is not there at all.
write_config "$T/d.json" '{"timeout": "2s"}' "serving-eu-1=http://127.0.0.1:$(free_port 3),token=$T/good.token"
md_status "$T/d.json" "$DB" --json; GONE=$OUT
AUDIT=$("$MD" --config "$T/c.json" --db "$DB" audit --json 2>&1)
for what in JSON TEXT GONE AUDIT; do
	eval "v=\$$what"
	case $v in
	*"$SECRET"*) fail "no-token-in-$what" "the token was printed" ;;
	"") fail "no-token-in-$what" "no output to check" ;;
	*) pass "no-token-in-$what" ;;
	esac
done
# The database (and its WAL) must not hold it either.
if grep -a -q -- "$SECRET" "$DB" "$DB-wal" 2>/dev/null; then
	fail no-token-in-database "found in $DB"
else
	pass no-token-in-database
fi
