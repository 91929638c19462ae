# usage: arr.py requests.csv ARRDIR [slice] [limit_ms]: per slice and server, for pages served where sent:
# p50/p99 of (arrival at the server's handler - due) and of (latency - that)
import csv, sys, os, collections
f, d = sys.argv[1], sys.argv[2]; w = int(sys.argv[3]) if len(sys.argv) > 3 else 200; lim = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
arr = {}
for fn in os.listdir(d):
    for l in open(os.path.join(d, fn)):
        p = l.split()
        if len(p) == 2 and p[0].isdigit(): arr[(fn.split('.')[0], int(p[0]))] = int(p[1])
rows = list(csv.DictReader(open(f))); t0 = min(int(r['due_us']) for r in rows)
b = collections.defaultdict(list); miss = 0
for r in rows:
    if r['moved'] == 'true': continue
    i = (r['served_by'], int(r['id']))
    if i not in arr: miss += 1; continue
    rel = (int(r['due_us']) - t0) / 1000
    if rel >= lim: continue
    before = (arr[i] - int(r['due_us'])) / 1000; lat = float(r['latency_ms'])
    b[(int(rel // w), r['server'])].append((before, lat - before))
def q(l, p): l = sorted(l); return l[min(len(l) - 1, int(p * len(l)))]
ss = sorted(set(s for _, s in b))
print('missing arrivals:', miss, '; per server: to-arrival p50/p99 | after-arrival p50/p99 (ms)')
print('slice ' + ''.join('%-26s' % s for s in ss))
for k in sorted(set(k for k, _ in b)):
    out = []
    for s in ss:
        v = b.get((k, s), [])
        out.append('%4.0f/%4.0f | %4.0f/%4.0f   ' % (q([x for x, _ in v], .5), q([x for x, _ in v], .99), q([y for _, y in v], .5), q([y for _, y in v], .99)) if v else '-' * 20)
    print('%5d ' % (k * w) + ''.join(out))
