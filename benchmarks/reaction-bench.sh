#!/usr/bin/env bash
# Scenario 4, reaction (see ReactionBench's javadoc and BENCHMARKS.md): a's load steps 50% -> 150% -> 50% of its
# capacity; time to the first moved request, to a steady fraction, directive changes in steady overload, time to
# stop moving. Starts three servers and the manager as child JVMs on loopback ports and stops them at the end.
# Usage: benchmarks/reaction-bench.sh [--smoke] [--settings defaults,demo] [--hold 300] [--out DIR] ... (--help)
# Full run at the defaults: about 8 minutes per row. Writes report.txt, report.properties and per row
# timeline.csv, samples.csv, changes.csv, decisions.json, timeline.png into --out
# (default benchmarks/target/reaction-<date>-<time>).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
exec java -Xmx512m ${JAVA_OPTS:-} -Ddemo.home=samples/demo/target -Dbench.command="benchmarks/reaction-bench.sh $*" \
  -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.reaction.ReactionBench "$@"
