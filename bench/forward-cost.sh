#!/usr/bin/env bash
# CPU time a broker spends per forwarded message: one mosquitto_pub (-l, one message per line) to one
# mosquitto_sub, N messages of SIZE bytes at QoS Q, after a warm-up round of the same size. Prints the broker's
# user+system CPU per message, read from /proc/<pid>/stat before and after the measured round.
#
#   bench/forward-cost.sh zzq|mosquitto [N] [SIZE] [QOS]
#
# Needs mosquitto, mosquitto-clients; for zzq, the launcher's build (./zzq builds it).
set -euo pipefail
which=${1:?zzq or mosquitto}
n=${2:-100000}
size=${3:-64}
qos=${4:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
port=$((20000 + RANDOM % 20000))
hz=$(getconf CLK_TCK)

case $which in
  zzq) "$root/zzq" broker --bind "mqtt://127.0.0.1:$port" --sys-interval 0 --max-queued-messages 1000000 --max-queued-bytes 4000000000 \
          >/tmp/forward-cost-broker.log 2>&1 &
       ;;
  mosquitto) printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\n' "$port" \
          > /tmp/forward-cost-mosquitto.conf
       mosquitto -c /tmp/forward-cost-mosquitto.conf >/tmp/forward-cost-broker.log 2>&1 &
       ;;
  *) echo "zzq or mosquitto" >&2; exit 2 ;;
esac
launcher=$!
trap 'kill $launcher 2>/dev/null; pkill -f "zzq.cli/zzq.cli.Main broker --bind mqtt://127.0.0.1:$port" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  mosquitto_pub -p "$port" -t ping -m x 2>/dev/null && break
  sleep 0.1
done
pid=$(pgrep -f "zzq.cli/zzq.cli.Main broker --bind mqtt://127.0.0.1:$port" || echo "$launcher")

payload=$(head -c "$size" /dev/zero | tr '\0' 'x')
lines=/tmp/forward-cost-lines
awk -v n="$n" -v p="$payload" 'BEGIN { for (i = 0; i < n; i++) print p }' > "$lines"

cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

round() {
  mosquitto_sub -p "$port" -t bench -q "$qos" -C "$n" > /dev/null &
  local sub=$!
  sleep 0.5
  mosquitto_pub -p "$port" -t bench -q "$qos" -l < "$lines"
  wait $sub
}

round # warm-up (JIT, pools)
before=$(cpu)
start=$(date +%s.%N)
round
after=$(cpu)
end=$(date +%s.%N)
awk -v b="$before" -v a="$after" -v hz="$hz" -v n="$n" -v s="$start" -v e="$end" -v w="$which" \
  -v size="$size" -v q="$qos" 'BEGIN {
    cpu = (a - b) / hz
    printf "%s: %d messages of %d B at QoS %d: broker CPU %.2f s = %.2f us per forwarded message; wall %.2f s\n",
      w, n, size, q, cpu, cpu * 1e6 / n, e - s
  }'
