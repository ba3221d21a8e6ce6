/**
 * The board's units × open batches grid: for each unit and each open batch of a {@link ProgressModel},
 * the colour of the unit's tasks in that batch by the status model's rules (model.ts): red when a
 * pending task's deadline has passed, yellow when one falls today or on the next working day, green
 * otherwise (nothing pending, or submitted and waiting for review, or done); no cell when the unit
 * has no task in the batch. Two grouped queries per 500 batches (and two for rows written before
 * batches were recorded), never a query per unit; a thousand units × a dozen batches is a few
 * thousand small rows.
 */
import { In, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { asDate } from '../../db/values.js';
import { Task } from '../../entities/task.js';
import { Unit, type UnitKind } from '../../entities/unit.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { UNIT_KIND_ORDER } from '../cases/rules.js';
import type { StatusColour } from '../calendar/deadlines.js';
import { DeadlineViews, legacyKeyOf, type ProgressModel } from './model.js';
import { reminderHorizon } from '../tasks/rules.js';

export interface GridRow {
  unitId: number;
  unitName: string;
  unitKind: UnitKind;
  /** One per batch of the model, in its order; null when the unit has no task in that batch. */
  cells: (StatusColour | null)[];
  red: number;
  yellow: number;
  /** The row's worst cell. */
  colour: StatusColour;
}

export interface ProgressGrid {
  /** The model's batch keys, the grid's columns. */
  batchKeys: string[];
  /** Red rows first (in the model's red order: most days late first), then yellow, then green. */
  rows: GridRow[];
}

const CHUNK = 500;
const RANK: Record<StatusColour, number> = { red: 0, yellow: 1, green: 2 };

interface CellDraft {
  overdue: boolean;
  yellow: boolean;
}

export async function progressGrid(
  tx: EntityManager,
  model: ProgressModel,
  calendar: WorkCalendar,
): Promise<ProgressGrid> {
  const views = new DeadlineViews(calendar, model.now);
  const horizon = reminderHorizon(calendar, model.now);
  const column = new Map<string, number>();
  model.batches.forEach((batch, index) => {
    for (const id of batch.batchIds) column.set(`b${id}`, index);
    for (const key of batch.legacyKeys) column.set(`l${key}`, index);
  });
  const cells = new Map<number, Map<number, CellDraft>>();
  const cell = (unitId: number, index: number): CellDraft => {
    let row = cells.get(unitId);
    if (!row) {
      row = new Map<number, CellDraft>();
      cells.set(unitId, row);
    }
    let draft = row.get(index);
    if (!draft) {
      draft = { overdue: false, yellow: false };
      row.set(index, draft);
    }
    return draft;
  };
  const scoped = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>) =>
    model.scope ? qb.andWhere('t.unit_id IN (:...scope)', { scope: model.scope }) : qb;
  const counts = (qb: SelectQueryBuilder<ObjectLiteral>) =>
    qb
      .addSelect('t.unit_id', 'unitId')
      .addSelect("SUM(CASE WHEN t.status = 'pending' AND t.deadline <= :now THEN 1 ELSE 0 END)", 'overdue')
      .setParameter('now', model.now)
      .addGroupBy('t.unit_id');
  // Pending deadlines up to the next working day's end, each judged by its view (as the lists do).
  const soon = (qb: SelectQueryBuilder<ObjectLiteral>) =>
    qb
      .addSelect('t.unit_id', 'unitId')
      .addSelect('t.deadline', 'deadline')
      .andWhere("t.status = 'pending' AND t.deadline > :now AND t.deadline <= :horizon", {
        now: model.now,
        horizon,
      })
      .addGroupBy('t.unit_id')
      .addGroupBy('t.deadline');
  const record = (unitId: number, key: string, overdue: unknown, deadline?: unknown) => {
    const index = column.get(key);
    if (index === undefined) return;
    const draft = cell(unitId, index);
    if (Number(overdue) > 0) draft.overdue = true;
    if (deadline !== undefined && views.of(asDate(deadline)).colour === 'yellow') draft.yellow = true;
  };

  const batchIds = model.batches.flatMap((batch) => batch.batchIds);
  for (let i = 0; i < batchIds.length; i += CHUNK) {
    const chunk = batchIds.slice(i, i + CHUNK);
    const base = () =>
      scoped(
        tx
          .createQueryBuilder()
          .select('t.batch', 'batch')
          .from(Task, 't')
          .where('t.batch IN (:...chunk)', { chunk })
          .groupBy('t.batch'),
      );
    for (const row of await counts(base()).getRawMany<{
      batch: unknown;
      unitId: unknown;
      overdue: unknown;
    }>())
      record(Number(row.unitId), `b${Number(row.batch)}`, row.overdue);
    for (const row of await soon(base()).getRawMany<{ batch: unknown; unitId: unknown; deadline: unknown }>())
      record(Number(row.unitId), `b${Number(row.batch)}`, 0, row.deadline);
  }

  if (model.batches.some((batch) => batch.legacyKeys.length > 0)) {
    // Rows from before batches were recorded, grouped by the fields one assignment shares.
    const legacy = () =>
      scoped(
        tx
          .createQueryBuilder()
          .select('t.notice_id', 'noticeId')
          .addSelect('t.kind', 'kind')
          .addSelect('t.title', 'title')
          .addSelect('t.created_by', 'createdBy')
          .addSelect('t.assigned_at', 'assignedAt')
          .from(Task, 't')
          .where('t.batch = 0')
          .groupBy('t.notice_id')
          .addGroupBy('t.kind')
          .addGroupBy('t.title')
          .addGroupBy('t.created_by')
          .addGroupBy('t.assigned_at'),
      );
    type LegacyRow = Record<'noticeId' | 'kind' | 'title' | 'createdBy' | 'assignedAt' | 'unitId', unknown>;
    const keyOf = (row: LegacyRow) =>
      `l${legacyKeyOf({
        noticeId: row.noticeId === null ? null : Number(row.noticeId),
        kind: String(row.kind),
        title: String(row.title),
        createdBy: String(row.createdBy),
        assignedAt: asDate(row.assignedAt),
      })}`;
    for (const row of await counts(legacy()).getRawMany<LegacyRow & { overdue: unknown }>())
      record(Number(row.unitId), keyOf(row), row.overdue);
    for (const row of await soon(legacy()).getRawMany<LegacyRow & { deadline: unknown }>())
      record(Number(row.unitId), keyOf(row), 0, row.deadline);
  }

  const unitIds = [...cells.keys()];
  const units = new Map<number, { name: string; kind: UnitKind }>();
  for (let i = 0; i < unitIds.length; i += 1000) {
    const found = await tx.getRepository(Unit).find({
      select: { id: true, name: true, kind: true },
      where: { id: In(unitIds.slice(i, i + 1000)) },
    });
    for (const unit of found) units.set(unit.id, unit);
  }
  const rows: GridRow[] = unitIds.map((unitId) => {
    const drafts = cells.get(unitId)!;
    const row: GridRow = {
      unitId,
      unitName: units.get(unitId)?.name ?? `单位${unitId}`,
      unitKind: units.get(unitId)?.kind ?? 'other',
      cells: model.batches.map((_, index) => {
        const draft = drafts.get(index);
        if (!draft) return null;
        return draft.overdue ? 'red' : draft.yellow ? 'yellow' : 'green';
      }),
      red: 0,
      yellow: 0,
      colour: 'green',
    };
    row.red = row.cells.filter((colour) => colour === 'red').length;
    row.yellow = row.cells.filter((colour) => colour === 'yellow').length;
    row.colour = row.red ? 'red' : row.yellow ? 'yellow' : 'green';
    return row;
  });
  const listed = new Map<number, number>();
  model.red.forEach((flag, index) => listed.set(flag.unitId, index));
  const yellowAt = new Map<number, number>();
  model.yellow.forEach((flag, index) => yellowAt.set(flag.unitId, index));
  const order = (row: GridRow) =>
    (row.colour === 'red'
      ? listed.get(row.unitId)
      : row.colour === 'yellow'
        ? yellowAt.get(row.unitId)
        : 0) ?? Number.MAX_SAFE_INTEGER;
  rows.sort(
    (a, b) =>
      RANK[a.colour] - RANK[b.colour] ||
      order(a) - order(b) ||
      UNIT_KIND_ORDER.indexOf(a.unitKind) - UNIT_KIND_ORDER.indexOf(b.unitKind) ||
      a.unitId - b.unitId,
  );
  return { batchKeys: model.batches.map((batch) => batch.key), rows };
}
