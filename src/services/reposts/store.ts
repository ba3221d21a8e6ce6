// Repost items, each unit's duty to repost them, and the links offered: creating a batch, reading
// who must repost what, recording a link's check and a supervisor's decision on it. Services take
// `(effects, …, actor)` and return outcome unions; the words are in views.ts.
import { In, type EntityManager } from 'typeorm';
import { holdForNext } from '../../db/batch.js';
import { MediaAccount } from '../../entities/media-account.js';
import { RepostAssignment, type RepostStatus } from '../../entities/repost-assignment.js';
import { RepostItem, type RepostChannels } from '../../entities/repost-item.js';
import { RepostLink, type RepostLinkSource } from '../../entities/repost-link.js';
import { Unit } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { siteHomeUrls } from '../directory/sheets.js';
import { topUnitIndex } from '../directory/lookup.js';
import { isSupervisorRole, parseRef } from '../shared/duty.js';
import type { Actor, Effects } from '../shared/effects.js';
import { channelsCovered, hostOf, type LinkJudgement, type RegisteredSite } from './rules.js';

export const REPOST_PREFIX = 'Z';

export function repostRef(id: number): string {
  return `${REPOST_PREFIX}${id}`;
}

/** `Z3`, `z3`, `Ｚ３` → 3. */
export function parseRepostRef(text: string): number | null {
  return parseRef(REPOST_PREFIX, text);
}

export interface NewRepostSource {
  title: string;
  url: string;
  publisher: string | null;
}

export interface NewRepostBatch {
  sources: NewRepostSource[];
  channels: RepostChannels;
  unitIds: number[];
  deadline: Date;
  deadlineEstimated: boolean;
}

export interface CreatedBatch {
  items: RepostItem[];
  assignments: RepostAssignment[];
}

/** One item per source, each assigned to every unit; the items share a batch number. */
export async function createRepostBatch(
  effects: Effects,
  batch: NewRepostBatch,
  actor: Actor,
): Promise<CreatedBatch> {
  const items: RepostItem[] = [];
  const repo = effects.tx.getRepository(RepostItem);
  for (const source of batch.sources) {
    const item = await repo.save(
      repo.create({
        batch: items[0]?.id ?? 0,
        title: source.title,
        sourceUrl: source.url,
        publisher: source.publisher,
        channels: batch.channels,
        deadline: batch.deadline,
        deadlineEstimated: batch.deadlineEstimated,
        createdBy: actor.userid,
        assignedAt: effects.now,
        discoveryRequestedAt: null,
        discoveryRequestedBy: null,
      }),
    );
    if (item.batch === 0) {
      item.batch = item.id;
      await repo.update({ id: item.id }, { batch: item.id });
    }
    items.push(item);
  }
  const rows = items.flatMap((item) =>
    [...new Set(batch.unitIds)].map((unitId) =>
      effects.tx.getRepository(RepostAssignment).create({
        itemId: item.id,
        unitId,
        status: 'pending' as RepostStatus,
        deadline: batch.deadline,
        deadlineEstimated: batch.deadlineEstimated,
        doneAt: null,
        doneBy: null,
        checkedAt: null,
      }),
    ),
  );
  const assignments = await effects.tx.getRepository(RepostAssignment).save(rows, { chunk: 200 });
  await effects.audit({
    actor: actor.userid,
    action: 'repost.create',
    target: `repost:${items.map((item) => repostRef(item.id)).join(',')}`,
    detail: `${items.length} 项 × ${new Set(batch.unitIds).size} 个单位`,
  });
  return { items, assignments };
}

export function findItem(tx: EntityManager, id: number): Promise<RepostItem | null> {
  return tx.getRepository(RepostItem).findOneBy({ id });
}

export function itemsOfBatch(tx: EntityManager, batch: number): Promise<RepostItem[]> {
  return tx.getRepository(RepostItem).find({ where: { batch }, order: { id: 'ASC' } });
}

export function assignmentsOf(tx: EntityManager, itemIds: number[]): Promise<RepostAssignment[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return tx.getRepository(RepostAssignment).find({ where: { itemId: In(itemIds) }, order: { id: 'ASC' } });
}

export function linksOf(tx: EntityManager, assignmentIds: number[]): Promise<RepostLink[]> {
  if (assignmentIds.length === 0) return Promise.resolve([]);
  return tx
    .getRepository(RepostLink)
    .find({ where: { assignmentId: In(assignmentIds) }, order: { id: 'ASC' } });
}

/** The most Z-numbers 我的任务 names; more are counted. */
const PENDING_LISTED = 20;

/**
 * The items a unit still has to answer (pending: no verified link yet, none waiting for a person),
 * oldest first, for 我的任务. Held to ride with the handler's own next statement (src/db/batch.ts):
 * the command members send most gets no extra round trip. Call the result after that statement.
 */
export async function pendingRepostsOfUnit(
  tx: EntityManager,
  unitId: number,
): Promise<() => Promise<{ ids: number[]; total: number }>> {
  const { result } = await holdForNext(
    tx,
    "SELECT item_id FROM repost_assignment WHERE unit_id = ? AND status = 'pending' ORDER BY item_id",
    [unitId],
  );
  return async () => {
    const ids = ((await result()) as { item_id: unknown }[]).map((row) => Number(row.item_id));
    return { ids: ids.slice(0, PENDING_LISTED), total: ids.length };
  };
}

