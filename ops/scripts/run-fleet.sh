#!/usr/bin/env bash
# README command 1: the whole fleet on this machine, bounded in time.
#   installs what is missing, builds in release, starts a local nats-server with JetStream,
#   applies streams/, starts the four consumer services, runs `fleet loadgen`, waits until the
#   work streams are drained, prints a per-service summary and stops everything cleanly.
# Knobs: DURATION (s, default 20), RATE (events/s, default 1000), SEED (42), KEEP_RUNNING=1 leaves
# everything up until Ctrl-C, FLEET_ALLOCATOR=libc runs the services without jemalloc. Output (logs, ledgers, metrics, loadgen summary) in run/<timestamp>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DURATION=${DURATION:-20}
RATE=${RATE:-1000}
SEED=${SEED:-42}
SERVICES=(charge-capture care-transitions lead-reconciliation gr-incidents)

log() { printf '[run-fleet %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

ops/scripts/install-deps.sh
log "building in release (first build takes a few minutes)"
swift build -c release 2>&1 | grep -E "error|warning: |Compiling|Build complete" | grep -vE "^\[" | tail -3 || true
BIN=$(swift build -c release --show-bin-path)
for exe in fleet "${SERVICES[@]}"; do
  [ -x "$BIN/$exe" ] || { log "missing $BIN/$exe: the release build failed"; exit 1; }
done

RUN="$ROOT/run/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN"
PORT=$(free_port)
URL="nats://127.0.0.1:$PORT"
NATS_BIN=$(ops/scripts/nats-server-path.sh)
"$NATS_BIN" -a 127.0.0.1 -p "$PORT" -js -sd "$RUN/nats-store" -l "$RUN/nats-server.log" &
NATS_PID=$!
declare -A SVC_PID SVC_HTTP
cleanup() {
  trap - EXIT INT TERM
  for svc in "${!SVC_PID[@]}"; do kill -TERM "${SVC_PID[$svc]}" 2>/dev/null || true; done
  for svc in "${!SVC_PID[@]}"; do
    if wait "${SVC_PID[$svc]}" 2>/dev/null; then log "$svc stopped (exit 0)"; else log "$svc stopped (exit $?)"; fi
  done
  kill -TERM "$NATS_PID" 2>/dev/null || true
  wait "$NATS_PID" 2>/dev/null || true
  log "nats-server stopped; everything is in $RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for i in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
  kill -0 "$NATS_PID" 2>/dev/null || { log "nats-server exited: see $RUN/nats-server.log"; exit 1; }
  sleep 0.1
done
log "nats-server $("$NATS_BIN" --version) on $URL (store $RUN/nats-store)"

log "applying streams/"
"$BIN/fleet" streams apply --server "$URL" --dir streams

TENANTS=$("$BIN/fleet" loadgen --seed "$SEED" --list-organizations)
# The services run on jemalloc, as in the Docker image (ops/scripts/jemalloc-path.sh says why).
PRELOAD=""
if [ "${FLEET_ALLOCATOR:-jemalloc}" != libc ]; then
  PRELOAD=$(ops/scripts/jemalloc-path.sh) || { log "libjemalloc2 missing (install-deps.sh installs it)"; exit 1; }
fi
log "services' allocator: ${PRELOAD:-libc malloc}"
for svc in "${SERVICES[@]}"; do
  SVC_HTTP[$svc]=$(free_port)
  config=()
  [ -f "ops/config/$svc.json" ] && config=(CONFIG_FILE="ops/config/$svc.json")
  env NATS_URL="$URL" LEDGER_PATH="$RUN/$svc.sqlite" TENANTS="$TENANTS" HTTP_PORT="${SVC_HTTP[$svc]}" \
    LOG_FORMAT=json LOG_LEVEL=info LD_PRELOAD="$PRELOAD" "${config[@]}" "$BIN/$svc" > "$RUN/$svc.log" 2>&1 &
  SVC_PID[$svc]=$!
done
for svc in "${SERVICES[@]}"; do
  for i in $(seq 1 300); do
    curl -fsS -m 1 "http://127.0.0.1:${SVC_HTTP[$svc]}/readyz" >/dev/null 2>&1 && break
    kill -0 "${SVC_PID[$svc]}" 2>/dev/null || { log "$svc exited: see $RUN/$svc.log"; exit 1; }
    sleep 0.1
  done
  log "$svc ready (http://127.0.0.1:${SVC_HTTP[$svc]}/metrics, ledger $RUN/$svc.sqlite)"
done

log "loadgen: ${DURATION}s at ${RATE} events/s, seed $SEED, orgs $TENANTS"
"$BIN/fleet" loadgen --server "$URL" --seed "$SEED" --duration "$DURATION" --rate "$RATE" \
  --summary "$RUN/loadgen.json" 2> "$RUN/loadgen-progress.log"

log "waiting for the work streams to drain (retries take up to 7 s)"
pending() {
  local total=0 n
  for svc in "${SERVICES[@]}"; do
    stream="WQ_$(echo "$svc" | tr 'a-z-' 'A-Z_')"
    n=$("$BIN/fleet" stream info "$stream" --server "$URL" --json 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"]["messages"])' 2>/dev/null || echo 1)
    total=$((total + n))
  done
  echo "$total"
}
for i in $(seq 1 120); do
  left=$(pending)
  [ "$left" = 0 ] && break
  sleep 1
done
sleep 6  # let the gauges and notification relays catch up (metrics refresh every 5 s)
for svc in "${SERVICES[@]}"; do
  curl -fsS -m 2 "http://127.0.0.1:${SVC_HTTP[$svc]}/metrics" > "$RUN/$svc.metrics" || true
done

echo
echo "=== fleet summary (seed $SEED, ${DURATION}s at ${RATE}/s) ==="
python3 - "$RUN/loadgen.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
lat = s.get("pubAckLatency", {})
print(f"loadgen: {s['published']} events published ({s['duplicates']} deliberate duplicates, {s['invalid']} deliberately invalid), "
      f"{s['eventsPerSecond']:.0f}/s, PubAck p50 {lat.get('p50', 0)/1e3:.2f} ms, p99 {lat.get('p99', 0)/1e3:.2f} ms, errors {s['errors']}")
PY
args=()
for svc in "${SERVICES[@]}"; do args+=(--ledger "$svc=$RUN/$svc.sqlite" --metrics "$svc=$RUN/$svc.metrics"); done
"$BIN/fleet" summary "${args[@]}"
for stream in DLQ NOTIFICATIONS; do
  n=$("$BIN/fleet" stream info "$stream" --server "$URL" --json 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"]["messages"])' 2>/dev/null || echo "?")
  echo "$stream stream: $n messages"
done
echo

if [ "${KEEP_RUNNING:-0}" = 1 ]; then
  log "KEEP_RUNNING=1: everything stays up on $URL; Ctrl-C stops it"
  while true; do sleep 3600; done
fi
