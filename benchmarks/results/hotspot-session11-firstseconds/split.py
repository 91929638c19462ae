"""split.py OUTDIR: per second and server, p50/p99 of (arrival at worker - due) and (latency - that)."""
import sys, glob, os, csv, collections
out=sys.argv[1]
arr={}
for f in glob.glob(os.path.join(out,'arr','*.arrivals')):
    for l in open(f):
        p=l.split()
        if len(p)==2:
            arr.setdefault(p[0], []).append(int(p[1]))
reqs=glob.glob(os.path.join(out,'run','*-requests.csv'))
def pct(v,p):
    if not v: return float('nan')
    v=sorted(v); return v[min(len(v)-1,max(0,int(-(-p*len(v)//100))-1))]
for rf in reqs:
    print('==',os.path.basename(rf))
    rows=list(csv.DictReader(open(rf)))
    t0=min(int(r['due_us']) for r in rows)
    cells=collections.defaultdict(lambda: ([],[],[]))
    miss=0
    for r in rows:
        due=int(r['due_us'])
        cand=[x for x in arr.get(r['id'],[]) if x>=due-50_000]
        sec=(due-t0)//1_000_000
        if not cand: miss+=1; continue
        a=min(cand)
        before=(a-int(r['due_us']))/1000
        lat=float(r['latency_ms'])
        first=float(r['first_answer_ms'])
        c=cells[(sec,r['server'])]
        c[0].append(before); c[1].append(lat); c[2].append((first if r['moved']=='true' else lat)-before)
    print('missing arrivals', miss, 'of', len(rows))
    print('sec server n | before-worker p50 p99 | latency p50 p99 | first answer after worker p50 p99')
    for (sec,srv),(b,l,aft) in sorted(cells.items()):
        if sec<=6 or sec%5==0:
            print(f'{sec:3d} {srv:3s} {len(b):4d} | {pct(b,50):7.1f} {pct(b,99):7.1f} | {pct(l,50):7.1f} {pct(l,99):7.1f} | {pct(aft,50):7.1f} {pct(aft,99):7.1f}')
