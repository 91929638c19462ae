import csv,sys,os
# usage: secs.py DIR... : per-second p99 of the hot servers (shape 3: a, seconds 9-14; two hot: a,b seconds 0-3; five: a seconds 0-3) and the targets' max p99
spec={'s3':('a',range(9,15)),'s6':('ab',range(0,4)),'s7':('a',range(0,4))}
for d in sys.argv[1:]:
    for sh,(hot,secs) in spec.items():
        p=os.path.join(d,'run',f'{sh}-r1-redirect-per-second.csv')
        if not os.path.exists(p): continue
        rows=list(csv.DictReader(open(p)))
        cells=[]
        for s in secs:
            hs=[r for r in rows if int(r['second'])==s]
            h=' '.join(f"{r['server']}{float(r['p99_ms']):.0f}/{r['moved']}" for r in hs if r['server'] in hot)
            t=max((float(r['p99_ms']) for r in hs if r['server'] not in hot), default=0)
            cells.append(f"s{s}: {h} t{t:.0f}")
        print(os.path.basename(d), sh, ' | '.join(cells))
