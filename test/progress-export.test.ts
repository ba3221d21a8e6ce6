// 导出进度 cell by cell, on the seeded scenario at Saturday 2026-02-14 10:00: the task sheet (one
// row per task of the open batches, red/yellow/green fill on the colour), the per-unit summary and
// its totals, read back with exceljs; the colour columns are filled by conditional-formatting rules.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import {
  COLOUR_FILLS,
  TASK_COLOUR_COLUMN,
  TASK_COLUMNS,
  TASK_SHEET_NAME,
  UNIT_COLOUR_COLUMN,
  UNIT_COLUMNS,
  UNIT_SHEET_NAME,
  buildProgressExport,
  taskCells,
} from '../src/services/progress/export.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { at, seedDirectory, seedScenario, type Seeded } from './support/progress-seed.js';

const calendar = WorkCalendar.create();
let database: TestDatabase;
let seeded: Seeded;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  database = await createTestDatabase();
  seeded = await seedScenario(database.dataSource, calendar, await seedDirectory(database.dataSource));
  const built = await buildProgressExport(database.dataSource.manager, {
    now: at('2026-02-14 10:00'),
    calendar,
  });
  expect(built.fileName).toBe('督办进度-20260214.xlsx');
  expect(built.taskCount).toBe(13);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(built.data as unknown as ExcelJS.Buffer);
});

afterAll(async () => {
  await database.drop();
});

function values(sheet: ExcelJS.Worksheet, row: number, columns: number): unknown[] {
  return Array.from({ length: columns }, (_, i) => sheet.getRow(row).getCell(i + 1).value ?? '');
}

interface Rule {
  type: string;
  operator: string;
  formulae: string[];
  style: { fill: { bgColor: { argb: string } } };
}

/** The conditional fill rules of a sheet, as `range: label → fill`. */
function colourRules(sheet: ExcelJS.Worksheet): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const cf of (sheet as unknown as { conditionalFormattings: { ref: string; rules: Rule[] }[] })
    .conditionalFormattings) {
    result[cf.ref] = Object.fromEntries(
      cf.rules.map((rule) => {
        expect(rule).toMatchObject({ type: 'cellIs', operator: 'equal' });
        return [rule.formulae[0]!, rule.style.fill.bgColor.argb];
      }),
    );
  }
  return result;
}

const FILL_RULES = {
  '"逾期"': COLOUR_FILLS.red,
  '"临期"': COLOUR_FILLS.yellow,
  '"正常"': COLOUR_FILLS.green,
};

describe('任务明细', () => {
  it('has the title, the headers and one row per task', () => {
    const sheet = workbook.getWorksheet(TASK_SHEET_NAME)!;
    expect(workbook.worksheets.map((candidate) => candidate.name)).toEqual([
      TASK_SHEET_NAME,
      UNIT_SHEET_NAME,
    ]);
    expect(sheet.getCell('A1').value).toBe(
      '督办进度表（未办结批次的全部任务，截至 2026-02-14（周六）10:00）',
    );
    expect(values(sheet, 2, TASK_COLUMNS.length)).toEqual(TASK_COLUMNS.map((column) => column.header));
    expect(sheet.rowCount).toBe(2 + 13);
  });

  it('writes every row cell by cell, by unit then deadline, the colour filled by rule', () => {
    const sheet = workbook.getWorksheet(TASK_SHEET_NAME)!;
    const t = (key: string) => `T${seeded.tasks[key]}`;
    const expected: [string, string, string, string, string, string, string, string, string, number][] = [
      // ref, unit, kind, title, deadline, state, colour, submitted, reviewed, days late
      [
        t('A-张店区'),
        '张店区',
        '整改',
        '首页信息更新不及时整改',
        '2026-02-13（周五）24时',
        '待办',
        '逾期',
        '',
        '',
        1,
      ],
      [
        t('N1-张店区'),
        '张店区',
        '落实情况',
        '落实情况报送',
        '2026-02-24（周二）24时',
        '待办',
        '临期',
        '',
        '',
        0,
      ],
      [t('N2-张店区'), '张店区', '整改', '栏目整改', '2026-02-25（周三）24时', '待办', '正常', '', '', 0],
      [
        t('A-淄川区'),
        '淄川区',
        '整改',
        '首页信息更新不及时整改',
        '2026-02-13（周五）24时',
        '已提交待审',
        '正常',
        '2026-02-12 15:30',
        '',
        0,
      ],
      [
        t('N1-淄川区'),
        '淄川区',
        '落实情况',
        '落实情况报送',
        '2026-02-24（周二）24时',
        '待办',
        '临期',
        '',
        '',
        0,
      ],
      [t('N2-淄川区'), '淄川区', '整改', '栏目整改', '2026-02-25（周三）24时', '待办', '正常', '', '', 0],
      [
        t('A-博山区'),
        '博山区',
        '整改',
        '首页信息更新不及时整改',
        '2026-02-13（周五）24时',
        '已提交待审（逾期提交）',
        '正常',
        '2026-02-14 09:00',
        '',
        1,
      ],
      [
        t('C-博山区'),
        '博山区',
        '自定义',
        '信息公开自查',
        '2026-02-14（周六）18:00',
        '待办',
        '临期',
        '',
        '',
        0,
      ],
      [t('legacy-博山区'), '博山区', '自定义', '旧任务', '2026-02-25（周三）24时', '待办', '正常', '', '', 0],
      [
        t('A-高新区'),
        '高新区',
        '整改',
        '首页信息更新不及时整改',
        '2026-02-13（周五）24时',
        '已办结',
        '正常',
        '2026-02-10 10:00',
        '2026-02-11 11:00',
        0,
      ],
      [t('legacy-高新区'), '高新区', '自定义', '旧任务', '2026-02-25（周三）24时', '待办', '正常', '', '', 0],
      [
        t('A-市水利局'),
        '市水利局',
        '整改',
        '首页信息更新不及时整改',
        '2026-02-13（周五）24时',
        '已退回',
        '逾期',
        '2026-02-12 10:00',
        '2026-02-13 16:00',
        1,
      ],
      [
        t('C-市水利局'),
        '市水利局',
        '自定义',
        '信息公开自查',
        '2026-02-14（周六）18:00',
        '已办结',
        '正常',
        '2026-02-11 09:00',
        '2026-02-11 10:00',
        0,
      ],
    ];
    expected.forEach((row, i) => {
      // The first eleven columns here; the reviewer and the reply are checked below.
      expect(values(sheet, 3 + i, 11), `row ${3 + i}`).toEqual([i + 1, ...row]);
    });
    // Column H (颜色) of every data row: red for 逾期, yellow for 临期, green for 正常.
    expect(TASK_COLUMNS[TASK_COLOUR_COLUMN - 1]!.header).toBe('颜色');
    expect(colourRules(sheet)).toEqual({ 'H3:H15': FILL_RULES });
  });
});

