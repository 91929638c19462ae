import csv,sys,os
names={'1':'shape 1','3':'shape 3','5':'shape 5','6':'two hot','7':'five'}
for d in sys.argv[1:]:
    for r in csv.DictReader(open(os.path.join(d,'hotspot.csv'))):
        print(f"{os.path.basename(d)} {names.get(r['shape'],r['shape'])} {r['row']}: p99 {float(r['p99_ms']):.0f} p50 {float(r['p50_ms']):.0f} per-server p99 {r['p99_ms_by_server']} lastq {r['p99_ms_last_quarter']} moved {r['moved_pct_by_server']} excess {r['excess_pct_by_server']} err {r['errors']}/{r['timeouts']} load {r['load_avg_start']} -> {r['load_avg_end']}")
