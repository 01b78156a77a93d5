/** `fer-au serve`: a static server for an exported site (lib/export/server.ts). */
import * as fs from 'fs';
import * as path from 'path';
import { intOption, parseCommandArgs } from './args';
import { Command, UsageError } from './types';

const USAGE = `usage: fer-au serve DIR [--port P] [--host H]

Serves the folder written by \`fer-au export\` (GET/HEAD, files under DIR only) until Ctrl-C, with the headers that
let the page use threaded wasm. Open the printed URL in a browser; the webcam works on localhost.

options:
  --port P     port (default 8080; 0 picks a free one)
  --host H     address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 to reach it from a phone on the LAN,
               where browsers allow the webcam only over https)
  --quiet      do not log requests
`;

export const command: Command = {
  name: 'serve',
  summary: 'serve an exported browser site on 127.0.0.1',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { port: { type: 'string' }, host: { type: 'string' }, quiet: { type: 'boolean' } }, { allowPositionals: true });
    if (positionals.length !== 1) throw new UsageError(`give exactly one DIR (the exported site), got ${positionals.length}`);
    const dir = positionals[0];
    if (!fs.existsSync(path.join(dir, 'fer-au-site.json'))) throw new UsageError(`${dir}: not an exported site (no fer-au-site.json; make one with fer-au export)`);
    const port = intOption(values.port, 'port', 8080, 0, 65535);
    const { serveStatic } = require('../export/server') as typeof import('../export/server');
    let s: import('../export/server').StaticServer;
    try {
      s = await serveStatic(dir, { port, host: values.host === undefined ? undefined : String(values.host), log: values.quiet ? undefined : (l) => process.stderr.write(`${l}\n`) });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    process.stdout.write(`fer-au serve: ${path.resolve(dir)} at ${s.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void s.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
