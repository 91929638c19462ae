#!/usr/bin/env bash
# The hotspot benchmark of issue 11: the product at its DEFAULT settings (the shipped conf/manager.properties; the
# servers' filter/agent files hold only peers, hop secret, host id, address and ports), measured from the first
# second of the load, rows (a) no offloading, (b) Spillway redirect, (c) Spillway proxy, (d) HAProxy 2.6 leastconn,
# run one after the other in one run, on the shapes of issue 11 (--shape 1..5|all) or shapes of your own
# (--custom "servers=a:20,b:20; page-ms=100; load=a:130%,b:40%": 2-6 servers, workers, page time, load; see --help).
# Prints a table with the goals and whether each was met, and writes hotspot.txt/.md/.csv and a PNG per shape into
# benchmarks/results/hotspot/ (--out DIR).
# Usage: benchmarks/hotspot-bench.sh [--shape 1,5] [--seconds 20] [--rounds 1] [--rows a,b,c,d] [--smoke] ...
#        benchmarks/hotspot-bench.sh --help
# Row d needs HAProxy (Debian: apt-get install -y haproxy); shape 4 needs root and the cgroup-v1 cpu controller at
# /sys/fs/cgroup/cpu; without them they are skipped with a note. About 50 s per row (fresh processes, 5 s JIT
# warm-up (shape 4: 30 s, and its calibration 35 s), 20 s load, drain). Every process it starts (servers, manager, HAProxy) is stopped at the end.
# Do not rebuild while it runs: the servers run from benchmarks/target/spillway-benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
command="benchmarks/hotspot-bench.sh"
[ $# -eq 0 ] || command+="$(printf ' %q' "$@")"
exec java -Xmx512m ${JAVA_OPTS:-} -Ddemo.home=samples/demo/target -Dbench.command="$command" \
  -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.hotspot.HotspotBench "$@"
