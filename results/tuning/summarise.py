"""Summarises the stage-2 search logs (results/tuning/logs/run-*.txt) into stage2-search.json and a markdown table.
Usage: python3 results/tuning/summarise.py  (prints the table; writes stage2-search.json beside this file)."""
import json, re, pathlib
here = pathlib.Path(__file__).parent
rows = []
for f in sorted((here / 'logs').glob('run-*.txt')):
    text = f.read_text()
    cfg = json.loads(re.search(r'test \d+ (\{.*\})', text).group(1))
    s1 = re.search(r'stage1 best: val loss ([\d.]+) F1 ([\d.]+) AP ([\d.]+)', text)
    eps = [dict(epoch=int(m[0]), train_loss=float(m[1]), seconds=float(m[2]), val_loss=float(m[3]), val_f1=float(m[4]), val_ap=float(m[5]))
           for m in re.findall(r'epoch (\d+) train loss ([\d.]+) \((\d+)s\): val loss ([\d.]+) F1 ([\d.]+) AP ([\d.]+)', text)]
    diag = re.findall(r'DIAG epoch (\d+): (.*)', text)
    rows.append(dict(run=f.stem[4:], config={k: cfg[k] for k in ['size', 'frames', 'seed', 'lr2', 'epochs2', 'bs2', 'sched', 'warm', 'headBn'] if k in cfg},
                     stage1=dict(val_loss=float(s1[1]), val_f1=float(s1[2]), val_ap=float(s1[3])) if s1 else None,
                     epochs=eps, diagnosis=[dict(epoch=int(e), text=t) for e, t in diag],
                     complete=len(eps) == cfg['epochs2']))
(here / 'stage2-search.json').write_text(json.dumps(rows, indent=1) + '\n')
print('| run | px | frames | seed | lr | batch | schedule | epochs run/planned | head BN | stage-1 val F1 | final val loss | final val F1 | final val AP |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for r in rows:
    c, e = r['config'], r['epochs'][-1] if r['epochs'] else None
    sched = 'constant' if c.get('sched', 'const') == 'const' else f"warm-up {c.get('warm')} + cosine"
    print(f"| {r['run']} | {c['size']} | {c['frames']} | {c['seed']} | {c['lr2']:g} | {c.get('bs2', 32)} | {sched} | {len(r['epochs'])}/{c['epochs2']} | {c['headBn']} | "
          f"{r['stage1']['val_f1']:.3f} | {e['val_loss'] if e else '-'} | {e['val_f1'] if e else '-'} | {e['val_ap'] if e else '-'} |")
