#!/bin/bash
# one shape per locked run; uptime before/after each (inside the lock)
cd /work/wt-allshapes
J=/tmp/allshapes/X/bench.jar; D=/tmp/allshapes/X/demo
run() { # name, args...
  local name=$1; shift
  local cmd="HotspotBench $* --out /tmp/allshapes/out-$name"
  flock /tmp/spillway-bench.lock bash -c '
    echo "== '"$name"' start $(date -u +%T) $(uptime)"
    java -Xmx512m -Ddemo.home='"$D"' -Dbench.command="$0" -cp '"$J"' dev.spillway.bench.hotspot.HotspotBench "$@" --out /tmp/allshapes/out-'"$name"' > /tmp/allshapes/log-'"$name"'.txt 2>&1
    echo "== '"$name"' end rc=$? $(date -u +%T) $(uptime)"
  ' "$cmd" "$@"
  sleep 5
}
run s1 --shape 1 --rows a,b,c,d --rounds 1
run s2 --shape 2 --rows a,b,c,d --rounds 1
run s3 --shape 3 --rows a,b,c,d --rounds 1
run s4 --shape 4 --rows a,b,c,d --rounds 1
run s5 --shape 5 --rows a,b,c,d --rounds 1
run twohot --custom 'servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four' --rows a,b,c,d --rounds 1
run u50 --custom 'servers=a:50,b:50,c:50; page-ms=40; load=a:140%,b:30%,c:30%; title=three of 50 workers, 40 ms, a at 140%' --rows a,b,d --rounds 1
run five --custom 'servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five servers, a at 200%' --rows a,b,d --rounds 1
echo ALLDONE $(date -u +%T)
