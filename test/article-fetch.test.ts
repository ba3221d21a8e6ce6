// Reading a forwarded article: pages, encodings, redirects, and what a stranger's link may not reach.
// The guarded fetcher (fetchPage) returns bytes; the content service parses them in its worker pool.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPage, type FetchPageOptions } from '../src/services/content/article-fetch.js';
import { ContentService } from '../src/services/content/service.js';

const ARTICLE =
  '<html><head><title>通报</title><script>var x=1</script></head><body><h1>工作动态</h1><p>联系人手机13812345678。</p></body></html>';
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/article') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(ARTICLE);
    } else if (path === '/gbk') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(Buffer.from([0xb5, 0xe7, 0xbb, 0xb0])); // 电话 in GB18030
    } else if (path === '/plain') {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('纯文字 <b>不是标签</b>');
    } else if (path === '/moved') {
      response.writeHead(302, { location: '/article' });
      response.end();
    } else if (path === '/to-metadata') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest' });
      response.end();
    } else if (path === '/loop') {
      response.writeHead(302, { location: '/loop' });
      response.end();
    } else if (path === '/big') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('a'.repeat(3 * 1024 * 1024));
    } else if (path === '/picture') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(Buffer.alloc(10));
    } else if (path === '/deep') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`${'<div>'.repeat(100_000)}x`);
    } else if (path === '/slow') {
      setTimeout(() => response.end('late'), 2000);
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

const content = new ContentService({ allowPrivateHosts: true });

afterAll(async () => {
  await content.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const local = { allowPrivateHosts: true };

/** The article's text through the content service, with fetch options of the test's own. */
async function fetchArticleText(url: string, options: FetchPageOptions) {
  if (options.maxBytes !== undefined || options.timeoutMs !== undefined || !options.allowPrivateHosts) {
    const page = await fetchPage(url, options);
    return page.ok ? content.readArticle(url) : page;
  }
  return content.readArticle(url);
}

describe('reading an article', () => {
  it('reads a page as text: headings and paragraphs, no scripts', async () => {
    const result = await fetchArticleText(`${base}/article`, local);
    expect(result).toMatchObject({ ok: true, url: `${base}/article` });
    const text = result.ok ? result.text : '';
    expect(text).toContain('工作动态');
    expect(text).toContain('联系人手机13812345678。');
    expect(text).not.toContain('var x');
  });

  it('decodes a page without a charset that is not UTF-8 as GB18030', async () => {
    expect(await fetchArticleText(`${base}/gbk`, local)).toMatchObject({ ok: true, text: '电话' });
  });

  it('takes plain text as it is', async () => {
    expect(await fetchArticleText(`${base}/plain`, local)).toMatchObject({
      ok: true,
      text: '纯文字 <b>不是标签</b>',
    });
  });

  it('follows a redirect, and gives up on a loop', async () => {
    expect(await fetchArticleText(`${base}/moved`, local)).toMatchObject({
      ok: true,
      url: `${base}/article`,
    });
    expect(await fetchArticleText(`${base}/loop`, local)).toEqual({
      ok: false,
      error: '该链接跳转次数过多，无法读取。',
    });
  });

  it.each([
    ['/big', { maxBytes: 1024 * 1024 }, '网页超过 1 MB，无法检查。'],
    ['/picture', {}, '该链接不是网页文章，无法检查。'],
    ['/missing', {}, '无法读取该链接（网站返回 404）。'],
    ['/slow', { timeoutMs: 200 }, '读取该链接超时。'],
  ])('refuses %s clearly', async (path, extra, error) => {
    expect(await fetchArticleText(`${base}${path}`, { ...local, ...extra })).toEqual({ ok: false, error });
  });

  it('reads a few pages at a time: a fifth while four are in flight is turned away', async () => {
    const slow = Array.from({ length: 4 }, () => fetchPage(`${base}/slow`, { ...local, timeoutMs: 500 }));
    expect(await fetchArticleText(`${base}/article`, local)).toEqual({
      ok: false,
      error: '正在检查的文章较多，请稍后再试。',
    });
    await Promise.all(slow);
    expect(await fetchArticleText(`${base}/article`, local)).toMatchObject({ ok: true });
  });

  it('refuses a page nested too deeply to parse safely, before parsing it', async () => {
    expect(await fetchArticleText(`${base}/deep`, local)).toEqual({
      ok: false,
      error: '网页结构嵌套过深，无法读取。',
    });
  });

  it.each([
    ['another scheme', 'ftp://example.gov.cn/a.txt', '只能读取 http(s) 链接。'],
    ['not an address', '这不是网址', '链接格式不正确。'],
    ['loopback', 'http://127.0.0.1:1/', '该链接指向内部网络地址，不能读取。'],
    ['a private network', 'http://10.1.2.3/', '该链接指向内部网络地址，不能读取。'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest', '该链接指向内部网络地址，不能读取。'],
    ['IPv6 loopback', 'http://[::1]/', '该链接指向内部网络地址，不能读取。'],
    ['IPv4 mapped in IPv6', 'http://[::ffff:192.168.1.1]/', '该链接指向内部网络地址，不能读取。'],
    // A name is checked by the lookup the connection itself uses (no second lookup to rebind).
    ['localhost by name', 'http://localhost/', '该链接指向内部网络地址，不能读取。'],
    ['benchmarking range', 'http://198.18.0.1/', '该链接指向内部网络地址，不能读取。'],
    ['NAT64 of a private address', 'http://[64:ff9b::a00:1]/', '该链接指向内部网络地址，不能读取。'],
    // The URL parser writes these in hex (::ffff:127.0.0.1 becomes ::ffff:7f00:1).
    ['IPv4-compatible loopback', 'http://[::7f00:1]/', '该链接指向内部网络地址，不能读取。'],
    ['IPv4-compatible, dotted', 'http://[::127.0.0.1]/', '该链接指向内部网络地址，不能读取。'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/', '该链接指向内部网络地址，不能读取。'],
    ['IPv4-translated loopback', 'http://[::ffff:0:7f00:1]/', '该链接指向内部网络地址，不能读取。'],
    ['NAT64 local use', 'http://[64:ff9b:1::a00:1]/', '该链接指向内部网络地址，不能读取。'],
    ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', '该链接指向内部网络地址，不能读取。'],
    ['site-local', 'http://[fec0::1]/', '该链接指向内部网络地址，不能读取。'],
    ['a decimal loopback', 'http://2130706433/', '该链接指向内部网络地址，不能读取。'],
    ['an octal loopback', 'http://0177.0.0.1/', '该链接指向内部网络地址，不能读取。'],
    [
      'a public address on another port',
      'http://8.8.8.8:8080/',
      '该链接使用了 80、443 以外的端口，不能读取。',
    ],
  ])('in live mode refuses %s', async (_name, url, error) => {
    expect(await fetchArticleText(url, { allowPrivateHosts: false })).toEqual({ ok: false, error });
  });

  describe('FETCH_ALLOW in live mode', () => {
    it('reads a fixture on 127.0.0.1 at any port when 127.0.0.1 is allowed', async () => {
      expect(await fetchArticleText(`${base}/article`, { allowPrivateHosts: false })).toEqual({
        ok: false,
        error: '该链接指向内部网络地址，不能读取。',
      });
      expect(
        await fetchArticleText(`${base}/article`, { allowPrivateHosts: false, allow: ['127.0.0.1'] }),
      ).toMatchObject({ ok: true, url: `${base}/article` });
    });

    it('allows a network (CIDR) and a host by name, whatever it resolves to', async () => {
      const port = new URL(base).port;
      for (const allow of [['127.0.0.0/8'], ['localhost']]) {
        const result = await fetchArticleText(`http://localhost:${port}/plain`, {
          allowPrivateHosts: false,
          allow,
        });
        expect(result, allow[0]).toMatchObject({ ok: true });
      }
    });

    it('checks every redirect hop: an allowed site cannot send the bot elsewhere inside', async () => {
      expect(
        await fetchArticleText(`${base}/to-metadata`, { allowPrivateHosts: false, allow: ['127.0.0.1'] }),
      ).toEqual({ ok: false, error: '该链接指向内部网络地址，不能读取。' });
    });

    it('does not stretch to neighbours of an allowed address', async () => {
      expect(
        await fetchArticleText('http://127.0.0.2:1/', { allowPrivateHosts: false, allow: ['127.0.0.1'] }),
      ).toEqual({ ok: false, error: '该链接指向内部网络地址，不能读取。' });
    });
  });
});
