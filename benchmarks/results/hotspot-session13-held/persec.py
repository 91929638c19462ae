# Hot servers a and b, seconds 0-3 of each counted redirect row: pages moved, their 307 p50/max, local p50/max (ms).
import csv,sys,glob,os
from collections import defaultdict
for d in sys.argv[1:]:
    for f in sorted(glob.glob(d+'/run/*-redirect*-requests.csv')):
        if '-r0-' in f: continue
        rows=list(csv.DictReader(open(f))); t0=min(int(r['due_us']) for r in rows)
        by=defaultdict(list)
        for r in rows:
            s=(int(r['due_us'])-t0)//1000000
            if s<4 and r['server'] in 'ab': by[(r['server'],s)].append(r)
        out=[]
        for k in sorted(by):
            rs=by[k]; mv=sorted(float(r['first_answer_ms']) for r in rs if r['moved']=='true'); lo=sorted(float(r['latency_ms']) for r in rs if r['moved']=='false')
            out.append(f"{k[0]}{k[1]}: mv {len(mv)} 307 {round(mv[len(mv)//2]) if mv else '-'}/{round(mv[-1]) if mv else '-'} loc {round(lo[len(lo)//2])}/{round(lo[-1])}")
        print(os.path.basename(d), os.path.basename(f)[:17]); print('   '+' | '.join(out[:4])); print('   '+' | '.join(out[4:]))
