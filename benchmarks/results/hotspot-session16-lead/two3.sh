#!/bin/bash
TWO='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
for round in 1 2; do for L in NEW2 NEW; do
  J=/tmp/s16/jars/$L; out=/tmp/s16/ab/two3/$L-$round
  echo "$(date -u +%T) $L round $round load $(cut -d' ' -f1-3 /proc/loadavg)"
  cd /work/main && flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=$J/demo -Dbench.command="HotspotBench --custom TWO --rows b --rounds 1 ($L)" -cp $J/bench.jar dev.spillway.bench.hotspot.HotspotBench --custom "$TWO" --rows b --rounds 1 --out $out > $out.log 2>&1
done; done; echo "$(date -u +%T) done"
