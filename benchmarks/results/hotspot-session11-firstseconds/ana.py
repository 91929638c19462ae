import sys, collections
rows=[]
for l in open(sys.argv[1]):
    p=l.rstrip('\n').split(',')
    t=float(p[0]); tot=int(p[1]); idle=int(p[2]); ao=int(p[3]); po=int(p[4])
    procs={}
    for x in p[5].split():
        tag,pid,ticks,nth=x.split(':'); procs[(tag,pid)]=(int(ticks),int(nth))
    est=dict((int(k),int(v)) for k,v in (e.split('=') for e in p[6].split())) if len(p)>6 and p[6] else {}
    rows.append((t,tot,idle,ao,po,procs,est))
step=int(sys.argv[2]) if len(sys.argv)>2 else 4
t0=rows[0][0]
import time
for i in range(step,len(rows),step):
    a=rows[i-step]; b=rows[i]; dt=b[0]-a[0]
    busy=1-(b[2]-a[2])/max(1,(b[1]-a[1]))
    cpu=collections.defaultdict(float)
    for k,(tk,nth) in b[5].items():
        if k in a[5]: cpu[k[0]]+=(tk-a[5][k][0])*10/dt
    s=' '.join(f'{k}={v:.0f}' for k,v in sorted(cpu.items()) if v>=5)
    est=' '.join(f'{k}:{v}' for k,v in sorted(b[6].items()) if v>=5)
    print(f'{time.strftime("%H:%M:%S",time.gmtime(b[0]))} busy={busy:.2f} act={(b[3]-a[3])/dt:.0f}/s pas={(b[4]-a[4])/dt:.0f}/s | {s} | est {est}')
