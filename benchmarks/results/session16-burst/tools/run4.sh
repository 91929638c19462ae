#!/bin/bash
# usage: run2.sh BUILD OUTDIR ROWNAME ARGS...   (called under flock): bench + thread sampler + probe of b
b=$1; o=$2; n=$3; shift 3
mkdir -p $o/run; rm -f $o/stop
python3 /tmp/burst/tools/sample.py $o/threads.csv $o/stop &
sp=$!
python3 /tmp/burst/tools/probe.py $o/run $n $o/probe.csv $o/stop &
pp=$!
uptime > $o/uptime-start
nice -n ${CLIENT_NICE:-0} java -Xmx512m -Ddemo.home=/tmp/burst/$b/demo -cp /tmp/burst/$b/bench.jar dev.spillway.bench.hotspot.HotspotBench --manager-conf /tmp/burst/$b/manager.properties "$@" --out $o > $o/log 2>&1
uptime > $o/uptime-end
touch $o/stop; wait $sp $pp
