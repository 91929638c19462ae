#!/bin/bash
# warm rows (default 30 s warm-up), two builds alternated: B = CPU_CEILING 0.9 (HEAD), C = CPU_CEILING 1.0
cd /work/wt-cold
for round in 1 2; do
  for v in B C; do
    echo "== $v round $round $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx512m -Ddemo.home=/tmp/cold-home-$v \
      -Dbench.command="benchmarks/hotspot-bench.sh --shape 4 --rows b (build $v, round $round)" \
      -cp /tmp/cold-bench-$v.jar dev.spillway.bench.hotspot.HotspotBench --shape 4 --rows b \
      --out /tmp/cold-ceil/$v-r$round 2>&1 | grep -E "capacity:|\(b\).*p50"
  done
done
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
