# usage: probesum.py probe.csv LOG [row index] [slice]
import sys, re, datetime, collections
pf, log = sys.argv[1], sys.argv[2]; idx = int(sys.argv[3]) if len(sys.argv) > 3 else -1
w = int(sys.argv[4]) if len(sys.argv) > 4 else 200
starts = re.findall(r'load from (\d\S+)Z', open(log).read())
st = datetime.datetime.fromisoformat(starts[idx][:26]).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
pg = collections.defaultdict(list); ov = collections.defaultdict(list); cpu = collections.defaultdict(list)
for l in open(pf):
    f = l.strip().split(',')
    if len(f) < 3: continue
    rel = int(f[1]) - st; k = int(rel // w)
    if f[0] == 'page': pg[k].append(float(f[2]))
    elif f[0] == 'oversleep': ov[k].append(float(f[2]))
    elif f[0] == 'cpu': cpu[k].append(float(f[2]))
def q(l, p): l = sorted(l); return l[min(len(l) - 1, int(p * len(l)))] if l else float('nan')
print('slice  probe-page-ms(to b, own conn)   oversleep p50/p99/max ms   machine busy')
for k in range(-2000 // w, 5000 // w):
    print('%5d  %-30s  %5.1f %5.1f %6.1f          %s' % (k * w, ' '.join('%.0f' % x for x in pg[k]), q(ov[k], .5), q(ov[k], .99), max(ov[k] or [0]), ' '.join('%.2f' % x for x in cpu[k])))
