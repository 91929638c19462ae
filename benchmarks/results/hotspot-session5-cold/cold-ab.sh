#!/bin/bash
# cold rows, two builds alternated: A = bench changes only (main's agent/manager), B = + runtimeCpu in Capacity
cd /work/wt-cold
for round in 1 2; do
  for v in A B; do
    echo "== $v round $round $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xmx512m -Ddemo.home=/tmp/cold-home-$v \
      -Dbench.command="benchmarks/hotspot-bench.sh --shape 4 --rows b,d --warmup 5 (build $v, round $round)" \
      -cp /tmp/cold-bench-$v.jar dev.spillway.bench.hotspot.HotspotBench --shape 4 --rows b,d --warmup 5 \
      --out /tmp/cold-ab/$v-r$round 2>&1 | grep -E "capacity|p50|NOT|met" 
  done
done
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
