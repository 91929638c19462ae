#!/bin/bash
# usage: ab.sh OUTDIR NICE ARGS... : one clean bench run (under the caller's flock) with the renice watcher at NICE
o=$1; n=$2; shift 2
mkdir -p $o; rm -f $o/stop
python3 /tmp/burst/tools/renice.py $o/stop $n &
rp=$!
uptime > $o/uptime-start
nice -n ${CLIENT_NICE:-0} java -Xmx512m -Ddemo.home=/tmp/burst/old/demo -cp /tmp/burst/old/bench.jar dev.spillway.bench.hotspot.HotspotBench --manager-conf /tmp/burst/old/manager.properties "$@" --out $o > $o/log 2>&1
uptime > $o/uptime-end
touch $o/stop; wait $rp
