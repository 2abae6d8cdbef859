// A static file server for the example, on 127.0.0.1 (a secure context, as cross-origin isolation
// requires, without TLS). Every response carries the two headers that isolate a page (a worker's script
// needs them as much as its page: without COEP it does not load), except the paths in `notIsolated`.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.sabre': 'application/octet-stream',
};

export interface StaticServer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** URL paths served without the isolation headers, e.g. ['/plain.html']. */
  notIsolated?: readonly string[];
}

export function serve(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const base = resolve(root);
  const plain = new Set(options.notIsolated ?? []);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(base, `.${path === '/' ? '/index.html' : path}`);
    // Only files inside root: `..` in a path (even percent-encoded) resolves outside it and is not found.
    const size = file.startsWith(base + sep) ? sizeOf(file) : undefined;
    if (size === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${path}\n`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-store',
      ...(plain.has(path) ? {} : ISOLATION_HEADERS),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      ready({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function sizeOf(file: string): number | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}
