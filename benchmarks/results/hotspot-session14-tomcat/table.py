# Markdown table of the series: per shape, round and container, redirect vs leastconn (no offloading where run).
import csv, glob, os
base = os.environ.get('SERIES', os.path.dirname(os.path.abspath(__file__)))
order = ['s1', 'twohot', 's3', 's5']
label = {'s1': '1: a at 126%', 'twohot': 'two hot of four', 's3': '3: a steps 50% → 150%', 's5': '5: all at 90%'}
runs = {}
for f in glob.glob(base + '/*-r?-*/hotspot.csv'):
    tag, rnd, cont = os.path.basename(os.path.dirname(f)).split('-')
    runs[(tag, rnd, cont)] = {r['row']: r for r in csv.DictReader(open(f)) if r['ran'] == 'true'}
def n(v): return '%.0f' % float(v)
print('| shape | round | container | redirect p99 ms | leastconn p99 | ratio | redirect p99 per server | moved % per server (limit) | redirect p99 last quarter | no offloading p99 (timeouts) | errors + timeouts (redirect) | load start → end (redirect, leastconn) |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|')
for key in sorted(runs, key=lambda k: (order.index(k[0]), k[1], k[2] != 'jetty')):
    rows = runs[key]; b = rows.get('b'); d = rows.get('d'); a = rows.get('a')
    if not b: continue
    ratio = '%.2f×' % (float(b['p99_ms']) / float(d['p99_ms'])) if d else ('%.2f× none' % (float(b['p99_ms']) / float(a['p99_ms'])) if a else '-')
    per = '/'.join(n(x.split('=')[1]) for x in b['p99_ms_by_server'].split())
    mv = '/'.join('%.1f' % float(x.split('=')[1]) for x in b['moved_pct_by_server'].split())
    lim = '/'.join('%.1f' % (float(x.split('=')[1]) + 5) for x in b['excess_pct_by_server'].split())
    none = (n(a['p99_ms']) + ' (' + a['timeouts'] + ')') if a else '–'
    load = b['load_avg_start'].split()[0] + '→' + b['load_avg_end'].split()[0] + (', ' + d['load_avg_start'].split()[0] + '→' + d['load_avg_end'].split()[0] if d else '')
    print('| %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s |' % (label[key[0]], key[1][1], key[2],
        n(b['p99_ms']), n(d['p99_ms']) if d else '–', ratio, per, mv, lim, n(b['p99_ms_last_quarter']), none,
        int(b['errors']) + int(b['timeouts']), load))
