#!/bin/sh
cd /work/main
SHAPE='servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five, a at 200%'
echo "== start $(date +%T) $(uptime)"
flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/lead/X/demo -Dbench.command="HotspotBench --custom five --rows a,b --rounds 2" -cp /tmp/lead/X/bench.jar dev.spillway.bench.hotspot.HotspotBench --custom "$SHAPE" --rows a,b --rounds 2 --out /tmp/lead/out-fiveab > /tmp/lead/log-fiveab.txt 2>&1
echo "== end $(date +%T) $(uptime)"
grep -E "p50 .*p99|not counted|p99 per server" /tmp/lead/log-fiveab.txt
