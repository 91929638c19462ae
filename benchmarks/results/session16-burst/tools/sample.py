# Per-thread CPU of every java process, every 100 ms, until the stop file exists. Output: CSV lines
# wall_ms,pid,role,tid,thread,ticks  (ticks = utime+stime in 1/100 s)
import os, sys, time
out = open(sys.argv[1], 'w'); stop = sys.argv[2]
roles = {}
starts = open(sys.argv[1] + '.starts', 'w')
def role(pid):
    try: st = open('/proc/%s/stat' % pid).read().rsplit(')',1)[1].split()[19]
    except OSError: return None
    if (pid, st) in roles: return roles[(pid, st)]
    try: cmd = open('/proc/%s/cmdline' % pid, 'rb').read().split(b'\0')
    except OSError: return None
    if not cmd or not cmd[0].endswith(b'java'): return None
    r = 'java'
    for a in cmd:
        if a.startswith(b'-Dspillway.host='): r = 'srv-' + a.split(b'=')[1].decode()
        elif a.endswith(b'spillway-manager.jar'): r = 'manager'
        elif b'HotspotBench' in a: r = 'client'
    roles[(pid, st)] = r
    starts.write('%s,%s,%s\n' % (pid, r, st)); starts.flush(); return r
me = os.getpid()
while not os.path.exists(stop):
    t = time.time(); ms = int(t * 1000)
    buf = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        r = role(pid)
        if r is None: continue
        try: tids = os.listdir('/proc/%s/task' % pid)
        except OSError: continue
        for tid in tids:
            try: s = open('/proc/%s/task/%s/stat' % (pid, tid)).read()
            except OSError: continue
            i = s.index('('); j = s.rindex(')')
            name = s[i+1:j].replace(',', ';'); f = s[j+2:].split()
            wait = 0
            if r in ('client', 'srv-b'):
                try: wait = int(open('/proc/%s/task/%s/schedstat' % (pid, tid)).read().split()[1]) // 1000000
                except (OSError, IndexError): pass
            buf.append('%d,%s,%s,%s,%s,%d,%d\n' % (ms, pid, r, tid, name, int(f[11]) + int(f[12]), wait))
    s = open('/proc/%d/stat' % me).read().split(')')[1].split()
    buf.append('%d,%d,sampler,%d,sampler,%d,0\n' % (ms, me, me, int(s[11]) + int(s[12])))
    out.write(''.join(buf))
    time.sleep(max(0.0, 0.1 - (time.time() - t)))
out.close()
