// The rules of repost verification, pure: how titles are compared, whose site a link is on, and
// the outcome of one link. README ("重要信息转载") states them; test/reposts-rules.test.ts tables them.
//
// - A title is compared after normalising: full/half width and case folded, the prefixes 转载 /
//   转发 / 来源 (with their brackets and colons) dropped, then every punctuation mark, symbol and
//   space removed. A page offers several titles (<title> and each part of it split at _ | -, the
//   declared titles, h1–h3); the best one counts.
// - Similarity is 1 when the page's title contains the whole source title (a site's suffix, a
//   heading with more words), otherwise the Dice coefficient of character bigrams. At least MATCH:
//   the title matches; at least CLOSE: close (a person looks); below: 标题不符.
// - The page must be on one of the unit's registered sites: the link's host (after redirects) is
//   a site's host or a subdomain of it; the most specific registered site decides whose it is.
//   Another unit's site: 非本单位网站. A host nobody registered (a WeChat article, a new site): a
//   WeChat page whose account name is one of the unit's accounts passes, anything else 待人工确认.
import type { RepostChannels } from '../../entities/repost-item.js';
import type { RepostLinkChannel, RepostOutcome, RepostReason } from '../../entities/repost-link.js';

export const TITLE_MATCH = 0.8;
export const TITLE_CLOSE = 0.5;

/** 【转载】, 转载：, [转发], 转自：…, 来源：新华社 at the start of a title. */
const REPOST_PREFIX = /^(?:\s*[【[(（]?\s*(?:转载|转发|转自)\s*[】\])）]?\s*[:：]?\s*)+/u;
const SOURCE_PREFIX = /^\s*[【[(（]?\s*来源\s*[:：]\s*[^\s】\])）]{0,30}[】\])）]?\s*/u;

/** The title as compared: NFKC, lower case, no 转载/来源 prefix, no punctuation, symbols or spaces. */
export function normaliseTitle(value: string): string {
  let bare = value.normalize('NFKC').toLowerCase().trim();
  for (let i = 0; i < 3; i++) bare = bare.replace(REPOST_PREFIX, '').replace(SOURCE_PREFIX, '');
  return bare.replace(/[\p{P}\p{S}\s]+/gu, '');
}

