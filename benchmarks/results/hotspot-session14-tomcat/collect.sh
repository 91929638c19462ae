#!/bin/bash
# Copies each run's tables and per-second CSVs into the repository's results folder.
R=/work/wt-tomcat/benchmarks/results/hotspot-session14-tomcat
mkdir -p $R
cp /tmp/tomcat/series/{series.sh,series2.sh,summary.py,table.py,collect.sh,uptime.txt} $R/
for d in /tmp/tomcat/series/*-r?-*/; do
  n=$(basename $d); [ -f $d/hotspot.txt ] || continue
  mkdir -p $R/$n
  cp $d/hotspot.txt $d/hotspot.csv $d/hotspot.md $R/$n/
  cp $d/run/*-per-second.csv $R/$n/ 2>/dev/null
done
(cd /tmp/tomcat/series && python3 summary.py x) > $R/summary.txt
