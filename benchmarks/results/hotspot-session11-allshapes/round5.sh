#!/bin/bash
while kill -0 $(cat /tmp/allshapes/round4.pid) 2>/dev/null; do sleep 5; done
cd /work/wt-allshapes
if [ "$(date -u +%H%M)" -ge 0820 ]; then echo "skip five-r3 (08:20)"; exit; fi
flock /tmp/spillway-bench.lock bash -c '
  echo "== five-r3 start $(date -u +%T) $(uptime)"
  java -Xmx512m -Ddemo.home=/tmp/allshapes/X/demo -Dbench.command="HotspotBench --custom five-servers-a-at-200 --rows b,d" -cp /tmp/allshapes/X/bench.jar dev.spillway.bench.hotspot.HotspotBench --custom "servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five servers, a at 200%" --rows b,d --rounds 1 --out /tmp/allshapes/out-five-r3 > /tmp/allshapes/log-five-r3.txt 2>&1
  echo "== five-r3 end rc=$? $(date -u +%T) $(uptime)"'
