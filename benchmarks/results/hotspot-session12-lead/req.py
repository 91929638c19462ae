import csv,sys
from collections import Counter
rows=list(csv.DictReader(open(sys.argv[1])))
t0=min(int(r['due_us']) for r in rows)
lat=lambda r: float(r['latency_ms'])
rows.sort(key=lambda r:-lat(r))
n=len(rows); top=rows[:n//100]
print(n, 'top1%', Counter((r['server'],r['moved']) for r in top))
print('top1% by second', sorted(Counter((int(r['due_us'])-t0)//1000000 for r in top).items()))
def q(xs):
    xs=sorted(xs); return (len(xs), round(xs[len(xs)//2]), round(xs[int(len(xs)*.9)]), round(xs[int(len(xs)*.99)])) if xs else None
print('moved', q([lat(r) for r in rows if r['moved']=='true']))
print('moved first_answer', q([float(r['first_answer_ms']) for r in rows if r['moved']=='true']))
for s in 'abcde':
    print(s,'local', q([lat(r) for r in rows if r['server']==s and r['moved']=='false']))
