# usage: probe.py RUNDIR NAME OUT STOPFILE : waits for RUNDIR/NAME-b.properties, then (1) GETs b's /slow?ms=100 every
# 100 ms on one keep-alive connection, (2) measures its own oversleep of 5 ms sleeps, (3) reads /proc/stat every 100 ms.
import os, sys, time, threading, http.client, re
run, name, out, stop = sys.argv[1:5]
f = open(out, 'w'); lock = threading.Lock()
def w(s):
    with lock: f.write(s + '\n')
p = os.path.join(run, name + '-b.properties')
while not os.path.exists(p) and not os.path.exists(stop): time.sleep(0.2)
time.sleep(0.5)
url = re.search(r'web-base-url = http://127.0.0.1:(\d+)(\S+)', open(p).read())
port, ctx = int(url.group(1)), url.group(2)
def pages():
    c = None
    while not os.path.exists(stop):
        t = time.time()
        try:
            if c is None: c = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
            c.request('GET', ctx + '/slow?ms=100'); r = c.getresponse(); r.read()
            w('page,%d,%.1f,%s' % (t * 1000, (time.time() - t) * 1000, r.status))
        except Exception as e:
            c = None; w('page,%d,-1,%s' % (t * 1000, type(e).__name__))
        time.sleep(max(0, 0.1 - (time.time() - t)))
def sleeps():
    while not os.path.exists(stop):
        t = time.time(); time.sleep(0.005); d = (time.time() - t) * 1000 - 5
        w('oversleep,%d,%.2f' % (t * 1000, d))
def stat():
    prev = None
    while not os.path.exists(stop):
        t = time.time()
        v = [int(x) for x in open('/proc/stat').readline().split()[1:]]
        if prev: 
            d = [a - b for a, b in zip(v, prev)]; tot = sum(d) or 1
            w('cpu,%d,%.2f,%.2f,%.2f' % (t * 1000, 1 - (d[3] + d[4]) / tot, d[7] / tot if len(d) > 7 else 0, tot))
        prev = v; time.sleep(0.1)
ts = [threading.Thread(target=x, daemon=True) for x in (pages, sleeps, stat)]
[t.start() for t in ts]
while not os.path.exists(stop): time.sleep(0.2)
time.sleep(0.3); f.close()
