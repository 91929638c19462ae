#!/usr/bin/env python3
"""Session 11 summary: per shape, redirect/proxy p99 against leastconn's (shape 5 and shapes with no server
over capacity: against no offloading's), moved % and limit (excess + 5), errors/timeouts, last quarter, loads."""
import csv, sys, glob, os

def f(x):
    return float(x) if x not in ('', None) else None

def parse_map(s):
    out = {}
    for part in (s or '').split():
        k, _, v = part.partition('=')
        out[k] = f(v) if v else None
    return out

def fmt(x):
    return '-' if x is None else (f'{x:.0f}' if x >= 100 else f'{x:.3g}')

for path in sys.argv[1:]:
    rows = list(csv.DictReader(open(path)))
    by = {}
    for r in rows:
        by.setdefault((r['shape'], r['round']), {})[r['row']] = r
    for (shape, rnd), rs in sorted(by.items()):
        base_key = 'd' if 'd' in rs else 'a'
        base = rs.get(base_key)
        excess = parse_map(rs[next(iter(rs))]['excess_pct_by_server'])
        hot = [k for k, v in excess.items() if v and v > 0]
        if not hot:
            base = rs.get('a'); base_key = 'a'
        bp = f(base['p99_ms']) if base else None
        cells = []
        for key in ('b', 'c'):
            r = rs.get(key)
            if not r:
                cells.append('-'); continue
            p = f(r['p99_ms'])
            cells.append(f"{fmt(p)} = {p/bp:.2f}x" if bp else fmt(p))
        r = rs.get('b')
        moved = parse_map(r['moved_pct_by_server']) if r else {}
        if hot:
            mv = ' / '.join(f"{k} {moved[k]:.1f}% ({excess[k]+5:.1f})" for k in hot)
        else:
            tot = f(r['moved_pct']) if r else None
            mv = f"{tot:.2f}% of all (5)" if tot is not None else '-'
        errs = ', '.join(f"{k} {rs[k]['errors']}/{rs[k]['timeouts']}" for k in ('a','b','c','d') if k in rs)
        lq = ' / '.join(fmt(f(rs[k]['p99_ms_last_quarter'])) for k in ('b', base_key) if k in rs)
        loads = ', '.join(f"{k} {rs[k]['load_avg_start'].split()[0]}->{rs[k]['load_avg_end'].split()[0]}" for k in ('a','b','c','d') if k in rs)
        print(f"| {shape} r{rnd} ({os.path.basename(os.path.dirname(path))}) | base {base_key} {fmt(bp)} | {cells[0]} | {cells[1]} | {mv} | {errs} | {lq} | {loads} |")
