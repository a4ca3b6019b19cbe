#!/usr/bin/env bash
# Builds Gantry's native kernels (docs/performance.md) into OUT/native/linux-x86_64/ when gcc and a
# JDK's jni.h are here; without them it says so and exits 0: the step then runs as train.backward = hand.
set -uo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/gantry_kernels.c"
out="${1:?usage: build.sh OUTPUT_DIR}/native/linux-x86_64"
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "gantry native kernels: not built ($(uname -s)-$(uname -m); only Linux x86_64 is supported)" >&2
  exit 0
fi
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "gantry native kernels: not built (no $cc on PATH); train.backward = native falls back to hand" >&2
  exit 0
fi
jhome="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
if [ ! -f "$jhome/include/jni.h" ]; then
  echo "gantry native kernels: not built (no jni.h under $jhome/include)" >&2
  exit 0
fi
mkdir -p "$out"
# -ffp-contract=off: no FMA contraction, so each expression rounds as the engine's separate passes do.
# -fno-math-errno: sqrtf without the errno check, so loops over it vectorise (the results are the same).
if ! "$cc" -O3 -ffp-contract=off -fno-fast-math -fno-math-errno -fPIC -shared -Wall -Wextra -Werror \
    -I"$jhome/include" -I"$jhome/include/linux" -o "$out/libgantrykernels.so.tmp" "$src" -ldl; then
  echo "gantry native kernels: $cc failed; train.backward = native falls back to hand" >&2
  rm -f "$out/libgantrykernels.so.tmp"
  exit 0
fi
mv "$out/libgantrykernels.so.tmp" "$out/libgantrykernels.so"
