#!/bin/sh
cd /work/main
run() { name=$1; rows=$2; shift 2
  echo "== $name start $(date +%T) $(uptime)"
  flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=/tmp/s12/X/demo -Dbench.command="HotspotBench $* --rows $rows --rounds 2" -cp /tmp/s12/X/bench.jar dev.spillway.bench.hotspot.HotspotBench "$@" --rows $rows --rounds 2 --out /tmp/s12/out5-$name > /tmp/s12/log5-$name.txt 2>&1
  echo "== $name end $(date +%T) $(uptime)"
  grep -E "p50 .*p99|p99 per server" /tmp/s12/log5-$name.txt
}
run shape5 a,b --shape 5
run five b,d --custom 'servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five, a at 200%'
