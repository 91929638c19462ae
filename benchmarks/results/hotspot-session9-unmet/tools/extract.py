import re, sys, glob, os, statistics as st, csv
def budgets(mlog):
    rows=[]
    for line in open(mlog):
        m=re.match(r'\S+ (\d\d):(\d\d):(\d\d\.\d+) INFO dev.spillway.manager: a may spill to (.*?)(;|:|$)', line)
        if m:
            t=int(m.group(1))*3600+int(m.group(2))*60+float(m.group(3))
            tot=sum(float(x) for x in re.findall(r'\((\d+(?:\.\d+)?) req/s\)', m.group(4)))
            rows.append((t,tot))
    return rows
def overbudget(alog):
    return [float(x) for x in re.findall(r'over budget: ([\d.]+) requests/s', open(alog).read())]
for d in sys.argv[1:]:
    run=os.path.join(d,'run')
    mlog=glob.glob(run+'/*redirect-manager.log')[0]
    alog=glob.glob(run+'/*redirect-a.log')[0]
    b=budgets(mlog)
    t0=b[0][0]
    steady=[x for t,x in b if t-t0>=5]   # drop registration and first seconds
    diffs=[abs(steady[i]-steady[i-1]) for i in range(1,len(steady))]
    ob=overbudget(alog)
    txt=open('/tmp/unmet/log-'+os.path.basename(d)+'.txt').read()
    m=re.search(r'\(b\) Spillway redirect +\d+ +\d+ +(\d+) .*?(\d+\.\d+)/\d', txt)
    red=re.search(r'\(b\) Spillway redirect: p50 \d+, p99 (\d+).*?moved ([\d.]+)/.*?load average ([\d. ]+) -> ([\d. ]+)', txt)
    lc=re.search(r'\(d\) HAProxy leastconn: p50 \d+, p99 (\d+).*?load average ([\d. ]+) -> ([\d. ]+)', txt)
    pscsv=glob.glob(run+'/*redirect-per-second.csv')[0]
    mf=[float(r['moved_first_p50_ms']) for r in csv.DictReader(open(pscsv)) if r['server']=='a' and r['moved_first_p50_ms'] not in ('','NaN','-')]
    print(f"{os.path.basename(d)}: redirect p99 {red.group(1)} moved a {red.group(2)}% load {red.group(3).split()[0]}->{red.group(4).split()[0]} | leastconn p99 {lc.group(1)} load {lc.group(2).split()[0]}->{lc.group(3).split()[0]} | ratio {int(red.group(1))/int(lc.group(1)):.2f}")
    print(f"   a's budget total per cycle (from 5 s): n={len(steady)} mean {st.mean(steady):.1f} min {min(steady):.0f} max {max(steady):.0f} sd {st.pstdev(steady):.1f} mean |change| {st.mean(diffs):.1f}  seq {[int(x) for x in steady]}")
    print(f"   a's over-budget alerts (req/s): n={len(ob)} {ob}")
    if mf: print(f"   a's moved pages' first answer p50 per second: median {st.median(mf):.0f} ms")
