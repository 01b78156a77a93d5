import { parseArgs } from 'node:util';
import { UsageError } from './types';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean };

/**
 * Parses `argv` with node's `util.parseArgs`, turning its errors into one-line `UsageError`s.
 * Returns the option values and the positionals.
 */
export function parseCommandArgs<T extends Record<string, OptionSpec>>(
  argv: string[],
  options: T,
  opts: { allowPositionals?: boolean } = {},
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, allowPositionals: opts.allowPositionals ?? false, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

/** Reads an integer option, rejecting non-integers and values outside [min, max] with the option named. */
export function intOption(value: unknown, name: string, def: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return def;
  const s = String(value);
  if (!/^-?\d+$/.test(s)) throw new UsageError(`--${name} must be an integer, got '${s}'`);
  const n = Number(s);
  if (n < min || n > max) throw new UsageError(`--${name} must be in [${min}, ${max}], got ${n}`);
  return n;
}
