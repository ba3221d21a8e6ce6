// Automatic discovery: for each unit still to repost an item, read the unit's registered sites the
// polite way (content/site-reader.ts: robots.txt honoured, one request a second per host,
// conditional GET) — the home page, then its first-level list pages, a bounded number per site —
// find a link whose text names the item, read that page and verify it with the same rules as a
// liaison's link. A verified page is recorded as 自动发现 and the unit's liaisons are told that
// nothing is needed. Reading happens outside any transaction; each finding commits on its own.
import { In, IsNull, Not, type DataSource } from 'typeorm';
import type { Clock } from '../../clock.js';
import { text } from '../../messages/outbound.js';
import { enqueue, messagesToItems } from '../../outbox/queue.js';
import { RepostAssignment } from '../../entities/repost-assignment.js';
import { RepostItem } from '../../entities/repost-item.js';
import { RepostLink } from '../../entities/repost-link.js';
import type { Website } from '../../entities/website.js';
import type { ContentService } from '../content/service.js';
import { createSiteReader, type SitePage, type SiteReader } from '../content/site-reader.js';
import { siteHomeUrls } from '../directory/sheets.js';
import { liaisonsByTopUnit } from '../directory/lookup.js';
import { writeAudit } from '../shared/audit.js';
import type { Actor, Effects } from '../shared/effects.js';
import { hostOf, judgeLink, linkTextNames, type RegisteredSite } from './rules.js';
import {
  findItem,
  recordLinks,
  registeredSites,
  repostRef,
  accountNamesByTopUnit,
  unitNameMap,
  websitesByTopUnit,
  type CheckedLink,
} from './store.js';
import { factsReading } from './verify.js';
import { discoveredText } from './views.js';

/** Units searched at once. */
export const DISCOVERY_CONCURRENCY = 3;

/** Pages read per site and run at most (home page, list pages and candidate articles together). */
export const DISCOVERY_LIMITS = { pagesPerSite: 12, listPagesPerSite: 8, articlesPerSite: 6 } as const;

export type DiscoveryRequest =
  | { ok: true; item: RepostItem; open: number; withSites: number }
  | { ok: false; reason: 'not-found' }
  /** Nothing to read: an item only for 政务新媒体, or every unit done. */
  | { ok: false; reason: 'media-only' | 'nothing-open'; item: RepostItem };

/** `转载核查 Z3`: asks the discovery job to run for the item now (it runs within a minute). */
export async function requestDiscovery(
  effects: Effects,
  itemId: number,
  actor: Actor,
): Promise<DiscoveryRequest> {
  const item = await findItem(effects.tx, itemId);
  if (!item) return { ok: false, reason: 'not-found' };
  if (item.channels === 'media') return { ok: false, reason: 'media-only', item };
  const pending = await effects.tx
    .getRepository(RepostAssignment)
    .countBy({ itemId: item.id, status: 'pending' });
  if (pending === 0) return { ok: false, reason: 'nothing-open', item };
  await effects.tx
    .getRepository(RepostItem)
    .update({ id: item.id }, { discoveryRequestedAt: effects.now, discoveryRequestedBy: actor.userid });
  const open = await effects.tx
    .getRepository(RepostAssignment)
    .findBy({ itemId: item.id, status: 'pending' });
  const websites = await websitesByTopUnit(effects.tx);
  const withSites = open.filter((assignment) => websites.get(assignment.unitId)?.length).length;
  await effects.audit({
    actor: actor.userid,
    action: 'repost.check',
    target: `repost:${repostRef(item.id)}`,
  });
  return { ok: true, item, open: open.length, withSites };
}

export interface DiscoveryDeps {
  dataSource: DataSource;
  content: ContentService;
  clock: Clock;
  /** Tests: a sleep that advances a ManualClock; the reader's own timer otherwise. */
  sleep?: (ms: number) => Promise<void>;
  perHostIntervalMs?: number;
}

