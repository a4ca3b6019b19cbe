#!/usr/bin/env bash
# Chooses a run's checkpoint the way the paper's protocol allows, then scores it on MNIST test.
#
#   scripts/select-and-evaluate.sh RUN_DIR [average|last]
#
# 1. Every kept checkpoint (train.keep_every, plus the newest ones) is scored with the Parzen
#    protocol on validation images train[51000:60000] (sigma chosen on train[50000:51000]).
# 2. The checkpoint with the best validation score is scored on the 10,000 test images: the
#    number to put beside Table 1. Test images are used once, for the chosen checkpoint only.
# The generator scored is the second argument; without one, G's moving average when the run keeps
# one (train.g_average > 0 in its config.json), else the last G. Both steps score that generator.
# Every result is appended to RUN_DIR/metrics.jsonl; the report is rewritten at the end.
# A checkpoint already scored on validation (a parzen10k-valid line in metrics.jsonl, e.g. from a
# loop that scored checkpoints while the run trained) is not scored again.
set -euo pipefail
run="${1:?usage: scripts/select-and-evaluate.sh RUN_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gantry="${GANTRY:-$here/gantry}"  # GANTRY: another launcher, e.g. a frozen copy of the build
[ -f "$run/config.json" ] || { echo "$run is not a Gantry run directory: no config.json" >&2; exit 2; }
gen="${2:-}"
if [ -z "$gen" ]; then
  rate=$(sed -nE '/"g_average"/{s/.*"g_average" *: *([-0-9.eE+]+).*/\1/p;q}' "$run/config.json")
  if awk -v a="${rate:-0}" 'BEGIN { exit !(a > 0) }'; then gen=average; else gen=last; fi
fi
case "$gen" in
  average|last) ;;
  *) echo "generator: expected average or last, got '$gen'" >&2; exit 2 ;;
esac
if [ "$gen" = average ]; then echo "scoring G's moving average (--generator average)"; else echo "scoring the last G (--generator last)"; fi
err=$(mktemp)
trap 'rm -f "$err"' EXIT

best_step=""
best_value=""
for ckpt in "$run"/checkpoints/step-*.ckpt; do
  step=$((10#$(basename "$ckpt" .ckpt | sed 's/step-//')))
  # A record of the other generator is not this one's score (records before --generator existed
  # carry no "generator" and are of the last G).
  json=$(grep '"metric":"parzen10k-valid"' "$run/metrics.jsonl" 2>/dev/null | grep "\"step\":$step[,}]" \
    | { if [ "$gen" = average ]; then grep '"generator":"average"'; else grep -v '"generator":"average"'; fi; } | tail -n 1 || true)
  if [ -z "$json" ]; then
    if ! json=$("$gantry" eval parzen "$run" --checkpoint "$step" --split valid --generator "$gen" --json 2>"$err"); then
      # e.g. a checkpoint from before the run kept an average of G: it has no score of this generator
      printf 'step %8s  not scored: %s\n' "$step" "$(tail -n 1 "$err")"
      continue
    fi
    json=$(printf '%s\n' "$json" | tail -n 1)
  fi
  value=$(printf '%s' "$json" | sed -E 's/.*"value":([-0-9.eE+]+).*/\1/')
  epoch=$(printf '%s' "$json" | sed -E 's/.*"epoch":([0-9]+).*/\1/')
  printf 'epoch %4s  step %8s  Parzen valid %8.1f nats\n' "$epoch" "$step" "$value"
  if [ -z "$best_value" ] || awk -v a="$value" -v b="$best_value" 'BEGIN { exit !(a > b) }'; then
    best_value="$value"
    best_step="$step"
  fi
done
[ -n "$best_step" ] || { echo "$run: no checkpoint could be scored with --generator $gen" >&2; exit 2; }
echo "best on validation: step $best_step ($best_value nats); scoring it on test:"
"$gantry" eval parzen "$run" --checkpoint "$best_step" --split test --generator "$gen"
"$gantry" report "$run" >/dev/null
