#!/usr/bin/env python3
# A point-to-point link made of two TUN devices, with a per-destination-port delay on one direction: a user-space
# stand-in for `tc netem` where the kernel has no sch_netem. Used by ClientRttNamespacesTest only.
# Args: ROOT_IF CLIENT_IF. Packets the client side sends to a TCP port listed on stdin ("port:ms port:ms", one
# line per change) reach the root side that much later; everything else passes at once. Prints READY when both
# devices exist (the test then moves CLIENT_IF into the client's network namespace).
import fcntl, heapq, os, select, struct, sys, threading, time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


def tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


root, client = tun(sys.argv[1]), tun(sys.argv[2])
delays = {}


def control():
    global delays
    for line in sys.stdin:
        d = {}
        for tok in line.split():
            port, ms = tok.split(":")
            d[int(port)] = float(ms) / 1000.0
        delays = d
    os._exit(0)  # stdin closed: the test is done with this link


threading.Thread(target=control, daemon=True).start()
print("READY", flush=True)


def send(fd, pkt):
    try:
        os.write(fd, pkt)
    except OSError:
        pass  # that side is not up (yet): dropped, as a down link would


queue, seq = [], 0
while True:
    timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 0.5
    ready, _, _ = select.select([root, client], [], [], timeout)
    if root in ready:
        send(client, os.read(root, 65535))
    if client in ready:
        pkt = os.read(client, 65535)
        delay = 0.0
        if len(pkt) >= 24 and pkt[0] >> 4 == 4 and pkt[9] == 6:  # IPv4, TCP
            ihl = (pkt[0] & 0x0F) * 4
            delay = delays.get(struct.unpack("!H", pkt[ihl + 2:ihl + 4])[0], 0.0)
        if delay <= 0:
            send(root, pkt)
        else:
            seq += 1
            heapq.heappush(queue, (time.monotonic() + delay, seq, pkt))
    now = time.monotonic()
    while queue and queue[0][0] <= now:
        send(root, heapq.heappop(queue)[2])
