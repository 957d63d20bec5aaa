#!/usr/bin/env bash
# client-cpu.sh - CPU per message of each client (perf stat task-clock of the whole client
# process, connect included), back to back against one local server, for one workload.
#
#   bench/client-cpu.sh js_pull_ack 200000 3        # WORKLOAD N ROUNDS
#   CLIENTS="go swift" bench/client-cpu.sh core_pub 1000000 3
#
# Uses the peer binaries that bench/run-peers.sh builds (/tmp/peerbench/build/natsbench-{c,go};
# run it once first), `fleet` in release (FLEET_BIN, else built here) and perf (apt-get install
# linux-perf). Starts its own nats-server on PORT (4336) with the harness's start-nats.sh, prepares
# the stream BENCH as run-all.sh does before every run, and stops the server on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${PEERS_DIR:-$root/../shared/bench-peers}
build=${PEERBENCH_BUILD:-/tmp/peerbench/build}
workload=${1:?usage: client-cpu.sh WORKLOAD N ROUNDS}
n=${2:?usage: client-cpu.sh WORKLOAD N ROUNDS}
rounds=${3:-3}
port=${PORT:-4336}
url=nats://127.0.0.1:$port
admin=$build/natsbench-c
[[ -x $admin ]] || { echo "client-cpu.sh: no $admin (run bench/run-peers.sh once)" >&2; exit 2; }
command -v perf >/dev/null || { echo "client-cpu.sh: perf not found (apt-get install linux-perf)" >&2; exit 2; }
fleet=${FLEET_BIN:-}
if [[ -z $fleet ]]; then
  (cd "$root" && swift build -c release --product fleet >&2)
  fleet=$(cd "$root" && swift build -c release --show-bin-path)/fleet
fi
server=$("$peers/start-nats.sh" start "$port")
trap '"$peers/start-nats.sh" stop "$server" >/dev/null' EXIT

for ((round = 1; round <= rounds; round++)); do
  for client in ${CLIENTS:-c go swift}; do
    case $workload in
      core_*) "$admin" "$url" admin delete-stream >/dev/null 2>&1 || true ;;
      js_pub_*) "$admin" "$url" admin reset-stream limits >/dev/null 2>&1 ;;
      js_pull_ack) "$admin" "$url" admin reset-stream workqueue >/dev/null 2>&1
        "$admin" "$url" admin preload "$n" >/dev/null 2>&1 ;;
    esac
    if [[ $client == swift ]]; then
      cmd=("$fleet" bench "$workload" --server "$url" --n "$n")
    else
      cmd=("$build/natsbench-$client" "$url" "$workload" "$n")
    fi
    out=$(perf stat -x, -e task-clock "${cmd[@]}" 2>&1)
    rate=$(grep -o 'msgs_per_s=[0-9]*' <<<"$out" | cut -d= -f2)
    ms=$(grep task-clock <<<"$out" | cut -d, -f1)
    awk -v c="$client" -v w="$workload" -v r="${rate:-0}" -v ms="${ms:-0}" -v n="$n" \
      'BEGIN { printf "%-6s %-12s %9d msgs/s  cpu %8.1f ms  %9.0f ns/msg\n", c, w, r, ms, ms * 1e6 / n }'
  done
done
