/** Backend choice and the wasm training kernels (see shared/design.md, "Backends"). */
export { initBackend, backendInfo, BACKEND_NAMES, BackendUnavailableError } from './init';
export type { BackendInfo, BackendName } from './init';
export { registerWasmKernels, WASM_KERNELS } from './kernels';
export { batchNormActInference, batchNormActTraining, batchNormActTrainingComposed } from './ops/batch_norm_act';
export type { BnActivation } from './ops/batch_norm_act';
export { mobilenetV1BenchNet, headBenchNet, MOBILENET_V1_BLOCKS } from './bench_net';
export type { BenchNet } from './bench_net';
export { runCase, BENCH_NETWORKS } from './bench';
export type { BenchCase, BenchResult, BenchNetwork } from './bench';
