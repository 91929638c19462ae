#!/bin/sh
# A = 3305f2e (main's behaviour + the send counts), C = the final commit (held budgets for floors only); A C per model
for load in poisson uniform; do
  for b in A C; do
    echo "=== $b $load $(date -u +%H:%M:%S) $(uptime)"
    java -Dload=$load -cp /tmp/sends/$b/spillway-benchmarks.jar dev.spillway.bench.manager.ManagerCycleBench 1000 2>$b-$load-3.err
    echo "--- after: $(uptime)"
  done
done
