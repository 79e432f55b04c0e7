#!/bin/bash
# modeldeck-hostd: bearer token, HTTPS with a CA made here by openssl, and
# every injected fault (hang, trickle, reset, 5xx, badjson, huge, 401,
# --fault-path, --fault-every, flap).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/hostd_common.inc"

# Token.
printf 's3cret-token\n' >"$T/token"
chmod 600 "$T/token"
start_hostd tok --host-name serving-eu-2 --speed 0 --token-file "$T/token"
U=http://127.0.0.1:$PORT
check token-missing-401 [ "$(status_of $U/ops/v1/deployments)" = 401 ]
check token-wrong-401 [ "$(status_of $U/ops/v1/deployments -H 'Authorization: Bearer nope')" = 401 ]
check token-prefix-401 [ "$(status_of $U/ops/v1/deployments -H 'Authorization: Bearer s3cret-toke')" = 401 ]
check token-401-json [ "$(curl -s $U/metrics | jq_py 'd["error"]')" = "missing or wrong bearer token" ]
check token-right-200 [ "$(status_of $U/ops/v1/deployments -H 'Authorization: Bearer s3cret-token')" = 200 ]
stop_hostd $HPID
: >"$T/empty"
expect_exit 1 token-empty "$HOSTD" --fleet "$FLEET" --token-file "$T/empty"
expect_grep token-empty-says "empty token" "$OUT"

# TLS with a CA of our own.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" -out "$T/ca.pem" \
    -days 2 -subj "/CN=modeldeck test CA" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout "$T/host.key" -out "$T/host.csr" \
    -subj "/CN=127.0.0.1" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$T/san.ext"
openssl x509 -req -in "$T/host.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
    -CAcreateserial -out "$T/host.pem" -days 2 -extfile "$T/san.ext" >/dev/null 2>&1
start_hostd tls --host-name serving-eu-1 --speed 0 --tls-cert "$T/host.pem" --tls-key "$T/host.key"
check tls-with-ca [ "$(status_of https://127.0.0.1:$PORT/v2/health/ready --cacert "$T/ca.pem")" = 200 ]
expect_exit 60 tls-without-ca curl -s --max-time 5 -o /dev/null https://127.0.0.1:$PORT/v2/health/ready
check tls-data [ "$(curl -s --cacert "$T/ca.pem" https://127.0.0.1:$PORT/ops/v1/deployments | jq_py 'd["host"]')" = serving-eu-1 ]
check tls-no-plain-http [ "$(status_of http://127.0.0.1:$PORT/v2/health/ready)" != 200 ]
stop_hostd $HPID
expect_exit 2 tls-key-needed "$HOSTD" --fleet "$FLEET" --tls-cert "$T/host.pem"
expect_exit 1 tls-bad-cert "$HOSTD" --fleet "$FLEET" --listen 127.0.0.1:0 --tls-cert "$T/token" --tls-key "$T/token"
expect_grep tls-bad-cert-says "with TLS" "$OUT"

