# usage: an.py OUTDIR  -> per counted row: p99 row/per server, moved % per server, hot servers' p99 in the step's first 2 s,
# and the path (ms after the step): first push, alert, early cycles, permits in force at the hot servers
import csv,sys,glob,os,re,datetime
def q(xs,p=.99):
    xs=sorted(xs); return round(xs[min(len(xs)-1,int(len(xs)*p))]) if xs else None
HOT={'s3':(['a'],10),'s1':(['a'],0),'s6':(['a','b'],0),'s7':(['a'],0),'s5':(['a','b','c'],0)}
def ts(line):
    m=re.match(r'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})',line)
    return datetime.datetime.strptime(m.group(1),'%Y-%m-%d %H:%M:%S.%f').replace(tzinfo=datetime.timezone.utc).timestamp() if m else None
for d in sys.argv[1:]:
    for f in sorted(glob.glob(d+'/run/*-requests.csv')):
        name=os.path.basename(f).replace('-requests.csv','')
        if '-r0-' in name: continue
        shape=name.split('-')[0]
        rows=list(csv.DictReader(open(f)))
        t0=min(int(r['due_us']) for r in rows)
        hot,step=HOT.get(shape,(['a'],0))
        servers=sorted(set(r['server'] for r in rows))
        ps=' '.join(f"{s}:{q([float(r['latency_ms']) for r in rows if r['server']==s])}" for s in servers)
        mv=' '.join(f"{s}:{100*sum(r['moved']=='true' for r in rows if r['server']==s)/max(1,sum(r['server']==s for r in rows)):.1f}" for s in servers)
        st=t0+step*1_000_000
        hp=' '.join(f"{h}:{q([float(r['latency_ms']) for r in rows if r['server']==h and st<=int(r['due_us'])<st+2_000_000])}" for h in hot)
        late=q([float(r['latency_ms']) for r in rows if int(r['due_us'])>=st+2_000_000])
        print(f"{os.path.basename(d)} {name:<18} p99 {q([float(r['latency_ms']) for r in rows])}  per server {ps}  moved% {mv}  hot p99 step s0-1 {hp}  p99 after step+2s {late}")
        if 'redirect' not in name: continue
        ref=st/1e6
        for h in hot:
            log=os.path.join(d,'run',name+'-'+h+'.log')
            ev=[]
            for line in open(log):
                t=ts(line)
                if t is None or t<ref-0.2 or t>ref+3: continue
                if 'over-budget push' in line: ev.append(f"push{round((t-ref)*1000)}")
                elif 'alerting the manager' in line: ev.append(f"ALERT{round((t-ref)*1000)}")
                elif 'permit in force' in line:
                    b=re.search(r'\[(.*)\]',line).group(1); tot=sum(float(x) for x in b.split(',')); ev.append(f"permit{round((t-ref)*1000)}[{tot:.0f}]")
            print(f"   {h}: "+' '.join(ev[:12]))
        mlog=os.path.join(d,'run',name+'-manager.log'); ev=[]
        for line in open(mlog):
            t=ts(line)
            if t is None or t<ref-0.2 or t>ref+3: continue
            if 'early cycle (an' in line: ev.append(f"early{round((t-ref)*1000)}")
            elif 'no early cycle' in line: ev.append(f"refused{round((t-ref)*1000)}")
        print("   manager: "+' '.join(ev))
