#!/bin/sh
cd /work/main
SHAPE='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
for i in 1 2; do
  for v in A B; do
    if [ $v = A ]; then extra=--no-client-warmup-row; else extra=; fi
    echo "== $v$i start $(date +%T) $(uptime)"
    flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/lead/X/demo -Dbench.command="HotspotBench --custom two-hot --rows b,d --rounds 1 $extra" -cp /tmp/lead/X/bench.jar dev.spillway.bench.hotspot.HotspotBench --custom "$SHAPE" --rows b,d --rounds 1 $extra --out /tmp/lead/out-$v$i > /tmp/lead/log-$v$i.txt 2>&1
    echo "== $v$i end $(date +%T) $(uptime)"
    grep -E "p50 .*p99|not counted|p99 per server" /tmp/lead/log-$v$i.txt
  done
done
