#!/usr/bin/env bash
# Proxy and redirect throughput, side by side in one run (see ProxyBench's javadoc).
# Usage: benchmarks/proxy-bench.sh [seconds=10] [connections=32] [wrk-threads=1] [rounds=2]
# Needs wrk (Debian: apt-get install -y wrk). Starts its servers on loopback ports and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
exec java -Xms512m -Xmx512m ${JAVA_OPTS:-} -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.proxy.ProxyBench "$@"
