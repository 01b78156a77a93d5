/** Consecutive runs of sorted integers as inclusive ranges: [1, 2, 3, 7] -> [[1, 3], [7, 7]]; [] -> []. */
export function integerRanges(xs: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last && x === last[1] + 1) last[1] = x;
    else out.push([x, x]);
  }
  return out;
}
