import re,sys,csv,glob,subprocess,os
# run from this directory: python3 table.py A1-two B1-two ...  (one table row per run: see BENCHMARKS.md section 7, session 10)
runs=sys.argv[1:]
for r in runs:
    d=r
    try: txt=open(d+'/hotspot.txt').read()
    except: continue
    red=ld=None; first=''
    for line in txt.splitlines():
        m=re.match(r'\s+(\d+)\s+\((\w)\) (.*?)\s{2,}(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+) -> (\S+)',line)
        if not m: continue
        row=m.group(2)
        if row=='b': red=m
        elif row in 'da': ld=m
    shape=red.group(1)
    s0,s1=(10,12) if shape=='3' else (0,2)
    per={}
    for p in glob.glob(d+'/run/*-redirect-per-second.csv'):
        for x in csv.DictReader(open(p)):
            s=int(x['second'])
            if s0<=s<=s1: per.setdefault(x['server'],[]).append(float(x['p99_ms']))
    fs='/'.join('%.0f'%max(v) for k,v in sorted(per.items()))
    own=''
    if shape!='5':
        th='130' if shape=='3' else '120'
        out=subprocess.run(['python3',os.path.join(os.path.dirname(os.path.abspath(__file__)),'diag.py'),glob.glob(d+'/run/*-redirect-manager.log')[0],th,'4'],capture_output=True,text=True).stdout.splitlines()[1:4]
        tg=('b','c') if shape=='3' else ('c','d')
        cyc=[]
        for l in out:
            v=[re.search(r'\b%s rate=\S+ own=(\S+)'%t,l).group(1) for t in tg]
            cyc.append('/'.join(v))
        own=', '.join(cyc)
    print('| %s | %s | %s → %s | %s (%s) | %s | %s | %s | %s |'%(r, r[0], red.group(14), red.group(15), red.group(5+1), red.group(9), ld.group(6) if ld else '-', red.group(11), fs, own))
