// A minimal browser for the board's server tests: a cookie jar per host, redirects followed by hand
// (so each hop can be inspected), bodies as text or bytes.

export interface Hop {
  url: string;
  status: number;
  headers: Headers;
  setCookies: string[];
}

export interface Page extends Hop {
  body: string;
  bytes: Buffer;
  /** Every response on the way, the last one included. */
  hops: Hop[];
}

export class TestBrowser {
  /** host → name → value */
  readonly jar = new Map<string, Map<string, string>>();

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, value);
  }

  /** POST `url` (an empty form), without following redirects. */
  post(url: string, options: { headers?: Record<string, string> } = {}): Promise<Page> {
    return this.get(url, { ...options, method: 'POST', maxRedirects: 0 });
  }

  /** GET `url`, following up to `maxRedirects` redirects (0: none). */
  async get(
    url: string,
    options: { maxRedirects?: number; headers?: Record<string, string>; method?: 'GET' | 'POST' } = {},
  ): Promise<Page> {
    const hops: Hop[] = [];
    let current = url;
    for (let i = 0; ; i++) {
      const target = new URL(current);
      const cookies = [...(this.jar.get(target.host) ?? new Map<string, string>())]
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
      const response = await fetch(target, {
        method: i === 0 ? (options.method ?? 'GET') : 'GET',
        redirect: 'manual',
        headers: { ...(cookies ? { cookie: cookies } : {}), ...options.headers },
      });
      const setCookies = response.headers.getSetCookie();
      for (const header of setCookies) this.store(target.host, header);
      const hop: Hop = { url: current, status: response.status, headers: response.headers, setCookies };
      hops.push(hop);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location && i < (options.maxRedirects ?? 10)) {
        await response.body?.cancel();
        current = new URL(location, current).toString();
        continue;
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      return { ...hop, body: bytes.toString('utf8'), bytes, hops };
    }
  }

  private store(host: string, header: string): void {
    const [pair, ...attributes] = header.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    if (expired || value === '') this.jar.get(host)!.delete(name);
    else this.jar.get(host)!.set(name, value);
  }
}

/** The numbers a page shows in its `data-k` attributes. */
export function pageNumbers(body: string): Record<string, number> {
  const numbers: Record<string, number> = {};
  for (const match of body.matchAll(/data-k="([^"]+)">(\d+)</g)) numbers[match[1]!] = Number(match[2]);
  return numbers;
}