export interface ItemFindings {
  item: RepostItem;
  /** Units found this run (names). */
  found: string[];
  /** Units whose website repost is still to find after the run (names; an item of both channels
   * whose website link is verified waits only for the liaisons' new-media link). */
  missing: string[];
}

interface Outline {
  url: string;
  title: string;
  links: { href: string; text: string }[];
}

/**
 * Home and list pages read before: their validators (asked with again, so an unchanged page
 * answers 304) and their links (used again on a 304). Kept for the process's life, the oldest
 * dropped beyond SEEN_PAGES_MAX; a restart reads everything once again.
 */
const seenPages = new Map<string, { etag?: string; lastModified?: string; outline: Outline }>();
const SEEN_PAGES_MAX = 5000;

/** Forgets the pages read (tests). */
export function forgetSeenPages(): void {
  seenPages.clear();
}

/** Runs discovery for these items (all open items when omitted). */
export async function runDiscovery(deps: DiscoveryDeps, itemIds?: number[]): Promise<ItemFindings[]> {
  const manager = deps.dataSource.manager;
  const where = itemIds
    ? { status: 'pending' as const, itemId: In(itemIds) }
    : { status: 'pending' as const };
  const pending = await manager.getRepository(RepostAssignment).find({ where, order: { id: 'ASC' } });
  // An item of both channels stays pending after its website link is verified: that unit's site
  // is not searched again (nor its liaisons told again at every run).
  const siteDone = await websiteVerified(
    deps.dataSource,
    pending.map((a) => a.id),
  );
  const ids = itemIds ?? [...new Set(pending.map((a) => a.itemId))];
  const items = ids.length ? await manager.getRepository(RepostItem).findBy({ id: In(ids) }) : [];
  const byItem = new Map(items.map((item) => [item.id, item]));
  const reader = createSiteReader(
    { fetcher: deps.content, clock: deps.clock, sleep: deps.sleep },
    { perHostIntervalMs: deps.perHostIntervalMs },
  );
  const sites = await registeredSites(manager);
  const websitesOf = await websitesByTopUnit(manager);
  const accountsOf = await accountNamesByTopUnit(manager);
  const foundUnits = new Map<number, number[]>();
  const byUnit = new Map<number, RepostAssignment[]>();
  for (const assignment of pending)
    byUnit.set(assignment.unitId, [...(byUnit.get(assignment.unitId) ?? []), assignment]);
  // A few units at once (each of their sites is read one request a second); more would crowd
  // the content pool that members' files share.
  const queue = [...byUnit];
  // Findings commit one at a time (the embedded SQLite of the sandbox has one connection).
  let writing: Promise<unknown> = Promise.resolve();
  const serially = <T>(write: () => Promise<T>): Promise<T> => {
    const run = writing.then(write);
    writing = run.catch(() => undefined);
    return run;
  };
  const unitWorker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [unitId, assignments] = next;
      await searchUnit(unitId, assignments);
    }
  };
  const searchUnit = async (unitId: number, assignments: RepostAssignment[]): Promise<void> => {
    const websites = websitesOf.get(unitId) ?? [];
    if (websites.length === 0) return;
    const accountNames = accountsOf.get(unitId) ?? [];
    // Discovery reads websites: items to repost only in new media are left to the liaisons.
    const wanted = assignments.filter(
      (a) => byItem.has(a.itemId) && byItem.get(a.itemId)!.channels !== 'media' && !siteDone.has(a.id),
    );
    for (const website of websites) {
      if (wanted.length === 0) break;
      const found = await searchSite(deps, reader, website, wanted, byItem, {
        unitId,
        sites,
        accountNames,
      });
      for (const [assignment, link] of found) {
        const recorded = await serially(() =>
          deps.dataSource.transaction(async (tx) => {
            const fresh = await tx.getRepository(RepostAssignment).findOneBy({ id: assignment.id });
            if (!fresh || fresh.status === 'done') return null;
            const now = deps.clock.now();
            const effects: Effects = { tx, now, audit: (entry) => writeAudit(tx, now, entry) };
            const [row] = await recordLinks(effects, fresh, [link], 'discovery', 'discovery');
            const item = byItem.get(fresh.itemId)!;
            const liaisons = (await liaisonsByTopUnit(tx, [unitId])).get(unitId) ?? [];
            const rows = liaisons.flatMap((person) =>
              messagesToItems(person.userid, [text(discoveredText(item, row!, fresh.status === 'done'))], {
                keyPrefix: `repost:${item.id}:unit:${unitId}:discovered`,
                source: 'repost',
              }),
            );
            if (rows.length) await enqueue(tx, rows, now);
            return row;
          }),
        );
        if (recorded) {
          foundUnits.set(assignment.itemId, [...(foundUnits.get(assignment.itemId) ?? []), unitId]);
          wanted.splice(wanted.indexOf(assignment), 1);
        }
      }
    }
    await manager
      .getRepository(RepostAssignment)
      .update({ id: In(assignments.map((a) => a.id)) }, { checkedAt: deps.clock.now() });
  };
  await Promise.all(Array.from({ length: DISCOVERY_CONCURRENCY }, unitWorker));
  const results: ItemFindings[] = [];
  const after = await manager
    .getRepository(RepostAssignment)
    .find({ where: { itemId: In(ids.length ? ids : [0]), status: 'pending' } });
  const siteDoneAfter = await websiteVerified(
    deps.dataSource,
    after.map((a) => a.id),
  );
  const names = await unitNameMap(manager, [
    ...new Set([...after.map((a) => a.unitId), ...[...foundUnits.values()].flat()]),
  ]);
  for (const item of items) {
    results.push({
      item,
      found: (foundUnits.get(item.id) ?? []).map((id) => names.get(id) ?? String(id)),
      missing: after
        .filter((a) => a.itemId === item.id && !siteDoneAfter.has(a.id))
        .map((a) => names.get(a.unitId) ?? String(a.unitId)),
    });
  }
  return results;
}

