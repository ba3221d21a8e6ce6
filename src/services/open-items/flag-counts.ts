// Red and yellow counts per unit by grouped queries, for open-item sources stored one row per item
// with a status, a deadline and a top-level unit column (tasks, guestbook messages): what
// `OpenItemSource.flagCounts` returns, without reading the rows.
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { asDate } from '../../db/values.js';
import type { FlagQuery, UnitFlagCount } from './items.js';

export interface FlagTable {
  entity: EntityTarget<ObjectLiteral>;
  /** The top-level unit column, as `x.<column>`. */
  unitColumn: string;
  /** The status of an item that is the unit's move. */
  openStatus: string;
}

export async function groupedFlagCounts(
  tx: EntityManager,
  table: FlagTable,
  query: FlagQuery,
): Promise<UnitFlagCount[]> {
  if (query.topUnitIds && query.topUnitIds.length === 0) return [];
  const scoped = <T extends { andWhere(where: string, params: ObjectLiteral): T }>(qb: T): T =>
    query.topUnitIds ? qb.andWhere(`${table.unitColumn} IN (:...scope)`, { scope: query.topUnitIds }) : qb;
  const result: UnitFlagCount[] = [];
  // Overdue: per unit, how many and the oldest deadline (the most working days late).
  const overdue = await scoped(
    tx
      .createQueryBuilder()
      .select(table.unitColumn, 'unitId')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MIN(x.deadline)', 'oldest')
      .from(table.entity, 'x')
      .where('x.status = :open AND x.deadline <= :now', { open: table.openStatus, now: query.now }),
  )
    .groupBy(table.unitColumn)
    .getRawMany<{ unitId: unknown; n: unknown; oldest: unknown }>();
  for (const row of overdue) {
    result.push({
      topUnitId: Number(row.unitId),
      colour: 'red',
      count: Number(row.n),
      deadline: asDate(row.oldest),
    });
  }
  // Due soon: the few deadlines up to the next working day's end, each judged by its colour.
  const soon = await scoped(
    tx
      .createQueryBuilder()
      .select(table.unitColumn, 'unitId')
      .addSelect('x.deadline', 'deadline')
      .addSelect('COUNT(*)', 'n')
      .from(table.entity, 'x')
      .where('x.status = :open AND x.deadline > :now AND x.deadline <= :horizon', {
        open: table.openStatus,
        now: query.now,
        horizon: query.horizon,
      }),
  )
    .groupBy(table.unitColumn)
    .addGroupBy('x.deadline')
    .getRawMany<{ unitId: unknown; deadline: unknown; n: unknown }>();
  for (const row of soon) {
    const deadline = asDate(row.deadline);
    if (query.colourOf(deadline) !== 'yellow') continue;
    result.push({ topUnitId: Number(row.unitId), colour: 'yellow', count: Number(row.n), deadline });
  }
  return result;
}
