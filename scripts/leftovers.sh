#!/usr/bin/env bash
# List processes still running coldbench's built binaries (the RIE, the
# function's bootstrap, the server) from this checkout's bin/ folder;
# with --kill, kill them. coldbench stops everything it starts, also on
# Ctrl-C; this is for after a kill -9 of coldbench itself.
set -euo pipefail
bin="$(cd "$(dirname "$0")/.." && pwd)/bin"
found=0
for exe in /proc/[0-9]*/exe; do
  target=$(readlink "$exe" 2>/dev/null) || continue
  case "$target" in
    "$bin"/*)
      pid=${exe#/proc/}; pid=${pid%/exe}
      echo "$pid $target"
      found=1
      if [ "${1:-}" = "--kill" ]; then kill -9 "$pid" 2>/dev/null || true; fi
      ;;
  esac
done
[ "$found" = 0 ] && echo "no coldbench process running from $bin"
exit 0