describe('the reply and its reviewer in 任务明细', () => {
  it('carries the latest reply’s text, and the reviewer of the state shown', () => {
    const sheet = workbook.getWorksheet(TASK_SHEET_NAME)!;
    expect(TASK_COLUMNS.slice(11).map((column) => column.header)).toEqual(['审核人', '办理情况（最新一次）']);
    const rowOf = (ref: string) => {
      for (let r = 3; r <= sheet.rowCount; r++) {
        if (sheet.getRow(r).getCell(2).value === ref) return values(sheet, r, TASK_COLUMNS.length);
      }
      throw new Error(`no row ${ref}`);
    };
    const t = (key: string) => `T${seeded.tasks[key]}`;
    // Returned: who returned it, and the reply that was returned.
    expect(rowOf(t('A-市水利局')).slice(11)).toEqual(['李督办', '整改中。']);
    // Submitted, awaiting review: the reply, no reviewer yet.
    expect(rowOf(t('A-淄川区')).slice(11)).toEqual(['', '已完成首页栏目更新，详见附件。']);
    // Never replied.
    expect(rowOf(t('A-张店区')).slice(11)).toEqual(['', '']);
  });
});

describe('单位汇总', () => {
  it('sums each unit, fills its colour, and totals the sheet', () => {
    const sheet = workbook.getWorksheet(UNIT_SHEET_NAME)!;
    expect(values(sheet, 2, UNIT_COLUMNS.length)).toEqual(UNIT_COLUMNS.map((column) => column.header));
    const rows = [
      // unit, kind, total, done, submitted, pending, overdue, yellow, late submitted, max days late, colour
      [1, '张店区', '区县', 3, 0, 0, 2, 1, 1, 0, 1, '逾期'],
      [2, '淄川区', '区县', 3, 0, 1, 2, 0, 1, 0, 0, '临期'],
      [3, '博山区', '区县', 3, 0, 1, 2, 0, 1, 1, 1, '临期'],
      [4, '高新区', '功能区', 2, 1, 0, 1, 0, 0, 0, 0, '正常'],
      [5, '市水利局', '市直部门', 2, 1, 0, 0, 1, 0, 0, 1, '逾期'],
    ];
    rows.forEach((row, i) => {
      expect(values(sheet, 3 + i, UNIT_COLUMNS.length), `row ${3 + i}`).toEqual(row);
    });
    expect(UNIT_COLUMNS[UNIT_COLOUR_COLUMN - 1]!.header).toBe('颜色');
    // The units only: the total row has no colour.
    expect(colourRules(sheet)).toEqual({ 'L3:L7': FILL_RULES });
    expect(values(sheet, 8, UNIT_COLUMNS.length)).toEqual([
      '合计',
      '5 个单位',
      '',
      13,
      2,
      2,
      7,
      2,
      3,
      1,
      1,
      '',
    ]);
    expect(sheet.getRow(8).font?.bold).toBe(true);
  });
});

describe('a provisional deadline in the export', () => {
  it('says 预估 in the deadline cell', () => {
    const cells = taskCells(1, {
      id: 7,
      ref: 'T7',
      unitId: 1,
      unitName: '市水利局',
      unitKind: 'department',
      kind: 'report',
      title: '年底网站安全自查',
      deadline: new Date('2027-01-04T16:00:00Z'),
      deadlineEstimated: true,
      status: 'pending',
      state: '待办',
      colour: 'green',
      submittedAt: null,
      reviewedAt: null,
      daysLate: 0,
      lateSubmission: false,
    });
    expect(cells).toContain('2027-01-04（周一）24时（预估）');
  });
});
