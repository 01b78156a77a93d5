/** `fer-au bench`'s measurements: the networks it times and one timed case (above lib/models and lib/backend). */
export { runCase } from './run_case';
export type { BenchCase, BenchResult } from './run_case';
export { BENCH_NETWORKS, buildNetwork } from './networks';
export type { BenchNetwork, Runnable } from './networks';
export { layersMobileNetV1 } from './layers_mobilenet_v1';
export { mobilenetV1BenchNet, MOBILENET_V1_BLOCKS } from './ops_mobilenet_v1';
export type { BenchNet } from './ops_mobilenet_v1';
export { headBenchNet } from './head_net';
export { formatProfile, profileKernels } from './kernel_profile';
export type { KernelProfile, KernelStat } from './kernel_profile';
export { hostInfo, vectorIsaFlags } from './host';
export type { HostInfo } from './host';
