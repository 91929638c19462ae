#!/bin/bash
# usage: run2.sh JAR TAG ; two hot of four and five servers, rows b,d
J=$1; T=$2; DEMO=/tmp/step/$J/demo
cd /work/wt-step
TWO='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
FIVE='servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five servers'
echo "$(date -u +%T) $J $T: $(uptime)"
flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) lock: \$(uptime)\"; java -Xmx512m -Ddemo.home=$DEMO -Dbench.command='HotspotBench --custom TWO --custom FIVE --rows b,d --rounds 1 ($J)' -cp /tmp/step/$J/bench.jar dev.spillway.bench.hotspot.HotspotBench --custom '$TWO' --custom '$FIVE' --rows b,d --rounds 1 --out /tmp/step/out2-$J-$T > /tmp/step/out2-$J-$T.log 2>&1; echo \"\$(date -u +%T) done: \$(uptime)\""
