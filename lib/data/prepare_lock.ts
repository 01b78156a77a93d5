/**
 * Lock files for `data prepare`, so several processes (Slurm shards, two terminals, machines sharing a file
 * system) split the chunks of one prepared set instead of repeating them. A lock is created with O_EXCL ('wx')
 * and holds {host, pid}; its holder touches it every few seconds. A lock is stale when its holder is a dead
 * process on this host, or when it has not been touched for `staleMs` (another host that died); a stale lock is
 * removed and taken. Two processes that both take a stale lock at once only repeat one chunk: chunk folders
 * are renamed into place atomically and hold the same bytes.
 */
import * as fs from 'fs';
import * as os from 'os';
import { pidAlive } from '../util/temp';

export const LOCK_STALE_MS = 60_000;

interface LockBody {
  host: string;
  pid: number;
}

/** True when `file` is held by a live holder (other than a stale one). */
export function lockHeld(file: string, staleMs = LOCK_STALE_MS): boolean {
  let st: fs.Stats;
  let body: Partial<LockBody> = {};
  try {
    st = fs.statSync(file);
    body = JSON.parse(fs.readFileSync(file, 'utf8')) as LockBody;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    // half-written body: judge by age only
    try {
      st = fs.statSync(file);
    } catch {
      return false;
    }
  }
  if (body.host === os.hostname() && typeof body.pid === 'number' && !pidAlive(body.pid)) return false;
  return Date.now() - st.mtimeMs < staleMs;
}

/** Takes the lock `file` if it is free or stale; true when this process now holds it. */
export function tryLock(file: string, staleMs = LOCK_STALE_MS): boolean {
  const body = JSON.stringify({ host: os.hostname(), pid: process.pid } satisfies LockBody);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, body, { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockHeld(file, staleMs)) return false;
      fs.rmSync(file, { force: true });
    }
  }
  return false;
}

/** Marks a held lock as alive. */
export function touchLock(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // removed meanwhile (taken as stale by another process): the chunk is still written atomically
  }
}

export function releaseLock(file: string): void {
  fs.rmSync(file, { force: true });
}
