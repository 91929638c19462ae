#!/bin/sh
# Session 12: rows a-d once per shape (none, redirect, proxy, leastconn), warm client.
cd /work/main
run() { name=$1; shift
  echo "== $name start $(date +%T) $(uptime)"
  flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/s12/X/demo -Dbench.command="HotspotBench $* --rows a,b,c,d --rounds 1" -cp /tmp/s12/X/bench.jar dev.spillway.bench.hotspot.HotspotBench "$@" --rows a,b,c,d --rounds 1 --out /tmp/s12/out4-$name > /tmp/s12/log4-$name.txt 2>&1
  echo "== $name end $(date +%T) $(uptime)"
  grep -E "p50 .*p99|p99 per server" /tmp/s12/log4-$name.txt
}
run shape1 --shape 1
run twohot --custom 'servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
run shape3 --shape 3
run shape2 --shape 2
