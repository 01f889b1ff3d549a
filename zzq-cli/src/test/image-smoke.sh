#!/usr/bin/env bash
# image-smoke.sh: a smoke test of the zzq runtime image (mvn -Pimage -DskipTests package), run by .ci/run.
#
# Starts the image's broker on free ports (mqtt:// and mqtts://, port 0, read back from its log), waits until it
# listens, then has the image's own `zzq sub -C 1` receive what its `zzq pub` sends, over each; checks that the
# broker's event loops run on epoll (Netty's native library resolved in the image) and that it exits 0 on SIGTERM.
# The mqtts:// round trip proves the image holds what TLS needs (BouncyCastle, EC keys: the certificate is a
# throwaway P-256 one made with openssl).
#
# Usage: zzq-cli/src/test/image-smoke.sh [IMAGE]   (IMAGE: the image folder, default zzq-cli/target/image)
# Every wait is bounded; the whole run takes a few seconds. Exits non-zero with the reason and the broker's log
# on any failure.
set -euo pipefail

image=${1:-$(dirname "$0")/../../target/image}
zzq=$image/bin/zzq
work=$(mktemp -d "${TMPDIR:-/tmp}/zzq-image-smoke.XXXXXX")
broker=

cleanup() {
  if [[ -n $broker ]] && kill -0 "$broker" 2>/dev/null; then
    kill "$broker"
    wait "$broker" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "image-smoke: FAIL: $*" >&2
  if [[ -s $work/broker.log ]]; then
    sed 's/^/  broker: /' "$work/broker.log" >&2
  fi
  exit 1
}

# Waits (at most $1 seconds) until the broker's log has a line matching $2; fails if the broker exits first.
await_log() {
  local deadline=$((SECONDS + $1))
  until grep -q -- "$2" "$work/broker.log"; do
    kill -0 "$broker" 2>/dev/null || fail "the broker exited before logging '$2'"
    ((SECONDS < deadline)) || fail "no '$2' in the broker's log within $1 s"
    sleep 0.1
  done
}

# A message through the broker: `zzq sub -C 1` in the background, then `zzq pub`. The message is retained, so the
# subscriber gets it whether it subscribes before the publish (live) or after (the retained copy): no race.
round_trip() {
  local name=$1 port=$2
  shift 2
  local message="image smoke over $name $$"
  timeout 20 "$zzq" sub -h localhost -p "$port" "$@" -t "zzq/image-smoke/$name" -C 1 >"$work/$name.out" \
    2>"$work/$name.err" &
  local sub=$!
  timeout 20 "$zzq" pub -h localhost -p "$port" "$@" -t "zzq/image-smoke/$name" -r -m "$message" \
    || fail "$name: zzq pub exited $?"
  local status=0
  wait "$sub" || status=$?
  ((status == 0)) || fail "$name: zzq sub exited $status: $(cat "$work/$name.err")"
  [[ $(cat "$work/$name.out") == "$message" ]] || fail "$name: zzq sub printed '$(cat "$work/$name.out")'"
  echo "image-smoke: $name: zzq pub -> zzq sub ok"
}

[[ -x $zzq ]] || fail "no $zzq: build the image first (mvn -Pimage -DskipTests package)"
timeout 20 "$zzq" --help >/dev/null || fail "bin/zzq --help"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>"$work/openssl.err" \
  || fail "openssl: $(cat "$work/openssl.err")"

"$zzq" broker --verbose --bind mqtt://127.0.0.1:0 --bind mqtts://127.0.0.1:0 \
  --cert "$work/cert.pem" --key "$work/key.pem" 2>"$work/broker.log" &
broker=$!
await_log 30 'broker listening on mqtts://'
grep -q 'event loops on epoll' "$work/broker.log" || fail "the broker does not run on epoll"
echo "image-smoke: the broker runs on epoll"

mqtt_port=$(sed -n 's|.*broker listening on mqtt://[^ ]*:\([0-9]*\)$|\1|p' "$work/broker.log")
mqtts_port=$(sed -n 's|.*broker listening on mqtts://[^ ]*:\([0-9]*\)$|\1|p' "$work/broker.log")
[[ -n $mqtt_port && -n $mqtts_port ]] || fail "no ports in the broker's log"

round_trip mqtt "$mqtt_port"
round_trip mqtts "$mqtts_port" --cafile "$work/cert.pem"

kill "$broker"
status=0
wait "$broker" || status=$?
broker=
((status == 0)) || fail "the broker exited $status on SIGTERM"
echo "image-smoke: ok ($image)"
