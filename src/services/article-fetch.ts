// Reads the article behind a link a member forwarded (检查 a 公众号 article before reposting it):
// the page's text, as the PII check reads an .html file. The bot fetches an address a member gave
// it, so it refuses what a stranger's link must not reach: other schemes, addresses inside the
// network (unless allowed, as in the sandbox whose pages are local), endless redirects, huge or
// slow pages.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { decodeText, htmlToPlainText } from './text-extract.js';

export interface ArticleFetchOptions {
  /** Loopback and private addresses too (the sandbox, tests); never in live mode. */
  allowPrivateHosts: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

export type ArticleResult = { ok: true; text: string; url: string } | { ok: false; error: string };

const MAX_REDIRECTS = 3;

/** Loopback, private, link-local, carrier-grade NAT and unspecified ranges (IPv4 and IPv6). */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

function isInternal(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family === 6) {
    // ::ffff:10.0.0.1 is an IPv4 address in disguise.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? INTERNAL.check(mapped[1]!, 'ipv4') : INTERNAL.check(address, 'ipv6');
  }
  return true;
}

/** Why this address may not be fetched, or null. */
async function refusal(url: URL, options: ArticleFetchOptions): Promise<string | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '只能读取 http(s) 链接。';
  if (options.allowPrivateHosts) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return `无法解析网址中的域名 ${host}。`;
  }
  if (addresses.length === 0 || addresses.some(isInternal)) return '该链接指向内部网络地址，不能读取。';
  return null;
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += (chunk as Uint8Array).byteLength;
    if (size > maxBytes) return null;
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

export async function fetchArticleText(
  address: string,
  options: ArticleFetchOptions,
): Promise<ArticleResult> {
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return { ok: false, error: '链接格式不正确。' };
  }
  const signal = AbortSignal.timeout(options.timeoutMs ?? 8000);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refused = await refusal(url, options);
      if (refused) return { ok: false, error: refused };
      // Redirects are followed by hand, so that each hop's address is checked as well.
      const response = await fetch(url, {
        redirect: 'manual',
        signal,
        headers: { accept: 'text/html,text/plain' },
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, error: `无法读取该链接（网站返回 ${response.status}）。` };
      }
      const type = response.headers.get('content-type') ?? '';
      if (type && !/text\/html|application\/xhtml|text\/plain/i.test(type)) {
        await response.body?.cancel();
        return { ok: false, error: '该链接不是网页文章，无法检查；请发送文件或粘贴文字。' };
      }
      const body = await readCapped(response, maxBytes);
      if (!body) return { ok: false, error: `网页超过 ${Math.round(maxBytes / 1024 / 1024)} MB，无法检查。` };
      const decoded = decodeText(body);
      const text = /text\/plain/i.test(type) ? decoded : htmlToPlainText(decoded);
      return { ok: true, text, url: url.toString() };
    }
    return { ok: false, error: '该链接跳转次数过多，无法读取。' };
  } catch {
    if (signal.aborted) return { ok: false, error: '读取该链接超时。' };
    return { ok: false, error: '无法读取该链接，请稍后再试，或发送文件、直接粘贴文字。' };
  }
}
