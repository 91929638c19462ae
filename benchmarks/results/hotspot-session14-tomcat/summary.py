import csv, glob, os, sys
# usage: python3 summary.py [x] (x: also the first three seconds); run in the results folder or the series'
base = os.environ.get('SERIES', os.path.dirname(os.path.abspath(__file__)))
order = ['s1', 'twohot', 's3', 's5']
rows = []
for d in sorted(glob.glob(base + '/*-r?-*/hotspot.csv')):
    name = d.split('/')[-2]
    tag, rnd, cont = name.split('-')
    for r in csv.DictReader(open(d)):
        if r['ran'] != 'true':
            continue
        rows.append((order.index(tag), rnd, cont, r, os.path.dirname(d)))
rows.sort(key=lambda x: (x[0], x[1], x[2] != 'jetty'))
def f(v):
    try: return '%.0f' % float(v)
    except: return '-'
print('shape|round|container|row|p99|p50|p99 per server|last-quarter p99|moved % per server (limit)|err/timeouts|load start->end')
for o, rnd, cont, r, dirn in rows:
    limits = ' '.join('%s' % ('%.1f' % (float(x.split('=')[1]) + 5)) for x in r['excess_pct_by_server'].split())
    moved = r['moved_pct_by_server'] if r['row'] != 'd' else '-'
    moved = ' '.join(x.split('=')[0] + '=' + ('%.1f' % float(x.split('=')[1]) if x.split('=')[1] else '-') for x in moved.split()) if moved != '-' else '-'
    print('|'.join([order[o], rnd, cont, r['row'], f(r['p99_ms']), f(r['p50_ms']),
        ' '.join(x.split('=')[0]+'='+f(x.split('=')[1]) for x in r['p99_ms_by_server'].split()),
        f(r['p99_ms_last_quarter']), moved + ' (' + limits + ')', r['errors'] + '/' + r['timeouts'],
        r['load_avg_start'].split()[0] + '->' + r['load_avg_end'].split()[0]]))
if len(sys.argv) > 1:
    # first seconds: p99 per server in seconds 0-2
    for o, rnd, cont, r, dirn in rows:
        rowname = {'a': 'none', 'b': 'redirect', 'd': 'leastconn'}.get(r['row'], r['row'])
        fs = glob.glob(dirn + '/run/s*-r1-' + rowname + '-per-second.csv') + glob.glob(dirn + '/s*-r1-' + rowname + '-per-second.csv')
        if not fs: continue
        out = []
        for x in csv.DictReader(open(fs[0])):
            if int(x['second']) < 3:
                out.append('s%d %s p99 %s moved %s/%s' % (int(x['second']), x['server'], f(x['p99_ms']), x['moved'], x['pages']))
        print(order[o], rnd, cont, r['row'], '; '.join(out))
