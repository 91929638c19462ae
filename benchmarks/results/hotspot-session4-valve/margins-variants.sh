#!/bin/bash
# A = main (margin 0.95), C = this branch (0.95, 0.8 for a second after an own throttled period), D = margin 0.8 fixed
cd /work/wt-valve
OUT=benchmarks/results/hotspot-session4-valve
SHAPE=${SHAPE:-4}
ROWS=${ROWS:-b,d}
for r in 1 2; do
  for v in A C D; do
    echo "== round $r variant $v $(date -u +%T) $(uptime)"
    java -Xmx512m -Ddemo.home=/tmp/valve-$v -Dbench.command="hotspot-bench.sh --shape $SHAPE --rows $ROWS (variant $v, round $r)" \
      -cp /tmp/valve-$v/spillway-benchmarks.jar dev.spillway.bench.hotspot.HotspotBench \
      --shape $SHAPE --rows $ROWS --rounds 1 --out $OUT/margins-shape$SHAPE-$v-r$r 2>&1 | grep -E "p50|capacity:|Written|Exception|error"
  done
done
echo "== end $(date -u +%T) $(uptime)"
