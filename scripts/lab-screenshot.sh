#!/usr/bin/env bash
# A screenshot of the live lab's page as it stands (Debian's chromium, headless; the flags keep it
# off the network, where it would otherwise hang on a closed one). The pictures of docs/lab/.
#   scripts/lab-screenshot.sh [--port P] OUT.png
set -euo pipefail
port=7070
if [ "${1:-}" = "--port" ]; then port="$2"; shift 2; fi
out="${1:?usage: scripts/lab-screenshot.sh [--port P] OUT.png}"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=1240,860 --hide-scrollbars --virtual-time-budget=3000 \
  --screenshot="$(realpath -m "$out")" "http://127.0.0.1:$port/" 2>/dev/null
echo "wrote $out"
