# config_check: `modeldeck config check` on every broken configuration in
# tests/config/ (bad-NAME.json, with bad-NAME.expect holding the message
# substrings, one per line) gives exit 2 and the path-precise messages;
# the sample configuration is valid; docs/configuration.md's options
# section is exactly `modeldeck config options --markdown`.
. "$(dirname "$0")/../lib.sh"

no_sanitizer_report() {	# NAME TEXT
	if printf '%s' "$2" | grep -q 'Sanitizer'; then
		fail "$1" "sanitizer report: $(printf '%s' "$2" | grep -m1 Sanitizer)"
	fi
}

# The token rule needs a real file with a mode: bad-token-mode.json names
# @DIR@/token, made world-readable here.
printf 'tok\n' > "$T/token" && chmod 0644 "$T/token"
n=0
for json in "$MD_ROOT"/tests/config/bad-*.json; do
	name=$(basename "$json" .json)
	sed "s|@DIR@|$T|g" "$json" > "$T/$name.json"
	expect_exit 2 "config check $name exits 2" "$MD" config check "$T/$name.json"
	no_sanitizer_report "config check $name" "$OUT"
	while IFS= read -r want; do
		want=$(printf '%s' "$want" | sed "s|@DIR@|$T|g")
		if printf '%s' "$OUT" | grep -qF -- "$want"; then
			pass "config check $name says: $want"
		else
			fail "config check $name says: $want" "got: $(printf '%s' "$OUT" | head -5)"
		fi
	done < "$MD_ROOT/tests/config/$name.expect"
	n=$((n + 1))
done
[ "$n" -ge 10 ] && pass "at least 10 broken configurations ($n)" || fail "at least 10 broken configurations" "only $n"

# The same file with an owner-only token is valid.
chmod 0600 "$T/token"
expect_exit 0 "owner-only token file accepted" "$MD" config check "$T/bad-token-mode.json"
expect_grep "valid summary line" '^.*bad-token-mode.json: valid: 1 hosts, 3 users' "$OUT"

expect_exit 0 "sample configuration is valid" "$MD" config check "$MD_ROOT/sample-data/config.json"
expect_grep "sample summary" 'valid: [0-9]+ hosts, [0-9]+ users, [0-9]+ teams, [0-9]+ models' "$OUT"
expect_exit 0 "config check without FILE checks --config" "$MD" --config "$MD_ROOT/sample-data/config.json" config check
expect_exit 0 "config check follows MODELDECK_CONFIG" env MODELDECK_CONFIG="$MD_ROOT/sample-data/config.json" "$MD" config check
expect_exit 2 "missing file exits 2" "$MD" config check "$T/nope.json"
expect_grep "missing file named" "cannot open $T/nope.json: No such file" "$OUT"
expect_exit 2 "a directory is refused" "$MD" config check "$T"
expect_grep "directory named" "$T is not a regular file" "$OUT"
head -c 300000 /dev/urandom > "$T/random.json"
expect_exit 2 "random bytes are refused, no crash" "$MD" config check "$T/random.json"
no_sanitizer_report "random bytes" "$OUT"
python3 -c 'print("[" * 5000 + "]" * 5000)' > "$T/deep.json"
expect_exit 2 "deep nesting is refused, no crash" "$MD" config check "$T/deep.json"
no_sanitizer_report "deep nesting" "$OUT"

# Loading a broken configuration for a real command fails with the first error.
expect_exit 2 "whoami with a broken config exits 2" env XDG_STATE_HOME="$T/state" "$MD" --config "$T/bad-many.json" whoami
expect_grep "whoami names the first error and the rest" 'colour: unknown key \(and 2 more errors' "$OUT"

# docs/configuration.md embeds the options table verbatim.
"$MD" config options --markdown > "$T/options.md" 2>&1
sed -n '/^<!-- options:begin/,/^<!-- options:end/p' "$MD_ROOT/docs/configuration.md" |
	sed '1d;$d' > "$T/doc-options.md"
if [ -s "$T/options.md" ] && cmp -s "$T/options.md" "$T/doc-options.md"; then
	pass "docs/configuration.md options section matches the table"
else
	fail "docs/configuration.md options section matches the table" \
	    "regenerate with: modeldeck config options --markdown ($(diff "$T/options.md" "$T/doc-options.md" | head -3))"
fi
expect_exit 0 "config options (text) runs" "$MD" config options
expect_grep "text lists window_rows" 'window_rows +integer +default 50000' "$OUT"

# The example in docs/configuration.md is valid (its token and CA files
# do not exist here, so they are left out).
python3 - "$MD_ROOT/docs/configuration.md" > "$T/docex.json" <<'PY'
import json, re, sys
s = open(sys.argv[1]).read()
d = json.loads(re.search(r'## Format\n\n```json\n(.*?)```', s, re.S).group(1))
for h in d["hosts"]:
    h.pop("token_file", None); h.pop("ca_file", None)
print(json.dumps(d))
PY
expect_exit 0 "docs/configuration.md example is valid" "$MD" config check "$T/docex.json"

# Huge inputs stay fast (no quadratic checks) and bounded.
python3 -c '
import json
u = {"u%d" % i: ["oncall"] for i in range(200000)}
h = [{"name": "h%d" % i, "url": "http://127.0.0.1:%d" % (i % 60000 + 1)} for i in range(10000)]
t = [{"name": "t", "raci": {"informed": ["u%d" % i for i in range(1000)]}}]
print(json.dumps({"users": u, "hosts": h, "teams": t}))' > "$T/huge.json"
expect_exit 0 "200,000 users and 10,000 hosts check fine" "$MD" config check "$T/huge.json"
python3 -c '
import json
print(json.dumps({"users": {}, "hosts": [{"name": "h%d" % i, "url": "http://a"} for i in range(10001)]}))' > "$T/toomany.json"
expect_exit 2 "more than 10,000 hosts refused" "$MD" config check "$T/toomany.json"
expect_grep "too many hosts named" 'hosts: too many hosts \(at most 10000\)' "$OUT"
