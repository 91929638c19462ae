#!/bin/sh
# Proxy rows of two hot of four: main before the stall merge (MAIN, b1bdd63) vs after (NEW, cfbb48e), alternated.
cd /work/main
SHAPE='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
for i in 1 2; do
  for J in MAIN NEW; do
    echo "== $J run $i $(date -u +%H:%M:%S) $(uptime)"
    flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/lead13/$J/demo \
      -Dbench.command="HotspotBench --custom '$SHAPE' --rows c,d (jar $J)" -cp /tmp/lead13/$J/bench.jar \
      dev.spillway.bench.hotspot.HotspotBench --custom "$SHAPE" --rows c,d --out /tmp/lead13/out-$J-$i > /tmp/lead13/log-$J-$i.txt 2>&1
    grep "^| 6 " /tmp/lead13/out-$J-$i/hotspot.md
  done
done
echo "== end $(date -u +%H:%M:%S) $(uptime)"
