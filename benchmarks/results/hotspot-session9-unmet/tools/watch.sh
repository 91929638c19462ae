#!/bin/bash
for x in "$@"; do
  T=${x#*:}; S=${x%%:*}
  case $S in long1s) F=/tmp/unmet/out/long1s-$T/run/s6-r1-redirect-a.log;; s1) F=/tmp/unmet/out/s1-$T/run/s1-r1-redirect-a.log;; esac
  while [ ! -f $F ]; do sleep 0.2; done
  java -cp /tmp/unmet/poll Poll $F > /tmp/unmet/poll/$S-$T.txt 2>&1
done
