/** Backend choice and the wasm training kernels (see shared/design.md, "Backends"). */
export { initBackend, backendInfo, BackendInfo, BackendName, BACKEND_NAMES, BackendUnavailableError } from './init';
export { registerWasmKernels, WASM_KERNELS } from './kernels';
export { batchNormActInference, batchNormActTraining, BnActivation } from './ops/batch_norm_act';
