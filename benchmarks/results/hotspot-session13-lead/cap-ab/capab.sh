#!/bin/sh
# Redirect rows before (MAIN, b1bdd63) and after (NEW, cfbb48e) the floors cap, alternated: two hot of four and shape 2.
cd /work/main
TWO='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
for i in 1 2; do
  for S in two 2; do
    for J in MAIN NEW; do
      if [ $S = two ]; then A="--custom"; B="$TWO"; else A="--shape"; B="2"; fi
      echo "== $S $J run $i $(date -u +%H:%M:%S) $(uptime)"
      flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/lead13/$J/demo \
        -Dbench.command="HotspotBench $A '$B' --rows b,d (jar $J)" -cp /tmp/lead13/$J/bench.jar \
        dev.spillway.bench.hotspot.HotspotBench $A "$B" --rows b,d --out /tmp/lead13/cap-$S-$J-$i > /tmp/lead13/cap-$S-$J-$i.txt 2>&1
      grep "^| [26] " /tmp/lead13/cap-$S-$J-$i/hotspot.md
    done
  done
done
echo "== end $(date -u +%H:%M:%S) $(uptime)"