/** Items with at least one unit still to repost (or a link to confirm), newest batch last. */
export async function openItems(tx: EntityManager, unitIds?: number[]): Promise<RepostItem[]> {
  const qb = tx
    .getRepository(RepostAssignment)
    .createQueryBuilder('a')
    .select('DISTINCT a.item_id', 'itemId')
    .where('a.status IN (:...open)', { open: ['pending', 'review'] });
  if (unitIds) qb.andWhere('a.unit_id IN (:...unitIds)', { unitIds: unitIds.length ? unitIds : [0] });
  const ids = (await qb.getRawMany<{ itemId: unknown }>()).map((row) => Number(row.itemId));
  if (ids.length === 0) return [];
  return tx.getRepository(RepostItem).find({ where: { id: In(ids) }, order: { id: 'ASC' } });
}

/** Why an item cannot be answered by this member, or the item and the unit's duty. */
export type RepostAccess =
  | { ok: true; item: RepostItem; assignment: RepostAssignment }
  | { ok: false; reason: 'not-found' | 'not-unit' | 'no-unit'; ref: string };

/** Z3 for the asker's own top-level unit (a liaison answers only for their unit's items). */
export async function assignmentForActor(
  effects: Effects,
  refText: string,
  actor: Actor,
): Promise<RepostAccess> {
  const id = parseRepostRef(refText);
  const ref = id ? repostRef(id) : refText;
  const item = id ? await findItem(effects.tx, id) : null;
  if (!item) return { ok: false, reason: 'not-found', ref };
  if (actor.topUnitId === null) return { ok: false, reason: 'no-unit', ref };
  const assignment = await effects.tx
    .getRepository(RepostAssignment)
    .findOneBy({ itemId: item.id, unitId: actor.topUnitId });
  if (!assignment) {
    await effects.audit({
      actor: actor.userid,
      action: 'repost.submit',
      target: `repost:${ref}`,
      result: 'denied',
      detail: '非本单位转载任务',
    });
    return { ok: false, reason: 'not-unit', ref };
  }
  return { ok: true, item, assignment };
}

// ---------------------------------------------------------------------------------------------
// Sites and accounts

/** Every active website as a registered host (by top-level unit): what links are judged against. */
export async function registeredSites(tx: EntityManager): Promise<RegisteredSite[]> {
  const [sites, index] = await Promise.all([
    tx.getRepository(Website).find({ where: { status: 'active' } }),
    topUnitIndex(tx),
  ]);
  const result: RegisteredSite[] = [];
  for (const site of sites) {
    const unitId = index.get(site.unitId) ?? site.unitId;
    const hosts = new Set<string>([site.domain.toLowerCase()]);
    for (const url of siteHomeUrls(site)) {
      const host = hostOf(url);
      if (host) hosts.add(host);
    }
    for (const host of hosts) result.push({ unitId, host });
  }
  return result;
}

/** Active websites by top-level unit (where discovery reads), in two queries. */
export async function websitesByTopUnit(tx: EntityManager): Promise<Map<number, Website[]>> {
  const [sites, index] = await Promise.all([
    tx.getRepository(Website).find({ where: { status: 'active' }, order: { id: 'ASC' } }),
    topUnitIndex(tx),
  ]);
  const result = new Map<number, Website[]>();
  for (const site of sites) {
    const top = index.get(site.unitId) ?? site.unitId;
    result.set(top, [...(result.get(top) ?? []), site]);
  }
  return result;
}

/** Names of running 政务新媒体 accounts by top-level unit, in two queries. */
export async function accountNamesByTopUnit(tx: EntityManager): Promise<Map<number, string[]>> {
  const [accounts, index] = await Promise.all([
    tx.getRepository(MediaAccount).find({ where: { status: 'running' } }),
    topUnitIndex(tx),
  ]);
  const result = new Map<number, string[]>();
  for (const account of accounts) {
    const top = index.get(account.unitId) ?? account.unitId;
    result.set(top, [...(result.get(top) ?? []), account.name]);
  }
  return result;
}

/** Names of a top-level unit's running 政务新媒体 accounts. */
export async function unitAccountNames(tx: EntityManager, topUnitId: number): Promise<string[]> {
  const index = await topUnitIndex(tx);
  const ids = [...index].filter(([, top]) => top === topUnitId).map(([id]) => id);
  if (ids.length === 0) return [];
  const accounts = await tx
    .getRepository(MediaAccount)
    .find({ where: { unitId: In(ids), status: 'running' } });
  return accounts.map((account) => account.name);
}

// ---------------------------------------------------------------------------------------------
// Links

export interface CheckedLink {
  url: string;
  finalUrl: string | null;
  judgement: LinkJudgement;
  /** The fetcher's words when the page could not be read. */
  detail: string | null;
}

/**
 * Moves the assignment after its links changed: done once the verified links cover the item's
 * channels, review while a link waits for a person, pending otherwise. Done stays done.
 */
