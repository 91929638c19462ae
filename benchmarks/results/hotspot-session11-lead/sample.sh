#!/bin/sh
# every second: established TCP sockets, and the CPU ticks of the bench JVM
while [ -f /tmp/lead/sampling ]; do
  bench=$(pgrep -f "HotspotBench --custom" | head -1)
  est=$(ss -tan state established | wc -l)
  tw=$(ss -tan state time-wait | wc -l)
  cpu=$( [ -n "$bench" ] && awk '{print $14+$15}' /proc/$bench/stat 2>/dev/null)
  echo "$(date +%T.%N | cut -c1-10) est=$est tw=$tw benchticks=$cpu load=$(cut -d' ' -f1 /proc/loadavg)"
  sleep 1
done
