/**
 * Sums over the rows of a channels-last [n, c] tensor on every thread, with results that do not depend on the thread
 * count: the rows are cut into chunks that the shape alone fixes, each chunk sums into its own double accumulator
 * (in csrc/kernels.c: row_sums, sq_dev_sums, bn_grad_sums, dw_filter_grad), and the chunks' sums are added here in
 * chunk order.
 *
 * Split by rows, not by channels: with 32 channels a channel split has only two parts, and both threads read
 * every cache line of the tensor; a row split gives each thread its own contiguous rows.
 */
import { Native, NativeExports, splitBounds } from './native';

/** A chunk sums at least this many elements (below, its accumulator and the final adds cost more than it saves). */
const CHUNK_ELEMENTS = 1 << 14;
/** At most this many chunks: 4 per thread on the 2-core machine (native.ts's CHUNKS_PER_THREAD). */
const MAX_CHUNKS = 8;

/** Row bounds [0, r1, ..., n] of the chunks of an [n, c] reduction: a function of n and c only. */
export function rowChunkBounds(n: number, c: number): number[] {
  const parts = Math.max(1, Math.min(MAX_CHUNKS, Math.floor((n * c) / CHUNK_ELEMENTS), n));
  return splitBounds(n, parts, 1);
}

/**
 * Runs export `name` once per row chunk of an [n, c] tensor, `args(r0, r1, acc, j)` giving the call of chunk j
 * that sums rows [r0, r1) into the `width` doubles at byte offset `acc`, and returns the chunks' sums added in
 * chunk order (width doubles). Runs on every thread when the tensor is large enough (Native.chunks).
 */
export function rowPartialSums(
  nat: Native,
  name: keyof NativeExports,
  n: number,
  c: number,
  width: number,
  args: (r0: number, r1: number, acc: number, j: number) => number[],
): Float64Array {
  const bounds = rowChunkBounds(n, c);
  const parts = bounds.length - 1;
  const slot = (width + 7) & ~7; // 8 doubles = one 64-byte line: chunks on different threads never share a line
  const acc = nat.malloc(8 * slot * parts);
  try {
    nat.chunks(name, n * c, bounds.slice(1).map((r1, j) => args(bounds[j], r1, acc + 8 * slot * j, j)));
    const partial = new Float64Array(nat.memory.buffer, acc, slot * parts); // after the calls: malloc may grow the heap
    const out = new Float64Array(width);
    for (let j = 0; j < parts; j++) for (let k = 0; k < width; k++) out[k] += partial[j * slot + k];
    return out;
  } finally {
    nat.free(acc);
  }
}
