#!/usr/bin/env node
// The `fer-au` command: TypeScript sources run through ts-node's transpile-only mode,
// so a checkout needs no build step (type checking is `npm run typecheck`).
'use strict';
const path = require('path');
require('ts-node').register({
  project: path.join(__dirname, '..', 'tsconfig.json'),
  transpileOnly: true,
});
require('../lib/cli').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`fer-au: ${err && err.message ? err.message : String(err)}\n`);
    if (process.env.FER_DEBUG) process.stderr.write(`${err && err.stack}\n`);
    process.exitCode = 1;
  },
);