/** The assignments among these with a verified website link. */
async function websiteVerified(dataSource: DataSource, assignmentIds: number[]): Promise<Set<number>> {
  if (assignmentIds.length === 0) return new Set();
  const done = new Set<number>();
  for (let i = 0; i < assignmentIds.length; i += 1000) {
    const links = await dataSource.getRepository(RepostLink).find({
      select: { assignmentId: true },
      where: { assignmentId: In(assignmentIds.slice(i, i + 1000)), outcome: 'verified', channel: 'website' },
    });
    for (const link of links) done.add(link.assignmentId);
  }
  return done;
}

interface SearchContext {
  unitId: number;
  sites: RegisteredSite[];
  accountNames: string[];
}

/** One site: home page, list pages, candidate articles (bounded); the verified finds. */
async function searchSite(
  deps: DiscoveryDeps,
  reader: SiteReader,
  website: Website,
  wanted: RepostAssignment[],
  items: Map<number, RepostItem>,
  context: SearchContext,
): Promise<[RepostAssignment, CheckedLink][]> {
  let budget = DISCOVERY_LIMITS.pagesPerSite;
  const read = async (url: string): Promise<{ page: SitePage; outline: Outline | null }> => {
    budget--;
    const seen = seenPages.get(url);
    const page = await reader.read(url, seen ? { etag: seen.etag, lastModified: seen.lastModified } : {});
    if (page.notModified && seen) return { page, outline: seen.outline };
    if (page.bytes && !page.failure) {
      const parsed = await deps.content.outline(page.bytes, page.finalUrl);
      if (parsed.ok) {
        const outline = { url: page.finalUrl, title: parsed.value.title, links: parsed.value.links };
        if (page.etag || page.lastModified) {
          seenPages.delete(url);
          seenPages.set(url, { etag: page.etag, lastModified: page.lastModified, outline });
          if (seenPages.size > SEEN_PAGES_MAX) seenPages.delete(seenPages.keys().next().value!);
        }
        return { page, outline };
      }
    }
    return { page, outline: null };
  };
  let home: { page: SitePage; outline: Outline | null } | null = null;
  for (const url of siteHomeUrls(website)) {
    home = await read(url);
    if (home.outline) break;
  }
  if (!home?.outline) return [];
  const siteHost = hostOf(home.outline.url);
  const candidates = new Map<number, string[]>();
  const collect = (outline: Outline) => {
    for (const assignment of wanted) {
      const item = items.get(assignment.itemId)!;
      for (const link of outline.links) {
        if (!link.text || !linkTextNames(link.text, item.title)) continue;
        const list = candidates.get(assignment.id) ?? [];
        if (!list.includes(link.href)) candidates.set(assignment.id, [...list, link.href]);
      }
    }
  };
  collect(home.outline);
  // First-level list pages: links of the home page on the same site, columns first (short names,
  // column-like paths), each read once.
  const lists = home.outline.links
    .filter((link) => hostOf(link.href) === siteHost && link.href !== home.outline!.url)
    .filter((link) => ![...candidates.values()].flat().includes(link.href))
    .sort((a, b) => columnScore(b) - columnScore(a));
  const listUrls = [...new Set(lists.map((link) => link.href))].slice(0, DISCOVERY_LIMITS.listPagesPerSite);
  for (const url of listUrls) {
    if (budget <= DISCOVERY_LIMITS.articlesPerSite / 2) break;
    const list = await read(url);
    if (list.outline) collect(list.outline);
  }
  const found: [RepostAssignment, CheckedLink][] = [];
  let articles = DISCOVERY_LIMITS.articlesPerSite;
  for (const assignment of wanted) {
    const item = items.get(assignment.itemId)!;
    for (const href of candidates.get(assignment.id) ?? []) {
      if (articles-- <= 0 || budget-- <= 0) break;
      const page = await reader.read(href);
      if (!page.bytes || page.failure) continue;
      const facts = await deps.content.pageFactsOf(page.finalUrl, page.bytes);
      if (!facts.ok) continue;
      const judgement = judgeLink({
        sourceTitle: item.title,
        unitId: context.unitId,
        page: factsReading(page.finalUrl, facts.facts),
        sites: context.sites,
        accountNames: context.accountNames,
        channels: item.channels,
      });
      if (judgement.outcome !== 'verified') continue;
      found.push([assignment, { url: href, finalUrl: page.finalUrl, judgement, detail: null }]);
      break;
    }
  }
  return found;
}

