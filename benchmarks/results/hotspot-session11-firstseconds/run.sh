#!/bin/bash
# run.sh JAR_DIR TAG DIAG(0/1) ARGS... : one bench run under the lock, from the worktree root
J=$1; TAG=$2; DIAG=$3; shift 3
OUT=/tmp/firstseconds/out-$TAG; rm -rf $OUT; mkdir -p $OUT/L
cd /work/wt-firstseconds
flock /tmp/spillway-bench.lock bash -c '
  echo "start $(date -u +%T) $(uptime)" > '$OUT'/meta.txt
  python3 /tmp/firstseconds/sampler.py '$OUT'/sampler.csv & SP=$!
  if [ '$DIAG' = 2 ]; then mkdir -p '$OUT'/arr; export JAVA_TOOL_OPTIONS="-Xlog:gc:file='$OUT'/L/gc-%p.log:uptime,time -Dspillway.demo.arrivals='$OUT'/arr"; fi
  if [ '$DIAG' = 4 ]; then export JAVA_TOOL_OPTIONS="-Xlog:gc:file='$OUT'/L/gc-%p.log:uptime,time -Xlog:jit+compilation=debug:file='$OUT'/L/jit-%p.log:uptime,time"; fi
  if [ '$DIAG' = 1 ]; then export JAVA_TOOL_OPTIONS="-Xlog:gc,safepoint:file='$OUT'/L/gc-%p.log:uptime,time"; fi
  java -Xmx512m -Ddemo.home='$J'/demo -Dbench.command="'"$*"'" -cp '$J'/bench.jar dev.spillway.bench.hotspot.HotspotBench "$@" --out '$OUT' > '$OUT'/console.txt 2>&1
  kill $SP
  echo "end $(date -u +%T) $(uptime)" >> '$OUT'/meta.txt
' _ "$@"
