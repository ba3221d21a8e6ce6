// The sandbox's fictional unit sites: a home page with dated columns, robots.txt, and conditional
// GET answered with 304 as real government sites do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, localPort } from '../src/sandbox/unit-sites/index.js';
import { publish } from '../src/sandbox/unit-sites/base.js';
import { startUnitSites, type RunningUnitSites } from '../src/sandbox/unit-sites/server.js';

const now = new Date('2026-12-05T02:00:00Z');
let running: RunningUnitSites;

beforeAll(async () => {
  const site = buildSite({ siteCode: '3703230001', name: '淄博市高青县人民政府' }, '高青县', now);
  publish(site, 'gzdt', { title: '高青县转载：国务院常务会议要点', date: now, body: '<p>转载。</p>' });
  running = await startUnitSites([site]);
});

afterAll(async () => {
  await running.close();
});

describe('fictional unit sites', () => {
  it('serves a home page that links its columns and newest items, and a robots.txt', async () => {
    const home = await (await fetch(running.sites[0]!.homeUrl)).text();
    expect(home).toContain('淄博市高青县人民政府');
    expect(home).toContain('/col/gzdt/index.html');
    expect(home).toContain('高青县转载：国务院常务会议要点');
    const robots = await fetch(new URL('/robots.txt', running.sites[0]!.homeUrl));
    expect(await robots.text()).toContain('User-agent: *');
    const missing = await fetch(new URL('/no/such/page.html', running.sites[0]!.homeUrl));
    expect(missing.status).toBe(404);
  });

  it('lists a column with dates and answers a repeated request with 304', async () => {
    const url = new URL('/col/gzdt/index.html', running.sites[0]!.homeUrl);
    const first = await fetch(url);
    expect(await first.text()).toContain('2026-12-05');
    const etag = first.headers.get('etag')!;
    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const since = await fetch(url, { headers: { 'if-modified-since': first.headers.get('last-modified')! } });
    expect(since.status).toBe(304);
    expect(running.sites[0]!.hits.get('/col/gzdt/index.html')).toBe(3);
  });
});

describe('ports across restarts', () => {
  it('a site gets its port of the last start again when free, else any free port', async () => {
    const site = () => buildSite({ siteCode: '3703230001', name: '淄博市高青县人民政府' }, '高青县', now);
    const first = await startUnitSites([site()]);
    const url = first.sites[0]!.homeUrl;
    const port = localPort(url)!;
    expect(port).toBeGreaterThan(0);
    await first.close();
    const again = await startUnitSites([site()], [port]);
    expect(again.sites[0]!.homeUrl).toBe(url);
    // The port taken (by the running site): another one, and it serves.
    const other = await startUnitSites([site()], [port]);
    expect(other.sites[0]!.homeUrl).not.toBe(url);
    expect((await fetch(other.sites[0]!.homeUrl)).status).toBe(200);
    await other.close();
    await again.close();
    expect(localPort('https://www.zibo.gov.cn/')).toBeUndefined();
  });
});
