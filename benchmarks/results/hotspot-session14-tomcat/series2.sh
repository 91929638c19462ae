#!/bin/bash
# The rest of the series, shortened for the deadline (after twohot-r1-jetty, which series.sh started).
cd /work/wt-tomcat
X=/tmp/tomcat/X
OUT=/tmp/tomcat/series
TWOHOT='servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four'
one() { # name container rows shape-args...
  local name=$1 cont=$2 rows=$3; shift 3
  echo "=== $name $(date -u +%T) uptime before: $(uptime)" >> $OUT/uptime.txt
  flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=$X/demo \
    -Dbench.command="HotspotBench $* --container $cont --rows $rows --rounds 1 --out $OUT/$name" \
    -cp $X/bench.jar dev.spillway.bench.hotspot.HotspotBench "$@" --container $cont --rows $rows --rounds 1 \
    --out $OUT/$name > $OUT/$name.console 2>&1
  echo "=== $name $(date -u +%T) uptime after: $(uptime)" >> $OUT/uptime.txt
}
while kill -0 12194 2>/dev/null; do sleep 2; done
echo "=== twohot-r1-jetty $(date -u +%T) uptime after: $(uptime)" >> $OUT/uptime.txt
one twohot-r1-tomcat tomcat a,b,d --custom "$TWOHOT"
one twohot-r2-tomcat tomcat b,d --custom "$TWOHOT"
one twohot-r2-jetty jetty b,d --custom "$TWOHOT"
one s3-r1-jetty jetty b,d --shape 3
one s3-r1-tomcat tomcat b,d --shape 3
one s5-r1-tomcat tomcat a,b --shape 5
one s5-r1-jetty jetty a,b --shape 5
echo DONE >> $OUT/uptime.txt
