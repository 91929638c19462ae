#!/usr/bin/env python3
"""Where a row's moved requests went in the load's first seconds, and how long they took, per 100 ms.

usage: moves.py HOT RUN-REQUESTS.csv...   (HOT: the ids of the overloaded servers, e.g. ab)
Prints, per second 0-2 (3 = the rest), moved requests counted by origin (hot/cool) and target (hot/cool), then
per 100 ms of second 0 the moved requests' count, fastest and median latency (ms, from each page's due time).
"""
import collections
import csv
import sys

hot = sys.argv[1]
for path in sys.argv[2:]:
    rows = list(csv.DictReader(open(path)))
    t0 = min(int(r['due_us']) for r in rows)
    flows = collections.Counter()
    first = collections.defaultdict(list)
    for r in rows:
        if r['moved'] != 'true':
            continue
        ms = (int(r['due_us']) - t0) / 1e3
        src = 'hot' if r['server'] in hot else 'cool'
        dst = 'hot' if r['served_by'] in hot else 'cool'
        flows[(min(int(ms // 1000), 3), src + '->' + dst)] += 1
        if ms < 1000:
            first[int(ms // 100)].append(float(r['latency_ms']))
    print(path)
    for second in range(4):
        cells = ', '.join(f'{k[1]} {v}' for k, v in sorted(flows.items()) if k[0] == second)
        print(f'  second {second if second < 3 else "3+"}: {cells}')
    for slot in sorted(first):
        v = sorted(first[slot])
        print(f'  {slot * 100:4d} ms: {len(v):3d} moved, fastest {v[0]:.0f}, median {v[len(v) // 2]:.0f}')