/** How much a home-page link looks like a column (list) page. */
function columnScore(link: { href: string; text: string }): number {
  let score = 0;
  const chars = [...link.text].length;
  if (chars >= 2 && chars <= 8) score += 2;
  if (/\/(?:col|column|lm|list|channel|xwzx|zwgk|tzgg|gzdt)\b|index\.s?html?$|\/$/i.test(link.href))
    score += 2;
  if (/转载|要闻|国务院|省政府|动态|公告|通知/u.test(link.text)) score += 1;
  if (/\/art\/|\d{6,}/.test(link.href)) score -= 2;
  return score;
}

/** Items a supervisor asked to check (转载核查), and who asked: cleared as they are taken. */
export async function takeRequests(dataSource: DataSource): Promise<{ itemId: number; by: string }[]> {
  return dataSource.transaction(async (tx) => {
    const asked = await tx
      .getRepository(RepostItem)
      .find({ where: { discoveryRequestedAt: Not(IsNull()) }, order: { id: 'ASC' } });
    if (asked.length === 0) return [];
    await tx
      .getRepository(RepostItem)
      .update(
        { id: In(asked.map((item) => item.id)) },
        { discoveryRequestedAt: null, discoveryRequestedBy: null },
      );
    return asked.map((item) => ({ itemId: item.id, by: item.discoveryRequestedBy ?? '' }));
  });
}
