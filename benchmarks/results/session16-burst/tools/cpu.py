# usage: cpu.py threads.csv LOGFILE [row-index(-1 = last 'load from')] [slice_ms]
import sys, re, collections, datetime
f, log = sys.argv[1], sys.argv[2]
idx = int(sys.argv[3]) if len(sys.argv) > 3 else -1
w = int(sys.argv[4]) if len(sys.argv) > 4 else 200
starts = re.findall(r'load from (\S+)Z', open(log).read())
st = datetime.datetime.fromisoformat(starts[idx][:26]).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
prev = {}; per = collections.defaultdict(float); thr = collections.defaultdict(float)
roleset = set()
for line in open(f):
    ms, pid, role, tid, name, ticks = line.rstrip('\n').split(',')[:6]
    ms = int(ms); ticks = int(ticks); key = (pid, tid)
    if key in prev:
        d = (ticks - prev[key]) * 10
        rel = ms - st
        if -2000 <= rel < 6000 and d:
            k = int(rel // w)
            per[(k, role)] += d; roleset.add(role)
            # thread class: strip digits
            cls = re.sub(r'[0-9]+', '#', name)
            thr[(k // (1000 // w) if rel >= 0 else -1, role, cls)] += d
    prev[key] = ticks
roles = sorted(roleset)
print('slice_ms ' + ' '.join('%8s' % r[:8] for r in roles) + '   total  (CPU ms per %d ms slice; 2 cores = %d)' % (w, 2 * w))
for k in range(-2000 // w, 6000 // w):
    vals = [per.get((k, r), 0) for r in roles]
    print('%8d ' % (k * w) + ' '.join('%8.0f' % v for v in vals) + '  %6.0f' % sum(vals))
print('\nTop thread classes per second (ms CPU), second -1 = the 2 s before the load')
for s in range(-1, 6):
    items = sorted(((v, r, c) for (ss, r, c), v in thr.items() if ss == s), reverse=True)[:12]
    print('second %d: ' % s + ', '.join('%s/%s %.0f' % (r, c, v) for v, r, c in items))
