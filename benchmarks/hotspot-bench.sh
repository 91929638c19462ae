#!/usr/bin/env bash
# Scenario 3 of issue 7, the hotspot: three servers, a with half the capacity of b and c, open-loop load at a fixed
# rate; (a) no offloading, (b) Spillway redirect, (c) Spillway proxy, (d) HAProxy leastconn, (e) HAProxy roundrobin.
# Prints a table and writes hotspot.txt/.md/.csv and two PNGs into benchmarks/results/hotspot/ (--out DIR).
# Usage: benchmarks/hotspot-bench.sh [--measure 60] [--warmup 10] [--rate 300] [--rows a,b,c,d,e] [--smoke] ...
#        benchmarks/hotspot-bench.sh --help
# Rows d and e need HAProxy (Debian: apt-get install -y haproxy); without it they are skipped with a note.
# About 7 minutes with the defaults. Every process it starts (servers, manager, HAProxy) is stopped at the end.
# Do not rebuild while it runs: the servers run from benchmarks/target/spillway-benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
command="benchmarks/hotspot-bench.sh"
[ $# -eq 0 ] || command+="$(printf ' %q' "$@")"
exec java -Xmx512m ${JAVA_OPTS:-} -Ddemo.home=samples/demo/target -Dbench.command="$command" \
  -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.hotspot.HotspotBench "$@"
