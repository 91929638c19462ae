#!/bin/bash
# Session 12 gate A/B: one jar (wt-gate a572e7f), admissionGate=off vs on, interleaved.
cd /work/wt-gate
while [ "$(date -u +%H%M)" -lt 1115 ]; do sleep 10; done
run() {
  local out=$1; shift
  local cmd="java -Xmx512m -Ddemo.home=/tmp/gate/X/demo -cp /tmp/gate/X/bench.jar dev.spillway.bench.hotspot.HotspotBench $* --variants 'admissionGate=off;admissionGate=on' --out $out"
  echo "$(date -u +%T) waiting for lock: $out" >> /tmp/gate/run.log
  flock /tmp/spillway-bench.lock bash -c "echo \"\$(date -u +%T) start $out load \$(cut -d' ' -f1-3 /proc/loadavg)\" >> /tmp/gate/run.log; java -Xmx512m -Ddemo.home=/tmp/gate/X/demo -Dbench.command=\"$cmd\" -cp /tmp/gate/X/bench.jar dev.spillway.bench.hotspot.HotspotBench $(printf '%q ' "$@") --variants 'admissionGate=off;admissionGate=on' --out $out > $out.stdout 2>&1; echo \"\$(date -u +%T) end $out rc=\$? load \$(cut -d' ' -f1-3 /proc/loadavg)\" >> /tmp/gate/run.log"
}
run /tmp/gate/out1 --custom 'servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four' --rows b,d --rounds 2
run /tmp/gate/out2 --shape 1 --rows b,d --rounds 2
run /tmp/gate/out3 --shape 5 --rows a,b --rounds 2
# then, with the same run() after it ended (11:24 and 11:28):
# run /tmp/gate/out4 --custom 'servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four' --rows b,d --rounds 2
# run /tmp/gate/out5 --shape 5 --rows a,b --rounds 1
# summ.py: the rows of hotspot.csv in one line each; req.txt: the lead's first-seconds script on each *-requests.csv
