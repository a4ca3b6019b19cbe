#!/usr/bin/env bash
# Trains the loss family on PacGAN's 2D mixtures and tabulates mode coverage (protocols.md §4).
#
#   scripts/mode-coverage-table.sh OUT_DIR [EPOCHS] [SEEDS]
#
# For each mixture (ring8, grid25), each loss below and each seed 1..SEEDS (default 5), trains
# the toy preset (PacGAN's networks, 100,000 points, batch 100) for EPOCHS passes of the
# discriminator over the data (default 3; PacGAN trains 400) in OUT_DIR/<mixture>/<loss>/seed-N,
# and reads the mode coverage the run measured on 2,500 samples after its last epoch.
# An epoch is 1,000 discriminator minibatches, so with train.k = 5 (wgan-gp) G takes 200 steps an
# epoch where the other losses take 1,000; wgan-gp-k1 gives the critic loss as many G steps.
# A run that already reached EPOCHS is not trained again; one that stopped early is resumed.
# Prints a Markdown table of mean ± standard error over the seeds, and writes it to OUT_DIR/table.md.
# MIXTURES and LOSSES (space-separated) restrict the table, e.g. MIXTURES=ring8 LOSSES="vanilla hinge".
set -euo pipefail
out="${1:?usage: scripts/mode-coverage-table.sh OUT_DIR [EPOCHS] [SEEDS]}"
epochs="${2:-3}"
seeds="${3:-5}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gantry="${GANTRY:-$here/gantry}"  # GANTRY: another launcher, e.g. a frozen copy of the build
[[ "$epochs" =~ ^[1-9][0-9]*$ ]] || { echo "EPOCHS must be a positive integer, got '$epochs'" >&2; exit 2; }
[[ "$seeds" =~ ^[1-9][0-9]*$ ]] || { echo "SEEDS must be a positive integer, got '$seeds'" >&2; exit 2; }

all_losses="vanilla minimax wgan-gp wgan-gp-k1 hinge least-squares"
read -r -a losses <<< "${LOSSES:-$all_losses}"
read -r -a mixtures <<< "${MIXTURES:-ring8 grid25}"
for loss in "${losses[@]}"; do
  [[ " $all_losses " == *" $loss "* ]] || { echo "LOSSES: unknown loss '$loss' (expected some of: $all_losses)" >&2; exit 2; }
done
for mixture in "${mixtures[@]}"; do
  [[ "$mixture" == ring8 || "$mixture" == grid25 ]] || { echo "MIXTURES: unknown mixture '$mixture' (expected ring8 and/or grid25)" >&2; exit 2; }
done
settings() {
  case "$1" in
    vanilla) echo "--set loss.name=gan --set loss.generator=non-saturating" ;;
    minimax) echo "--set loss.name=gan --set loss.generator=minimax" ;;
    # Gulrajani et al. (2017): lambda 10, five critic steps per generator step, Adam (1e-4, 0.5, 0.9).
    wgan-gp) echo "--set loss.name=wasserstein --set loss.gp_weight=10 --set train.k=5 --set optim.beta1=0.5 --set optim.beta2=0.9" ;;
    # The same with one critic step per generator step: as many generator steps as the other losses.
    wgan-gp-k1) echo "--set loss.name=wasserstein --set loss.gp_weight=10 --set train.k=1 --set optim.beta1=0.5 --set optim.beta2=0.9" ;;
    hinge) echo "--set loss.name=hinge" ;;
    least-squares) echo "--set loss.name=least-squares" ;;
  esac
}

# The last mode-coverage line of a run, if it was measured at epoch $epochs: "modes hq kl".
# The KL is "nan" when no sample was high quality (the histogram is empty; the line has no KL).
final_line() {
  local metrics="$1/metrics.jsonl" line
  [ -f "$metrics" ] || return 0
  line=$(grep '"metric":"modes-' "$metrics" | grep "\"epoch\":$epochs[,}]" | tail -n 1)
  [ -n "$line" ] || return 0
  printf '%s %s %s\n' "$(field "$line" value)" "$(field "$line" high_quality)" \
    "$(field "$line" reverse_kl | grep . || echo nan)"
}

# A numeric field of a one-line JSON object.
field() { printf '%s' "$1" | grep -oE "\"$2\":[-0-9.eE+]+" | cut -d: -f2; }

for mixture in "${mixtures[@]}"; do
  for loss in "${losses[@]}"; do
    for seed in $(seq 1 "$seeds"); do
      run="$out/$mixture/$loss/seed-$seed"
      if [ -n "$(final_line "$run")" ]; then continue; fi
      echo "== $mixture $loss seed $seed ($epochs epochs)"
      if [ -f "$run/config.json" ]; then
        "$gantry" resume "$run" --epochs "$epochs" --quiet
      else
        # shellcheck disable=SC2046
        "$gantry" train --preset "toy-$mixture" --run-dir "$run" --seed "$seed" --epochs "$epochs" \
          $(settings "$loss") --quiet
      fi
    done
  done
done

{
  echo "| mixture | loss | modes captured | high-quality samples (%) | reverse KL | seeds |"
  echo "|---|---|---|---|---|---|"
  for mixture in "${mixtures[@]}"; do
    for loss in "${losses[@]}"; do
      for seed in $(seq 1 "$seeds"); do final_line "$out/$mixture/$loss/seed-$seed"; done |
        awk -v m="$mixture" -v l="$loss" '
          { n++
            for (i = 1; i <= 3; i++) {
              if ($i == "nan") continue
              x = (i == 2 ? 100 * $i : $i); c[i]++; s[i] += x; q[i] += x * x
            } }
          END {
            if (n == 0) { printf "| %s | %s | – | – | – | 0 |\n", m, l; exit }
            for (i = 1; i <= 3; i++) {
              if (c[i] == 0) { cell[i] = "–"; continue }
              mean = s[i] / c[i]
              var = c[i] > 1 ? (q[i] - c[i] * mean * mean) / (c[i] - 1) : 0
              se = sqrt(var > 0 ? var : 0) / sqrt(c[i])
              cell[i] = sprintf(i == 3 ? "%.2f ± %.2f" : "%.1f ± %.1f", mean, se)
              if (c[i] < n) cell[i] = cell[i] sprintf(" (the %d seeds with HQ samples)", c[i])
            }
            printf "| %s | %s | %s | %s | %s | %d |\n", m, l, cell[1], cell[2], cell[3], n
          }'
    done
  done
} | tee "$out/table.md.tmp"
mv "$out/table.md.tmp" "$out/table.md"
