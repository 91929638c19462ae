#!/bin/bash
# session 13 "held": gate A/B on the branch's jar (held at 5a9061a), from /work/wt-held, under the bench lock
cd /work/wt-held
X=/tmp/held/X
TWO="servers=a:20,b:20,c:20,d:20; page-ms=100; load=a:120%,b:120%,c:40%,d:40%; title=two hot of four"
run() {
  out=$1; shift
  echo "== $out start $(date -u +%T) $(uptime)"
  flock /tmp/spillway-bench.lock java -Xmx512m -Ddemo.home=$X/demo -Dbench.command="HotspotBench $* --rounds 2 --variants 'admissionGate=off;admissionGate=on' --out $out" -cp $X/bench.jar dev.spillway.bench.hotspot.HotspotBench "$@" --rounds 2 --variants 'admissionGate=off;admissionGate=on' --out $out
  echo "== $out end $(date -u +%T) rc=$? $(uptime)"
}
run /tmp/held/out1 --custom "$TWO" --rows b,d
run /tmp/held/out2 --custom "$TWO" --rows b,d
run /tmp/held/out3 --shape 1 --rows b,d
