# usage: step.py DIR FROM_S TO_S : p50/p99 of every page and of a's pages due in [FROM, TO) s of each counted row
import sys, csv, glob, os
def q(l, p): l = sorted(l); return l[min(len(l) - 1, int(p * len(l)))] if l else float('nan')
d, lo, hi = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
for f in sorted(glob.glob(os.path.join(d, 'run', '*-r1-*-requests.csv'))):
    rs = list(csv.DictReader(open(f))); t0 = min(int(r['due_us']) for r in rs)
    w = [r for r in rs if lo <= (int(r['due_us']) - t0) / 1e6 < hi]
    al = [float(r['latency_ms']) for r in w]; aa = [float(r['latency_ms']) for r in w if r['server'] == 'a']
    print('%s %-10s s%g-%g all p50/p99 %4.0f/%4.0f  a %4.0f/%4.0f' % (os.path.basename(d), os.path.basename(f).split('-')[2], lo, hi - 1, q(al, .5), q(al, .99), q(aa, .5), q(aa, .99)))
