# usage: renice.py STOPFILE NICE : keeps every task of the servers, the manager and haproxy at NICE (the load client
# stays at 0), checking every 50 ms; a stand-in for launching them under `nice -n NICE`.
import os, sys, time
stop, nice = sys.argv[1], int(sys.argv[2])
def target(pid):
    try: cmd = open('/proc/%s/cmdline' % pid, 'rb').read()
    except OSError: return False
    return b'-Dspillway.host=' in cmd or b'spillway-manager.jar' in cmd or cmd.split(b'\0')[0].endswith(b'haproxy')
while not os.path.exists(stop):
    for pid in os.listdir('/proc'):
        if pid.isdigit() and target(pid):
            try: tids = os.listdir('/proc/%s/task' % pid)
            except OSError: continue
            for t in tids:
                try:
                    if os.getpriority(os.PRIO_PROCESS, int(t)) != nice: os.setpriority(os.PRIO_PROCESS, int(t), nice)
                except OSError: pass
    time.sleep(0.05)
