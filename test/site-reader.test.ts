// The polite site reader (robots.txt, one request a second per host, conditional GET, everything
// through the guarded fetcher) and the page outline job (title, headings, links, dated items).
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import type { GetFailure, GetResult } from '../src/services/content/article-fetch.js';
import { findDate, outlineHtml } from '../src/services/content/outline.js';
import { ContentService } from '../src/services/content/service.js';
import { createSiteReader, type SiteFetcher } from '../src/services/content/site-reader.js';

describe('findDate', () => {
  it.each([
    ['2026-12-03', '2026-12-03'],
    ['[2026/1/5]', '2026-01-05'],
    ['2026.11.30', '2026-11-30'],
    ['发布时间：2026年3月8日', '2026-03-08'],
    ['2026 - 02 - 28', '2026-02-28'],
    ['2026-02-30', undefined],
    ['2026-13-01', undefined],
    ['12-03', undefined],
    ['电话 0533-6112345', undefined],
    ['', undefined],
  ])('%s → %s', (text, expected) => {
    expect(findDate(text)).toBe(expected);
  });
});

describe('outlineHtml', () => {
  const page = `<!doctype html><html><head><title> 高青县 人民政府 </title><base href="/sub/">
    <script>var a = '<a href="/x">x</a>';</script></head><body>
    <h1>工作动态</h1><h3>  通知 <b>公告</b> </h3>
    <a href="a.html#top">相对</a><a href="https://www.gov.cn/">中国政府网</a>
    <a href="mailto:x@y.cn">邮件</a><a href="javascript:void(0)">脚本</a><a>无地址</a>
    <ul><li><a href="/art/1.html">会议召开</a><span>2026-12-03</span></li>
    <li>2026年11月30日 无链接的条目</li><li><a href="/art/3.html">没有日期</a></li>
    <li><table><tr><td><a href="/art/4.html">表格里的</a></td><td>2026/11/02</td></tr></table></li></ul>
    </body></html>`;
  const outline = outlineHtml(page, 'http://127.0.0.1:8080/index.html');

  it('reads the title and headings, squashed', () => {
    expect(outline.title).toBe('高青县 人民政府');
    expect(outline.headings).toEqual([
      { level: 1, text: '工作动态' },
      { level: 3, text: '通知 公告' },
    ]);
  });

  it('resolves http(s) links against <base>, drops fragments and other schemes, skips scripts', () => {
    expect(outline.links.map((link) => link.href)).toEqual([
      'http://127.0.0.1:8080/sub/a.html',
      'https://www.gov.cn/',
      'http://127.0.0.1:8080/art/1.html',
      'http://127.0.0.1:8080/art/3.html',
      'http://127.0.0.1:8080/art/4.html',
    ]);
    expect(outline.links[1]!.text).toBe('中国政府网');
  });

  it('reads dated list items once each, the innermost item when nested', () => {
    expect(outline.dated).toEqual([
      { date: '2026-12-03', text: '会议召开', href: 'http://127.0.0.1:8080/art/1.html' },
      { date: '2026-11-30', text: '无链接的条目' },
      { date: '2026-11-02', text: '表格里的', href: 'http://127.0.0.1:8080/art/4.html' },
    ]);
  });

  it.each([
    ['', { title: '', headings: [], links: [], dated: [] }],
    ['<a href="http://[::1">坏</a>', { title: '', headings: [], links: [], dated: [] }],
    [
      '<li>2026-01-01<li>2026-01-02',
      {
        dated: [
          { date: '2026-01-01', text: '' },
          { date: '2026-01-02', text: '' },
        ],
      },
    ],
    ['<ul><li>2026-99-01 <li>1999年2月29日</ul>', { dated: [] }],
  ])('hostile or odd markup %#', (html, expected) => {
    expect(outlineHtml(html, 'http://example.gov.cn/')).toMatchObject(expected);
  });

  it('caps what a huge page can return', () => {
    const links = '<a href="/p">p</a>'.repeat(5000);
    expect(outlineHtml(links, 'http://example.gov.cn/').links).toHaveLength(2000);
  });
});

/** A fetcher that records requests and answers from a table, no network. */
function fakeFetcher(answers: Record<string, (headers: Record<string, string>) => GetResult>) {
  const calls: { url: string; headers: Record<string, string>; at: number }[] = [];
  let clock: ManualClock | undefined;
  const fetcher: SiteFetcher & { calls: typeof calls; use(c: ManualClock): void } = {
    calls,
    use(c) {
      clock = c;
    },
    async get(url, options) {
      calls.push({ url, headers: options.headers, at: clock?.monotonic() ?? 0 });
      const answer = answers[new URL(url).pathname] ?? answers[url];
      return answer ? answer(options.headers) : ok(404, '');
    },
  };
  return fetcher;
}

