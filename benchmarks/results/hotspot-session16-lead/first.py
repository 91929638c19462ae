import csv,sys,os,glob,re
# per run dir: row p99 vs leastconn, s0 p99 of a and b, and a's/b's first raise after the step (manager log)
for d in sys.argv[1:]:
    rows=list(csv.DictReader(open(os.path.join(d,'hotspot.csv'))))
    b=[r for r in rows if r['row']=='b'][0]; l=[r for r in rows if r['row']=='d']
    lp=float(l[0]['p99_ms']) if l else float('nan')
    ps=glob.glob(os.path.join(d,'run','s*-r1-redirect-per-second.csv'))[0]
    s0={}
    for r in csv.reader(open(ps)):
        if r[0] in('000','001') and r[1] in('a','b'): s0[(r[0],r[1])]=(r[3],r[5])
    log=open(glob.glob(os.path.join(d,'run','s*-r1-redirect-manager.log'))[0]).read().splitlines()
    raises=[]
    for line in log:
        m=re.search(r'(\d\d:\d\d:[\d.]+) INFO dev.spillway.manager: ([ab]) may spill to (.*); spilling',line)
        if m and len([x for x in raises if x[1]==m.group(2)])==0: raises.append((m.group(1)[3:],m.group(2)))
    print(f"{os.path.basename(d)}: p99 {float(b['p99_ms']):.0f} vs {lp:.0f} ({float(b['p99_ms'])/lp:.2f}x) load {b['load_avg_start'].split()[0]} | s0 a mv/p99 {s0.get(('000','a'))} b {s0.get(('000','b'))} | s1 a {s0.get(('001','a'))} b {s0.get(('001','b'))} | first raise {raises[:2]}")
