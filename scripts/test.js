#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's own test runner (TypeScript through ts-node, transpile-only).
// Usage: npm test [-- test/losses test/metrics/f1.test.ts ...]   (files or folders; default: test/)
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
function collect(p, out) {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p).sort()) {
      if (e === 'node_modules' || e === 'fixtures') continue;
      collect(path.join(p, e), out);
    }
  } else if (p.endsWith('.test.ts')) out.push(p);
  return out;
}
const args = process.argv.slice(2);
const targets = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const files = (targets.length ? targets : ['test']).flatMap((t) => collect(path.resolve(root, t), []));
if (files.length === 0) {
  console.error('test: no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--require', 'ts-node/register/transpile-only', '--test', '--test-reporter=spec', ...flags, ...files.map((f) => path.relative(root, f))],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') } },
);
process.exit(r.status === null ? 1 : r.status);
