// A small HTTP server on 127.0.0.1 for download tests: serves files with ETag and Last-Modified
// (answering 304 to matching conditional requests), redirects, bodies cut short, and a route
// that never answers. It counts requests so tests can see what was asked.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export type Route =
  | { type: 'file'; path: string; gzipEncoding?: boolean }
  | { type: 'bytes'; body: Buffer }
  | { type: 'redirect'; location: string; status?: number }
  | { type: 'short'; body: Buffer; sendBytes: number }
  | { type: 'status'; status: number }
  | { type: 'slow'; body: Buffer; delayMs: number }
  | { type: 'silent' };

export interface LocalServer {
  url(path: string): string;
  readonly port: number;
  routes: Map<string, Route>;
  /** Requests per path, with the conditional headers they carried. */
  requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string }[];
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Tue, 01 Jul 2025 12:00:00 GMT';

export async function startLocalServer(routes: Record<string, Route> = {}): Promise<LocalServer> {
  const table = new Map(Object.entries(routes));
  const requests: LocalServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    requests.push({
      path,
      ifNoneMatch: req.headers['if-none-match'] as string | undefined,
      ifModifiedSince: req.headers['if-modified-since'] as string | undefined,
    });
    const route = table.get(path);
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    switch (route.type) {
      case 'file':
      case 'bytes': {
        const raw = route.type === 'file' ? readFileSync(route.path) : route.body;
        const etag = `"${createHash('sha256').update(raw).digest('hex').slice(0, 16)}"`;
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag }).end();
          return;
        }
        const body = route.type === 'file' && route.gzipEncoding ? gzipSync(raw) : raw;
        const headers: http.OutgoingHttpHeaders = { etag, 'last-modified': LAST_MODIFIED, 'content-length': body.length };
        if (route.type === 'file' && route.gzipEncoding) headers['content-encoding'] = 'gzip';
        res.writeHead(200, headers).end(body);
        return;
      }
      case 'redirect':
        res.writeHead(route.status ?? 302, { location: route.location }).end();
        return;
      case 'short':
        res.writeHead(200, { 'content-length': route.body.length });
        res.write(route.body.subarray(0, route.sendBytes), () => res.socket?.destroy());
        return;
      case 'status':
        res.writeHead(route.status).end();
        return;
      case 'slow': {
        // Half the body now, the rest after a pause: a download that takes a while.
        const half = Math.floor(route.body.length / 2);
        res.writeHead(200, { 'content-length': route.body.length, etag: '"slow"' });
        res.write(route.body.subarray(0, half));
        setTimeout(() => res.end(route.body.subarray(half)), route.delayMs);
        return;
      }
      case 'silent':
        return;
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    routes: table,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
