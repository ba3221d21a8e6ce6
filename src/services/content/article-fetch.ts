// The guarded fetcher: one GET of an address a member gave the bot (a forwarded 公众号 article for
// 检查; pages of repost verification and the site patrol). It refuses what a stranger's link must not
// reach: other schemes, addresses inside the network or on other ports (address-rules.ts; the
// sandbox and FETCH_ALLOW aside), endless redirects, huge or slow pages. It returns bytes only:
// parsing is the content pool's (service.ts). The caller may hold a member's transaction, so the
// whole read (DNS included) has one short deadline and only a few reads run at once.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ADDRESS_REFUSAL_TEXT, AddressRules, type AddressRefusal } from './address-rules.js';

export interface PageCaps {
  /** Bytes read at most: reading stops there and the page is refused. */
  maxBytes: number;
  timeoutMs?: number;
  /** Content types accepted (default: HTML and plain text). */
  accept?: RegExp;
}

export interface FetchPageOptions extends Partial<PageCaps> {
  /** Every address and port (the sandbox, tests); never in live mode. */
  allowPrivateHosts: boolean;
  /** FETCH_ALLOW: hosts, addresses and CIDR ranges a live bot may read at any port (see address-rules.ts). */
  allow?: readonly string[];
}

export type PageResult =
  { ok: true; url: string; contentType: string; body: Buffer } | { ok: false; error: string };

const PAGE_TYPES = /text\/html|application\/xhtml|text\/plain/i;

const MAX_REDIRECTS = 3;
/** Reads in flight at once, across the process: each holds a database connection meanwhile. */
const MAX_CONCURRENT = 4;
let inFlight = 0;

class RefusedAddressError extends Error {
  constructor(readonly reason: AddressRefusal) {
    super(reason);
  }
}

/**
 * The lookup the connection itself uses: the addresses checked are the addresses connected to, so
 * a name that resolves differently the second time (DNS rebinding) cannot slip through.
 */
function checkedLookup(rules: AddressRules, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = rules.refusal(
        hostname,
        port,
        addresses.map((a) => a.address),
      );
      if (refused) return callback(new RefusedAddressError(refused), '', 0);
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
function get(
  url: URL,
  rules: AddressRules,
  signal: AbortSignal,
  maxBytes: number,
  headers: Record<string, string> = { accept: 'text/html,text/plain', 'user-agent': 'duban-pii-check' },
): Promise<Fetched> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        signal,
        lookup: checkedLookup(rules, AddressRules.portOf(url)),
        headers,
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
function refusal(url: URL, rules: AddressRules): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '只能读取 http(s) 链接。';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An address written as such is never looked up, so it is checked here; a name is checked with
  // the addresses it resolves to, in the lookup.
  if (!isIP(host)) return null;
  const refused = rules.refusal(host, AddressRules.portOf(url), [host]);
  return refused ? ADDRESS_REFUSAL_TEXT[refused] : null;
}

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
  const rules = new AddressRules({ anyAddress: options.allowPrivateHosts, allow: options.allow });
  let url = start;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refused = refusal(url, rules);
      if (refused) return { ok: false, error: refused };
      // Redirects are followed by hand, so that each hop is checked as the first one was.
      const response = await get(url, rules, signal, maxBytes);
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
    if (error instanceof RefusedAddressError) return { ok: false, error: ADDRESS_REFUSAL_TEXT[error.reason] };
    if (signal.aborted) return { ok: false, error: '读取该链接超时。' };
    if ((error as NodeJS.ErrnoException).code === 'ENOTFOUND') {
      return { ok: false, error: `无法解析网址中的域名 ${url.hostname}。` };
    }
    return { ok: false, error: '无法读取该链接。' };
  }
}

/** Why a guarded GET got no answer at all (the site patrol and repost checks tell these apart). */
export type GetFailure = 'refused-address' | 'unreachable' | 'timeout' | 'invalid-url' | 'too-many-redirects';

export type GetResult =
  | {
      ok: true;
      /** Where the last hop was (after redirects). */
      finalUrl: string;
      status: number;
      headers: IncomingHttpHeaders;
      /** The body of a 200 answer; null when it was over `maxBytes`; empty for other statuses. */
      body: Buffer | null;
    }
  | { ok: false; failure: GetFailure };

export interface GetOptions {
  allowPrivateHosts: boolean;
  allow?: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  /** Request headers (user agent, conditional GET validators …). */
  headers: Record<string, string>;
}

/**
 * One guarded GET with every status handed back (304, 404 …) rather than refused: the same
 * address rules, redirect checks and caps as fetchPage, without its content-type check or its
 * cap on reads in flight (the site reader keeps to one request a second per host instead).
 */
export async function guardedGet(address: string, options: GetOptions): Promise<GetResult> {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return { ok: false, failure: 'invalid-url' };
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  const rules = new AddressRules({ anyAddress: options.allowPrivateHosts, allow: options.allow });
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, failure: 'invalid-url' };
      if (refusal(url, rules)) return { ok: false, failure: 'refused-address' };
      const response = await get(url, rules, signal, options.maxBytes, options.headers);
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && response.status !== 304 && location) {
        url = new URL(location, url);
        continue;
      }
      return {
        ok: true,
        finalUrl: url.toString(),
        status: response.status,
        headers: response.headers,
        body: response.body,
      };
    }
    return { ok: false, failure: 'too-many-redirects' };
  } catch (error) {
    if (error instanceof RefusedAddressError) return { ok: false, failure: 'refused-address' };
    if (signal.aborted) return { ok: false, failure: 'timeout' };
    return { ok: false, failure: 'unreachable' };
  }
}
