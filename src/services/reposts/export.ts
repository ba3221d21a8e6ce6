// The 转载明细 sheet of 导出进度: every unit of every open repost batch, one row per link offered
// (a unit with none has one row), with the link's outcome and the unit's colour by the status
// model's rule (pending past the deadline red, due soon yellow; 已核验 and 待人工确认 green).
import { In, type EntityManager } from 'typeorm';
import { RepostAssignment } from '../../entities/repost-assignment.js';
import { RepostItem } from '../../entities/repost-item.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { formatDeadlineMarked, viewDeadline } from '../calendar/deadline-text.js';
import type { StatusColour } from '../calendar/deadlines.js';
import type { SheetColumn } from '../shared/xlsx.js';
import { linksOf, openItems, repostRef, unitNameMap } from './store.js';
import { outcomeText } from './views.js';

export const REPOST_SHEET_NAME = '转载明细';

export const REPOST_COLUMNS: readonly SheetColumn[] = [
  { header: '序号', width: 7 },
  { header: '编号', width: 7 },
  { header: '单位', width: 18 },
  { header: '文章标题', width: 36 },
  { header: '截止时间', width: 22 },
  { header: '状态', width: 12 },
  { header: '颜色', width: 7 },
  { header: '转载链接', width: 48 },
  { header: '核验结果', width: 26 },
  { header: '来源', width: 10 },
  { header: '提交时间', width: 17 },
];

/** The colour column (G) of the sheet. */
export const REPOST_COLOUR_COLUMN = 7;

const STATUS_LABELS = { pending: '未完成', review: '待人工确认', done: '已核验' } as const;

export interface RepostExportRow {
  ref: string;
  unitName: string;
  title: string;
  deadline: string;
  state: string;
  colour: StatusColour;
  url: string;
  outcome: string;
  source: string;
  submittedAt: Date | null;
}

export async function repostExportRows(
  tx: EntityManager,
  context: { now: Date; calendar: WorkCalendar; topUnitIds?: number[] },
): Promise<RepostExportRow[]> {
  const open = await openItems(tx, context.topUnitIds);
  if (open.length === 0) return [];
  const items = await tx
    .getRepository(RepostItem)
    .find({ where: { batch: In([...new Set(open.map((item) => item.batch))]) }, order: { id: 'ASC' } });
  const assignments = await tx.getRepository(RepostAssignment).find({
    where: {
      itemId: In(items.map((item) => item.id)),
      ...(context.topUnitIds ? { unitId: In(context.topUnitIds) } : {}),
    },
    order: { itemId: 'ASC', unitId: 'ASC' },
  });
  const links = await linksOf(
    tx,
    assignments.map((a) => a.id),
  );
  const names = await unitNameMap(tx, [...new Set(assignments.map((a) => a.unitId))]);
  const byId = new Map(items.map((item) => [item.id, item]));
  const rows: RepostExportRow[] = [];
  for (const assignment of assignments) {
    const item = byId.get(assignment.itemId)!;
    const colour =
      assignment.status === 'pending'
        ? viewDeadline(context.calendar, item.deadline, context.now, item.deadlineEstimated).colour
        : 'green';
    const base = {
      ref: repostRef(item.id),
      unitName: names.get(assignment.unitId) ?? String(assignment.unitId),
      title: item.title,
      deadline: formatDeadlineMarked(item.deadline, item.deadlineEstimated),
      state: STATUS_LABELS[assignment.status],
      colour,
    };
    const own = links.filter((link) => link.assignmentId === assignment.id);
    if (own.length === 0) rows.push({ ...base, url: '', outcome: '', source: '', submittedAt: null });
    for (const link of own) {
      rows.push({
        ...base,
        url: link.finalUrl ?? link.url,
        outcome: outcomeText(link),
        source: link.source === 'discovery' ? '自动发现' : '联络员提交',
        submittedAt: link.submittedAt,
      });
    }
  }
  return rows;
}
