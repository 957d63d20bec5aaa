#!/usr/bin/env bash
# run-fleet-benchmark.sh - the charge-capture benchmark (docs/BENCHMARKS.md) against a
# throw-away local nats-server on 127.0.0.1 (started here, stopped on exit).
#
#   bench/run-fleet-benchmark.sh [extra fleet-benchmark flags]
#
# Builds `fleet` in release mode and runs `fleet benchmark` (FleetPerf.FleetBenchmark).
# Env: PORT (4334), FLEET_BIN (a prebuilt fleet binary), NATS_SERVER (the nats-server binary),
# FLEET_ALLOCATOR=libc to measure without jemalloc (by default the benchmark preloads it, as the
# services are deployed; the report names the allocator it ran on).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
port=${PORT:-4334}
bin=${FLEET_BIN:-}
if [[ -z $bin ]]; then
  (cd "$root" && swift build -c release --product fleet >&2)
  bin=$(cd "$root" && swift build -c release --show-bin-path)/fleet
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/fleet-benchmark.XXXXXX")
server_bin=${NATS_SERVER:-$(pyenv which nats-server 2>/dev/null || command -v nats-server)}
"$server_bin" -a 127.0.0.1 -p "$port" -js -sd "$dir/store" -l "$dir/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
preload=""
if [[ ${FLEET_ALLOCATOR:-jemalloc} != libc ]]; then
  preload=$("$root/ops/scripts/jemalloc-path.sh" 2>/dev/null) \
    || echo "run-fleet-benchmark.sh: libjemalloc2 not installed (ops/scripts/install-deps.sh); measuring on libc malloc" >&2
fi
LD_PRELOAD="$preload" "$bin" benchmark --server "nats://127.0.0.1:$port" --streams "$root/streams" --work-dir "$dir" \
  --server-pid "$server" "$@"
