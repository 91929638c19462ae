import re,sys
# usage: diag.py manager.log THRESH N  -> compact DIAG lines from the last cycle where a's rate < THRESH (before a reached 1.5*THRESH) on
path=sys.argv[1]; th=float(sys.argv[2]); n=int(sys.argv[3])
rows=[]
for line in open(path):
    if 'DIAG' not in line: continue
    t=line[11:23]
    hosts={}
    for part in line.split('|')[1:]:
        m=re.match(r'\s*(\w+) cap=(\S+) st=\S+ rate=(\S+) own=(\S+) spare=(\S+) wait=(\S+) busy=\S+ moved=(\S+) over=(\S+) need=(\S+)',part)
        if m: hosts[m.group(1)]=m.groups()
    fill=re.search(r'fill=(\S+)',line).group(1)
    rows.append((t,fill,hosts))
def rate(h,k):
    try: return float(h[k][2])
    except: return float('nan')
start=None
for i,(t,f,h) in enumerate(rows):
    if 'a' in h and i+3<len(rows) and all(rate(rows[k][2],'a')>=1.5*th for k in range(i,i+4)):
        j=i
        while j>0 and not rate(rows[j][2],'a')<th: j-=1
        start=j; break
if start is None: print('no step found'); sys.exit()
for t,f,h in rows[start:start+n]:
    print(t,'fill='+f,' | '.join('%s rate=%s own=%s spare=%s wait=%s moved=%s over=%s'%(k,v[2],v[3],v[4],v[5],v[6],v[7]) for k,v in sorted(h.items())))
