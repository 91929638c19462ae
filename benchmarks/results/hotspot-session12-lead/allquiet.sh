#!/bin/sh
# Session 12: every shape with the bench's client warm (uncounted first row), at defaults, rows interleaved.
cd /work/main
run() { # name rows args...
  name=$1; rows=$2; shift 2
  echo "== $name start $(date +%T) $(uptime)"
  flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/s12/X/demo -Dbench.command="HotspotBench $* --rows $rows --rounds 2" -cp /tmp/s12/X/bench.jar dev.spillway.bench.hotspot.HotspotBench "$@" --rows $rows --rounds 2 --out /tmp/s12/out-$name > /tmp/s12/log-$name.txt 2>&1
  echo "== $name end $(date +%T) $(uptime)"
  grep -E "p50 .*p99|not counted|p99 per server|moved" /tmp/s12/log-$name.txt | head -30
}
run shape1 b,d --shape 1
run twohot b,d --custom 'servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
run shape2 b,d --shape 2
run shape3 b,d --shape 3
run shape5 a,b --shape 5
run five b,d --custom 'servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five, a at 200%'
run shape4 b,d --shape 4
