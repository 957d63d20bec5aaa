#!/usr/bin/env bash
# The one test command (README): installs what is missing, builds with warnings as errors
# (set in Package.swift), and runs every test target. Integration tests start their own
# nats-server on free loopback ports with their own store directories.
set -euo pipefail
cd "$(dirname "$0")/../.."
ops/scripts/install-deps.sh
export NATS_SERVER="$(ops/scripts/nats-server-path.sh)" NATS_SERVER_BIN="$(ops/scripts/nats-server-path.sh)"
swift build --build-tests
swift test --skip-build "$@"
