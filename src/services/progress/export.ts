// 导出进度: every task of the open batches, one row each (unit, kind, title, deadline, status,
// colour, submitted at, reviewed at, days late, reviewer, the latest reply's text) with a conditional red/yellow/green fill on the
// colour, and a per-unit summary sheet. Rows and colours come from the status model (model.ts); this file only
// lays them out. Written with exceljs's streaming writer: a hundred thousand rows stay affordable,
// and the event loop gets a turn every few thousand rows so other members are still answered.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { EntityManager } from 'typeorm';
import { TASK_KIND_LABELS } from '../../entities/task.js';
import { UNIT_KIND_LABELS } from '../../entities/unit.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { sheetDateTime } from '../cases/views.js';
import { COLOUR_LABELS, formatDeadlineMarked } from '../calendar/deadline-text.js';
import type { StatusColour } from '../calendar/deadlines.js';
import {
  computeProgress,
  progressTaskRows,
  summariseByUnit,
  type ProgressModel,
  type ProgressTaskRow,
  type UnitTaskSummary,
} from './model.js';
import { formatDateTime, shanghaiDate } from '../calendar/time.js';
import { addTitledSheet, HEADER_ROWS } from '../shared/xlsx.js';
import {
  TASK_COLUMNS,
  TASK_SHEET_NAME,
  TOTAL_LABEL,
  UNIT_COLUMNS,
  UNIT_SHEET_NAME,
  WORKBOOK_CREATOR,
  asOfText,
  cutCellText,
  exportFileName,
  lateSubmissionState,
  taskSheetTitle,
  unitCountText,
  unitSheetTitle,
} from './views.js';
import {
  REPOST_COLOUR_COLUMN,
  REPOST_COLUMNS,
  REPOST_SHEET_NAME,
  repostExportRows,
  type RepostExportRow,
} from '../reposts/export.js';
import { latestReplyFacts, type ReplyFacts } from '../tasks/store.js';

/** Excel keeps at most this many characters in a cell; a longer reply is cut with a note. */
const CELL_MAX_CHARS = 32_000;

export { TASK_COLUMNS, TASK_SHEET_NAME, UNIT_COLUMNS, UNIT_SHEET_NAME } from './views.js';

/** The colour columns (H of the task sheet, L of the summary) and their fills (Excel's light red, yellow, green). */
export const TASK_COLOUR_COLUMN = 8;
export const UNIT_COLOUR_COLUMN = 12;

export const COLOUR_FILLS: Record<StatusColour, string> = {
  red: 'FFFFC7CE',
  yellow: 'FFFFEB9C',
  green: 'FFC6EFCE',
};

/** How many rows are written between two turns of the event loop. */
const ROWS_PER_TURN = 2000;

export interface ProgressExport {
  fileName: string;
  data: Buffer;
  taskCount: number;
  unitCount: number;
  /** Rows of the 转载明细 sheet (none: no sheet). */
  repostCount?: number;
  model: ProgressModel;
}

export async function buildProgressExport(
  tx: EntityManager,
  context: { now: Date; calendar: WorkCalendar; topUnitIds?: number[] },
): Promise<ProgressExport> {
  const model = await computeProgress(tx, context);
  const rows = await progressTaskRows(tx, model, context.calendar);
  const units = summariseByUnit(rows);
  const facts = await latestReplyFacts(
    tx,
    rows.map((row) => row.id),
  );
  const reposts = await repostExportRows(tx, context);
  const data = await writeWorkbook(model, rows, units, facts, reposts);
  const day = shanghaiDate(context.now).replace(/-/g, '');
  return {
    fileName: exportFileName(day),
    data,
    taskCount: rows.length,
    unitCount: units.length,
    repostCount: reposts.length,
    model,
  };
}

/** The state as the sheet shows it: 已提交待审（逾期提交） for a late submission. */
export function sheetState(row: ProgressTaskRow): string {
  return row.lateSubmission ? lateSubmissionState(row.state) : row.state;
}

export function taskCells(index: number, row: ProgressTaskRow, facts?: ReplyFacts): (string | number)[] {
  return [
    index,
    row.ref,
    row.unitName,
    TASK_KIND_LABELS[row.kind],
    row.title,
    formatDeadlineMarked(row.deadline, row.deadlineEstimated),
    sheetState(row),
    COLOUR_LABELS[row.colour],
    row.submittedAt ? sheetDateTime(row.submittedAt) : '',
    row.reviewedAt ? sheetDateTime(row.reviewedAt) : '',
    row.daysLate,
    // Who decided the state shown (通过, or 退回 while pending); none while a reply awaits review.
    row.reviewedAt ? (facts?.reviewer ?? '') : '',
    replyCell(facts?.replyText ?? ''),
  ];
}

