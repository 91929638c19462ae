import csv,sys,glob,os
names={'3':'shape 3','6':'two hot','7':'five'}
for d in sys.argv[1:]:
    rows=list(csv.DictReader(open(os.path.join(d,'hotspot.csv'))))
    out=[]
    for r in rows:
        if r['row']=='b':
            lc=[x for x in rows if x['shape']==r['shape'] and x['row']=='d']
            l=float(lc[0]['p99_ms']) if lc else float('nan')
            mv='/'.join(r.get('moved_pct_'+k,'') for k in 'abcde' if r.get('moved_pct_'+k))
            out.append(f"{names.get(r['shape'],r['shape'])}: {float(r['p99_ms']):.0f} vs {l:.0f} ({float(r['p99_ms'])/l:.2f}x) err {r['errors']}/{r['timeouts']} load {r['load_avg_start'].split()[0]}->{r['load_avg_end'].split()[0]}")
    print(os.path.basename(d)+': '+' | '.join(out))
