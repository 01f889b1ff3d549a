#!/usr/bin/env bash
# Start-up time of the zzq command, as the median (and the range) of N runs of each:
#   CMD --help                                  from start until it exits
#   CMD broker --bind mqtt://127.0.0.1:0        from start until it logs "listening" (then SIGTERM)
# CMD is the command and its leading arguments, for example the runtime image, ./zzq, or java with a module path:
#
#   bench/startup-time.sh 10 zzq-cli/target/image/bin/zzq
#   JAVA_OPTS=-Xshare:off bench/startup-time.sh 10 zzq-cli/target/image/bin/zzq     # the same without CDS
#   bench/startup-time.sh 10 ./zzq
#   bench/startup-time.sh 10 java --module-path zzq-cli/target/zzq-cli.jar:zzq-cli/target/lib \
#       --add-modules ALL-MODULE-PATH -m zzq.cli/zzq.cli.Main
#
# Times come from `date +%s%N` around each run; the broker's log is polled every 5 ms, so its times are up to 5 ms
# late. CMD must exec the JVM (./zzq and the image's bin/zzq do), so that SIGTERM reaches the broker.
set -euo pipefail
runs=${1:?usage: startup-time.sh N CMD [ARGS...]}
shift
(($#)) || { echo "usage: startup-time.sh N CMD [ARGS...]" >&2; exit 2; }
log=$(mktemp "${TMPDIR:-/tmp}/zzq-startup.XXXXXX")
trap 'rm -f "$log"' EXIT

# Prints "median M ms (min A, max B)" of the numbers on stdin, one a line.
summary() {
  sort -n | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %d ms (min %d, max %d, %d runs)\n", m, v[1], v[NR], NR }'
}

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

help_runs() {
  for ((i = 0; i < runs; i++)); do
    local start
    start=$(date +%s%N)
    "$@" --help >/dev/null
    ms_since "$start"
  done
}

broker_runs() {
  for ((i = 0; i < runs; i++)); do
    : >"$log"
    local start pid deadline
    start=$(date +%s%N)
    "$@" broker --bind mqtt://127.0.0.1:0 2>"$log" &
    pid=$!
    deadline=$((SECONDS + 30))
    until grep -q listening "$log"; do
      kill -0 "$pid" 2>/dev/null || { echo "the broker exited: $(cat "$log")" >&2; exit 1; }
      ((SECONDS < deadline)) || { echo "no 'listening' within 30 s" >&2; kill "$pid"; exit 1; }
      sleep 0.005
    done
    ms_since "$start"
    kill "$pid"
    wait "$pid" || true
  done
}

echo "--help:               $(help_runs "$@" | summary)"
echo "broker to listening:  $(broker_runs "$@" | summary)"
