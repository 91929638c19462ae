#!/usr/bin/env bash
# Pass-through cost of the filter with no directive: hello page with and without OffloadFilter, A/B alternated.
# Usage: benchmarks/passthrough-bench.sh [seconds=5] [connections=32] [wrk-threads=1] [rounds=5]
# Needs wrk (Debian: apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
exec java -Xms256m -Xmx256m ${JAVA_OPTS:-} -cp benchmarks/target/spillway-benchmarks.jar \
  dev.spillway.bench.passthrough.PassThroughBench "$@"