function bigrams(value: string): Map<string, number> {
  const chars = [...value];
  const grams = new Map<string, number>();
  for (let i = 0; i < chars.length - 1; i++) {
    const gram = chars[i]! + chars[i + 1]!;
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/**
 * 0–1: how alike a candidate title is to the source title. A candidate that contains the whole
 * source title (a site's suffix, a heading with a date) is the same; a fragment of it is not (it
 * is judged by the bigrams like any other text).
 */
export function titleSimilarity(source: string, candidate: string): number {
  const x = normaliseTitle(source);
  const y = normaliseTitle(candidate);
  if (!x || !y) return 0;
  if (x === y) return 1;
  if (y.includes(x) && [...x].length >= Math.min(8, [...y].length)) return 1;
  const gx = bigrams(x);
  const gy = bigrams(y);
  let shared = 0;
  let total = 0;
  for (const count of gx.values()) total += count;
  for (const count of gy.values()) total += count;
  for (const [gram, count] of gx) shared += Math.min(count, gy.get(gram) ?? 0);
  return total === 0 ? 0 : (2 * shared) / total;
}

/** The titles a page offers: <title>, its parts split at _ | - —, declared titles, headings. */
export function titleCandidates(page: { title: string; metaTitles: string[]; headings: string[] }): string[] {
  const parts = page.title
    .split(/\s*(?:[_|｜]|\s[-—–]\s|——)\s*/u)
    .map((part) => part.trim())
    .filter(Boolean);
  return [...new Set([page.title, ...parts, ...page.metaTitles, ...page.headings].filter((t) => t.trim()))];
}

export interface BestTitle {
  title: string | null;
  similarity: number;
}

export function bestTitle(source: string, candidates: readonly string[]): BestTitle {
  let best: BestTitle = { title: null, similarity: 0 };
  for (const candidate of candidates) {
    const similarity = titleSimilarity(source, candidate);
    if (similarity > best.similarity) best = { title: candidate, similarity };
  }
  return best;
}

/**
 * Whether a link's text on a list page names the item: similar enough, or a list's shortened
 * title (…) that begins the item's title with at least 8 characters.
 */
export function linkTextNames(text: string, title: string): boolean {
  if (titleSimilarity(title, text) >= TITLE_MATCH) return true;
  if (!/(?:…|\.\.\.|。。。)\s*$/u.test(text)) return false;
  const shown = normaliseTitle(text);
  return [...shown].length >= 8 && normaliseTitle(title).startsWith(shown);
}

// ---------------------------------------------------------------------------------------------
// Whose site a link is on

export interface RegisteredSite {
  unitId: number;
  /** host[:port] as the directory gives it (www.gaoqing.gov.cn, 10.12.3.4:8080). */
  host: string;
}

const stripWww = (host: string): string => host.replace(/^www\./, '');

/** The host the way sites are compared: lower case, default ports dropped. */
export function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * The unit whose registered site the host belongs to (the most specific match), or null. A site
 * given with a port matches that host and port only; a name matches itself and its subdomains.
 */
export function siteOwner(host: string, sites: readonly RegisteredSite[]): number | null {
  const target = host.toLowerCase();
  const targetName = stripWww(target);
  let owner: number | null = null;
  let specificity = -1;
  for (const site of sites) {
    const registered = site.host.toLowerCase();
    let matches: boolean;
    if (registered.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(registered)) {
      matches = registered === target;
    } else {
      const name = stripWww(registered);
      matches = targetName === name || targetName.endsWith(`.${name}`);
    }
    if (matches && registered.length > specificity) {
      owner = site.unitId;
      specificity = registered.length;
    }
  }
  return owner;
}

// ---------------------------------------------------------------------------------------------
// One link's outcome

/** What reading the page gave: its facts, or why it could not be read. */
export type PageReading =
  | {
      ok: true;
      finalUrl: string;
      title: string;
      metaTitles: string[];
      headings: string[];
      accountName: string | null;
    }
  | { ok: false; reason: Extract<RepostReason, 'unreachable' | 'refused' | 'too-large' | 'not-page'> };

export interface LinkJudgement {
  outcome: RepostOutcome;
  reason: RepostReason | null;
  /** The unit's website, or a new-media account (null when the page was not read). */
  channel: RepostLinkChannel | null;
  pageTitle: string | null;
  /** 0–100, null when the page was not read. */
  similarity: number | null;
}

export interface JudgeInput {
  sourceTitle: string;
  unitId: number;
  page: PageReading;
  /** Every unit's registered sites (hosts). */
  sites: readonly RegisteredSite[];
  /** The unit's 政务新媒体 account names. */
  accountNames: readonly string[];
  /** Where the item must be reposted (default both accepted). */
  channels?: RepostChannels;
}

export function judgeLink(input: JudgeInput): LinkJudgement {
  const { page } = input;
  if (!page.ok)
    return { outcome: 'failed', reason: page.reason, channel: null, pageTitle: null, similarity: null };
  const best = bestTitle(input.sourceTitle, titleCandidates(page));
  const similarity = Math.round(best.similarity * 100);
  const host = hostOf(page.finalUrl) ?? '';
  const owner = siteOwner(host, input.sites);
  const channel: RepostLinkChannel = owner === input.unitId ? 'website' : 'media';
  const seen = { pageTitle: best.title ?? (page.title || null), similarity, channel };
  const wanted = input.channels ?? 'both';
  if (owner !== null && owner !== input.unitId) return { outcome: 'failed', reason: 'other-unit', ...seen };
  if (best.similarity < TITLE_CLOSE) return { outcome: 'failed', reason: 'title', ...seen };
  const account = page.accountName ? normaliseTitle(page.accountName) : '';
  const ownAccount = account !== '' && input.accountNames.some((name) => normaliseTitle(name) === account);
  // A repost where the item did not ask for it: on the website for a 政务新媒体 item, or in one of
  // the unit's accounts for a website item.
  if ((channel === 'website' && wanted === 'media') || (ownAccount && wanted === 'website'))
    return { outcome: 'failed', reason: 'channel', ...seen };
  if (owner === null && !ownAccount) return { outcome: 'manual', reason: 'unknown-site', ...seen };
  if (best.similarity < TITLE_MATCH) return { outcome: 'manual', reason: 'title-close', ...seen };
  return { outcome: 'verified', reason: null, ...seen };
}

/**
 * Whether the verified links cover the channels the item asks for. For 网站 or 政务新媒体 one
 * verified link does (judgeLink refuses a repost in the other channel); for both, one on the unit's
 * website and one elsewhere (a new-media account, or a host nobody registered that a supervisor
 * confirmed).
 */
export function channelsCovered(
  wanted: RepostChannels,
  verified: readonly { channel: RepostLinkChannel | null }[],
): boolean {
  if (wanted !== 'both') return verified.length > 0;
  return missingChannel(wanted, verified) === null && verified.length > 0;
}

/** For an item of both channels with some verified link: the channel still missing, or null. */
export function missingChannel(
  wanted: RepostChannels,
  verified: readonly { channel: RepostLinkChannel | null }[],
): RepostLinkChannel | null {
  if (wanted !== 'both' || verified.length === 0) return null;
  if (!verified.some((link) => link.channel === 'website')) return 'website';
  if (!verified.some((link) => link.channel !== 'website')) return 'media';
  return null;
}
