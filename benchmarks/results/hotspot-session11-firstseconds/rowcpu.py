"""rowcpu.py OUT: mean CPU ms/s per process tag over each row's 20 s of load (from console 'load from' times)."""
import sys, re, datetime, collections
out=sys.argv[1]
starts=[]
for l in open(out+'/console.txt'):
    m=re.search(r'\((\w)\) (.*): load from (\S+)Z', l)
    if m: starts.append((m.group(2), datetime.datetime.fromisoformat(m.group(3)[:26]).replace(tzinfo=datetime.timezone.utc).timestamp()))
rows=[]
for l in open(out+'/sampler.csv'):
    p=l.rstrip('\n').split(',')
    procs={}
    for x in p[5].split():
        tag,pid,ticks,nth=x.split(':'); procs[(tag,pid)]=int(ticks)
    est=sum(int(e.split('=')[1]) for e in p[6].split()) if len(p)>6 and p[6] else 0
    rows.append((float(p[0]),int(p[1]),int(p[2]),procs,est))
def at(t):
    return min(rows, key=lambda r: abs(r[0]-t))
for name,t in starts:
    for lo,hi in ((0,5),(5,20)):
        a=at(t+lo); b=at(t+hi); dt=b[0]-a[0]
        cpu=collections.defaultdict(float)
        for k,v in b[3].items():
            if k in a[3]: cpu[k[0]]+=(v-a[3][k])*10/dt
        busy=1-(b[2]-a[2])/max(1,b[1]-a[1])
        print(f'{name:20s} s{lo:02d}-{hi:02d} busy={busy:.2f} est_end={b[4]:5d} '+' '.join(f'{k}={v:.0f}' for k,v in sorted(cpu.items()) if v>=5))