function replyCell(text: string): string {
  const chars = [...text];
  return chars.length > CELL_MAX_CHARS ? cutCellText(chars.slice(0, CELL_MAX_CHARS).join('')) : text;
}

export function unitCells(index: number, unit: UnitTaskSummary): (string | number)[] {
  const { counts } = unit;
  return [
    index,
    unit.unitName,
    UNIT_KIND_LABELS[unit.unitKind],
    counts.total,
    counts.done,
    counts.submitted,
    counts.pending,
    counts.overdue,
    unit.yellow,
    counts.lateSubmitted,
    unit.maxDaysLate,
    COLOUR_LABELS[unit.colour],
  ];
}

async function writeWorkbook(
  model: ProgressModel,
  rows: readonly ProgressTaskRow[],
  units: readonly UnitTaskSummary[],
  facts: ReadonlyMap<number, ReplyFacts>,
  reposts: readonly RepostExportRow[] = [],
): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = WORKBOOK_CREATOR;
  workbook.created = model.now;
  const asOf = asOfText(formatDateTime(model.now));

  const tasks = addTitledSheet(workbook, TASK_SHEET_NAME, taskSheetTitle(asOf), TASK_COLUMNS);
  let index = 0;
  for (const row of rows) {
    index++;
    tasks.addRow(taskCells(index, row, facts.get(row.id))).commit();
    if (index % ROWS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  colourRules(tasks, TASK_COLOUR_COLUMN, rows.length);
  tasks.commit();

  const summary = addTitledSheet(workbook, UNIT_SHEET_NAME, unitSheetTitle(asOf), UNIT_COLUMNS);
  units.forEach((unit, i) => summary.addRow(unitCells(i + 1, unit)).commit());
  const totals = units.reduce(
    (sum, unit) => {
      for (const key of Object.keys(sum.counts) as (keyof typeof sum.counts)[])
        sum.counts[key] += unit.counts[key];
      sum.yellow += unit.yellow;
      sum.maxDaysLate = Math.max(sum.maxDaysLate, unit.maxDaysLate);
      return sum;
    },
    {
      counts: { total: 0, done: 0, submitted: 0, pending: 0, overdue: 0, lateSubmitted: 0 },
      yellow: 0,
      maxDaysLate: 0,
    },
  );
  const total = summary.addRow([
    TOTAL_LABEL,
    unitCountText(units.length),
    '',
    totals.counts.total,
    totals.counts.done,
    totals.counts.submitted,
    totals.counts.pending,
    totals.counts.overdue,
    totals.yellow,
    totals.counts.lateSubmitted,
    totals.maxDaysLate,
    '',
  ]);
  total.font = { bold: true };
  total.commit();
  colourRules(summary, UNIT_COLOUR_COLUMN, units.length);
  summary.commit();

  if (reposts.length > 0) {
    const sheet = addTitledSheet(workbook, REPOST_SHEET_NAME, `重要信息转载明细（${asOf}）`, REPOST_COLUMNS);
    reposts.forEach((row, i) =>
      sheet
        .addRow([
          i + 1,
          row.ref,
          row.unitName,
          row.title,
          row.deadline,
          row.state,
          COLOUR_LABELS[row.colour],
          row.url,
          row.outcome,
          row.source,
          row.submittedAt ? sheetDateTime(row.submittedAt) : '',
        ])
        .commit(),
    );
    colourRules(sheet, REPOST_COLOUR_COLUMN, reposts.length);
    sheet.commit();
  }
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

/**
 * The red/yellow/green fill of a colour column, as Excel conditional formatting on its labels
 * (逾期, 临期, 正常): one rule per colour instead of a style per cell, which at a hundred
 * thousand rows would cost seconds; Excel, WPS and LibreOffice all show it.
 */
function colourRules(sheet: ExcelJS.Worksheet, column: number, rows: number): void {
  if (rows === 0) return;
  const letter = String.fromCharCode(64 + column);
  sheet.addConditionalFormatting({
    ref: `${letter}${HEADER_ROWS + 1}:${letter}${HEADER_ROWS + rows}`,
    rules: (['red', 'yellow', 'green'] as const).map((colour, i) => ({
      type: 'cellIs',
      operator: 'equal',
      priority: i + 1,
      formulae: [`"${COLOUR_LABELS[colour]}"`],
      style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: COLOUR_FILLS[colour] } } },
    })),
  });
}
