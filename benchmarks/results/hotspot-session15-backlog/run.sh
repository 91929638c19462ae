#!/bin/bash
# usage: run.sh X N
X=$1; N=$2
CMD="HotspotBench --shape 3 --custom two-hot --custom five --rows b,d --rounds 1 ($X $N)"
{
echo "start $(date -u +%T) $(uptime)"
flock /tmp/spillway-bench.lock bash -c "echo locked \$(date -u +%T) \$(uptime); java -Xmx512m -Ddemo.home=/tmp/backlog/$X/demo -Dbench.command=\"$CMD\" -cp /tmp/backlog/$X/bench.jar dev.spillway.bench.hotspot.HotspotBench --shape 3 --custom 'servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four' --custom 'servers=a:20,b:20,c:20,d:20,e:20; page-ms=100; load=a:200%,b:30%,c:30%,d:30%,e:30%; title=five servers' --rows b,d --rounds 1 --out /tmp/backlog/out-$X-$N; echo rc=\$?; echo end \$(date -u +%T) \$(uptime)"
} > /tmp/backlog/logs/$X-$N.log 2>&1
