/** Reading and atomic writing of results files (schema in schema.ts). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readJson, writeFileAtomic } from '../util/fs';
import { ResultsFile, validateResults } from './schema';

/**
 * Pretty JSON with arrays of numbers kept on one line (PR curves would otherwise take one line per value):
 * readable diffs of the structure, compact files.
 */
export function stringifyResults(results: ResultsFile): string {
  return JSON.stringify(results, null, 2).replace(/\[\s*([-+0-9.eE,\s]*?)\s*\]/g, (_, body: string) => `[${body.replace(/\s+/g, '')}]`) + '\n';
}

/** Validates then writes `results` to `file` atomically (temporary file + rename). */
export function writeResults(file: string, results: ResultsFile): void {
  validateResults(results, file);
  writeFileAtomic(file, stringifyResults(results));
}

/** Reads and validates a results file; a file not matching the schema throws with the file and field named. */
export function readResults(file: string): ResultsFile {
  return validateResults(readJson(file), file);
}

/**
 * Folders under a results folder that hold other kinds of files, never run results: `bench/` (fer-au bench files,
 * which also carry a schemaVersion) and `tuning/` (the stage-2 search record).
 */
export const NOT_RUN_RESULTS_DIRS: readonly string[] = ['bench', 'tuning'];

/** Every results file (`*.json` with a schemaVersion) under `dir`, recursively, sorted by path; skips NOT_RUN_RESULTS_DIRS. */
export function listResults(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!NOT_RUN_RESULTS_DIRS.includes(e.name)) walk(p);
      } else if (e.name.endsWith('.json') && !e.name.startsWith('.')) {
        try {
          const v = JSON.parse(fs.readFileSync(p, 'utf8')) as { schemaVersion?: unknown };
          if (v && typeof v === 'object' && 'schemaVersion' in v) out.push(p);
        } catch {
          // not JSON: not a results file
        }
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * `git rev-parse HEAD` of the tree holding `cwd` (+ '-dirty' if it has uncommitted changes outside `results/`),
 * null outside git. results/ is what runs write: regenerating results in place must not mark the code as changed.
 */
export function gitCommit(cwd = process.cwd()): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(top,exclude)results'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}

/** Host description for meta.host: hostname, CPU model and count. */
export function hostDescription(): string {
  const cpus = os.cpus();
  return `${os.hostname()} (${cpus.length} x ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.arch()})`;
}
