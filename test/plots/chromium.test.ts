import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromiumMissingMessage, findChromium, playwrightCacheDir } from '../../lib/plots';

/** A temporary folder with a fake executable at each of `files` (relative paths); mode 0o755 unless `mode`. */
function fakeTree(files: string[], mode = 0o755): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-chromium-'));
  for (const f of files) {
    const p = path.join(root, f);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, '#!/bin/sh\nexit 0\n');
    fs.chmodSync(p, mode);
  }
  return root;
}

const linux = { platform: 'linux' as const };

test('FER_CHROMIUM wins, and a wrong FER_CHROMIUM is reported rather than skipped', () => {
  const root = fakeTree(['bin/chromium', 'mine/chrome']);
  try {
    const env = { PATH: path.join(root, 'bin'), FER_CHROMIUM: path.join(root, 'mine', 'chrome') };
    assert.equal(findChromium({ ...linux, env, home: root }), path.join(root, 'mine', 'chrome'));
    const wrong = { ...env, FER_CHROMIUM: path.join(root, 'nope') };
    assert.equal(findChromium({ ...linux, env: wrong, home: root }), null);
    assert.match(chromiumMissingMessage({ ...linux, env: wrong, home: root }), /FER_CHROMIUM=.*nope is not an executable file/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('on PATH: chromium, chromium-browser, google-chrome, google-chrome-stable in that order; non-executables skipped', () => {
  const root = fakeTree(['a/google-chrome-stable', 'b/chromium-browser']);
  fs.writeFileSync(path.join(root, 'a', 'chromium'), 'not executable');
  fs.chmodSync(path.join(root, 'a', 'chromium'), 0o644);
  try {
    const env = { PATH: [path.join(root, 'a'), path.join(root, 'b')].join(':') };
    assert.equal(findChromium({ ...linux, env, home: root, playwrightCache: path.join(root, 'none') }), path.join(root, 'b', 'chromium-browser'));
    fs.rmSync(path.join(root, 'b', 'chromium-browser'));
    assert.equal(findChromium({ ...linux, env, home: root, playwrightCache: path.join(root, 'none') }), path.join(root, 'a', 'google-chrome-stable'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("Playwright's cache: the newest chromium-<revision> with an executable, after PATH", () => {
  const root = fakeTree([
    'pw/chromium-1091/chrome-linux/chrome',
    'pw/chromium-1134/chrome-linux/chrome',
    'pw/chromium_headless_shell-1200/chrome-linux/headless_shell',
    'mac/chromium-1134/chrome-mac/Chromium.app/Contents/MacOS/Chromium',
  ]);
  fs.mkdirSync(path.join(root, 'pw', 'chromium-1200')); // a half-finished download: no executable
  try {
    const env = { PATH: path.join(root, 'empty') };
    const cache = path.join(root, 'pw');
    assert.equal(findChromium({ ...linux, env, home: root, playwrightCache: cache }), path.join(cache, 'chromium-1134', 'chrome-linux', 'chrome'));
    // PLAYWRIGHT_BROWSERS_PATH is Playwright's own override of the cache root.
    assert.equal(playwrightCacheDir({ ...linux, env: { PLAYWRIGHT_BROWSERS_PATH: cache }, home: root }), cache);
    assert.equal(playwrightCacheDir({ ...linux, env: {}, home: '/home/u' }), path.join('/home/u', '.cache', 'ms-playwright'));
    assert.equal(playwrightCacheDir({ platform: 'darwin', env: {}, home: '/Users/u' }), path.join('/Users/u', 'Library', 'Caches', 'ms-playwright'));
    const mac = path.join(root, 'mac');
    assert.equal(
      findChromium({ platform: 'darwin', env, home: path.join(root, 'nohome'), playwrightCache: mac }),
      path.join(mac, 'chromium-1134', 'chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
    );
    // A chromium on PATH comes before the cache.
    const onPath = fakeTree(['bin/chromium']);
    try {
      assert.equal(findChromium({ ...linux, env: { PATH: path.join(onPath, 'bin') }, home: root, playwrightCache: cache }), path.join(onPath, 'bin', 'chromium'));
    } finally {
      fs.rmSync(onPath, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// /Applications of the machine itself is searched before ~/Applications: only meaningful where it holds no browser.
const systemApps = ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome'].some((a) => fs.existsSync(path.join('/Applications', a)));

test('the standard macOS install path in the home Applications folder is found last', { skip: systemApps && 'this machine has a browser in /Applications' }, () => {
  const root = fakeTree(['Applications/Google Chrome.app/Contents/MacOS/Google Chrome']);
  try {
    const found = findChromium({ platform: 'darwin', env: { PATH: '' }, home: root, playwrightCache: path.join(root, 'none') });
    assert.equal(found, path.join(root, 'Applications', 'Google Chrome.app', 'Contents', 'MacOS', 'Google Chrome'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('with nothing found, the message says how to get Chromium on Debian/Ubuntu, macOS and with Playwright', () => {
  const root = fakeTree([]);
  try {
    const opts = { ...linux, env: { PATH: path.join(root, 'empty') }, home: root };
    assert.equal(findChromium(opts), null);
    const msg = chromiumMissingMessage(opts);
    assert.match(msg, /apt-get install -y chromium/);
    assert.match(msg, /brew install --cask chromium/);
    assert.match(msg, /npx playwright install chromium/);
    assert.ok(msg.includes(path.join(root, '.cache', 'ms-playwright')), msg);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
