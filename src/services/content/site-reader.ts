// The polite site reader: how the bot reads the units' published sites (the site patrol, repost
// checks). Every request goes through the guarded fetcher (address rules, redirects checked, byte
// and time caps); robots.txt is read once per host and honoured (Crawl-delay included, capped);
// one request per host at a time and at most one a second (perHostIntervalMs) measured on the
// injected clock's monotonic time; a page read before is asked for with its validators
// (If-None-Match / If-Modified-Since), so a repeat run mostly gets 304s and costs little.
//
//   const reader = createSiteReader({ fetcher: content, clock });
//   const page = await reader.read(url, { etag, lastModified });   // SitePage, never throws
//
// The reader keeps its robots.txt answers and per-host timing for its own life: make one per run.
import robotsParserModule from 'robots-parser';
import type { Clock } from '../../clock.js';
import type { GetOptions, GetResult } from './article-fetch.js';

export interface SitePage {
  /** The address asked for. */
  url: string;
  /** Where the answer came from, after redirects (the address asked for when there was none). */
  finalUrl: string;
  /** The HTTP status (0 when there was no answer). */
  status: number;
  /** 304: the page has not changed since the validators given. */
  notModified: boolean;
  contentType: string;
  /** The body of a 200 answer; null otherwise. */
  bytes: Buffer | null;
  etag?: string;
  lastModified?: string;
  failure?: 'robots' | 'unreachable' | 'timeout' | 'too-large' | 'refused-address' | 'http-error';
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface SiteReader {
  /** One page (never throws); `caps.maxBytes` raises or lowers the cap for this read (attachments). */
  read(url: string, validators?: Validators, caps?: { maxBytes?: number }): Promise<SitePage>;
  /** HTTP requests made so far, robots.txt included. */
  readonly requests: number;
}

/** The guarded fetcher (ContentService.get): one GET that hands back every status. */
export interface SiteFetcher {
  get(url: string, options: Omit<GetOptions, 'allowPrivateHosts' | 'allow'>): Promise<GetResult>;
}

export interface SiteReaderDeps {
  fetcher: SiteFetcher;
  clock: Clock;
  /** Waits this long (default: a timer). Tests pass one that advances a ManualClock instead. */
  sleep?: (ms: number) => Promise<void>;
}

export interface SiteReaderOptions {
  /** The least time between two requests to one host (default 1000 ms). */
  perHostIntervalMs?: number;
  /** The product token robots.txt rules are matched against comes first (default DubanPatrol). */
  userAgent?: string;
  /** Bytes read at most per page (default 2 MB). */
  maxBytes?: number;
  /** Per request, DNS and redirects included (default 10 s). */
  timeoutMs?: number;
}

export const SITE_READER_DEFAULTS = {
  perHostIntervalMs: 1000,
  userAgent: 'DubanPatrol/1.0 (+government website patrol)',
  maxBytes: 2 * 1024 * 1024,
  timeoutMs: 10_000,
  /** A robots.txt Crawl-delay above this is read as this (a site cannot stall the patrol). */
  maxCrawlDelayMs: 10_000,
  /** robots.txt read at most (Google reads 500 KiB). */
  robotsMaxBytes: 512 * 1024,
} as const;

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}

// robots-parser is CommonJS (module.exports = the function); its typings declare an ES default.
const robotsParser = robotsParserModule as unknown as (url: string, contents: string) => Robots;

/** What a host's robots.txt said: rules, everything allowed, or the host did not answer. */
type RobotsVerdict =
  | { kind: 'rules'; robots: Robots }
  | { kind: 'all' }
  | { kind: 'down'; failure: 'unreachable' | 'timeout' | 'refused-address' };

