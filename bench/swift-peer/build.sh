#!/usr/bin/env bash
# Builds the Swift peer for bench-peers/run-all.sh: the `fleet` CLI in release mode.
#   CLIENTS="c go python /path/to/repo/bench/swift-peer" ./run-all.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
swift build -c release --product fleet >&2
echo "$(swift build -c release --show-bin-path)/fleet"
