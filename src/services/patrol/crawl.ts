// One site's patrol: from the home page, breadth first, its column pages and the articles they list
// (maxDepth), attachments (.docx/.xlsx/.pdf) of those, within the page budget and the run's time
// budget. Reads through the polite site reader (robots.txt, one request a second per host,
// conditional GET); every page and attachment is parsed and checked in the content worker. A page
// that answers 304 is taken as it was last time (its links and dates from the cache; its PII
// findings stay as they are). What it saw comes back as observations; nothing is stored here.
import type { PatrolPageSummary } from '../../entities/patrol.js';
import type { PageOutline } from '../content/outline.js';
import type { SitePage, SiteReader } from '../content/site-reader.js';
import type { PatrolFormat, PatrolPageResult } from './page-check.js';
import { piiKindsText } from './page-check.js';
import {
  attachmentFormat,
  clipTo,
  dedupeObservations,
  isGovernmentHost,
  isSkippedLink,
  isStale,
  sameSite,
  type Observation,
  type PatrolLimits,
} from './rules.js';

export interface CachedPage {
  etag: string | null;
  lastModified: string | null;
  summary: PatrolPageSummary;
}

export interface PageUpdate {
  url: string;
  etag: string | null;
  lastModified: string | null;
  summary: PatrolPageSummary;
}

export interface CrawlDeps {
  reader: SiteReader;
  /** The page check in the content worker (ContentService.parse('patrol-page', …)); null when refused. */
  check: (bytes: Buffer, format: PatrolFormat, url: string) => Promise<PatrolPageResult | null>;
  /** Whether the run's time budget is spent (no new page is started then). */
  outOfTime: () => boolean;
  /** Told after every request (the caller renews its lease when it is due). */
  progress?: (pages: number) => Promise<void>;
}

export interface CrawlInput {
  homeUrls: readonly string[];
  cache: ReadonlyMap<string, CachedPage>;
  limits: PatrolLimits;
  now: Date;
}

export interface CrawlResult {
  /** The home page answered (else the rest is empty). */
  reachable: boolean;
  /** Why it did not (timeout, unreachable, http-error 503 …). */
  homeFailure?: string;
  homeUrl: string;
  /** Where the home page ended up after redirects: its host is the site's (links on it are the site's own). */
  siteUrl: string;
  observations: Observation[];
  /** Pages whose findings were looked for this run (read, or unchanged): only these may be resolved. */
  assessed: string[];
  /** Pages answered 304: their PII findings stand as they were. */
  unchanged: string[];
  /** Pages left out by robots.txt. */
  excluded: number;
  pageUpdates: PageUpdate[];
  pages: number;
  /** Requests this site's crawl made (pages and link checks; robots.txt reads are the reader's). */
  requests: number;
  bytes: number;
  truncated: boolean;
}

interface Queued {
  url: string;
  depth: number;
  /** The page that linked here and its depth (dead links are reported from home and column pages). */
  from: string | null;
  fromDepth: number;
  linkText: string;
}

/** Links kept in a page's cache entry (same site first, then the rest): enough to follow and check. */
const CACHED_LINKS = 150;

/** An attachment behind an address without its extension (download.jsp?id=3), by its content type. */
function formatOfType(contentType: string): PatrolFormat {
  if (/application\/pdf/i.test(contentType)) return 'pdf';
  if (/wordprocessingml/i.test(contentType)) return 'docx';
  if (/spreadsheetml/i.test(contentType)) return 'xlsx';
  return 'html';
}

function failureText(page: SitePage): string {
  return page.failure === 'http-error' ? `HTTP ${page.status}` : (page.failure ?? '');
}

function summaryOf(outline: PageOutline, home: string): PatrolPageSummary {
  const same = outline.links.filter((link) => sameSite(link.href, home));
  const other = outline.links.filter((link) => !sameSite(link.href, home));
  const links = [...same, ...other]
    .slice(0, CACHED_LINKS)
    .map((link) => ({ href: clipTo(link.href, 300), text: clipTo(link.text, 40) }));
  const newest = outline.dated.reduce<string | undefined>(
    (max, item) => (!max || item.date > max ? item.date : max),
    undefined,
  );
  return {
    links,
    title: clipTo(outline.headings[0]?.text || outline.title, 60),
    dated: outline.dated.length,
    ...(newest ? { newest } : {}),
  };
}

