#!/bin/sh
# A = 3305f2e (main's behaviour + the send counts), B = 5281fc5; interleaved A B A B per load model
for load in uniform poisson; do
  for pair in 1 2; do
    for b in A B; do
      echo "=== $b $load pair $pair $(date -u +%H:%M:%S) $(uptime)"
      java -Dload=$load -cp /tmp/sends/$b/spillway-benchmarks.jar dev.spillway.bench.manager.ManagerCycleBench 1000 2>$b-$load-$pair.err
      echo "--- after: $(uptime)"
    done
  done
done
