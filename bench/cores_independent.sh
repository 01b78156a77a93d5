#!/bin/sh
# Are the machine's two cores independent (not SMT siblings, not throttled when both run)? Runs the same single-thread
# work alone and then two copies side by side: a scalar floating-point loop (Mflop/s) and the wasm forward pass of the
# MobileNet-v1 AU model at 128 px, batch 32, one thread (images/s). Independent cores give each copy about its
# alone figure. Usage: sh bench/cores_independent.sh   (about two minutes; needs an idle machine)
set -eu
cd "$(dirname "$0")/.."
LOOP='(()=>{const n=4e8;let a=1.0000001,b=0.9999999,c=1.0000002,d=0.9999998;const m=1.0000000001;const t0=process.hrtime.bigint();
for(let i=0;i<n;i++){a=a*m+1e-12;b=b*m+1e-12;c=c*m+1e-12;d=d*m+1e-12;}
const s=Number(process.hrtime.bigint()-t0)/1e9;console.log("scalar loop: "+(8*n/s/1e6).toFixed(0)+" Mflop/s"+(a+b+c+d>0?"":"!"));})();'
FWD='node bin/fer-au.js bench --backend wasm --threads 1 --backbones mobilenet_v1 --sizes 128 --steps 5 --no-peer --no-save'
echo "alone:"; node -e "$LOOP"
echo "two at once:"; node -e "$LOOP" & node -e "$LOOP"; wait
echo "alone:"; FER_WASM_THREADS=1 $FWD 2>&1 | grep 'forward:'
echo "two at once:"; FER_WASM_THREADS=1 $FWD 2>&1 | grep 'forward:' & FER_WASM_THREADS=1 $FWD 2>&1 | grep 'forward:'; wait
