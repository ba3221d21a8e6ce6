// The typical-case rules as tables: length counting (150 vs 151, mixed scripts and emoji), quotas,
// deadlines, progress lines and reminder stages across the 2026 National Day holiday.
import { describe, expect, it } from 'vitest';
import type { CaseCall } from '../src/entities/case-call.js';
import type { Unit, UnitKind } from '../src/entities/unit.js';
import type { UnitProgress } from '../src/services/cases/rules.js';
import { SHORT_LIST_LIMIT, shortfallLines } from '../src/services/cases/views.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import {
  DEFAULT_CASE_QUOTAS,
  checkCaseLength,
  countCaseChars,
  countClause,
  describeQuotas,
  lengthRejection,
  parseCallRef,
  parseCaseRef,
  parseQuotas,
  parseReview,
  pickTheme,
  progressLine,
  reminderStage,
  shortDueDate,
  CASE_THEMES,
} from '../src/services/cases/rules.js';
import { endOfShanghaiDay, parseShanghaiDateTime, type LocalDate } from '../src/services/calendar/time.js';

const calendar = WorkCalendar.create();
const at = parseShanghaiDateTime;
const due = (date: LocalDate) => endOfShanghaiDay(date);

// 150 characters as a reader counts them: 100 Chinese characters, 30 ASCII letters and digits,
// 10 Chinese punctuation marks, 5 thumbs with a skin tone, 3 flags and 2 families (ZWJ sequences).
const MIXED_150 =
  '政务新媒体典型案例'.repeat(11) +
  '政' +
  'ABCabc1234'.repeat(3) +
  '，。、；：“”（）！' +
  '👍🏽'.repeat(5) +
  '🇨🇳'.repeat(3) +
  '👨‍👩‍👧'.repeat(2);

// The notice's own example paragraph (四(一), 市公安局 and 市水利局), 81 characters counted by hand.
const NOTICE_EXAMPLE =
  '市公安局积极了解当前社会热点，结合工作实际和治安情况，有针对性的进行内容策划，通过政务新媒体矩阵向市民进行法律宣传。' +
  '市水利局以互联网思维和全媒体视角深耕智慧普法。';

describe('countCaseChars: characters as a reader counts them', () => {
  it.each([
    ['', 0],
    ['政府网站', 4],
    ['abc123', 6],
    ['“张店警方”抖音号', 9],
    ['👍🏽', 1],
    ['🇨🇳', 1],
    ['👨‍👩‍👧', 1],
    ['é', 1], // e + combining acute
    ['  前后空格不计  ', 6],
    ['\n\u3000全角空格也不计\u3000\n', 7],
    ['中间 空格算', 6],
    [MIXED_150, 150],
    [`${MIXED_150}1`, 151],
    [`  \n${MIXED_150}\u3000 `, 150],
    [NOTICE_EXAMPLE, 81],
  ])('%j → %i', (value, expected) => {
    expect(countCaseChars(value)).toBe(expected);
  });
});

