#!/bin/bash
set -u
root=$1; shift
TWO='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
for round in 1 2 3; do
  for L in "$@"; do
    J=/tmp/s16/jars/$L; out=$root/$L-$round
    echo "$(date -u +%T) $L round $round load $(cut -d' ' -f1-3 /proc/loadavg)"
    cd /work/main && flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=$J/demo \
      -Dbench.command="HotspotBench --custom TWO --rows b,d --rounds 1 ($L)" \
      -cp $J/bench.jar dev.spillway.bench.hotspot.HotspotBench --custom "$TWO" --rows b,d --rounds 1 --out $out > $out.log 2>&1
  done
done
echo "$(date -u +%T) done"
