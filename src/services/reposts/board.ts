// The board's view of reposts: per open batch, a units × items grid (已核验, 待人工确认, or the
// pending item's colour by the status model's rule: red past the deadline, yellow due today or by
// the next working day) and the counts, the same outcomes 转载进度 shows.
import { In, type EntityManager } from 'typeorm';
import { RepostAssignment } from '../../entities/repost-assignment.js';
import { RepostItem } from '../../entities/repost-item.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { viewDeadline, type DeadlineView } from '../calendar/deadline-text.js';
import { openItems, repostRef, unitNameMap } from './store.js';

export type RepostCell = 'done' | 'review' | 'red' | 'yellow' | 'green';

export interface RepostBoardBatch {
  batch: number;
  items: { id: number; ref: string; title: string; view: DeadlineView }[];
  /** Units with any item of the batch: late ones first. */
  rows: { unitId: number; unitName: string; cells: (RepostCell | null)[] }[];
  done: number;
  review: number;
  overdue: number;
  total: number;
}

export async function repostBoard(
  tx: EntityManager,
  calendar: WorkCalendar,
  now: Date,
): Promise<RepostBoardBatch[]> {
  const open = await openItems(tx);
  if (open.length === 0) return [];
  const batches = [...new Set(open.map((item) => item.batch))].sort((a, b) => a - b);
  const items = await tx
    .getRepository(RepostItem)
    .find({ where: { batch: In(batches) }, order: { id: 'ASC' } });
  const assignments = await tx
    .getRepository(RepostAssignment)
    .find({ where: { itemId: In(items.map((item) => item.id)) } });
  const names = await unitNameMap(tx, [...new Set(assignments.map((a) => a.unitId))]);
  return batches.map((batch) => {
    const own = items.filter((item) => item.batch === batch);
    const columns = own.map((item) => ({
      id: item.id,
      ref: repostRef(item.id),
      title: item.title,
      view: viewDeadline(calendar, item.deadline, now, item.deadlineEstimated),
    }));
    const byUnit = new Map<number, (RepostCell | null)[]>();
    const counts = { done: 0, review: 0, overdue: 0, total: 0 };
    own.forEach((item, index) => {
      for (const assignment of assignments.filter((a) => a.itemId === item.id)) {
        const cells = byUnit.get(assignment.unitId) ?? own.map(() => null);
        const cell: RepostCell =
          assignment.status === 'done'
            ? 'done'
            : assignment.status === 'review'
              ? 'review'
              : columns[index]!.view.colour;
        cells[index] = cell;
        byUnit.set(assignment.unitId, cells);
        counts.total++;
        if (cell === 'done') counts.done++;
        if (cell === 'review') counts.review++;
        if (cell === 'red') counts.overdue++;
      }
    });
    const rank = (cells: (RepostCell | null)[]) =>
      cells.includes('red') ? 0 : cells.includes('yellow') ? 1 : cells.includes('green') ? 2 : 3;
    const rows = [...byUnit]
      .map(([unitId, cells]) => ({ unitId, unitName: names.get(unitId) ?? `单位${unitId}`, cells }))
      .sort((a, b) => rank(a.cells) - rank(b.cells) || a.unitId - b.unitId);
    return { batch, items: columns, rows, ...counts };
  });
}
