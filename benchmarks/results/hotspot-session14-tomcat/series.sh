#!/bin/bash
# Session 14 (tomcat): Jetty vs Tomcat, alternated, rows b,d (+ a once per shape), default settings.
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
for spec in "s1|--shape|1" "twohot|--custom|$TWOHOT" "s3|--shape|3" "s5|--shape|5"; do
  IFS='|' read -r tag opt val <<< "$spec"
  one $tag-r1-jetty jetty a,b,d $opt "$val"
  one $tag-r1-tomcat tomcat a,b,d $opt "$val"
  [ $tag = s5 ] && continue
  one $tag-r2-tomcat tomcat b,d $opt "$val"
  one $tag-r2-jetty jetty b,d $opt "$val"
done
echo DONE >> $OUT/uptime.txt
