#!/bin/bash
# third rounds of shapes 2 and 5 if time allows (before 08:20)
while kill -0 $(cat /tmp/allshapes/round3.pid) 2>/dev/null; do sleep 5; done
cd /work/wt-allshapes
J=/tmp/allshapes/X/bench.jar; D=/tmp/allshapes/X/demo
run() {
  local name=$1; shift
  if [ "$(date -u +%H%M)" -ge 0820 ]; then echo "skip $name (08:20)"; return; fi
  local cmd="HotspotBench $* --out /tmp/allshapes/out-$name"
  flock /tmp/spillway-bench.lock bash -c '
    echo "== '"$name"' start $(date -u +%T) $(uptime)"
    java -Xmx512m -Ddemo.home='"$D"' -Dbench.command="$0" -cp '"$J"' dev.spillway.bench.hotspot.HotspotBench "$@" --out /tmp/allshapes/out-'"$name"' > /tmp/allshapes/log-'"$name"'.txt 2>&1
    echo "== '"$name"' end rc=$? $(date -u +%T) $(uptime)"
  ' "$cmd" "$@"
  sleep 5
}
run s2-r3 --shape 2 --rows b,d --rounds 1
run s5-r3 --shape 5 --rows a,b --rounds 1
echo ALLDONE $(date -u +%T)
