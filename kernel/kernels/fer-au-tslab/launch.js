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
// Library code can find the checkout (e.g. results/) without relying on the working directory.
process.env.FER_AU_ROOT = root;
const { startKernel } = require(path.join(root, 'node_modules', 'tslab', 'dist', 'main.js'));
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false });
