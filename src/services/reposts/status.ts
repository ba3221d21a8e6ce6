// Where each item stands: per item (how many units verified, waiting for a person, late) and per
// unit. Also the feature's open items for the shared lists (进度 <单位>, 逾期, 催办, the morning
// digest, the board's unit page): a unit's pending repost is its move; one 待人工确认, the
// supervisors'.
import { In, type EntityManager } from 'typeorm';
import { RepostAssignment } from '../../entities/repost-assignment.js';
import { RepostItem } from '../../entities/repost-item.js';
import type { OpenItemSource } from '../open-items/items.js';
import { linksOf, repostRef, unitNameMap } from './store.js';
import type { ItemSummary, UnitRow } from './views.js';

/** The counts of each item over its assignments (overdue: pending with the deadline passed). */
export async function itemSummaries(
  tx: EntityManager,
  items: readonly RepostItem[],
  now: Date,
  unitIds?: number[],
): Promise<ItemSummary[]> {
  if (items.length === 0) return [];
  const where = { itemId: In(items.map((item) => item.id)), ...(unitIds ? { unitId: In(unitIds) } : {}) };
  const assignments = await tx.getRepository(RepostAssignment).find({ where });
  // Items of both channels: units still pending with one channel's link verified.
  const both = new Set(items.filter((item) => item.channels === 'both').map((item) => item.id));
  const pendingOfBoth = assignments.filter((a) => both.has(a.itemId) && a.status === 'pending');
  const halfDone = new Set(
    (
      await linksOf(
        tx,
        pendingOfBoth.map((a) => a.id),
      )
    )
      .filter((link) => link.outcome === 'verified')
      .map((link) => link.assignmentId),
  );
  return items.map((item) => {
    const own = assignments.filter((a) => a.itemId === item.id);
    return {
      item,
      total: own.length,
      oneChannel: own.filter((a) => halfDone.has(a.id)).length,
      done: own.filter((a) => a.status === 'done').length,
      review: own.filter((a) => a.status === 'review').length,
      overdue: own.filter((a) => a.status === 'pending' && a.deadline.getTime() <= now.getTime()).length,
    };
  });
}

/** Each unit of an item with its links: late pending first, then pending, review, done. */
export async function unitRows(tx: EntityManager, item: RepostItem, unitIds?: number[]): Promise<UnitRow[]> {
  const assignments = await tx.getRepository(RepostAssignment).find({
    where: { itemId: item.id, ...(unitIds ? { unitId: In(unitIds) } : {}) },
    order: { id: 'ASC' },
  });
  const [links, names] = await Promise.all([
    linksOf(
      tx,
      assignments.map((a) => a.id),
    ),
    unitNameMap(
      tx,
      assignments.map((a) => a.unitId),
    ),
  ]);
  const rank = { pending: 0, review: 1, done: 2 } as const;
  return assignments
    .map((assignment) => ({
      unitId: assignment.unitId,
      unitName: names.get(assignment.unitId) ?? `单位${assignment.unitId}`,
      assignment,
      links: links.filter((link) => link.assignmentId === assignment.id),
    }))
    .sort((a, b) => rank[a.assignment.status] - rank[b.assignment.status] || a.unitId - b.unitId);
}

/** Open reposts in the shared open-item lists. */
export const repostOpenItems: OpenItemSource = {
  kind: 'repost',
  async list(tx, query) {
    const qb = tx
      .getRepository(RepostAssignment)
      .createQueryBuilder('a')
      .where('a.status IN (:...open)', { open: ['pending', 'review'] });
    if (query.topUnitIds)
      qb.andWhere('a.unit_id IN (:...ids)', { ids: query.topUnitIds.length ? query.topUnitIds : [0] });
    const assignments = await qb.orderBy('a.deadline', 'ASC').addOrderBy('a.id', 'ASC').getMany();
    if (assignments.length === 0) return [];
    const items = await tx
      .getRepository(RepostItem)
      .findBy({ id: In([...new Set(assignments.map((a) => a.itemId))]) });
    const byId = new Map(items.map((item) => [item.id, item]));
    return assignments.map((assignment) => ({
      kind: 'repost' as const,
      ref: repostRef(assignment.itemId),
      title: `转载：${byId.get(assignment.itemId)?.title ?? ''}`,
      topUnitId: assignment.unitId,
      deadline: assignment.deadline,
      deadlineEstimated: assignment.deadlineEstimated,
      state: assignment.status === 'review' ? '待人工确认' : '待转载',
      awaiting: assignment.status === 'review' ? ('supervisor' as const) : ('unit' as const),
    }));
  },
};
