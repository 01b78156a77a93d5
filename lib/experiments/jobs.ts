/**
 * Several experiment runs at once, as separate processes: on this project's 2-core machines two single-threaded
 * processes train ~1.4x faster in total than one process with two wasm threads (measured 2026-12-02: two
 * initialisation twins at FER_WASM_THREADS=1 side by side, 80 s per stage-2 epoch each, against 53-63 s per epoch for
 * one run alone at 2 threads). One 2-thread run keeps the two cores only 149-172% busy (npm start from empty,
 * /usr/bin/time), so a second process has idle time to fill. A run computes the same bits on any thread count, so
 * which job trains it changes nothing in its results.
 */

export interface JobPlan {
  /** Child k runs `--shard k/jobs`. */
  jobs: number;
  /** FER_WASM_THREADS for each child. */
  threadsPerJob: number;
}

/**
 * How `jobs` processes share `cores`: each gets floor(cores / jobs) wasm threads, at least 1; a FER_WASM_THREADS the
 * user set wins. `jobs` is capped at the number of runs (an empty shard would only start and stop).
 */
export function jobPlan(jobs: number, cores: number, runs: number, userThreads?: string): JobPlan {
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive integer, got ${jobs}`);
  const n = Math.max(1, Math.min(jobs, runs));
  const fromUser = userThreads !== undefined && /^\d+$/.test(userThreads) && Number(userThreads) >= 1 ? Number(userThreads) : null;
  return { jobs: n, threadsPerJob: fromUser ?? Math.max(1, Math.floor(cores / n)) };
}

/** The child's arguments: the parent's, without `--jobs N`, plus `--shard k/n`. */
export function shardArgs(argv: readonly string[], k: number, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--jobs') {
      i++;
      continue;
    }
    out.push(argv[i]);
  }
  return [...out, '--shard', `${k}/${n}`];
}

/** Prefixes every complete line of `chunk` with `prefix`, keeping a partial last line in `carry` for the next chunk. */
export function prefixLines(prefix: string, carry: { rest: string }, chunk: string): string {
  const text = carry.rest + chunk;
  const lines = text.split('\n');
  carry.rest = lines.pop() ?? '';
  return lines.map((l) => `${prefix}${l}\n`).join('');
}
