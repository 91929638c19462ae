# Per counted row of hotspot runs (DIR/run/*-requests.csv): p99, p99 of pages due from the load's 2nd second on,
# and for moved pages the time to the first answer (redirect: the 307, i.e. the wait in the hot pool). Usage: tail.py DIR...
import csv,sys,glob,os
def q(xs,p):
    xs=sorted(xs); return round(xs[min(len(xs)-1,int(len(xs)*p))]) if xs else None
for d in sys.argv[1:]:
    for f in sorted(glob.glob(d+'/run/*-requests.csv')):
        if '-r0-' in f: continue
        rows=list(csv.DictReader(open(f)))
        t0=min(int(r['due_us']) for r in rows)
        lat=[float(r['latency_ms']) for r in rows]
        late=[float(r['latency_ms']) for r in rows if int(r['due_us'])-t0>=2_000_000]
        mv=[r for r in rows if r['moved']=='true']
        print(f"{os.path.basename(d):>12} {os.path.basename(f).replace('-requests.csv',''):<22} p99 {q(lat,.99):>5}  p99 from s2 {q(late,.99):>5}  moved n {len(mv):>5} 307 p50/p99 {q([float(r['first_answer_ms']) for r in mv],.5)}/{q([float(r['first_answer_ms']) for r in mv],.99)}")
