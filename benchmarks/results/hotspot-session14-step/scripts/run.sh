#!/bin/bash
# usage: run.sh JAR(MAINLOG|NEW) TAG ; runs shapes 3,1,two hot,five (rows b,d) then shape 5 stall (rows a,b)
J=$1; T=$2
case $J in MAINLOG) DEMO=/tmp/s14/MAIN/demo;; NEW) DEMO=/tmp/step/NEW/demo;; esac
cd /work/wt-step
TWO='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
FIVE='servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five servers'
echo "$(date -u +%T) $J $T main: $(uptime)"
flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) lock: \$(uptime)\"; java -Xmx512m -Ddemo.home=$DEMO -Dbench.command='HotspotBench --shape 3,1 --custom TWO --custom FIVE --rows b,d --rounds 1 ($J)' -cp /tmp/step/$J/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 3,1 --custom '$TWO' --custom '$FIVE' --rows b,d --rounds 1 --out /tmp/step/out-$J-$T > /tmp/step/out-$J-$T.log 2>&1; echo \"\$(date -u +%T) done: \$(uptime)\""
echo "$(date -u +%T) $J $T stall: $(uptime)"
flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) lock: \$(uptime)\"; java -Xmx512m -Ddemo.home=$DEMO -Dbench.command='HotspotBench --shape 5 --rows a,b --stall 0:2000 ($J)' -cp /tmp/step/$J/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 5 --rows a,b --rounds 1 --stall 0:2000 --out /tmp/step/stall-$J-$T > /tmp/step/stall-$J-$T.log 2>&1; echo \"\$(date -u +%T) done: \$(uptime)\""
