/**
 * Starts a worker thread on a module of lib/: the compiled .js beside a .js caller, or the TypeScript source
 * through ts-node (registered in the worker with this checkout's tsconfig, not one found from the working folder).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';

/** A worker on `<dir>/<name>.ts|.js`, matching the extension of `callerFile` (pass __filename). */
export function spawnLibWorker(callerFile: string, dir: string, name: string): Worker {
  const file = path.join(dir, `${name}${path.extname(callerFile)}`);
  if (!callerFile.endsWith('.ts')) return new Worker(file);
  const tsNode = require.resolve('ts-node');
  let project = '';
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'tsconfig.json'))) {
      project = path.join(d, 'tsconfig.json');
      break;
    }
  }
  const opts = JSON.stringify({ transpileOnly: true, ...(project ? { project } : {}) });
  return new Worker(`require(${JSON.stringify(tsNode)}).register(${opts}); require(${JSON.stringify(file)});`, { eval: true });
}
