// Local fixture sites for repost tests: each site is an HTTP server on 127.0.0.1 with its own port
// (so that sites are told apart by host and port, as 政务外网 sites are), serving a path → page map.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixturePage {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface FixtureSite {
  base: string;
  host: string;
  pages: Map<string, FixturePage>;
  requests: string[];
  close(): Promise<void>;
}

export function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;
}

export async function startFixtureSite(pages: Record<string, FixturePage> = {}): Promise<FixtureSite> {
  const map = new Map(Object.entries(pages));
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push(path);
    const found = map.get(path);
    if (!found) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(found.status ?? 200, { 'content-type': 'text/html; charset=utf-8', ...found.headers });
    response.end(found.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    pages: map,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
