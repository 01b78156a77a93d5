/**
 * What a bench result needs to say about the machine it ran on, beyond core count and load: the CPU's vector
 * instruction sets. Throughput ratios against the PyTorch peer depend on them: wasm SIMD is 128 bits wide on every
 * CPU, while PyTorch's oneDNN convolutions use AVX-512 where the CPU has it (measured on an AVX-512 EPYC: PyTorch
 * 2.1x wasm on one thread, against 0.57x on a CPU without it), so two results are comparable only on the same ISA.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { coreCount } from '../util/cores';

/** The x86 vector-ISA flags worth recording, in the order /proc/cpuinfo's names sort them by width. */
const VECTOR_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'amx_tile'] as const;

/** The vector-ISA flags of the first CPU in `cpuinfo` (text of /proc/cpuinfo) among VECTOR_FLAGS, in that order. */
export function vectorIsaFlags(cpuinfo: string): string[] {
  const line = cpuinfo.split('\n').find((l) => /^flags\s*:/.test(l));
  if (!line) return [];
  const have = new Set(line.slice(line.indexOf(':') + 1).trim().split(/\s+/));
  return VECTOR_FLAGS.filter((f) => have.has(f));
}

export interface HostInfo {
  hostname: string;
  cpus: number;
  cpuModel: string;
  /** Vector-ISA flags (Linux x86: /proc/cpuinfo), empty where unknown. */
  cpuVectorIsa: string[];
  loadAvg: number[];
  node: string;
  platform: string;
}

export function hostInfo(): HostInfo {
  const cores = coreCount();
  let cpuinfo = '';
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: the flags stay unknown
  }
  return {
    hostname: os.hostname(), cpus: cores, cpuModel: os.cpus()[0]?.model ?? 'unknown', cpuVectorIsa: vectorIsaFlags(cpuinfo),
    loadAvg: os.loadavg(), node: process.version, platform: `${process.platform}-${process.arch}`,
  };
}
