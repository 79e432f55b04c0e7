#!/bin/bash
# proxy_trust: the network half of the trust model (docs/security.md), on a
# setgid `make install` run by a real Unix user.  The user points
# http_proxy/HTTPS_PROXY/ALL_PROXY at a listener of this test, sets
# SSLKEYLOGFILE, and sets CURL_CA_BUNDLE/SSL_CERT_FILE to a CA of their
# own that signed a host's certificate.  `modeldeck status` must reach the
# hosts directly with their tokens (the proxy receives nothing), write no
# key file, and still refuse the certificate the configuration does not
# trust.  The same proxy check is made on the personal build run by root.
# Skipped, with the reason printed and no PASS line, when not root, under a
# sanitizer, without useradd/setpriv/openssl, or on a nosuid mount.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/poller_common.inc"
. "$(dirname "$0")/trust_common.inc"

trust_require proxy_trust "creates a Unix user and a setgid install" openssl python3
trust_make_install mdp
trust_user

# Certificates: the configured CA, and the user's own CA.
cd "$T" || exit 1
mkca() {	# mkca NAME: a CA
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" \
	    -days 2 -subj "/CN=$1" >/dev/null 2>&1
}
mkcert() {	# mkcert CA NAME: a certificate for 127.0.0.1 signed by CA
	openssl req -newkey rsa:2048 -nodes -keyout "$2.key" -out "$2.csr" \
	    -subj "/CN=127.0.0.1" >/dev/null 2>&1
	echo "subjectAltName=IP:127.0.0.1" >"$2.ext"
	openssl x509 -req -in "$2.csr" -CA "$1.pem" -CAkey "$1.key" -CAcreateserial \
	    -out "$2.pem" -days 2 -extfile "$2.ext" >/dev/null 2>&1
}
mkca goodca; mkca userca
mkcert goodca h2cert; mkcert userca h3cert
cp goodca.pem "$CONF/ca.pem" && chmod 0644 "$CONF/ca.pem"
cp userca.pem "$H/mine.pem" && chown "$U" "$H/mine.pem"

# The hosts: h1 plain HTTP and h2 HTTPS want a token; h3's certificate
# comes from the user's CA.
printf 'proxy-test-secret\n' >"$T/hostd.token"
hd_start h1 serving-eu-1 --speed 0 --token-file "$T/hostd.token"; P1=$PORT
hd_start h2 serving-eu-2 --speed 0 --token-file "$T/hostd.token" \
    --tls-cert h2cert.pem --tls-key h2cert.key; P2=$PORT
hd_start h3 serving-eu-1 --name h3 --speed 0 --tls-cert h3cert.pem --tls-key h3cert.key; P3=$PORT

printf 'proxy-test-secret\n' >"$CONF/tokens/h"
chown root:modeldeck "$CONF/tokens/h" && chmod 0640 "$CONF/tokens/h"
cat >"$CONF/config.json" <<JSON
{"version": 1, "users": {"$U": ["oncall"], "root": ["governance"]},
 "options": {"connect_timeout": "2s", "timeout": "5s"},
 "hosts": [
  {"name": "h1", "url": "http://127.0.0.1:$P1", "token_file": "$CONF/tokens/h"},
  {"name": "h2", "url": "https://127.0.0.1:$P2", "token_file": "$CONF/tokens/h", "ca_file": "$CONF/ca.pem"},
  {"name": "h3", "url": "https://127.0.0.1:$P3"}]}
JSON

# The proxy: counts connections and keeps what it was sent.
PX=$(free_port 3)
python3 - "$PX" "$T/proxy.log" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept()
    c.settimeout(1)
    try: data = c.recv(65536)
    except Exception: data = b""
    with open(sys.argv[2], "ab") as f: f.write(b"CONNECTION\n" + data)
    c.close()
PY
MD_PIDS="$MD_PIDS $!"
sleep 0.5
: >"$T/proxy.log"
PROXY=http://127.0.0.1:$PX

as_user() {
	setpriv --reuid="$UID_U" --regid="$GID_U" --clear-groups -- \
	    env -i PATH=/usr/bin:/bin TERM=dumb HOME="$H" "$@"
}
OUT=$(as_user http_proxy=$PROXY HTTP_PROXY=$PROXY https_proxy=$PROXY HTTPS_PROXY=$PROXY \
    ALL_PROXY=$PROXY all_proxy=$PROXY NO_PROXY= SSLKEYLOGFILE="$H/keys.log" \
    CURL_CA_BUNDLE="$H/mine.pem" SSL_CERT_FILE="$H/mine.pem" SSL_CERT_DIR="$H" \
    "$MDI" status --json 2>&1); RC=$?

states=$(jget "' '.join(host(n)['state'] for n in ('h1', 'h2', 'h3'))")
[ "$states" = "up up down" ] && pass setgid-hosts-reached-directly ||
	fail setgid-hosts-reached-directly "states '$states' (rc $RC): $(printf %s "$OUT" | head -12)"
[ -s "$T/proxy.log" ] && fail setgid-proxy-receives-nothing "$(head -c 300 "$T/proxy.log")" ||
	pass setgid-proxy-receives-nothing
[ -e "$H/keys.log" ] && fail setgid-no-key-log "$(wc -c <"$H/keys.log") bytes written to SSLKEYLOGFILE" ||
	pass setgid-no-key-log
err=$(jget "host('h3')['error']")
[ "$err" = "certificate not trusted (unknown CA)" ] && pass setgid-curl-ca-bundle-ignored ||
	fail setgid-curl-ca-bundle-ignored "h3 error '$err'"
case $OUT in *proxy-test-secret*) fail setgid-no-token-in-output "token printed" ;;
	*) pass setgid-no-token-in-output ;; esac

# The personal build, run by root with the same environment: same result
# without the setgid environment cut (libcurl is told never to proxy).
write_config "$T/personal.json" '{"timeout": "5s"}' "serving-eu-2=https://127.0.0.1:$P2,ca=$T/goodca.pem,token=$T/tok"
printf 'proxy-test-secret\n' >"$T/tok"; chmod 0600 "$T/tok"
OUT=$(env http_proxy=$PROXY HTTPS_PROXY=$PROXY ALL_PROXY=$PROXY NO_PROXY= \
    SSLKEYLOGFILE="$T/keys2.log" "$MD" --config "$T/personal.json" --db "$T/p.db" status --json 2>&1)
st=$(jget "host('serving-eu-2')['state']")
[ "$st" = up ] && [ ! -s "$T/proxy.log" ] && pass personal-no-proxy ||
	fail personal-no-proxy "state '$st', proxy got $(wc -c <"$T/proxy.log") bytes"
[ -e "$T/keys2.log" ] && fail personal-no-key-log "SSLKEYLOGFILE written" || pass personal-no-key-log
