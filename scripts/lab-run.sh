#!/usr/bin/env bash
# Drives a running `gantry lab serve` through its API: starts over with SETTINGS (the page's JSON,
# e.g. '{"mixture": "grid25", "loss": "hinge"}'), takes STEPS steps in chunks of 100 and prints the
# step, modes captured and % high quality every EVERY steps, then leaves the run paused there (so the
# page, or scripts/lab-screenshot.sh, shows that frame). The numbers of docs/lab.md came from it.
#   scripts/lab-run.sh [--port P] SETTINGS STEPS [EVERY]
set -euo pipefail
port=7070
if [ "${1:-}" = "--port" ]; then port="$2"; shift 2; fi
settings="${1:?usage: scripts/lab-run.sh [--port P] SETTINGS_JSON STEPS [EVERY]}"
steps="${2:?usage: scripts/lab-run.sh [--port P] SETTINGS_JSON STEPS [EVERY]}"
every="${3:-500}"
url="http://127.0.0.1:$port"
post() {   # POST JSON; a refusal (400, 403) is printed with the server's reason and exits 2
  local r code
  r="$(curl -sS -X POST -H 'Content-Type: application/json' -d "$2" -w '\n%{http_code}' "$url$1")"
  code="${r##*$'\n'}"
  if [ "$code" != 200 ]; then echo "lab-run: $1: ${r%$'\n'*}" >&2; exit 2; fi
}
field() { python3 -c 'import json, sys; s = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
snapshot() { curl -sS "$url/api/snapshot"; }
for _ in $(seq 1 60); do   # a server just started may need a moment
  curl -sf -o /dev/null "$url/api/snapshot" && break
  sleep 1
done
post /api/reset "$settings"
wait_step() {   # until the snapshot is at step $1 and paused
  while :; do
    s="$(snapshot)"
    if [ "$(printf '%s' "$s" | field "s.get('step', -1) == $1 and s['state'] != 'playing'")" = True ]; then
      printf '%s' "$s"; return
    fi
    sleep 0.2
  done
}
start=$(date +%s)
s="$(wait_step 0)"
printf 'step\tmodes\thigh_quality\tseconds\n'
done_steps=0
while [ "$done_steps" -lt "$steps" ]; do
  n=$(( steps - done_steps < 100 ? steps - done_steps : 100 ))
  post /api/step "{\"steps\": $n}"
  done_steps=$(( done_steps + n ))
  s="$(wait_step "$done_steps")"
  if [ $(( done_steps % every )) -eq 0 ] || [ "$done_steps" -eq "$steps" ]; then
    printf '%s\t%s\t%s\t%s\n' "$done_steps" \
      "$(printf '%s' "$s" | field "'%d/%d' % (s['modes']['captured'], s['modes']['of']) if 'modes' in s else 'none'")" \
      "$(printf '%s' "$s" | field "'%.1f%%' % (100 * s['modes']['high_quality']) if 'modes' in s else '-'")" \
      "$(( $(date +%s) - start ))"
  fi
done
printf '%s' "$s" | field "'alarms: ' + ('; '.join('%s at step %d' % (a['name'], a['step']) for a in s['alarms']) or 'none')"
