#!/bin/bash
for step in "NEW 2" "MAIN 3" "NEW 3" "extra NEW 2" "extra MAIN 3" "MAIN 4" "NEW 4" ; do
  set -- $step
  if [ $1 = extra ]; then /tmp/backlog/extra.sh $2 $3; else /tmp/backlog/run.sh $1 $2; echo "$(date -u +%T) $1 $2 main done" >> /tmp/backlog/logs/series.log; fi
done
