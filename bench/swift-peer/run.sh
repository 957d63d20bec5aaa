#!/usr/bin/env bash
# run.sh URL WORKLOAD N -> one RESULT line (bench-peers harness contract).
# Uses the release `fleet` built by build.sh; FLEET_BIN overrides the binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${FLEET_BIN:-$root/.build/release/fleet}
if [[ ! -x $bin ]]; then "$here/build.sh" >/dev/null; fi
exec "$bin" bench "$2" --server "$1" --n "$3"
