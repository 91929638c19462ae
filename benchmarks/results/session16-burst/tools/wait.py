# usage: wait.py threads.csv LOG role [row idx]: run-queue wait (ms) per 200 ms slice per thread class of a role
import sys, re, collections, datetime
f, log, role = sys.argv[1:4]; idx = int(sys.argv[4]) if len(sys.argv) > 4 else -1; w = 200
starts = re.findall(r'load from (\d\S+)Z', open(log).read())
st = datetime.datetime.fromisoformat(starts[idx][:26]).replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
prev = {}; per = collections.defaultdict(float); cl = collections.Counter()
for line in open(f):
    p = line.rstrip('\n').split(',')
    if p[2] != role or len(p) < 7: continue
    ms = int(p[0]); key = (p[1], p[3]); v = int(p[6])
    if key in prev:
        rel = ms - st; c = re.sub(r'[0-9]+', '#', p[4])
        if -2000 <= rel < 5000: per[(int(rel // w), c)] += v - prev[key]; cl[c] += v - prev[key]
    prev[key] = v
cs = [c for c, _ in cl.most_common(8)]
print('run-queue wait ms, ' + role + '\nslice ' + ' '.join('%9s' % c[:9] for c in cs))
for k in range(-2000 // w, 5000 // w): print('%5d ' % (k * w) + ' '.join('%9.0f' % per[(k, c)] for c in cs))
