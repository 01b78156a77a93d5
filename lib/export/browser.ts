/**
 * Opening an exported site in headless Chromium (Debian's /usr/bin/chromium through playwright-core), offline:
 * the flags that keep Chromium from calling home on a closed network, a fresh profile per launch, SwiftShader for
 * WebGL where there is no GPU, and optionally a fake webcam that plays a .y4m/.mjpeg file. For the browser tests
 * and the README screenshot script.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumMissingMessage, findChromium } from '../plots/chromium';

export const OFFLINE_CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

export interface SiteBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (a test asserts there are none). */
  errors: string[];
  /** URLs requested outside the site's origin (must stay empty: the page is offline). */
  foreignRequests: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium and returns a page (not yet navigated) that records errors and every request leaving `origin`.
 * `fakeVideo`: a .y4m or .mjpeg file Chromium's fake camera plays for getUserMedia (permission granted).
 */
export async function openSiteBrowser(origin: string, opts: { fakeVideo?: string; viewport?: { width: number; height: number }; executablePath?: string; timeoutMs?: number } = {}): Promise<SiteBrowser> {
  const exe = opts.executablePath ?? findChromium();
  if (!exe) throw new Error(chromiumMissingMessage());
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-site-chromium-'));
  const args = [...OFFLINE_CHROMIUM_ARGS];
  if (opts.fakeVideo) args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${opts.fakeVideo}`);
  const context = await chromium.launchPersistentContext(profile, { executablePath: exe, headless: true, args, viewport: opts.viewport ?? { width: 1100, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  // Generous: on a shared 2-core machine the first webgl shader compile alone can take a minute.
  page.setDefaultTimeout(opts.timeoutMs ?? 180000);
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreignRequests.push(u);
  });
  return {
    context, page, errors, foreignRequests,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