async function settle(effects: Effects, assignment: RepostAssignment, by: string): Promise<void> {
  if (assignment.status === 'done') return;
  const item = await findItem(effects.tx, assignment.itemId);
  const links = await effects.tx.getRepository(RepostLink).findBy({ assignmentId: assignment.id });
  const verified = links.filter((link) => link.outcome === 'verified');
  let status: RepostStatus = 'pending';
  if (item && channelsCovered(item.channels, verified)) status = 'done';
  else if (links.some((link) => link.outcome === 'manual')) status = 'review';
  if (status === assignment.status) return;
  assignment.status = status;
  if (status === 'done') {
    assignment.doneAt = effects.now;
    assignment.doneBy = by;
  }
  await effects.tx
    .getRepository(RepostAssignment)
    .update({ id: assignment.id }, { status, doneAt: assignment.doneAt, doneBy: assignment.doneBy });
}

/** Records the checked links of one unit for one item and moves its status. */
export async function recordLinks(
  effects: Effects,
  assignment: RepostAssignment,
  checked: readonly CheckedLink[],
  source: RepostLinkSource,
  actor: Actor | 'discovery',
): Promise<RepostLink[]> {
  const by = actor === 'discovery' ? 'discovery' : actor.userid;
  const repo = effects.tx.getRepository(RepostLink);
  const links: RepostLink[] = [];
  for (const link of checked) {
    const url = link.url.slice(0, 1000);
    // A link sent again is one link: a verified one stays as it is; any other is checked again in
    // place (the page may have been fixed), a person's earlier 未通过 included.
    const earlier = await repo.findOneBy({ assignmentId: assignment.id, url });
    if (earlier?.outcome === 'verified') {
      links.push(earlier);
      continue;
    }
    links.push(
      await repo.save(
        repo.merge(earlier ?? repo.create(), {
          assignmentId: assignment.id,
          itemId: assignment.itemId,
          unitId: assignment.unitId,
          url,
          finalUrl: link.finalUrl?.slice(0, 1000) ?? null,
          pageTitle: link.judgement.pageTitle ? [...link.judgement.pageTitle].slice(0, 200).join('') : null,
          similarity: link.judgement.similarity,
          outcome: link.judgement.outcome,
          reason: link.judgement.reason,
          channel: link.judgement.channel,
          detail: link.detail ? [...link.detail].slice(0, 200).join('') : null,
          source,
          submittedBy: by,
          submittedAt: effects.now,
          decidedBy: null,
          decidedAt: null,
        }),
      ),
    );
  }
  await settle(effects, assignment, by);
  await effects.audit({
    actor: by,
    action: source === 'discovery' ? 'repost.discover' : 'repost.submit',
    target: `repost:${repostRef(assignment.itemId)}:unit:${assignment.unitId}`,
    detail: links.map((link) => `${link.outcome}${link.reason ? `(${link.reason})` : ''}`).join(','),
  });
  return links;
}

export type LinkDecision = 'approve' | 'reject';

export type DecideOutcome =
  | { ok: true; link: RepostLink; item: RepostItem; assignment: RepostAssignment }
  | { ok: false; reason: 'not-found' | 'not-allowed' }
  | { ok: false; reason: 'decided'; link: RepostLink };

/** A supervisor confirms (已核验) or refuses (未通过) a link 待人工确认: one click, once. */
export async function decideLink(
  effects: Effects,
  linkId: number,
  decision: LinkDecision,
  actor: Actor,
): Promise<DecideOutcome> {
  if (!isSupervisorRole(actor.role)) return { ok: false, reason: 'not-allowed' };
  const repo = effects.tx.getRepository(RepostLink);
  const link = await repo.findOneBy({ id: linkId });
  if (!link) return { ok: false, reason: 'not-found' };
  if (link.outcome !== 'manual' || link.decidedAt) return { ok: false, reason: 'decided', link };
  const taken = await repo.update(
    { id: link.id, outcome: 'manual' },
    decision === 'approve'
      ? { outcome: 'verified', decidedBy: actor.userid, decidedAt: effects.now }
      : { outcome: 'failed', reason: 'rejected', decidedBy: actor.userid, decidedAt: effects.now },
  );
  if (!taken.affected) return { ok: false, reason: 'decided', link };
  const fresh = (await repo.findOneBy({ id: link.id }))!;
  const assignment = (await effects.tx.getRepository(RepostAssignment).findOneBy({ id: link.assignmentId }))!;
  const item = (await findItem(effects.tx, link.itemId))!;
  await settle(effects, assignment, actor.userid);
  await effects.audit({
    actor: actor.userid,
    action: `repost.${decision}`,
    target: `repost-link:${link.id}`,
    detail: `${repostRef(link.itemId)} unit:${link.unitId}`,
  });
  return { ok: true, link: fresh, item, assignment };
}

/** Unit names by id. */
export async function unitNameMap(tx: EntityManager, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const units = await tx
    .getRepository(Unit)
    .find({ select: { id: true, name: true }, where: { id: In(ids) } });
  return new Map(units.map((unit) => [unit.id, unit.name]));
}
