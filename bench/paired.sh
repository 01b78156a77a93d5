#!/bin/sh
# Alternates wasm (1 thread) and PyTorch (1 thread) training-step measurements of the same MobileNet-v1-shaped
# network (the MobileNet-v1 AU model) at 128 px, batch 16, so each pair sees the same machine load; prints img/s per run.
# Usage: sh bench/paired.sh [rounds]     (needs Debian's python3-torch; FER_PYTHON to pick another python)
set -eu
cd "$(dirname "$0")/.."
PY="${FER_PYTHON:-/usr/bin/python3}"
for i in $(seq "${1:-3}"); do
  node bin/fer-au.js bench --backend wasm --threads 1 --backbones mobilenet_v1 --sizes 128 --steps 5 --no-peer --no-save --json 2>/dev/null |
    node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s).runs[0].results.find(x=>x.mode==='train');console.log('wasm 1t 128px train: '+r.imagesPerS.toFixed(2)+' img/s')})"
  "$PY" bench/pytorch_mobilenet.py --sizes 128 --threads 1 --steps 5 2>/dev/null | sed -n 's/^1t 128px train .*: /pytorch 1t 128px train: /p'
done
