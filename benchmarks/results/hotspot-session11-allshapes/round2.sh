#!/bin/bash
# second rounds, after runall.sh; each its own locked run
while kill -0 $(cat /tmp/allshapes/runall.pid) 2>/dev/null; do sleep 5; done
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
run u50b --custom 'servers=a:50,b:50,c:50; page-ms=250; load=a:140%,b:30%,c:30%; title=three of 50 workers, 250 ms, a at 140%' --rows a,b,d --rounds 1
run s1-r2 --shape 1 --rows b,d --rounds 1
run twohot-r2 --custom 'servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four' --rows b,d --rounds 1
run s5-r2 --shape 5 --rows a,b --rounds 1
run s2-r2 --shape 2 --rows b,d --rounds 1
run s3-r2 --shape 3 --rows b,d --rounds 1
run s4-r2 --shape 4 --rows b,d --rounds 1
echo ALLDONE $(date -u +%T)
