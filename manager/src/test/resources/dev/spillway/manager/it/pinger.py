#!/usr/bin/env python3
# A client that keeps one TCP connection to each server port and sends a byte every 50 ms, reading the echo: the
# servers' kernels keep measuring their round-trip time to it. Used by ClientRttNamespacesTest only.
# Args: SERVER_ADDRESS PORT...
import socket, sys, time

conns = [socket.create_connection((sys.argv[1], int(p)), timeout=10) for p in sys.argv[2:]]
print("CONNECTED", flush=True)
while True:
    for c in conns:
        c.sendall(b"x")
        c.recv(1)
    time.sleep(0.05)
