import csv,sys
for f in sys.argv[1:]:
    for r in csv.DictReader(open(f)):
        if r['ran']!='true': continue
        print(f"{r['shape']} r{r['round']} {r['row']:3} {r['filter_settings'][:20]:20} p99 {float(r['p99_ms']):.0f} ({'/'.join(str(round(float(x.split('=')[1]))) for x in r['p99_ms_by_server'].split())}) lastq {float(r['p99_ms_last_quarter']):.0f} err/to {r['errors']}/{r['timeouts']} moved {r['moved_pct_by_server']} load {r['load_avg_start'].split()[0]}->{r['load_avg_end'].split()[0]} max {float(r['max_ms']):.0f}")
