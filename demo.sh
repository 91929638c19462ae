#!/bin/sh
# The Spillway demo in one command: builds what it needs (once per call; Maven skips what is up to date), then runs
#   java -jar samples/demo/target/spillway-demo.jar [options]
# Options are passed on: --quick (20 s of load in phases 1-2), --duration SECONDS, --dashboard-port N, --mode redirect|proxy,
# --run-dir DIR, --managers 2, --no-spare, --help. ./demo.sh --no-build ... skips the build. Needs JDK 17+ and Maven 3.8+.
set -e
cd "$(dirname "$0")"
if [ "$1" = "--no-build" ]; then
  shift
else
  echo "Building the demo: mvn -B -ntp -q -DskipTests -pl samples/demo -am package"
  mvn -B -ntp -q -DskipTests -pl samples/demo -am package
fi
exec java -jar samples/demo/target/spillway-demo.jar "$@"
