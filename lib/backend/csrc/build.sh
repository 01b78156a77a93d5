#!/bin/sh
# Builds kernels.wasm (for tfjs-backend-wasm's single-threaded builds) and kernels-shared.wasm (for the threaded
# build, whose memory is shared) from kernels.c with Debian's clang and lld (apt-get install -y clang lld; tested
# with clang 14.0.6). Deterministic: the same compiler gives the same bytes (sha256sum is printed).
set -eu
cd "$(dirname "$0")"
FLAGS="--target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin -ffreestanding -Wall -Werror
  -Wl,--no-entry -Wl,--import-memory -Wl,--export-dynamic -Wl,--strip-all -Wl,-z,stack-size=0"
clang $FLAGS -o kernels.wasm kernels.c
clang $FLAGS -matomics -mbulk-memory -Wl,--shared-memory -Wl,--max-memory=4294967296 -o kernels-shared.wasm kernels.c
sha256sum kernels.wasm kernels-shared.wasm
