#!/usr/bin/env bash
# The page-cache benchmark (see CacheBench's javadoc and BENCHMARKS.md 13): server a overloaded with pages of which
# half are cache hits, with a's pageCacheKb=1024 beside pageCacheKb=0, rows alternated; b and c are idle peers.
# Starts the servers and the manager as child JVMs on loopback ports and stops them at the end.
# Full run (two loads): about 6 minutes.
# Usage: benchmarks/cache-bench.sh [--smoke] [--loads 130,260] [--seconds 60] [--workers 10] [--warmup 5]
#        [--rounds 1] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl benchmarks -am clean package -DskipTests
exec java -Xmx512m ${JAVA_OPTS:-} -Ddemo.home=samples/demo/target -Dbench.command="benchmarks/cache-bench.sh $*" \
  -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.cache.CacheBench "$@"