# hang: the connection is accepted and never answered.
start_hostd hang --host-name serving-eu-1 --fault hang
expect_exit 28 hang-times-out curl -s --max-time 1.5 http://127.0.0.1:$PORT/v2/health/live
HANGPID=$HPID
# trickle: one byte per --trickle-ms.
start_hostd trickle --host-name serving-eu-1 --fault trickle --trickle-ms 500
N=$(curl -s --max-time 1.8 http://127.0.0.1:$PORT/ops/v1/deployments | wc -c)
check trickle-slow [ "$N" -ge 1 ] && check trickle-few-bytes [ "$N" -le 4 ]
stop_hostd $HPID
start_hostd trickle2 --host-name serving-eu-1 --fault trickle --trickle-ms 20
check trickle-completes [ "$(curl -s --max-time 10 http://127.0.0.1:$PORT/v2/health/live)" = '{"live":true}' ]
stop_hostd $HPID
# The hung host stops promptly (blocked handlers notice the shutdown).
S0=$(date +%s%N)
stop_hostd $HANGPID
check hang-stops-fast [ $(( ($(date +%s%N) - S0) / 1000000 )) -lt 3000 ]

# reset: RST instead of an answer (curl 56 "recv failure: reset by peer").
start_hostd reset --host-name serving-eu-1 --fault reset
expect_exit 56 reset-rst curl -s --max-time 5 http://127.0.0.1:$PORT/v2/health/live
stop_hostd $HPID
# 5xx and 401.
start_hostd e5 --host-name serving-eu-1 --fault 5xx
check 5xx-status [ "$(status_of http://127.0.0.1:$PORT/metrics)" = 500 ]
check 5xx-json [ "$(curl -s http://127.0.0.1:$PORT/ops/v1/deployments | jq_py 'd["error"]')" = "injected fault: internal server error" ]
stop_hostd $HPID
start_hostd f401 --host-name serving-eu-1 --fault 401
check 401-status [ "$(status_of http://127.0.0.1:$PORT/ops/v1/deployments)" = 401 ]
stop_hostd $HPID
# badjson: 200 with a body that is not JSON (or not Prometheus text).
start_hostd bad --host-name serving-eu-1 --fault badjson
check badjson-200 [ "$(status_of http://127.0.0.1:$PORT/ops/v1/deployments)" = 200 ]
expect_exit 1 badjson-invalid $PY -c "import json,sys; json.loads(sys.argv[1])" "$(curl -s http://127.0.0.1:$PORT/ops/v1/deployments)"
check badjson-metrics-invalid sh -c "curl -s http://127.0.0.1:$PORT/metrics | promtool check metrics 2>&1 | grep -qi error"
stop_hostd $HPID

# --fault-path and --fault-every: only some requests fail.
start_hostd path --host-name serving-eu-1 --fault 5xx --fault-path /ops/
check fault-path-hit [ "$(status_of http://127.0.0.1:$PORT/ops/v1/deployments)" = 500 ]
check fault-path-miss [ "$(status_of http://127.0.0.1:$PORT/v2/health/live)" = 200 ]
stop_hostd $HPID
start_hostd every --host-name serving-eu-1 --fault 5xx --fault-every 3
CODES=$(for i in 1 2 3 4 5 6; do status_of http://127.0.0.1:$PORT/v2/health/live; echo; done | tr '\n' ' ')
check fault-every-3 [ "$CODES" = "200 200 500 200 200 500 " ]
stop_hostd $HPID

# huge: 1 GiB generated on the fly; read 200 MB quickly, hostd's RSS stays small.
start_hostd huge --host-name serving-eu-1 --fault huge
HPIDH=$HPID
check huge-length [ "$(curl -s -I -X GET --max-time 5 http://127.0.0.1:$PORT/metrics | tr -d '\r' | awk 'tolower($1)=="content-length:"{print $2}')" = 1073741824 ]
S0=$(date +%s%N)
N=$(curl -s --max-time 60 http://127.0.0.1:$PORT/ops/v1/deployments | head -c 200000000 | wc -c)
MS=$(( ($(date +%s%N) - S0) / 1000000 ))
RSS=$(awk '/VmRSS/{print $2}' /proc/$HPIDH/status)
check huge-200MB-read [ "$N" = 200000000 ]
check huge-quick [ "$MS" -lt 30000 ]
LIMIT=40000
[ -n "${MD_SANITIZER:-}" ] && LIMIT=200000
check huge-rss-small [ "$RSS" -lt $LIMIT ]
echo "huge: 200 MB in ${MS} ms, hostd RSS ${RSS} kB"
stop_hostd $HPIDH
start_hostd hugec --host-name serving-eu-1 --fault huge --huge-chunked --huge-bytes 3000000
check huge-chunked-no-length [ -z "$(curl -s -D - -o /dev/null http://127.0.0.1:$PORT/x | tr -d '\r' | grep -i '^content-length')" ]
check huge-chunked-size [ "$(curl -s http://127.0.0.1:$PORT/x | wc -c)" = 3000000 ]
stop_hostd $HPID

# flap: the listener closes DOWN seconds out of every UP+DOWN.
start_hostd flap --host-name serving-eu-1 --fault flap --flap 1:1
seen_up=0 seen_down=0 i=0
while [ $i -lt 40 ]; do
	if curl -s -o /dev/null --max-time 1 http://127.0.0.1:$PORT/v2/health/live; then seen_up=1; else
		[ $? = 7 ] && seen_down=1; fi
	[ $seen_up = 1 ] && [ $seen_down = 1 ] && break
	sleep 0.2; i=$((i + 1))
done
check flap-refuses-then-serves [ "$seen_up$seen_down" = 11 ]
stop_hostd $HPID
sanitizer_clean
