#!/usr/bin/env bash
# Name answers: the manager (dynamic order) vs PowerDNS (static zone), dnsperf against both, alternating rounds.
# Needs Debian dnsperf, pdns-server, pdns-backend-bind. Usage: benchmarks/dns-bench.sh [hosts] [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in dnsperf pdns_server; do
  command -v "$tool" >/dev/null || { echo "dns-bench: $tool is not installed (apt-get install dnsperf pdns-server pdns-backend-bind)" >&2; exit 2; }
done
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
uptime
java -cp benchmarks/target/spillway-benchmarks.jar dev.spillway.bench.dns.DnsBench "$@"
uptime