interface HostState {
  /** The tail of this host's queue: requests to one host run one after another. */
  tail: Promise<unknown>;
  /** Monotonic time of the last request's start. */
  lastStart: number | undefined;
  intervalMs: number;
  robots: Promise<RobotsVerdict> | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function createSiteReader(deps: SiteReaderDeps, options: SiteReaderOptions = {}): SiteReader {
  const settings = { ...SITE_READER_DEFAULTS, ...options };
  const sleep = deps.sleep ?? defaultSleep;
  const hosts = new Map<string, HostState>();
  let requests = 0;
  /** The user agent's product token, which robots.txt groups name. */
  const agentToken = settings.userAgent.split(/[\s/]/)[0] ?? settings.userAgent;

  function hostOf(url: URL): HostState {
    let state = hosts.get(url.host);
    if (!state) {
      state = {
        tail: Promise.resolve(),
        lastStart: undefined,
        intervalMs: settings.perHostIntervalMs,
        robots: undefined,
      };
      hosts.set(url.host, state);
    }
    return state;
  }

  /** Runs one request in the host's turn, at least intervalMs after the one before it started. */
  function inTurn<T>(state: HostState, request: () => Promise<T>): Promise<T> {
    const run = state.tail.then(async () => {
      if (state.lastStart !== undefined) {
        const wait = state.lastStart + state.intervalMs - deps.clock.monotonic();
        if (wait > 0) await sleep(wait);
      }
      state.lastStart = deps.clock.monotonic();
      requests++;
      return request();
    });
    state.tail = run.catch(() => undefined);
    return run;
  }

  function get(state: HostState, url: string, headers: Record<string, string>, maxBytes: number) {
    return inTurn(state, () =>
      deps.fetcher.get(url, {
        maxBytes,
        timeoutMs: settings.timeoutMs,
        headers: { 'user-agent': settings.userAgent, accept: '*/*', ...headers },
      }),
    );
  }

  async function readRobots(state: HostState, origin: string): Promise<RobotsVerdict> {
    const robotsUrl = `${origin}/robots.txt`;
    const answer = await get(state, robotsUrl, { accept: 'text/plain' }, settings.robotsMaxBytes);
    if (!answer.ok) {
      if (answer.failure === 'timeout' || answer.failure === 'refused-address')
        return { kind: 'down', failure: answer.failure };
      if (answer.failure === 'unreachable') return { kind: 'down', failure: 'unreachable' };
      return { kind: 'all' };
    }
    // 4xx: no robots.txt, everything may be read. 5xx: the site is unwell, not forbidding.
    if (answer.status !== 200 || !answer.body) return { kind: 'all' };
    const robots = robotsParser(robotsUrl, answer.body.toString('utf8'));
    const delay = robots.getCrawlDelay(agentToken);
    if (typeof delay === 'number' && Number.isFinite(delay) && delay > 0) {
      state.intervalMs = Math.max(state.intervalMs, Math.min(delay * 1000, settings.maxCrawlDelayMs));
    }
    return { kind: 'rules', robots };
  }

  async function read(
    address: string,
    validators: Validators = {},
    caps: { maxBytes?: number } = {},
  ): Promise<SitePage> {
    const page = (fields: Partial<SitePage>): SitePage => ({
      url: address,
      finalUrl: address,
      status: 0,
      notModified: false,
      contentType: '',
      bytes: null,
      ...fields,
    });
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return page({ failure: 'refused-address' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return page({ failure: 'refused-address' });
    const state = hostOf(url);
    state.robots ??= readRobots(state, url.origin);
    const verdict = await state.robots;
    if (verdict.kind === 'down') return page({ failure: verdict.failure });
    if (verdict.kind === 'rules' && verdict.robots.isAllowed(url.toString(), agentToken) === false) {
      return page({ failure: 'robots' });
    }
    const headers: Record<string, string> = {};
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const answer = await get(state, url.toString(), headers, caps.maxBytes ?? settings.maxBytes);
    if (!answer.ok) {
      const failure =
        answer.failure === 'invalid-url'
          ? 'refused-address'
          : answer.failure === 'too-many-redirects'
            ? 'unreachable'
            : answer.failure;
      return page({ failure });
    }
    const common = {
      finalUrl: answer.finalUrl,
      status: answer.status,
      contentType: header(answer.headers['content-type']) ?? '',
      etag: header(answer.headers.etag) ?? (answer.status === 304 ? validators.etag : undefined),
      lastModified:
        header(answer.headers['last-modified']) ??
        (answer.status === 304 ? validators.lastModified : undefined),
    };
    if (answer.status === 304) return page({ ...common, notModified: true });
    if (answer.status === 200) {
      return answer.body
        ? page({ ...common, bytes: answer.body })
        : page({ ...common, failure: 'too-large' });
    }
    return page({ ...common, failure: 'http-error' });
  }

  return {
    read,
    get requests() {
      return requests;
    },
  };
}
