#!/bin/bash
# usage: extra.sh X N  -> shape 1 and shape 5 --stall 0:2000, rows b,d, 1 round each
X=$1; N=$2
for S in 1 5; do
  EXTRA=""; [ $S = 5 ] && EXTRA="--stall 0:2000"
  flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) $X $N shape $S start: \$(uptime)\"; java -Xmx512m -Ddemo.home=/tmp/backlog/$X/demo -Dbench.command='HotspotBench --shape $S $EXTRA --rows b,d --rounds 1 ($X $N)' -cp /tmp/backlog/$X/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape $S $EXTRA --rows b,d --rounds 1 --out /tmp/backlog/out-s$S-$X-$N > /tmp/backlog/logs/s$S-$X-$N.log 2>&1; echo \"\$(date -u +%T) $X $N shape $S done rc=\$?: \$(uptime)\"" >> /tmp/backlog/logs/series.log
done
