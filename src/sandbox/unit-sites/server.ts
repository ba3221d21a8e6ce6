// The sandbox's fictional unit sites: each on its own local port (so each is its own host for
// robots.txt and politeness), answering conditional GETs (ETag, If-Modified-Since → 304) as real
// government sites do. Tests use the same server with sites of their own.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FictionalSite, SitePage } from './pages.js';

export interface RunningSite {
  site: FictionalSite;
  /** http://127.0.0.1:<port>/ */
  homeUrl: string;
  /** Requests served, by path (tests count what a second run asks for). */
  hits: Map<string, number>;
}

export interface RunningUnitSites {
  sites: RunningSite[];
  close(): Promise<void>;
}

function etagOf(page: SitePage): string {
  return `"${createHash('sha1').update(page.body).digest('hex').slice(0, 16)}"`;
}

function serve(site: FictionalSite, hits: Map<string, number>): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const page =
      site.pages.get(path) ?? site.pages.get(path.endsWith('/') ? `${path}index.html` : `${path}/`);
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<h1>404 页面不存在</h1>');
      return;
    }
    const status = page.status ?? 200;
    const headers: Record<string, string> = {
      'content-type': page.contentType ?? 'text/html; charset=utf-8',
      ...page.headers,
    };
    if (status === 200) {
      const etag = etagOf(page);
      headers.etag = etag;
      if (page.lastModified) headers['last-modified'] = page.lastModified.toUTCString();
      const since = request.headers['if-modified-since'];
      const unchanged =
        request.headers['if-none-match'] === etag ||
        (since !== undefined &&
          page.lastModified !== undefined &&
          page.lastModified.getTime() <= Date.parse(since));
      if (unchanged) {
        response.writeHead(304, { etag });
        response.end();
        return;
      }
    }
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : page.body);
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Serves each site on its own port of 127.0.0.1: the port it had before when free (`ports[i]`, so
 * that links and findings recorded in the sandbox stay valid across restarts), else any free port.
 */
export async function startUnitSites(
  sites: FictionalSite[],
  ports: readonly (number | undefined)[] = [],
): Promise<RunningUnitSites> {
  const servers: Server[] = [];
  const running: RunningSite[] = [];
  for (const [i, site] of sites.entries()) {
    const hits = new Map<string, number>();
    const server = serve(site, hits);
    const preferred = ports[i];
    try {
      await listen(server, preferred ?? 0);
    } catch (error) {
      if (!preferred) throw error;
      await listen(server, 0);
    }
    servers.push(server);
    running.push({ site, hits, homeUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
  }
  return {
    sites: running,
    close: () =>
      Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      ).then(() => undefined),
  };
}
