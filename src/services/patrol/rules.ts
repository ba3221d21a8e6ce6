// The site patrol's rules, as plain functions (no I/O): its limits, which links are followed,
// checked or listed, when a column is stale, and how a finding is keyed across runs.
import { createHash } from 'node:crypto';
import type { PatrolFindingKind } from '../../entities/patrol.js';

export interface PatrolLimits {
  /** Pages and attachments read per site and run (304s included). */
  pagesPerSite: number;
  /** Link depth from the home page: 1 = its column pages, 2 = the articles they list. */
  maxDepth: number;
  /** Links to other hosts checked per site and run (dead-link check of home and column pages). */
  linkChecksPerSite: number;
  /** A run stops taking new pages this long after it started (the global time budget). */
  runBudgetMs: number;
  /** An instance holds a site this long between renewals; a crashed one's site is taken over after. */
  leaseMs: number;
  /** Claims of one site per run: a site that took its instance down twice is given up. */
  maxAttempts: number;
  /** Sites one instance reads at once. */
  sitesAtOnce: number;
  /** A column whose newest item is older than this many days is stale (national rule: 2 weeks). */
  staleDays: number;
  /** Dated items a page lists at least to count as a column (list) page. */
  columnMinItems: number;
  /** Bytes read at most per page and per attachment. */
  pageMaxBytes: number;
  attachmentMaxBytes: number;
  /** One request per host at most this often. */
  perHostIntervalMs: number;
}

export const PATROL_LIMITS: Readonly<PatrolLimits> = {
  pagesPerSite: 200,
  maxDepth: 2,
  linkChecksPerSite: 50,
  runBudgetMs: 3 * 3_600_000,
  leaseMs: 10 * 60_000,
  maxAttempts: 2,
  sitesAtOnce: 4,
  staleDays: 14,
  columnMinItems: 2,
  pageMaxBytes: 2 * 1024 * 1024,
  attachmentMaxBytes: 10 * 1024 * 1024,
  perHostIntervalMs: 1000,
};

/** Attachment formats whose text is read: the PII check covers them like pages. */
export type AttachmentFormat = 'docx' | 'xlsx' | 'pdf';

export function attachmentFormat(url: string): AttachmentFormat | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.toLowerCase();
  } catch {
    return undefined;
  }
  const extension = /\.([a-z0-9]+)$/.exec(path)?.[1];
  return extension === 'docx' || extension === 'xlsx' || extension === 'pdf' ? extension : undefined;
}

/** Links the patrol never follows as pages: pictures, media, archives, old Office formats. */
const SKIPPED_EXTENSIONS =
  /\.(jpe?g|png|gif|bmp|webp|svg|ico|mp4|mp3|avi|flv|wmv|swf|zip|rar|7z|gz|exe|apk|doc|xls|ppt|pptx|wps|et|txt|css|js)$/i;

export function isSkippedLink(url: string): boolean {
  try {
    return SKIPPED_EXTENSIONS.test(new URL(url).pathname);
  } catch {
    return true;
  }
}

/** Government hosts: gov.cn and its subdomains (the national domain rule for 政府网站). */
export function isGovernmentHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'gov.cn' || host.endsWith('.gov.cn') || host.endsWith('.政务');
}

/** Same site: the same host and port as the home page. */
export function sameSite(url: string, home: string): boolean {
  try {
    return new URL(url).host === new URL(home).host;
  } catch {
    return false;
  }
}

/** The calendar day `days` before `now` in Shanghai, YYYY-MM-DD. */
export function daysBefore(now: Date, days: number): string {
  return new Date(now.getTime() + 8 * 3_600_000 - days * 86_400_000).toISOString().slice(0, 10);
}

/** A column page whose newest item is older than the threshold. */
export function isStale(newest: string, now: Date, staleDays: number): boolean {
  return newest < daysBefore(now, staleDays);
}

/** Whole days since a YYYY-MM-DD date, in Shanghai. */
export function daysSince(date: string, now: Date): number {
  const today = daysBefore(now, 0);
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
}

export function urlKey(url: string): string {
  return createHash('sha1').update(url).digest('hex');
}

/** What one run saw on a site: a finding's identity is (kind, url). */
export interface Observation {
  kind: PatrolFindingKind;
  url: string;
  pageUrl: string | null;
  detail: string;
  snippet: string;
}

/** Keeps one observation per (kind, url), the first seen. */
export function dedupeObservations(observations: readonly Observation[]): Observation[] {
  const seen = new Map<string, Observation>();
  for (const observation of observations) {
    const key = `${observation.kind} ${observation.url}`;
    if (!seen.has(key)) seen.set(key, observation);
  }
  return [...seen.values()];
}

/** X12 → 12 (a finding's reference, as members type it). */
export function parseFindingRefs(text: string): { ids: number[]; invalid: string[] } {
  const ids: number[] = [];
  const invalid: string[] = [];
  for (const token of text.split(/[\s,，、;；]+/).filter(Boolean)) {
    const match = /^[Xx]?(\d{1,9})$/.exec(token);
    if (match) ids.push(Number(match[1]));
    else invalid.push(token);
  }
  return { ids: [...new Set(ids)], invalid };
}

export function findingRef(id: number): string {
  return `X${id}`;
}

/** Cuts a string to a column's length (with …). */
export function clipTo(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
