#!/usr/bin/env bash
# gantry sweep: builds the optional Spark module (and the core its trials run) when it is missing
# or older than the sources, then runs it. Called by ./gantry for `gantry sweep ...`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mod="$here/sweep"
jar="$mod/target/gantry-sweep.jar"

needs_build() {
  [ -f "$jar" ] && [ -d "$mod/target/lib" ] && [ -f "$here/target/gantry.jar" ] || return 0
  [ -n "$(find "$mod/src/main" "$mod/pom.xml" "$mod/spark-java17.args" "$here/src/main" "$here/presets" "$here/pom.xml" \
          -newer "$jar" -print -quit 2>/dev/null)" ]
}

quiet_mvn() {
  # Maven 3.8 prints colour resets even in batch mode; strip them.
  mvn -q -B -DskipTests "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
  return "${PIPESTATUS[0]}"
}

if needs_build; then
  echo "gantry sweep: building Gantry and installing it in the local Maven repository (mvn install -DskipTests)..." >&2
  (cd "$here" && quiet_mvn install) >&2
  if [ -d "${HOME}/.m2/repository/org/apache/spark/spark-core_2.13" ]; then
    echo "gantry sweep: building the Spark module in sweep/..." >&2
  else
    echo "gantry sweep: building the Spark module in sweep/ (this first build downloads Apache Spark and its libraries, about 220 MB, from Maven Central)..." >&2
  fi
  (cd "$mod" && quiet_mvn package) >&2
  touch "$jar"   # the jar plugin leaves an unchanged jar alone; it is now newer than every source
  echo "gantry sweep: built $jar" >&2
fi

exec java @"$mod/spark-java17.args" ${GANTRY_SWEEP_JAVA_OPTS:--Xmx1g} \
  -Dgantry.home="$here" -Djava.awt.headless=true \
  -cp "$jar:$here/target/gantry.jar:$mod/target/lib/*" dev.gantry.sweep.SweepCommand "$@"
