# usage: client.py threads.csv LOG role [slice]: CPU ms per thread class of one role per slice
import sys, re, collections, datetime
f, log, role = sys.argv[1:4]; w = int(sys.argv[4]) if len(sys.argv) > 4 else 200
starts = re.findall(r'load from (\d\S+)Z', open(log).read())
st = datetime.datetime.fromisoformat(starts[-1][:26]).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
prev = {}; per = collections.defaultdict(float); classes = collections.Counter()
for line in open(f):
    ms, pid, r, tid, name, ticks = line.rstrip('\n').split(',')[:6]
    if r != role: continue
    ms = int(ms); ticks = int(ticks); key = (pid, tid)
    if key in prev:
        d = (ticks - prev[key]) * 10; rel = ms - st
        if -2000 <= rel < 5000 and d:
            c = re.sub(r'[0-9]+', '#', name); per[(int(rel // w), c)] += d; classes[c] += d
    prev[key] = ticks
cs = [c for c, _ in classes.most_common(9)]
print('slice ' + ' '.join('%9s' % c[:9] for c in cs))
for k in range(-2000 // w, 5000 // w):
    print('%5d ' % (k * w) + ' '.join('%9.0f' % per[(k, c)] for c in cs))
