#!/usr/bin/env python3
"""Every 0.25 s: CPU ticks of each java/haproxy process (tagged), machine CPU, TCP passive/active opens,
established sockets per local port. Writes CSV lines to argv[1] until killed."""
import os, sys, time, re
out = open(sys.argv[1], 'w', buffering=1)
HZ = os.sysconf('SC_CLK_TCK')
def tag(pid):
    try:
        cmd = open(f'/proc/{pid}/cmdline','rb').read().split(b'\0')
    except Exception:
        return None
    c = b' '.join(cmd).decode(errors='replace')
    if 'haproxy' in cmd[0].decode(errors='replace'): return 'haproxy'
    if not cmd[0].endswith(b'java'): return None
    mine = '/tmp/firstseconds/' in c
    m = re.search(r'-Dspillway\.host=(\w+)', c)
    if m: return ('srv-' if mine else 'other-srv-') + m.group(1)
    if 'manager' in c and '-jar' in c: return 'manager' if mine else 'other-manager'
    if 'HotspotBench' in c: return 'bench' if mine else 'other-bench'
    if 'maven' in c or 'surefire' in c: return 'mvn'
    return 'java-other'
def snmp():
    lines = open('/proc/net/snmp').read().splitlines()
    tcp = [l.split() for l in lines if l.startswith('Tcp:')]
    d = dict(zip(tcp[0][1:], tcp[1][1:]))
    return int(d['ActiveOpens']), int(d['PassiveOpens'])
def stat():
    f = open('/proc/stat').readline().split()[1:]
    v = list(map(int, f)); idle = v[3] + v[4]; return sum(v), idle
t0 = time.time()
while True:
    now = time.time()
    parts = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        t = tag(pid)
        if not t: continue
        try:
            s = open(f'/proc/{pid}/stat').read().rsplit(')',1)[1].split()
            ticks = int(s[11]) + int(s[12])
            nthreads = int(s[17])
        except Exception:
            continue
        parts.append(f'{t}:{pid}:{ticks}:{nthreads}')
    a, p = snmp(); tot, idle = stat()
    est = {}
    for fn in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            for l in open(fn).read().splitlines()[1:]:
                x = l.split()
                if x[3] == '01':
                    port = int(x[1].split(':')[1], 16)
                    est[port] = est.get(port, 0) + 1
        except Exception:
            pass
    ests = ' '.join(f'{k}={v}' for k, v in sorted(est.items()) if v >= 3)
    out.write(f'{now:.3f},{tot},{idle},{a},{p},{" ".join(parts)},{ests}\n')
    time.sleep(max(0.01, 0.25 - (time.time() - now)))
