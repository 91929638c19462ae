import re, sys, statistics as st
for f in sys.argv[1:]:
    rows=[]
    for line in open(f):
        m=re.match(r'(\d+) SpillOverBudget=(\d+) Spilled=(\d+) WaitingRequests=(-?\d+) PermitBudgets=\[(.*?)\] Requests=(\d+)', line)
        if m:
            b=[float(x) for x in m.group(5).split(',') if x.strip()]
            rows.append((int(m.group(1))/1000, int(m.group(2)), int(m.group(3)), int(m.group(4)), sum(b), int(m.group(6))))
    # per whole second, over the seconds where requests arrive at > 20/s (the loaded row, after warm-up)
    out=[]
    i=0
    while i+4 < len(rows):
        a,b=rows[i],rows[i+4]
        dt=b[0]-a[0]
        rate=(b[5]-a[5])/dt
        out.append(((b[1]-a[1])/dt,(b[2]-a[2])/dt,b[3],b[4],rate))
        i+=4
    # loaded seconds: request rate near the hot server's load (> 1.1 x the median of the warm-up)
    rates=[o[4] for o in out]
    hi=max(rates)
    load=[o for o in out if o[4] > 0.6*hi]
    ob=[o[0] for o in load]; sp=[o[1] for o in load]; w=[o[2] for o in load]; bud=[o[3] for o in load]
    print(f"{f.split('/')[-1]}: {len(load)} loaded s; over-budget/s mean {st.mean(ob):.1f} max {max(ob):.0f}; spilled/s mean {st.mean(sp):.1f}; waiting at sample median {st.median(w)} max {max(w)}; budgets in force mean {st.mean(bud):.1f} min {min(bud):.0f} max {max(bud):.0f}; req/s mean {st.mean([o[4] for o in load]):.0f}")
    print("   over-budget/s per s:", [round(x) for x in ob])
    print("   budgets in force per s:", [round(x) for x in bud])