export async function crawlSite(deps: CrawlDeps, input: CrawlInput): Promise<CrawlResult> {
  const { limits, cache } = input;
  const result: CrawlResult = {
    reachable: false,
    homeUrl: input.homeUrls[0] ?? '',
    siteUrl: input.homeUrls[0] ?? '',
    observations: [],
    assessed: [],
    unchanged: [],
    excluded: 0,
    pageUpdates: [],
    pages: 0,
    requests: 0,
    bytes: 0,
    truncated: false,
  };

  const read = async (url: string, maxBytes: number): Promise<SitePage> => {
    const cached = cache.get(url);
    const page = await deps.reader.read(
      url,
      cached ? { etag: cached.etag ?? undefined, lastModified: cached.lastModified ?? undefined } : {},
      { maxBytes },
    );
    // A page robots.txt keeps the patrol from costs no request and no budget.
    if (page.failure !== 'robots') {
      result.pages++;
      result.requests++;
    }
    result.bytes += page.bytes?.length ?? 0;
    await deps.progress?.(result.pages);
    return page;
  };

  // The home page: the first address that answers.
  let home: SitePage | undefined;
  for (const url of input.homeUrls) {
    home = await read(url, limits.pageMaxBytes);
    result.homeUrl = url;
    if (!home.failure || home.failure === 'http-error' || home.failure === 'robots') break;
  }
  if (!home || (home.failure && home.failure !== 'robots')) {
    result.homeFailure = home ? failureText(home) : 'unreachable';
    return result;
  }
  result.reachable = true;
  const homeUrl = result.homeUrl;
  // http://zibo.gov.cn/ → https://www.zibo.gov.cn/: the site is where the home page landed.
  const siteUrl = home.finalUrl || homeUrl;
  result.siteUrl = siteUrl;
  if (home.failure === 'robots') {
    result.excluded++;
    return result;
  }

  const visited = new Set<string>([homeUrl, home.finalUrl]);
  const queue: Queued[] = [];
  const checked = new Set<string>();
  let linkChecks = 0;

  /** A page read (or unchanged): its findings and the links to follow or check. */
  const take = async (page: SitePage, item: Queued): Promise<void> => {
    const format: PatrolFormat = attachmentFormat(item.url) ?? formatOfType(page.contentType);
    let summary: PatrolPageSummary | undefined;
    if (page.notModified) {
      summary = cache.get(item.url)?.summary;
      result.unchanged.push(item.url);
      result.assessed.push(item.url);
    } else if (page.bytes) {
      // A page that is neither HTML nor a readable attachment (a picture, a zip …) is not checked.
      const readable = format !== 'html' || /html|xml/i.test(page.contentType) || !page.contentType;
      if (!readable) return;
      const checkedPage = await deps.check(page.bytes, format, page.finalUrl);
      // A page the worker could not read (over a limit, broken) keeps its findings as they were.
      if (checkedPage?.ok) {
        result.assessed.push(item.url);
        if (checkedPage.pii) {
          result.observations.push({
            kind: 'pii',
            url: item.url,
            pageUrl: item.from,
            detail: `${piiKindsText(checkedPage.pii.kinds)}（${checkedPage.pii.count} 处）`,
            snippet: checkedPage.pii.snippet,
          });
        }
        summary = checkedPage.outline ? summaryOf(checkedPage.outline, siteUrl) : {};
      }
      if (summary) {
        result.pageUpdates.push({
          url: item.url,
          etag: page.etag ?? null,
          lastModified: page.lastModified ?? null,
          summary,
        });
      }
    }
    if (!summary) return;

    // A column page: its newest item against the threshold.
    if (
      item.depth === 1 &&
      (summary.dated ?? 0) >= limits.columnMinItems &&
      summary.newest &&
      isStale(summary.newest, input.now, limits.staleDays)
    ) {
      result.observations.push({
        kind: 'stale',
        url: item.url,
        pageUrl: item.from,
        detail: summary.newest,
        snippet: clipTo(summary.title || item.linkText || item.url, 100),
      });
    }

    for (const link of summary.links ?? []) {
      if (sameSite(link.href, siteUrl)) {
        if (visited.has(link.href) || isSkippedLink(link.href)) continue;
        const attachment = attachmentFormat(link.href);
        const depth = item.depth + 1;
        if (depth > limits.maxDepth + (attachment ? 1 : 0)) continue;
        // Attachments are read from pages; pages beyond depth are not followed.
        visited.add(link.href);
        queue.push({ url: link.href, depth, from: item.url, fromDepth: item.depth, linkText: link.text });
      } else if (item.depth <= 1 && !checked.has(link.href)) {
        checked.add(link.href);
        const host = new URL(link.href).hostname;
        if (!isGovernmentHost(host)) {
          result.observations.push({
            kind: 'external',
            url: link.href,
            pageUrl: item.url,
            detail: clipTo(link.text || host, 100),
            snippet: host,
          });
        }
        if (linkChecks >= limits.linkChecksPerSite || deps.outOfTime()) continue;
        linkChecks++;
        // A link check reads little: any answer of 200 (even over the cap) means the link works.
        const answer = await deps.reader.read(link.href, {}, { maxBytes: 64 * 1024 });
        if (answer.failure !== 'robots') result.requests++;
        result.bytes += answer.bytes?.length ?? 0;
        await deps.progress?.(result.pages);
        if (
          answer.failure &&
          answer.failure !== 'robots' &&
          answer.failure !== 'too-large' &&
          answer.failure !== 'refused-address'
        ) {
          result.observations.push({
            kind: 'dead-link',
            url: link.href,
            pageUrl: item.url,
            detail: failureText(answer),
            snippet: clipTo(link.text || link.href, 100),
          });
        }
      }
    }
  };

  await take(home, { url: homeUrl, depth: 0, from: null, fromDepth: -1, linkText: '' });

  while (queue.length) {
    if (result.pages >= limits.pagesPerSite || deps.outOfTime()) {
      result.truncated = true;
      break;
    }
    const item = queue.shift()!;
    const attachment = attachmentFormat(item.url);
    const page = await read(item.url, attachment ? limits.attachmentMaxBytes : limits.pageMaxBytes);
    if (page.failure === 'robots') {
      result.excluded++;
      continue;
    }
    if (page.failure) {
      if (item.fromDepth <= 1 && page.failure !== 'too-large' && page.failure !== 'refused-address') {
        result.observations.push({
          kind: 'dead-link',
          url: item.url,
          pageUrl: item.from,
          detail: failureText(page),
          snippet: clipTo(item.linkText || item.url, 100),
        });
      }
      continue;
    }
    await take(page, item);
  }
  result.observations = dedupeObservations(result.observations);
  return result;
}
