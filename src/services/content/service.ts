// The content service: the one way the bot reads what members send or link to. Size caps first,
// then the zip check for .docx/.xlsx, then the parse in the worker pool (pool.ts); a fetched page is
// read by the guarded fetcher (article-fetch.ts) and parsed the same way. Later features (repost
// verification, the site patrol) read pages and attachments through this API:
//
//   content.extractText('docx', bytes)          → Parsed<ExtractResult>  (text, or why it is unreadable)
//   content.parse('sheets', bytes, undefined)   → Parsed<SheetsResult>   (any kind of parsers.ts)
//   content.fetchPage(url, { maxBytes })        → PageResult             (bytes of one guarded GET)
//   content.readArticle(url)                    → ArticleOutcome         (fetchPage + extractText)
//   content.get(url, { headers, maxBytes, … })  → GetResult              (any status: site-reader.ts)
//   content.outline(html, url)                  → Parsed<PageOutline>    (title, headings, links, dates)
//
// Every result is a plain value; a refusal says which limit stopped it (views.ts has the words).
import {
  fetchPage,
  guardedGet,
  type GetOptions,
  type GetResult,
  type PageCaps,
  type PageResult,
} from './article-fetch.js';
import { ATTACHMENT_LIMITS, SIZE_LIMITS, type ContentKind } from './limits.js';
import type { JobKind, JobOptions, JobValue, TextFormat } from './parsers.js';
import type { PageOutline } from './outline.js';
import { ContentPool, type ContentPoolOptions } from './pool.js';
import type { ContentRefusal, Parsed } from './refusals.js';
import type { PageFacts } from './page-facts.js';
import { decodeText, type ExtractResult } from './text-extract.js';
import { checkZip } from './zip-check.js';

export interface ContentServiceOptions extends ContentPoolOptions {
  /** Every address and port may be fetched (the sandbox, tests); never in live mode. */
  allowPrivateHosts: boolean;
  /** FETCH_ALLOW: hosts, addresses and ranges a live bot may read at any port (address-rules.ts). */
  allow?: readonly string[];
  /** Replaces SIZE_LIMITS entries (tests). */
  sizeLimits?: Partial<Record<ContentKind, number>>;
  /** Replaces ATTACHMENT_LIMITS entries (tests). */
  attachmentLimits?: Partial<AttachmentLimits>;
}

export type AttachmentLimits = { -readonly [K in keyof typeof ATTACHMENT_LIMITS]: number };

/** A page's facts (page-facts.ts) and where it was read after redirects, or why not. */
export type PageFactsOutcome =
  | { ok: true; url: string; facts: PageFacts }
  | { ok: false; error: string }
  | { ok: false; refusal: ContentRefusal };

export type ArticleOutcome =
  | { ok: true; text: string; url: string }
  | { ok: false; error: string }
  | { ok: false; refusal: ContentRefusal };

const ZIP_FORMATS = new Set<ContentKind>(['docx', 'xlsx']);

export class ContentService {
  readonly pool: ContentPool;

  constructor(private readonly options: ContentServiceOptions) {
    this.pool = new ContentPool(options);
  }

  /** The caps on 办理 attachments: per file, per reply, per member per day. */
  get attachmentLimits(): AttachmentLimits {
    return {
      ...ATTACHMENT_LIMITS,
      perFileBytes: this.sizeLimit('attachment'),
      ...this.options.attachmentLimits,
    };
  }

  /** Bytes of `kind` read at most (downloads stop there). */
  sizeLimit(kind: ContentKind): number {
    return this.options.sizeLimits?.[kind] ?? SIZE_LIMITS[kind];
  }

  /** The checks before any work: size, and for zip formats the central directory. */
  async preflight(kind: ContentKind, data: Buffer): Promise<ContentRefusal | undefined> {
    const limitBytes = this.sizeLimit(kind);
    if (data.length > limitBytes) return { reason: 'too-large', kind, limitBytes };
    if (ZIP_FORMATS.has(kind)) {
      const verdict = await checkZip(data);
      // A file that is not a zip at all is left to the parser, which says so in its own words.
      if (!verdict.ok && verdict.problem !== 'not-zip') return { reason: 'zip', verdict };
    }
    return undefined;
  }

  /** Runs one parser of parsers.ts on `data` after the checks for `sizeKind`. */
  async parse<K extends JobKind>(
    kind: K,
    data: Buffer,
    options: JobOptions<K>,
    sizeKind: ContentKind,
    limits: { timeMs?: number } = {},
  ): Promise<Parsed<JobValue<K>>> {
    const refused = await this.preflight(sizeKind, data);
    if (refused) return { ok: false, refusal: refused };
    const outcome = await this.pool.run(kind, data, options, limits);
    return outcome.ok ? outcome : { ok: false, refusal: outcome.failure };
  }

  /** The text of a .txt, .docx, .html or .xlsx file. */
  extractText(
    format: TextFormat,
    data: Buffer,
    limits: { timeMs?: number } = {},
  ): Promise<Parsed<ExtractResult>> {
    return this.parse('text', data, { format }, format, limits);
  }

  /** One guarded GET (see article-fetch.ts): public addresses only in live mode, capped, timed. */
  fetchPage(url: string, caps: Partial<PageCaps> = {}): Promise<PageResult> {
    return fetchPage(url, {
      allowPrivateHosts: this.options.allowPrivateHosts,
      allow: this.options.allow,
      maxBytes: caps.maxBytes ?? this.sizeLimit('page'),
      timeoutMs: caps.timeoutMs,
      accept: caps.accept,
    });
  }

  /** The outline of an HTML page (title, headings, resolved links, dated list items), in the pool. */
  outline(html: Buffer, url: string): Promise<Parsed<PageOutline>> {
    return this.parse('outline', html, { url }, 'page');
  }

  /**
   * One guarded GET that hands back every status (the site reader's fetcher, site-reader.ts): the
   * same address rules as fetchPage, this bot's FETCH_ALLOW and sandbox setting applied.
   */
  get(url: string, options: Omit<GetOptions, 'allowPrivateHosts' | 'allow'>): Promise<GetResult> {
    return guardedGet(url, {
      ...options,
      allowPrivateHosts: this.options.allowPrivateHosts,
      allow: this.options.allow,
    });
  }

  /** The text of the article behind a forwarded link (检查): fetched, then parsed in the pool. */
  async readArticle(url: string): Promise<ArticleOutcome> {
    const page = await this.fetchPage(url);
    if (!page.ok) return page;
    if (/text\/plain/i.test(page.contentType))
      return { ok: true, text: decodeText(page.body), url: page.url };
    const parsed = await this.parse('text', page.body, { format: 'html' }, 'page');
    if (!parsed.ok) return parsed;
    return parsed.value.ok ? { ok: true, text: parsed.value.text, url: page.url } : parsed.value;
  }

  /** The title, headings, publisher and links of the page behind `url` (repost checks). */
  async readPageFacts(url: string): Promise<PageFactsOutcome> {
    const page = await this.fetchPage(url);
    if (!page.ok) return page;
    return this.pageFactsOf(page.url, page.body);
  }

  /** The same for a page already fetched (discovery reads pages through the site reader). */
  async pageFactsOf(url: string, body: Buffer): Promise<PageFactsOutcome> {
    const parsed = await this.parse('page-facts', body, undefined, 'page');
    return parsed.ok ? { ok: true, url, facts: parsed.value } : parsed;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