function ok(status: number, body: string, headers: Record<string, string> = {}): GetResult {
  return { ok: true, finalUrl: '', status, headers, body: Buffer.from(body) };
}

function failed(failure: GetFailure): GetResult {
  return { ok: false, failure };
}

function tooLarge(): GetResult {
  return { ok: true, finalUrl: '', status: 200, headers: {}, body: null };
}

function manual() {
  const clock = new ManualClock('2026-12-07T01:00:00Z');
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
  return { clock, waits, sleep };
}

describe('the site reader, on a fake fetcher and a manual clock', () => {
  it('reads robots.txt once per host and keeps one request a second per host', async () => {
    const { clock, waits, sleep } = manual();
    const fetcher = fakeFetcher({
      '/robots.txt': () => ok(200, 'User-agent: *\nDisallow: /private/\n'),
      '/a.html': () => ok(200, 'a', { 'content-type': 'text/html' }),
      '/b.html': () => ok(200, 'b', { 'content-type': 'text/html' }),
    });
    fetcher.use(clock);
    const reader = createSiteReader({ fetcher, clock, sleep });
    const [a, b, other] = await Promise.all([
      reader.read('http://site.gov.cn/a.html'),
      reader.read('http://site.gov.cn/b.html'),
      reader.read('http://other.gov.cn/a.html'),
    ]);
    expect([a.bytes?.toString(), b.bytes?.toString(), other.bytes?.toString()]).toEqual(['a', 'b', 'a']);
    const hosts = fetcher.calls.map(
      (call) => `${new URL(call.url).host}${new URL(call.url).pathname}@${call.at}`,
    );
    expect(hosts.filter((h) => h.startsWith('site.gov.cn'))).toEqual([
      'site.gov.cn/robots.txt@0',
      'site.gov.cn/a.html@1000',
      'site.gov.cn/b.html@2000',
    ]);
    expect(waits.every((ms) => ms <= 1000)).toBe(true);
    const denied = await reader.read('http://site.gov.cn/private/x.html');
    expect(denied).toMatchObject({ failure: 'robots', status: 0, bytes: null });
    expect(reader.requests).toBe(5);
  });

  it('honours Crawl-delay (capped at 10 s) for its own user agent', async () => {
    const { clock, sleep } = manual();
    const fetcher = fakeFetcher({
      '/robots.txt': () => ok(200, 'User-agent: DubanPatrol\nCrawl-delay: 3\n\nUser-agent: *\nDisallow: /\n'),
    });
    fetcher.use(clock);
    const reader = createSiteReader({ fetcher, clock, sleep });
    const first = await reader.read('http://site.gov.cn/x.html');
    expect(first.failure).toBe('http-error');
    await reader.read('http://site.gov.cn/y.html');
    expect(fetcher.calls.map((call) => call.at)).toEqual([0, 3000, 6000]);
  });

  it('sends validators and reads 304 as not modified', async () => {
    const { clock, sleep } = manual();
    const fetcher = fakeFetcher({
      '/robots.txt': () => ok(404, ''),
      '/c.html': (headers) =>
        headers['if-none-match'] === '"v1"'
          ? ok(304, '')
          : ok(200, 'c', { etag: '"v1"', 'last-modified': 'Mon, 07 Dec 2026 00:00:00 GMT' }),
    });
    const reader = createSiteReader({ fetcher, clock, sleep });
    const first = await reader.read('http://site.gov.cn/c.html');
    expect(first).toMatchObject({
      status: 200,
      notModified: false,
      etag: '"v1"',
      lastModified: 'Mon, 07 Dec 2026 00:00:00 GMT',
    });
    const again = await reader.read('http://site.gov.cn/c.html', {
      etag: first.etag,
      lastModified: first.lastModified,
    });
    expect(again).toMatchObject({ status: 304, notModified: true, bytes: null, etag: '"v1"' });
    expect(fetcher.calls[2]!.headers).toMatchObject({
      'if-none-match': '"v1"',
      'if-modified-since': 'Mon, 07 Dec 2026 00:00:00 GMT',
    });
    expect(fetcher.calls[2]!.headers['user-agent']).toMatch(/^DubanPatrol\//);
  });

  it.each([
    [failed('timeout'), 'timeout', 1],
    [failed('unreachable'), 'unreachable', 1],
    [failed('refused-address'), 'refused-address', 1],
  ])('a host whose robots.txt does not answer (%#) is not asked again', async (answer, failure, requests) => {
    const { clock, sleep } = manual();
    const fetcher = fakeFetcher({ '/robots.txt': () => answer });
    const reader = createSiteReader({ fetcher, clock, sleep });
    expect((await reader.read('http://down.gov.cn/')).failure).toBe(failure);
    expect((await reader.read('http://down.gov.cn/a.html')).failure).toBe(failure);
    expect(reader.requests).toBe(requests);
  });

  it.each([
    [ok(500, 'oops'), 'http-error', 500],
    [tooLarge(), 'too-large', 200],
    [failed('too-many-redirects'), 'unreachable', 0],
    [failed('invalid-url'), 'refused-address', 0],
  ])('maps the fetcher’s answer %# to a failure', async (answer, failure, status) => {
    const { clock, sleep } = manual();
    const fetcher = fakeFetcher({ '/robots.txt': () => ok(503, ''), '/p': () => answer });
    const reader = createSiteReader({ fetcher, clock, sleep });
    expect(await reader.read('http://site.gov.cn/p')).toMatchObject({ failure, status });
  });

  it.each(['ftp://site.gov.cn/a', 'not a url', 'file:///etc/passwd'])(
    'refuses %s without a request',
    async (url) => {
      const { clock, sleep } = manual();
      const fetcher = fakeFetcher({});
      const reader = createSiteReader({ fetcher, clock, sleep });
      expect((await reader.read(url)).failure).toBe('refused-address');
      expect(reader.requests).toBe(0);
    },
  );
});

describe('the site reader on a fixture server, through the guarded fetcher', () => {
  let server: Server;
  let base = '';
  const hits: string[] = [];
  const PAGE =
    '<html><head><title>首页</title></head><body><ul><li><a href="/art/1.html">动态</a> 2026-12-01</li></ul></body></html>';
  const etag = `"${createHash('sha1').update(PAGE).digest('hex')}"`;
  const content = new ContentService({ allowPrivateHosts: true, maxThreads: 1 });

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      if (request.url === '/robots.txt') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('User-agent: *\nDisallow: /internal/\n');
      } else if (request.url === '/') {
        if (request.headers['if-none-match'] === etag) {
          response.writeHead(304);
          response.end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag });
        response.end(PAGE);
      } else if (request.url === '/to-metadata') {
        response.writeHead(302, { location: 'http://169.254.169.254/latest' });
        response.end();
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await content.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads, outlines in the pool, answers 304 with validators, keeps out of robots exclusions', async () => {
    const { clock, sleep } = manual();
    const reader = createSiteReader({ fetcher: content, clock, sleep });
    const home = await reader.read(`${base}/`);
    expect(home).toMatchObject({ status: 200, etag, contentType: 'text/html; charset=utf-8' });
    const outline = await content.outline(home.bytes!, home.finalUrl);
    expect(outline).toMatchObject({
      ok: true,
      value: { title: '首页', dated: [{ date: '2026-12-01', text: '动态', href: `${base}/art/1.html` }] },
    });
    expect(await reader.read(`${base}/`, { etag: home.etag })).toMatchObject({
      status: 304,
      notModified: true,
    });
    expect(await reader.read(`${base}/internal/secret.html`)).toMatchObject({ failure: 'robots' });
    expect(await reader.read(`${base}/gone.html`)).toMatchObject({ failure: 'http-error', status: 404 });
    expect(hits).toEqual(['/robots.txt', '/', '/', '/gone.html']);
    expect(reader.requests).toBe(4);
  });

  it('reads a FETCH_ALLOW host at any port, refuses a redirect into the metadata address and private hosts', async () => {
    const { clock, sleep } = manual();
    const allowed = new ContentService({ allowPrivateHosts: false, allow: ['127.0.0.1'] });
    const reader = createSiteReader({ fetcher: allowed, clock, sleep });
    expect((await reader.read(`${base}/`)).status).toBe(200);
    expect((await reader.read(`${base}/to-metadata`)).failure).toBe('refused-address');
    const live = new ContentService({ allowPrivateHosts: false });
    const stranger = createSiteReader({ fetcher: live, clock, sleep });
    expect((await stranger.read(`${base}/`)).failure).toBe('refused-address');
    expect(stranger.requests).toBe(1);
    await Promise.all([allowed.close(), live.close()]);
  });
});