describe('checkCaseLength', () => {
  it('takes exactly 150 and keeps the trimmed text', () => {
    const result = checkCaseLength(`  ${MIXED_150}\n`, 150);
    expect(result).toEqual({ ok: true, text: MIXED_150, length: 150 });
  });

  it('rejects 151 with the count and how many to cut', () => {
    const result = checkCaseLength(`${MIXED_150}😀`, 150);
    expect(result).toEqual({ ok: false, reason: 'too-long', length: 151, max: 150, excess: 1 });
    if (result.ok) throw new Error('unreachable');
    expect(lengthRejection(result)).toBe(
      '案例内容共 151 字，超过 150 字的上限，需删减 1 字。请修改后重新发送，已填写的其他内容都已保留。',
    );
  });

  it('rejects an empty text', () => {
    const result = checkCaseLength(' \n ', 150);
    expect(result).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('parseQuotas', () => {
  it.each([
    ['默认', DEFAULT_CASE_QUOTAS],
    ['区县5 功能区5 市直部门1', { district: 5, zone: 5, department: 1, other: 0 }],
    ['区县3', { district: 3, zone: 5, department: 1, other: 0 }],
    ['区县：6个，市直部门：2个', { district: 6, zone: 5, department: 2, other: 0 }],
    ['市直部门0 其他1', { district: 5, zone: 5, department: 0, other: 1 }],
  ])('%s', (input, quotas) => {
    expect(parseQuotas(input)).toEqual({ ok: true, quotas });
  });

  it.each(['好的', '区县五个', '区县5 乡镇3', '区县51'])('refuses %s', (input) => {
    expect(parseQuotas(input).ok).toBe(false);
  });

  it('describes quotas as supervisors type them', () => {
    expect(describeQuotas(DEFAULT_CASE_QUOTAS)).toBe('区县5 功能区5 市直部门1');
    expect(describeQuotas({ district: 0, zone: 0, department: 0, other: 0 })).toBe('不设数量要求');
  });
});

describe('progress line', () => {
  const deadline = due('2023-03-21');

  it.each([
    // the notice's deadline 3月21日 (Tuesday), asked on Friday 3月17日
    [3, 5, '2023-03-17 10:00', '已提交 3/5，还需 2 个，截止 3月21日（还剩2个工作日）'],
    [5, 5, '2023-03-17 10:00', '已提交 5/5，已达标，截止 3月21日（还剩2个工作日）'],
    [6, 5, '2023-03-18 10:00', '已提交 6/5，已达标，截止 3月21日（还剩2个工作日）'],
    [0, 1, '2023-03-20 10:00', '已提交 0/1，还需 1 个，截止 3月21日（还剩1个工作日）'],
    [1, 5, '2023-03-21 10:00', '已提交 1/5，还需 4 个，截止 3月21日（今天24时截止）'],
    [1, 5, '2023-03-22 10:00', '已提交 1/5，还需 4 个，截止 3月21日（已逾期1个工作日）'],
    [2, 0, '2023-03-17 10:00', '已提交 2 个，截止 3月21日（还剩2个工作日）'],
  ])('%i of %i at %s', (submitted, quota, now, expected) => {
    expect(progressLine(calendar, { submitted, quota, deadline }, at(now))).toBe(expected);
  });

  it('names the year when the deadline is in another year', () => {
    expect(shortDueDate(due('2024-01-05'), at('2023-12-20 10:00'))).toBe('2024年1月5日');
  });

  it('counts provisional working days, marked 预估 without nested brackets, when a year is not published', () => {
    const line = progressLine(
      calendar,
      { submitted: 1, quota: 5, deadline: due('2031-03-21') },
      at('2031-03-18 10:00'),
    );
    expect(line).toBe('已提交 1/5，还需 4 个，截止 3月21日（还剩3个工作日，预估）');
  });

  it('count clause', () => {
    expect(countClause(2, 5)).toBe('已提交 2/5，还需 3 个');
  });
});

describe('reminder stages: 3 and 1 working days before the deadline', () => {
  it.each([
    // Deadline Friday 2026-10-09, after the National Day break (10-01..10-07).
    ['2026-10-09', '2026-09-28 09:00', null], // 4 working days left
    ['2026-10-09', '2026-09-29 09:00', 'd3'], // 09-30, 10-08, 10-09
    ['2026-10-09', '2026-09-30 09:00', null],
    ['2026-10-09', '2026-10-06 09:00', null], // a holiday, three natural days before
    ['2026-10-09', '2026-10-08 09:00', 'd1'],
    ['2026-10-09', '2026-10-09 09:00', null], // due today
    // Deadline Monday 2026-10-12: the make-up Saturday 10-10 is a working day.
    ['2026-10-12', '2026-10-08 09:00', 'd3'], // 10-09, 10-10, 10-12
    ['2026-10-12', '2026-10-09 09:00', null],
    ['2026-10-12', '2026-10-10 09:00', 'd1'],
    ['2026-10-12', '2026-10-11 09:00', null], // Sunday: no reminders on days off
    // The notice: 3月21日 (Tuesday).
    ['2023-03-21', '2023-03-16 09:00', 'd3'],
    ['2023-03-21', '2023-03-20 09:00', 'd1'],
    // 2031 is not published: natural days, weekends off.
    ['2031-03-21', '2031-03-18 09:00', 'd3'],
    ['2031-03-21', '2031-03-16 09:00', null],
  ] as const)('deadline %s, asked %s → %s', (date, now, stage) => {
    expect(reminderStage(calendar, due(date), at(now))).toBe(stage);
  });
});

describe('references', () => {
  it.each([
    ['C7', 7],
    ['c12', 12],
    ['C 3', 3],
    ['7', null],
    ['T7', null],
  ])('case %s', (input, id) => {
    expect(parseCaseRef(input)).toBe(id);
  });

  it.each([
    ['征集2', 2],
    ['2', 2],
    ['征集', null],
  ])('call %s', (input, id) => {
    expect(parseCallRef(input)).toBe(id);
  });

  it.each([
    ['C7 采纳', { ok: true, caseId: 7, decision: 'accept', reason: '' }],
    ['C7 通过', { ok: true, caseId: 7, decision: 'accept', reason: '' }],
    ['C7 退回 内容与主题不符', { ok: true, caseId: 7, decision: 'return', reason: '内容与主题不符' }],
    ['c8退回：缺少成效', { ok: true, caseId: 8, decision: 'return', reason: '缺少成效' }],
  ])('review %s', (input, expected) => {
    expect(parseReview(input)).toEqual(expected);
  });

  it.each(['C7', 'C7 退回', '采纳 C7', 'C7 好'])('review refuses %s', (input) => {
    expect(parseReview(input).ok).toBe(false);
  });

  it.each([
    ['1', '加强内容建设'],
    ['5', '推动工作创新'],
    ['服务企业群众', '服务企业群众'],
    ['解读', '强化解读回应'],
    ['6', null],
    ['强', null], // 加强… and 强化…: ambiguous
    ['工作', '推动工作创新'],
    ['', null],
  ])('theme %s', (input, theme) => {
    expect(pickTheme(CASE_THEMES, input)).toBe(theme);
  });
});

describe('shortfallLines (close preview and answer)', () => {
  const call = { id: 3 } as CaseCall;
  const row = (id: number, kind: UnitKind, counted: number, quota: number): UnitProgress => ({
    unit: { id, name: `单位${id}`, kind } as Unit,
    quota,
    counted,
    accepted: 0,
    returned: 0,
    short: Math.max(0, quota - counted),
  });

  it.each([
    [[row(1, 'district', 5, 5)], ['达标 1/1 个单位']],
    [
      [row(1, 'district', 2, 5), row(2, 'district', 5, 5)],
      ['达标 1/2 个单位', '未达标 1 个：', '> 单位1 已提交 2/5，还需 3 个'],
    ],
    [
      [row(1, 'district', 0, 5), row(2, 'department', 0, 1), row(3, 'other', 2, 0)],
      [
        '达标 0/2 个单位',
        '未达标 2 个（区县1、市直部门1）：',
        '> 单位1 已提交 0/5，还需 5 个',
        '> 单位2 已提交 0/1，还需 1 个',
      ],
    ],
  ])('%#', (rows, lines) => {
    expect(shortfallLines(call, rows)).toEqual(lines);
  });

  it('names at most 15 units and points to 案例进度 for the rest', () => {
    const rows = Array.from({ length: 53 }, (_, i) => row(i + 1, 'department', 0, 1));
    const lines = shortfallLines(call, rows);
    expect(lines).toHaveLength(2 + SHORT_LIST_LIMIT + 1);
    expect(lines.at(-1)).toBe('> ……另有 38 个，发送“案例进度 征集3”查看全部');
  });
});
