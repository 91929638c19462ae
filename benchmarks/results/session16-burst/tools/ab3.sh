#!/bin/bash
# usage: ab2.sh BUILD OUTDIR ARGS... : one clean bench run of /tmp/burst/BUILD's jars (call under flock)
b=$1; o=$2; shift 2
mkdir -p $o
uptime > $o/uptime-start
nice -n ${CLIENT_NICE:-0} java -Xmx512m -Ddemo.home=/tmp/burst/$b/demo -cp /tmp/burst/$b/bench.jar dev.spillway.bench.hotspot.HotspotBench --manager-conf /tmp/burst/$b/manager.properties "$@" --out $o > $o/log 2>&1
uptime > $o/uptime-end
