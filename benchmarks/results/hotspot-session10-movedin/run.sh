#!/bin/bash
# run.sh JAR TAG SHAPEARGS...
J=$1; T=$2; shift 2
cd /work/wt-movedin
exec flock /tmp/spillway-bench.lock bash -c 'echo "start $(date -u +%T) $(uptime)"; JAVA_TOOL_OPTIONS=-Dspillway.diag=true java -Xmx512m -Ddemo.home=/tmp/movedin/'$J'/demo -Dbench.command="movedin '$J' '$T': $*" -cp /tmp/movedin/'$J'/bench.jar dev.spillway.bench.hotspot.HotspotBench "$@" --out /tmp/movedin/runs/'$T'; echo "end $(date -u +%T) $(uptime)"' _ "$@"
