#!/bin/sh
# the uniform pair again (pairs2's C uniform run was killed by my own timeout, which counted the wait for the lock)
for b in A C; do
  echo "=== $b uniform $(date -u +%H:%M:%S) $(uptime)"
  java -Dload=uniform -cp /tmp/sends/$b/spillway-benchmarks.jar dev.spillway.bench.manager.ManagerCycleBench 1000 2>$b-uniform-4.err
  echo "--- after: $(uptime)"
done
