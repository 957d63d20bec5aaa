#!/usr/bin/env bash
# Prints the path of jemalloc's shared library (Debian package libjemalloc2, installed by
# install-deps.sh) for LD_PRELOAD, or exits 1 when it is not installed. The services run on it:
# it took ~7 % off their CPU per event (docs/BENCHMARKS.md, ninth pass); a service logs which
# allocator it found in its "starting" line.
set -euo pipefail
for dir in "/usr/lib/$(uname -m)-linux-gnu" /usr/lib64 /usr/lib /usr/local/lib; do
  if [ -e "$dir/libjemalloc.so.2" ]; then
    echo "$dir/libjemalloc.so.2"
    exit 0
  fi
done
path=$( (ldconfig -p 2>/dev/null || true) | awk '/libjemalloc\.so\.2 /{print $NF; exit}')
if [ -n "$path" ]; then
  echo "$path"
  exit 0
fi
exit 1
