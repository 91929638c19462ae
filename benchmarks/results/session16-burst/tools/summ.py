# usage: summ.py DIR... : per run: load avg, redirect p99 / leastconn p99 (log), and from requests.csv of the counted
# redirect row: p50/p99 of all pages and of b's pages (served where sent) in seconds 0-1 and 2-end
import sys, re, csv, glob, os
def q(l, p): l = sorted(l); return l[min(len(l) - 1, int(p * len(l)))] if l else float('nan')
for d in sys.argv[1:]:
    log = open(os.path.join(d, 'log')).read()
    rows = re.findall(r'\((\w)\) ([\w ]+?): p50 (\d+), p99 (\d+), max (\d+) ms; errors (\d+), timeouts (\d+).*?load average ([\d. ]+) -> ([\d. ]+)', log)
    up = open(os.path.join(d, 'uptime-start')).read().split('average:')[1].strip()
    print('%s  (uptime at start: %s)' % (os.path.basename(d), up))
    for r in rows: print('   row %s %-18s p50 %4s p99 %5s max %5s  err/to %s/%s  load %s -> %s' % r)
    for f in sorted(glob.glob(os.path.join(d, 'run', '*-r1-*-requests.csv'))):
        rs = list(csv.DictReader(open(f))); t0 = min(int(r['due_us']) for r in rs)
        def sel(lo, hi, srv=None):
            return [float(r['latency_ms']) for r in rs if lo <= (int(r['due_us']) - t0) / 1e6 < hi and (srv is None or (r['server'] == srv and r['moved'] != 'true'))]
        row = os.path.basename(f).split('-')[2]
        print('     %-10s s0-1 all p50/p99 %4.0f/%4.0f  b p50/p99 %4.0f/%4.0f | s2+ all %4.0f/%4.0f  b %4.0f/%4.0f' % (row,
              q(sel(0, 2), .5), q(sel(0, 2), .99), q(sel(0, 2, 'b'), .5), q(sel(0, 2, 'b'), .99),
              q(sel(2, 99), .5), q(sel(2, 99), .99), q(sel(2, 99, 'b'), .5), q(sel(2, 99, 'b'), .99)))
