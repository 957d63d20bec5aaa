#!/usr/bin/env bash
# Prints the path of the real nats-server binary (the PATH entry may be a pyenv shim).
set -euo pipefail
if [ -n "${NATS_SERVER:-}" ] && [ -x "$NATS_SERVER" ]; then echo "$NATS_SERVER"; exit 0; fi
if command -v pyenv >/dev/null 2>&1 && p=$(pyenv which nats-server 2>/dev/null) && [ -x "$p" ]; then echo "$p"; exit 0; fi
for p in $(python3 -c 'import sysconfig;print(sysconfig.get_path("scripts"))' 2>/dev/null)/nats-server "$HOME/.local/bin/nats-server"; do
  [ -x "$p" ] && { echo "$p"; exit 0; }
done
p=$(command -v nats-server 2>/dev/null) && { echo "$p"; exit 0; }
exit 1
