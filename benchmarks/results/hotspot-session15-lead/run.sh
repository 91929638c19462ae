#!/bin/bash
# MAIN (6c1d6a4) vs NEW (merged main: backlog drain + kept permit), alternated; rows b,d; 1 round each
cd /work/main
TWO='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
FIVE='servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five servers'
for pair in 1 2; do
 for J in MAIN NEW; do
  case $J in MAIN) D=/tmp/backlog/MAIN;; NEW) D=/tmp/s15/NEW;; esac
  flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) $J $pair start: \$(uptime)\"; java -Xmx512m -Ddemo.home=$D/demo -Dbench.command='HotspotBench --shape 3 --custom TWO --custom FIVE --rows b,d --rounds 1 ($J)' -cp $D/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 3 --custom '$TWO' --custom '$FIVE' --rows b,d --rounds 1 --out /tmp/s15/ab/$J-$pair > /tmp/s15/ab/$J-$pair.log 2>&1; java -Xmx512m -Ddemo.home=$D/demo -Dbench.command='HotspotBench --shape 3 --stall 9.2:1500 --rows b,d --rounds 1 ($J)' -cp $D/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 3 --stall 9.2:1500 --rows b,d --rounds 1 --out /tmp/s15/ab/stall-$J-$pair > /tmp/s15/ab/stall-$J-$pair.log 2>&1; echo \"\$(date -u +%T) $J $pair done: \$(uptime)\""
 done
done
