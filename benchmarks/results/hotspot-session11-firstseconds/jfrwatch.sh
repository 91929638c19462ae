#!/bin/bash
# jfrwatch.sh TAG: when OUT's console says the redirect row's load started, record 15 s of JFR in the bench JVM
OUT=/tmp/firstseconds/out-$1
while ! grep -q 'Spillway redirect: load from' $OUT/console.txt 2>/dev/null; do sleep 0.2; done
PID=$(pgrep -f "out-$1 *$" | head -1)
[ -z "$PID" ] && PID=$(ps aux | grep HotspotBench | grep "out-$1" | grep -v grep | grep -v flock | grep -v 'bash -c' | awk '{print $2}' | head -1)
echo "pid $PID"
jcmd $PID JFR.start duration=15s settings=profile filename=$OUT/bench.jfr
