#!/bin/sh
# Spillway demo: the spare pool's hook. The manager runs it without a shell as
#   pool-hook.sh allocate|release <host id> <web base URL> <agent JMX URL>
# (conf/demo/manager-pool.properties). A real one would tell a load balancer or start a machine; this one only
# records its arguments, one line per run, in pool-hooks.log next to itself.
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >> "$(dirname "$0")/pool-hooks.log"
