#!/bin/bash
# tls_https: modeldeck-hostd serving HTTPS with a certificate from a CA this
# test makes with openssl.  With the CA as the host's ca_file the host is up;
# without it the error is a certificate error in plain words (never an
# unexplained "down"); a certificate for another name says so; and
# CURL_CA_BUNDLE / SSL_CERT_FILE in the environment do not replace the
# configured trust.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/poller_common.inc"

cd "$T" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj "/CN=modeldeck test CA" >/dev/null 2>&1
mkcert() {	# mkcert NAME SAN
	openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
	    -subj "/CN=$1" >/dev/null 2>&1
	printf 'subjectAltName=%s\n' "$2" >"$1.ext"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
	    -out "$1.pem" -days 2 -extfile "$1.ext" >/dev/null 2>&1
}
mkcert good "IP:127.0.0.1,DNS:localhost"
mkcert other "DNS:elsewhere.invalid"
[ -s good.pem ] && [ -s other.pem ] || { fail tls-setup "openssl could not make the certificates"; exit 1; }

OPTS='{"connect_timeout": "2s", "timeout": "5s"}'
hd_start good serving-eu-1 --speed 0 --tls-cert good.pem --tls-key good.key; PG=$PORT
hd_start other serving-eu-2 --speed 0 --tls-cert other.pem --tls-key other.key; PO=$PORT

write_config with.json "$OPTS" "serving-eu-1=https://127.0.0.1:$PG,ca=$T/ca.pem"
md_status with.json md.db --json
st=$(jget "host('serving-eu-1')['state']")
if [ "$RC" = 0 ] && [ "$st" = up ]; then pass https-with-ca-up; else
	fail https-with-ca-up "rc $RC state $st: $(printf %s "$OUT" | head -12)"; fi
n=$(jget "len([m for m in d['models'] if m['host'] == 'serving-eu-1' and m['window_rows'] > 0])")
[ "$n" -ge 3 ] && pass https-data-flows || fail https-data-flows "versions with rows: $n"

write_config without.json "$OPTS" "serving-eu-1=https://127.0.0.1:$PG"
md_status without.json md.db --json
st=$(jget "host('serving-eu-1')['state']"); err=$(jget "host('serving-eu-1')['error']")
if [ "$RC" = 1 ] && [ "$st" = down ] && [ "$err" = "certificate not trusted (unknown CA)" ]; then
	pass https-without-ca-says-why; else fail https-without-ca-says-why "rc $RC state $st error '$err'"; fi

# The environment may not hand modeldeck another trust store.
CURL_CA_BUNDLE=$T/ca.pem SSL_CERT_FILE=$T/ca.pem SSL_CERT_DIR=$T md_status without.json md.db --json
err=$(jget "host('serving-eu-1')['error']")
[ "$err" = "certificate not trusted (unknown CA)" ] && pass env-ca-bundle-ignored ||
	fail env-ca-bundle-ignored "with CURL_CA_BUNDLE set: '$err'"

write_config other.json "$OPTS" "serving-eu-2=https://127.0.0.1:$PO,ca=$T/ca.pem"
md_status other.json md.db --json
err=$(jget "host('serving-eu-2')['error']")
[ "$err" = "certificate does not match the host name" ] && pass https-wrong-name ||
	fail https-wrong-name "error '$err'"

# Plain HTTP to a TLS port, and TLS to a plain port: errors, no crash.
hd_start plain serving-eu-1 --name serving-us-1 --speed 0; PP=$PORT
write_config mixed.json "$OPTS" "serving-eu-1=http://127.0.0.1:$PG" \
    "serving-us-1=https://127.0.0.1:$PP,ca=$T/ca.pem"
md_status mixed.json md.db --json
e1=$(jget "host('serving-eu-1')['state']"); e2=$(jget "host('serving-us-1')['error']")
echo "# http to TLS port: $(jget "host('serving-eu-1')['error']"); https to plain port: $e2"
# A plain server may answer the ClientHello with a 400 or just hang up,
# depending on timing: both have their own plain words (tested one by one
# below), never OpenSSL's raw code.
MISMATCH='^TLS handshake failed (the host \(does not speak TLS on this port\|closed the connection; is this port TLS?\))$'
if [ "$RC" = 1 ] && [ "$e1" != up ] && printf '%s' "$e2" | grep -q "$MISMATCH"; then
	pass protocol-mismatch; else fail protocol-mismatch "rc $RC eu-1 $e1, us-1 '$e2'"; fi

# Each of the two answers for real: a listener that answers every
# connection with a plain HTTP 400, and one that hangs up at once.
plain_listener() {	# plain_listener PORT REPLY (empty: hang up)
	/usr/bin/python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept()
    if sys.argv[2]: c.sendall(sys.argv[2].encode())
    c.close()' "$1" "$2" &
	LPID=$!
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1
	done
}
for kind in answer400 hangup; do
	P=$(free_port)
	if [ $kind = answer400 ]; then
		plain_listener "$P" $'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'
		want='TLS handshake failed (the host does not speak TLS on this port)'
	else
		plain_listener "$P" ''
		want='TLS handshake failed (the host closed the connection; is this port TLS?)'
	fi
	write_config $kind.json "$OPTS" "serving-us-1=https://127.0.0.1:$P,ca=$T/ca.pem"
	md_status $kind.json md.db --json
	err=$(jget "host('serving-us-1')['error']")
	kill "$LPID" 2>/dev/null; wait "$LPID" 2>/dev/null
	[ "$RC" = 1 ] && [ "$err" = "$want" ] && pass "tls-to-plain-$kind" ||
		fail "tls-to-plain-$kind" "rc $RC error '$err'"
done
