import csv,sys,datetime
rows=list(csv.DictReader(open(sys.argv[1])))
t0=min(int(r['due_us']) for r in rows)
off=float(sys.argv[2]) if len(sys.argv)>2 else 0
ts=t0/1e6+off
print('load start', datetime.datetime.utcfromtimestamp(t0/1e6).strftime('%H:%M:%S.%f')[:-3], 'ref(+%gs)'%off, datetime.datetime.utcfromtimestamp(ts).strftime('%H:%M:%S.%f')[:-3])
hot=sys.argv[3] if len(sys.argv)>3 else 'a'
mv=sorted(int(r['due_us']) for r in rows if r['server']==hot and r['moved']=='true' and int(r['due_us'])/1e6>=ts)
print('first moves after ref (ms):', [round((m/1e6-ts)*1000) for m in mv[:5]], 'count in first 0.5s', sum(1 for m in mv if m/1e6-ts<0.5))
