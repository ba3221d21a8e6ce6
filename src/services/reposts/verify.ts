// Checking the links a unit offers for an item: each is read through the content service (the
// guarded fetcher: address rules, size and time caps, every redirect checked; the page parsed in the
// worker pool), then judged by rules.ts against the item's title, every unit's registered sites and
// the unit's accounts.
import type { EntityManager } from 'typeorm';
import type { RepostAssignment } from '../../entities/repost-assignment.js';
import type { RepostItem } from '../../entities/repost-item.js';
import { ADDRESS_REFUSAL_TEXT } from '../content/address-rules.js';
import type { PageFacts } from '../content/page-facts.js';
import type { ContentService, PageFactsOutcome } from '../content/service.js';
import { judgeLink, type PageReading, type RegisteredSite } from './rules.js';
import { registeredSites, unitAccountNames, type CheckedLink } from './store.js';

/** At most this many links are checked from one message (the rest are named, not read). */
export const MAX_LINKS_PER_ANSWER = 5;

const REFUSED_TEXTS = new Set(Object.values(ADDRESS_REFUSAL_TEXT));

/** A reading of the page for the rules: its facts, or the kind of failure. */
export function readingOf(outcome: PageFactsOutcome): { reading: PageReading; detail: string | null } {
  if (outcome.ok) return { reading: factsReading(outcome.url, outcome.facts), detail: null };
  if ('refusal' in outcome) {
    const reason = outcome.refusal.reason === 'too-large' ? 'too-large' : 'unreachable';
    return { reading: { ok: false, reason }, detail: null };
  }
  const error = outcome.error;
  if (REFUSED_TEXTS.has(error) || error.startsWith('只能读取'))
    return { reading: { ok: false, reason: 'refused' }, detail: error };
  if (error.startsWith('网页超过')) return { reading: { ok: false, reason: 'too-large' }, detail: error };
  if (error.startsWith('该链接不是网页'))
    return { reading: { ok: false, reason: 'not-page' }, detail: error };
  return { reading: { ok: false, reason: 'unreachable' }, detail: error };
}

export function factsReading(finalUrl: string, facts: PageFacts): PageReading {
  return {
    ok: true,
    finalUrl,
    title: facts.title,
    metaTitles: facts.metaTitles,
    headings: facts.headings,
    accountName: facts.accountName,
  };
}

export interface JudgeContext {
  sites: RegisteredSite[];
  accountNames: string[];
}

export async function judgeContext(tx: EntityManager, unitId: number): Promise<JudgeContext> {
  const [sites, accountNames] = await Promise.all([registeredSites(tx), unitAccountNames(tx, unitId)]);
  return { sites, accountNames };
}

/** Reads and judges one link. */
export async function checkLink(
  content: ContentService,
  item: Pick<RepostItem, 'title' | 'channels'>,
  assignment: Pick<RepostAssignment, 'unitId'>,
  url: string,
  context: JudgeContext,
): Promise<CheckedLink> {
  const outcome = await content.readPageFacts(url);
  const { reading, detail } = readingOf(outcome);
  const judgement = judgeLink({
    sourceTitle: item.title,
    unitId: assignment.unitId,
    page: reading,
    sites: context.sites,
    accountNames: context.accountNames,
    channels: item.channels,
  });
  return { url, finalUrl: reading.ok ? reading.finalUrl : null, judgement, detail };
}

/** The links in a message: http(s) addresses, each once, in order. */
export function linksIn(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'，。、；）)】]+/giu) ?? [];
  return [...new Set(found.map((url) => url.replace(/[.,;:!?]+$/, '')))];
}
