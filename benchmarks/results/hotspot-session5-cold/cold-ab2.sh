#!/bin/bash
# one more cold pair, rows b only: A = without runtimeCpu, B = with
cd /work/wt-cold
for v in A B; do
  echo "== $v $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx512m -Ddemo.home=/tmp/cold-home-$v \
    -Dbench.command="benchmarks/hotspot-bench.sh --shape 4 --rows b --warmup 5 (build $v, pair 3)" \
    -cp /tmp/cold-bench-$v.jar dev.spillway.bench.hotspot.HotspotBench --shape 4 --rows b --warmup 5 \
    --out /tmp/cold-ab2/$v 2>&1 | grep -E "capacity:|\(b\).*p50"
done
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
