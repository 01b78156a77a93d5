/**
 * Temporary names for files and folders written in place of their target and renamed into it when complete,
 * named for the writing host and process so that what a killed process left is known to be garbage:
 * `<target>.<host>.<pid>.tmp`. Used by `data prepare` chunks and the synthetic video writer.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** True when a process with this pid runs on this host (EPERM: it runs, under another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This host's tag in temporary names: its name with characters other than [A-Za-z0-9_-] as '_'. */
function hostTag(): string {
  return os.hostname().replace(/[^A-Za-z0-9_-]/g, '_') || 'host';
}

/** The temporary name this process writes `target` under before renaming it into place. */
export function tempFor(target: string): string {
  return `${target}.${hostTag()}.${process.pid}.tmp`;
}

/**
 * Removes the `tempFor` files and folders in `dir` left by processes of this host that are no longer alive
 * (kill -9, a crash); those of live processes and of other hosts (a shared file system) are kept.
 * Returns the names removed.
 */
export function removeDeadTemps(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const ours = new RegExp(`^.+\\.${hostTag()}\\.(\\d+)\\.tmp$`);
  const removed: string[] = [];
  for (const name of names) {
    const m = ours.exec(name);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
