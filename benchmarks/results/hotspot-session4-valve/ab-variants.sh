#!/bin/bash
# A = window margin 0.95 only (session 3), B = throttled margin 0.8 for 1 s after a throttled period
cd /work/wt-valve
OUT=benchmarks/results/hotspot-session4-valve
SHAPE=${SHAPE:-4}
ROWS=${ROWS:-b,d}
for r in 1 2; do
  for v in A B; do
    echo "== round $r variant $v $(date -u +%T) $(uptime)"
    java -Xmx512m -Ddemo.home=/tmp/valve-$v -Dbench.command="hotspot-bench.sh --shape $SHAPE --rows $ROWS (variant $v, round $r)" \
      -cp /tmp/valve-$v/spillway-benchmarks.jar dev.spillway.bench.hotspot.HotspotBench \
      --shape $SHAPE --rows $ROWS --rounds 1 --out $OUT/ab-shape$SHAPE-$v-r$r 2>&1 | grep -E "p50|capacity:|Written|Exception|error"
  done
done
echo "== end $(date -u +%T) $(uptime)"
