// Local fixture sites for repost tests: each site is an HTTP server on 127.0.0.1 with its own port
// (so that sites are told apart by host and port, as 政务外网 sites are), serving a path → page map.
import { createHash } from 'node:crypto';
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
  /** Each answer's path and status (304 for a conditional GET of an unchanged page). */
  answers: { path: string; status: number }[];
  close(): Promise<void>;
}

export function page(title: string, body: string, head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;
}

export async function startFixtureSite(pages: Record<string, FixturePage> = {}): Promise<FixtureSite> {
  const map = new Map(Object.entries(pages));
  const requests: string[] = [];
  const answers: { path: string; status: number }[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push(path);
    const found = map.get(path);
    if (!found) {
      answers.push({ path, status: 404 });
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    // An ETag for every 200 page, and 304 when it is asked for again unchanged.
    const etag = `"${createHash('sha1')
      .update(found.body ?? '')
      .digest('hex')
      .slice(0, 16)}"`;
    const status = found.status ?? 200;
    if (status === 200 && request.headers['if-none-match'] === etag) {
      answers.push({ path, status: 304 });
      response.writeHead(304, { etag });
      response.end();
      return;
    }
    answers.push({ path, status });
    response.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      ...(status === 200 ? { etag } : {}),
      ...found.headers,
    });
    response.end(found.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    pages: map,
    requests,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
