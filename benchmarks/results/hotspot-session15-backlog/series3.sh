#!/bin/bash
while kill -0 3478 2>/dev/null; do sleep 3; done
/tmp/backlog/extra.sh MAIN 3
for step in "MAIN 1" "NEW 1" "MAIN 2" "NEW 2"; do
  set -- $step; X=$1; N=$2
  flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) $X $N stall3 start: \$(uptime)\"; java -Xmx512m -Ddemo.home=/tmp/backlog/$X/demo -Dbench.command='HotspotBench --shape 3 --stall 9.2:1500 --rows b,d --rounds 1 ($X $N)' -cp /tmp/backlog/$X/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 3 --stall 9.2:1500 --rows b,d --rounds 1 --out /tmp/backlog/out-stall3-$X-$N > /tmp/backlog/logs/stall3-$X-$N.log 2>&1; echo \"\$(date -u +%T) $X $N stall3 done rc=\$?: \$(uptime)\"" >> /tmp/backlog/logs/series.log
done
for step in "MAIN 4" "NEW 4"; do set -- $step; /tmp/backlog/run.sh $1 $2; echo "$(date -u +%T) $1 $2 main done" >> /tmp/backlog/logs/series.log; done
