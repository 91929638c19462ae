#!/usr/bin/env bash
# The spare-pool benchmark (see PoolBench's javadoc and BENCHMARKS.md): members a, b, c at 120% of their capacity
# with one warm spare d, then at 40%; time to allocate d and to its first moved request, p99 before and after, time
# to release d after the load falls; beside the same without a pool. Starts the servers and the manager as child
# JVMs on loopback ports and stops them at the end. Full run: about 6 minutes.
# Usage: benchmarks/pool-bench.sh [--smoke] [--overload 60] [--calm 150] [--workers 10] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl benchmarks -am clean package -DskipTests
exec java -Xmx512m ${JAVA_OPTS:-} -Ddemo.home=samples/demo/target -Dbench.command="benchmarks/pool-bench.sh $*" \
  -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.pool.PoolBench "$@"
