import csv,sys,collections
f=sys.argv[1]; w=int(sys.argv[2]) if len(sys.argv)>2 else 200; lim=int(sys.argv[3]) if len(sys.argv)>3 else 3000
rows=list(csv.DictReader(open(f)))
t0=min(int(r['due_us']) for r in rows)
b=collections.defaultdict(list)
for r in rows:
    k=((int(r['due_us'])-t0)//(w*1000))
    if k*w>=lim: continue
    b[(k,r['server'])].append((float(r['latency_ms']),r['moved']))
def p(l,q): l=sorted(l); return l[min(len(l)-1,int(q*len(l)))]
servers=sorted(set(s for _,s in b))
print('ms   '+'  '.join('%-22s'%s for s in servers))
for k in sorted(set(k for k,_ in b)):
    row=[]
    for s in servers:
        l=[x for x,_ in b.get((k,s),[])]
        mv=sum(1 for _,m in b.get((k,s),[]) if m=='true')
        row.append('%3d %4.0f/%4.0f mv%-3d'%(len(l),p(l,.5),p(l,.99),mv) if l else '-')
    print('%4d '%(k*w)+' | '.join(row))
