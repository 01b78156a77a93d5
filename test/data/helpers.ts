/** Shared helpers of the data tests: fresh copies of the committed fixtures in a temp folder. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'data');

/** A fresh temp folder, removed when the process exits. */
export function tempDir(prefix = 'fer-au-data-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A writable copy of test/fixtures/data/<name>. */
export function copyFixture(name: 'disfa' | 'celeba' | 'bosphorus'): string {
  const dir = path.join(tempDir(), name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}
