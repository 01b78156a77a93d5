/**
 * Where a Chromium for static figure export (PNG, SVG through playwright-core) is found, in order:
 *   1. FER_CHROMIUM (a path; when set, it is the only candidate, so a wrong value is reported, not skipped);
 *   2. `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on PATH (Debian, Ubuntu snap,
 *      Fedora, Arch, Google's packages; on Windows also with the PATHEXT extensions);
 *   3. Playwright's browser cache (`npx playwright install chromium`): PLAYWRIGHT_BROWSERS_PATH, else
 *      ~/.cache/ms-playwright (Linux), ~/Library/Caches/ms-playwright (macOS), %LOCALAPPDATA%\ms-playwright
 *      (Windows); the newest chromium-<revision> folder first;
 *   4. the standard macOS and Windows install paths of Chromium and Google Chrome.
 * Every input (environment, platform, home, cache root) can be given, so tests need no real browser.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Names looked up on PATH, in order. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

export interface ChromiumSearch {
  /** Environment (default process.env): FER_CHROMIUM, PATH, PATHEXT, PLAYWRIGHT_BROWSERS_PATH, LOCALAPPDATA, PROGRAMFILES. */
  env?: Record<string, string | undefined>;
  /** Platform (default process.platform). */
  platform?: NodeJS.Platform;
  /** Home folder (default os.homedir()). */
  home?: string;
  /** Playwright's cache root (default: PLAYWRIGHT_BROWSERS_PATH, else the platform's ms-playwright folder). */
  playwrightCache?: string;
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` found executable in a PATH folder. */
function onPath(names: readonly string[], env: Record<string, string | undefined>, platform: NodeJS.Platform): string | null {
  const sep = platform === 'win32' ? ';' : ':';
  const dirs = (env.PATH ?? env.Path ?? '').split(sep).filter(Boolean);
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
  for (const name of names) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const p = path.join(dir, name + ext);
        if (isExecutable(p, platform)) return p;
      }
    }
  }
  return null;
}

/** Playwright's cache root for this platform. */
export function playwrightCacheDir(opts: ChromiumSearch = {}): string {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? os.homedir();
  if (opts.playwrightCache) return opts.playwrightCache;
  if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0') return env.PLAYWRIGHT_BROWSERS_PATH;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'ms-playwright');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'ms-playwright');
  return path.join(home, '.cache', 'ms-playwright');
}

/** The executable inside one Playwright chromium-<revision> folder, per platform (old and new layouts). */
function playwrightExecutables(dir: string, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') {
    return ['chrome-mac', 'chrome-mac-arm64', 'chrome-mac-x64'].map((d) => path.join(dir, d, 'Chromium.app', 'Contents', 'MacOS', 'Chromium'));
  }
  if (platform === 'win32') return ['chrome-win', 'chrome-win64'].map((d) => path.join(dir, d, 'chrome.exe'));
  return ['chrome-linux', 'chrome-linux64'].map((d) => path.join(dir, d, 'chrome'));
}

/** A Chromium in Playwright's cache: chromium-<revision> folders, highest revision first. */
function inPlaywrightCache(root: string, platform: NodeJS.Platform): string | null {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return null;
  }
  const revision = (n: string) => Number(n.slice('chromium-'.length));
  const dirs = entries.filter((n) => /^chromium-\d+$/.test(n)).sort((a, b) => revision(b) - revision(a));
  for (const d of dirs) {
    for (const exe of playwrightExecutables(path.join(root, d), platform)) if (isExecutable(exe, platform)) return exe;
  }
  return null;
}

/** Standard install paths of Chromium and Google Chrome on macOS and Windows (none on Linux: those are on PATH). */
function installPaths(env: Record<string, string | undefined>, platform: NodeJS.Platform, home: string): string[] {
  if (platform === 'darwin') {
    const apps = ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome'];
    return [...apps.map((a) => path.join('/Applications', a)), ...apps.map((a) => path.join(home, 'Applications', a))];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local')];
    return roots.flatMap((r) => [path.win32.join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'), path.win32.join(r, 'Chromium', 'Application', 'chrome.exe')]);
  }
  return [];
}

/** The Chromium executable to use (see the file comment for the order), or null when there is none. */
export function findChromium(opts: ChromiumSearch = {}): string | null {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? os.homedir();
  if (env.FER_CHROMIUM) return isExecutable(env.FER_CHROMIUM, platform) ? env.FER_CHROMIUM : null;
  return (
    onPath(CHROMIUM_NAMES, env, platform) ??
    inPlaywrightCache(playwrightCacheDir({ ...opts, env, platform, home }), platform) ??
    installPaths(env, platform, home).find((p) => isExecutable(p, platform)) ??
    null
  );
}

/** Why no Chromium was found and how to get one (Debian/Ubuntu, macOS, Playwright), for errors and skips. */
export function chromiumMissingMessage(opts: ChromiumSearch = {}): string {
  const env = opts.env ?? process.env;
  const where = env.FER_CHROMIUM
    ? `FER_CHROMIUM=${env.FER_CHROMIUM} is not an executable file`
    : `no ${CHROMIUM_NAMES.join(', ')} on PATH, none in Playwright's cache (${playwrightCacheDir(opts)}), none in the standard macOS/Windows locations`;
  return (
    `static figure export (PNG, SVG) needs Chromium: ${where}. Get one with: ` +
    'Debian/Ubuntu `sudo apt-get install -y chromium` (Ubuntu: `sudo snap install chromium`); ' +
    'macOS `brew install --cask chromium` (or install Google Chrome); ' +
    'any system `npx playwright install chromium` (Playwright\'s cache is searched); ' +
    'or set FER_CHROMIUM to the executable. HTML figures are written without it.'
  );
}
