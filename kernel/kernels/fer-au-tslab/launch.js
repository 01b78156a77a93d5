#!/usr/bin/env node
// Jupyter kernel launcher for fer-au notebooks: starts the repository's own tslab (node_modules/tslab)
// with the REPOSITORY ROOT as working directory.
//
// Why: tslab compiles each cell as <cwd>/__tslab__.ts with TypeScript's rootDir fixed to the working
// directory (https://github.com/yunabe/tslab/issues/63). Jupyter starts a kernel in the notebook's folder
// (notebooks/), so `import ... from '../lib'` pulls files outside rootDir and fails. Started from the
// repository root, every lib/ file is under rootDir; notebooks import `./lib` and read `results/...`,
// relative to the repository root, wherever the notebook file lives.
//
// The spec holds no absolute path. The root is found, in order, from: $FER_AU_ROOT; the folder Jupyter
// started us in (the notebook's folder, or any folder inside the checkout) and its ancestors; this file's
// folder and its ancestors (when used in place through JUPYTER_PATH=kernel). The root is the first folder
// whose package.json is named "fer-au" and that has node_modules/tslab.
'use strict';
const fs = require('fs');
const path = require('path');

function isRoot(dir) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return pkg.name === 'fer-au' && fs.existsSync(path.join(dir, 'node_modules', 'tslab', 'dist', 'main.js'));
  } catch {
    return false;
  }
}

function findUp(start) {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isRoot(dir)) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function findRoot() {
  if (process.env.FER_AU_ROOT) {
    if (isRoot(process.env.FER_AU_ROOT)) return path.resolve(process.env.FER_AU_ROOT);
    throw new Error(`FER_AU_ROOT=${process.env.FER_AU_ROOT} is not a fer-au checkout with node_modules/tslab`);
  }
  const root = findUp(process.cwd()) || findUp(__dirname);
  if (!root) {
    throw new Error(
      `fer-au kernel: no fer-au checkout (package.json named fer-au with node_modules/tslab) above ${process.cwd()} ` +
        `or ${__dirname}; open the notebook inside the checkout or set FER_AU_ROOT`,
    );
  }
  return root;
}

const connectionFile = process.argv[2];
if (!connectionFile) {
  process.stderr.write('usage: launch.js CONNECTION_FILE (Jupyter passes {connection_file})\n');
  process.exit(2);
}
const root = findRoot();
process.chdir(root);

// tslab type-checks every local .ts file a cell imports, with its own TypeScript (5.0) and options (not the
// repository's strict tsconfig), and refuses to run the cell on any diagnostic, even one deep in lib/ that the
// repository's own `npm run typecheck` accepts. lib/ is type-checked by that command; here only the notebook's
// own code is (against lib's types): diagnostics located in repository files are dropped.
const tslabDir = path.join(root, 'node_modules', 'tslab');
const tsPath = require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] });
const realTs = require(tsPath);
const libDir = path.join(root, 'lib') + path.sep;
// The compiler's exports are non-configurable getters, so tslab gets a view of it with one function replaced.
const tsView = {};
for (const key of Object.keys(realTs)) {
  if (key !== 'getPreEmitDiagnosticsOfFiles') Object.defineProperty(tsView, key, { enumerable: true, get: () => realTs[key] });
}
Object.defineProperty(tsView, 'getPreEmitDiagnosticsOfFiles', {
  enumerable: true,
  value: (program, files, token) =>
    realTs.getPreEmitDiagnosticsOfFiles(program, files, token).filter((d) => !d.file || !path.resolve(d.file.fileName).startsWith(libDir)),
});
const Module = require('module');
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === '@tslab/typescript-for-tslab') return tsView;
  return originalLoad.call(this, request, parent, isMain);
};
// tslab runs a cell's imports of local files from its own emitted copies, but resolves `./lib/report` to
// lib/report.js, not lib/report/index.ts, so folder imports fall through to Node's require. ts-node (the
// repository's own TypeScript and tsconfig, transpile-only, as bin/fer-au.js) makes Node load lib/ directly:
// one instance of every lib module, exactly as the CLI and the tests load them. Notebooks import folders
// ('./lib/report', './lib/plots', './lib/train').
require(require.resolve('ts-node', { paths: [root] })).register({ project: path.join(root, 'tsconfig.json'), transpileOnly: true });
const { startKernel } = require(path.join(tslabDir, 'dist', 'main.js'));
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
