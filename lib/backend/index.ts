/** Backend choice and the wasm training kernels (see shared/design.md, "Backends"). */
export { initBackend, backendInfo, BACKEND_NAMES, BackendUnavailableError } from './init';
export type { BackendInfo, BackendName } from './init';
export { registerWasmKernels, WASM_KERNELS } from './kernels';
export { batchNormActInference, batchNormActTraining, batchNormActTrainingComposed } from './ops/batch_norm_act';
export type { BnActivation } from './ops/batch_norm_act';
export { guardWasmMalloc, setWasmHeapLimit, wasmHeapLimitBytes, WasmOutOfMemoryError, WASM_HEAP_MAX_BYTES } from './wasm_memory';
