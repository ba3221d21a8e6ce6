// The guarded fetcher: one GET of an address a member gave the bot (a forwarded 公众号 article for
// 检查; later, pages of repost verification and the site patrol). It refuses what a stranger's link
// must not reach: other schemes, addresses inside the network (unless allowed, as in the sandbox
// whose pages are local), endless redirects, huge or slow pages. It returns bytes only: parsing is
// the content pool's (service.ts). The caller holds the member's transaction, so the whole read
// (DNS included) has one short deadline and only a few reads run at once.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface PageCaps {
  /** Bytes read at most: reading stops there and the page is refused. */
  maxBytes: number;
  timeoutMs?: number;
  /** Content types accepted (default: HTML and plain text). */
  accept?: RegExp;
}

export interface FetchPageOptions extends Partial<PageCaps> {
  /** Loopback and private addresses too (the sandbox, tests); never in live mode. */
  allowPrivateHosts: boolean;
}

export type PageResult =
  { ok: true; url: string; contentType: string; body: Buffer } | { ok: false; error: string };

const PAGE_TYPES = /text\/html|application\/xhtml|text\/plain/i;

const MAX_REDIRECTS = 3;
/** Reads in flight at once, across the process: each holds a database connection meanwhile. */
const MAX_CONCURRENT = 4;
let inFlight = 0;

/**
 * Loopback, private, link-local, shared (CGNAT), benchmarking, multicast and reserved ranges, and
 * the IPv6 ones, including the prefixes that embed an IPv4 address (NAT64, 6to4).
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family === 6) {
    // ::ffff:10.0.0.1 is an IPv4 address in disguise.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped ? INTERNAL.check(mapped[1]!, 'ipv4') : INTERNAL.check(address, 'ipv6');
  }
  return true;
}

class RefusedAddressError extends Error {}

/**
 * The lookup the connection itself uses: the addresses checked are the addresses connected to, so
 * a name that resolves differently the second time (DNS rebinding) cannot slip through.
 */
function checkedLookup(allowPrivateHosts: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (
        !allowPrivateHosts &&
        (addresses.length === 0 || addresses.some((a) => isInternalAddress(a.address)))
      ) {
        return callback(new RefusedAddressError(hostname), '', 0);
      }
      if ((options as { all?: boolean }).all) {
        return (callback as unknown as (e: null, list: LookupAddress[]) => void)(null, addresses);
      }
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

interface Fetched {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer | null;
}

/** One GET, body capped at `maxBytes` (null when larger). */
function get(url: URL, options: FetchPageOptions, signal: AbortSignal, maxBytes: number): Promise<Fetched> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        signal,
        lookup: checkedLookup(options.allowPrivateHosts),
        headers: { accept: 'text/html,text/plain', 'user-agent': 'duban-pii-check' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const declared = Number(response.headers['content-length'] ?? 0);
        if (status !== 200 || declared > maxBytes) {
          response.destroy();
          resolve({ status, headers: response.headers, body: status === 200 ? null : Buffer.alloc(0) });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            response.destroy();
            resolve({ status, headers: response.headers, body: null });
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** Why this address may not be fetched, before any connection, or null. */
function refusal(url: URL, options: FetchPageOptions): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '只能读取 http(s) 链接。';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An address written as such is never looked up, so it is checked here.
  if (!options.allowPrivateHosts && isIP(host) && isInternalAddress(host)) return INTERNAL_TEXT;
  return null;
}

const INTERNAL_TEXT = '该链接指向内部网络地址，不能读取。';

export async function fetchPage(address: string, options: FetchPageOptions): Promise<PageResult> {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return { ok: false, error: '链接格式不正确。' };
  }
  if (inFlight >= MAX_CONCURRENT) return { ok: false, error: '正在检查的文章较多，请稍后再试。' };
  inFlight++;
  try {
    return await read(url, options);
  } finally {
    inFlight--;
  }
}

async function read(start: URL, options: FetchPageOptions): Promise<PageResult> {
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
  let url = start;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refused = refusal(url, options);
      if (refused) return { ok: false, error: refused };
      // Redirects are followed by hand, so that each hop is checked as the first one was.
      const response = await get(url, options, signal, maxBytes);
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url);
        continue;
      }
      if (response.status !== 200)
        return { ok: false, error: `无法读取该链接（网站返回 ${response.status}）。` };
      const type = response.headers['content-type'] ?? '';
      if (type && !(options.accept ?? PAGE_TYPES).test(type)) {
        return { ok: false, error: '该链接不是网页文章，无法检查。' };
      }
      if (!response.body)
        return { ok: false, error: `网页超过 ${Math.round(maxBytes / 1024 / 1024)} MB，无法检查。` };
      return { ok: true, url: url.toString(), contentType: type, body: response.body };
    }
    return { ok: false, error: '该链接跳转次数过多，无法读取。' };
  } catch (error) {
    if (error instanceof RefusedAddressError) return { ok: false, error: INTERNAL_TEXT };
    if (signal.aborted) return { ok: false, error: '读取该链接超时。' };
    if ((error as NodeJS.ErrnoException).code === 'ENOTFOUND') {
      return { ok: false, error: `无法解析网址中的域名 ${url.hostname}。` };
    }
    return { ok: false, error: '无法读取该链接。' };
  }
}
