/**
 * Entry of the exported page: reads fer-au-site.json, sets `window.ferAu` (lib/export/site_config.ts FerAuApi) at
 * once so scripts can await `ferAu.ready`, then wires the controls. `?backend=webgl|wasm|cpu` forces a backend;
 * for comparisons, `?fused=0` runs the AU model unfused and `?threads=N` sets the wasm backend's threads.
 */
import type { FerAuApi, SiteConfig } from '../site_config';
import { createFerAu } from './fer_au';
import { renderLegend, startUi, type LiveStats } from './ui';

declare global {
  interface Window {
    ferAu: FerAuApi;
    ferAuLive: LiveStats;
  }
}

const base = new URL('./', document.baseURI).href;
const params = new URLSearchParams(location.search);
const configReady = fetch(`${base}fer-au-site.json`).then((r) => {
  if (!r.ok) throw new Error(`fer-au-site.json: HTTP ${r.status}`);
  return r.json() as Promise<SiteConfig>;
});
let api: FerAuApi | undefined;
const ready = configReady.then(async (config) => {
  const threads = Number(params.get('threads'));
  api = createFerAu({ config, base, backend: params.get('backend'), unfused: params.get('fused') === '0', threads: threads >= 1 ? threads : undefined });
  await api.ready;
  return config;
});
window.ferAu = {
  ready: ready.then(() => undefined),
  predict: async (source) => (await ready, api!.predict(source)),
  predictLive: async (source) => (await ready, api!.predictLive(source)),
  backend: () => api?.backend() ?? 'loading',
  wasmThreads: () => api?.wasmThreads() ?? 0,
  timings: () => api?.timings() ?? {},
  frameTimings: () => api?.frameTimings() ?? {},
  config: () => {
    if (!api) throw new Error('ferAu.config(): not ready');
    return api.config();
  },
};
ready.then(
  (config) => {
    document.getElementById('status')!.textContent = 'ready';
    const threads = api!.wasmThreads();
    document.getElementById('backend')!.textContent = `tfjs ${api!.backend()}${threads > 1 ? ` (${threads} threads)` : ''}`;
    renderLegend(config);
    window.ferAuLive = startUi(window.ferAu, config);
  },
  (err: Error) => {
    document.getElementById('status')!.textContent = `failed to load: ${err.message}`;
    console.error(err);
  },
);
