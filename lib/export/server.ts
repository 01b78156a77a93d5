/**
 * `fer-au serve`: a small static file server for an exported site. GET and HEAD only, files under the root only
 * (no directory listing, no path outside the root), `index.html` for directories. It sends
 * Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy so the page is cross-origin isolated and tfjs's wasm
 * backend can use threads (SharedArrayBuffer); any other static server works too, with single-threaded wasm.
 * Listens on 127.0.0.1 by default: a secure context for getUserMedia, not reachable from the network.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { AddressInfo } from 'net';

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.ico': 'image/x-icon',
};

export interface StaticServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The file a URL path names under `root`, or null when it is outside the root or absent. */
export function resolveUnder(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  let target = file;
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, 'index.html');
  return fs.existsSync(target) && fs.statSync(target).isFile() ? target : null;
}

/** Serves `dir` on host:port (port 0 = any free port). Resolves once listening. */
export function serveStatic(dir: string, opts: { port?: number; host?: string; log?: (line: string) => void } = {}): Promise<StaticServer> {
  const root = path.resolve(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return Promise.reject(new Error(`${dir}: not a directory`));
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    const headers: http.OutgoingHttpHeaders = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    };
    const done = (status: number, body: string) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : body);
      opts.log?.(`${status} ${req.method} ${req.url}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return done(405, 'method not allowed\n');
    const file = resolveUnder(root, req.url ?? '/');
    if (!file) return done(404, 'not found\n');
    const st = fs.statSync(file);
    res.writeHead(200, { ...headers, 'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': st.size });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
    opts.log?.(`200 GET ${req.url}`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `port ${opts.port} on ${host} is in use (pick another with --port)` : `cannot listen on ${host}:${opts.port ?? 0}: ${err.message}`)),
    );
    server.listen(opts.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
        port,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections?.();
          server.close(() => r());
        }),
      });
    });
  });
}
