#!/bin/bash
# usage: run.sh JAR(A|B) TAG  -- runs long1s then shape 1, rows b,d, under the lock
J=$1; T=$2
cd /work/wt-unmet
SPEC='servers=a:50,b:50,c:50; page-ms=1000; load=a:126%,b:42%,c:42%; title=long1s'
echo "start $J $T $(date -u) $(uptime)"
flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/unmet/$J/demo -Dbench.command="HotspotBench --custom '$SPEC' --rows b,d ($J jar)" -cp /tmp/unmet/$J/bench.jar dev.spillway.bench.hotspot.HotspotBench --custom "$SPEC" --rows b,d --out /tmp/unmet/out/long1s-$T > /tmp/unmet/log-long1s-$T.txt 2>&1
echo "long1s done $(date -u) $(uptime)"
flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/unmet/$J/demo -Dbench.command="HotspotBench --shape 1 --rows b,d ($J jar)" -cp /tmp/unmet/$J/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 1 --rows b,d --out /tmp/unmet/out/s1-$T > /tmp/unmet/log-s1-$T.txt 2>&1
echo "s1 done $(date -u) $(uptime)"
