/**
 * Static server for the built preview, bound to 127.0.0.1 only. `config.js` can be served from
 * memory so the same build runs against whatever ports the backends got (tests use port 0).
 *
 * Run: `npx tsx scripts/preview/serve.ts [--dir DIR]` (port from PREVIEW_PORT, default 9400).
 */
import fs from 'fs';
import http from 'http';
import type { AddressInfo, Socket } from 'net';
import path from 'path';
import { configJs, DEFAULT_OUT_DIR } from './build';
import type { AppConfig } from './build';

export interface ServeOptions {
  dir?: string;
  /** 0 picks a free port. Default: PREVIEW_PORT or 9400. */
  port?: number;
  /** When set, `/config.js` is generated from this instead of read from `dir`. */
  appConfig?: AppConfig;
  /** Extra values for `window.__PREVIEW_ENV__` (e.g. `consoleUrl`). */
  previewEnv?: Record<string, string>;
  /**
   * Loopback origins (`http://127.0.0.1:9300`) that `/__loopback?url=` forwards to. WeChat's file
   * APIs know no CORS; the browser does, so the shim sends cross-origin uploads and downloads
   * through here. Empty: no forwarding.
   */
  proxyOrigins?: string[];
}

export interface PreviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

export function defaultPreviewPort(): number {
  const n = Number(process.env.PREVIEW_PORT);
  return Number.isInteger(n) && n >= 0 && n < 65536 && process.env.PREVIEW_PORT !== '' ? n : 9400;
}

/** Maps a request path into `dir`; null when it would escape it. */
export function safeJoin(dir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(dir, `.${path.posix.normalize(`/${decoded}`)}`);
  const root = path.resolve(dir);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

const HOP_HEADERS = new Set([
  'host',
  'connection',
  'origin',
  'referer',
  'cookie',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
]);

/** Forwards one request to an allowed loopback origin and streams the answer back. */
function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  allowed: ReadonlySet<string>,
): void {
  const raw = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('url') ?? '';
  let target: URL;
  try {
    target = new URL(raw);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad url');
    return;
  }
  if (!allowed.has(target.origin)) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end('origin not forwarded');
    return;
  }
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers))
    if (!HOP_HEADERS.has(k) && v !== undefined) headers[k] = v;
  const upstream = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      method: req.method,
      headers,
    },
    (up) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(up.headers))
        if (!HOP_HEADERS.has(k) && v !== undefined) out[k] = v;
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
    },
  );
  upstream.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`upstream failed: ${e.message}`);
  });
  req.pipe(upstream);
}

/** Starts the server; resolves once it listens. Rejects (e.g. EADDRINUSE) if it cannot. */
export function servePreview(options: ServeOptions = {}): Promise<PreviewServer> {
  const dir = options.dir ?? DEFAULT_OUT_DIR;
  const sockets = new Set<Socket>();
  const proxyOrigins = new Set(options.proxyOrigins ?? []);
  const server = http.createServer((req, res) => {
    const urlPath = (req.url ?? '/').split('?')[0];
    if (urlPath === '/__loopback') {
      forward(req, res, proxyOrigins);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (urlPath === '/config.js' && options.appConfig) {
      res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-store' });
      const env = {
        ...options.previewEnv,
        ...(proxyOrigins.size > 0 ? { loopbackProxy: '/__loopback' } : {}),
      };
      res.end(configJs(options.appConfig, env));
      return;
    }
    const file = safeJoin(dir, urlPath === '/' ? '/index.html' : urlPath);
    if (!file) {
      res.writeHead(400).end();
      return;
    }
    fs.stat(file, (err, stat) => {
      if (err || !stat.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      // Fonts and icons never change within a build; scripts do on every rebuild.
      const immutable = /[\\/](fonts|icons)[\\/]/.test(file);
      res.writeHead(200, {
        'content-type': type,
        'content-length': stat.size,
        'cache-control': immutable ? 'public, max-age=86400' : 'no-cache',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      fs.createReadStream(file).pipe(res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? defaultPreviewPort(), '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections from a browser would hold close() open.
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirIndex = args.indexOf('--dir');
  const dir =
    dirIndex >= 0 && args[dirIndex + 1] ? path.resolve(args[dirIndex + 1]) : DEFAULT_OUT_DIR;
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    console.error(`no preview in ${dir}: run npx tsx scripts/preview/build.ts first`);
    process.exitCode = 1;
    return;
  }
  const server = await servePreview({ dir });
  console.log(`preview: ${server.url}`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().catch((e: unknown) => {
    console.error('preview server failed:', e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
