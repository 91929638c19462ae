import re,sys
for f in sys.argv[1:]:
    shape=None; rows={}
    for line in open(f):
        m=re.match(r'\s*shape (\d+)', line)
        m2=re.search(r'^\s+\((b|d)\) (Spillway redirect|HAProxy leastconn): p50 (\d+), p99 (\d+), max \d+ ms; errors (\d+), timeouts (\d+).*load average ([\d. ]+) -> ([\d. ]+)', line)
        m3=re.search(r'^\s+\((b)\) Spillway redirect: p99 per server ([\d/]+)', line)
        m4=re.search(r'shape (\d+) \(b\) Spillway redirect: moved of each server.s pages: (.*) \(goal', line)
        if m2:
            k=m2.group(1); rows.setdefault(k,[]).append((m2.group(4),m2.group(5)+'/'+m2.group(6),m2.group(7).split()[0]+'->'+m2.group(8).split()[0]))
        if m3: rows.setdefault('ps',[]).append(m3.group(2))
        if m4: rows.setdefault('mv',{})[m4.group(1)]=m4.group(2)
    b=rows.get('b',[]); d=rows.get('d',[]); ps=rows.get('ps',[])
    print(f)
    for i,(p,e,l) in enumerate(b):
        dd=d[i] if i<len(d) else ('-','-','-')
        print(f"  row{i}: redirect p99 {p} ({ps[i] if i<len(ps) else ''}) err/to {e} load {l} | leastconn {dd[0]} load {dd[2]} | ratio {int(p)/int(dd[0]) if dd[0]!='-' else 0:.2f}")
    for k,v in rows.get('mv',{}).items(): print('  moved shape',k,v)
