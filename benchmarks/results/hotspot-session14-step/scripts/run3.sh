#!/bin/bash
# usage: run3.sh JAR TAG ; shape 3 and two hot of four, rows b,d
J=$1; T=$2
case $J in MAINLOG) DEMO=/tmp/s14/MAIN/demo;; *) DEMO=/tmp/step/$J/demo;; esac
cd /work/wt-step
TWO='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
echo "$(date -u +%T) $J $T: $(uptime)"
flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) lock: \$(uptime)\"; java -Xmx512m -Ddemo.home=$DEMO -Dbench.command='HotspotBench --shape 3 --custom TWO --rows b,d --rounds 1 ($J)' -cp /tmp/step/$J/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 3 --custom '$TWO' --rows b,d --rounds 1 --out /tmp/step/out3-$J-$T > /tmp/step/out3-$J-$T.log 2>&1; echo \"\$(date -u +%T) done: \$(uptime)\""
