// The status model with a fixed `now`, against a real database and the seeded scenario of
// test/support/progress-seed.ts: counts per batch and overall, red and yellow membership across
// Spring Festival 2026 (make-up Saturday 02-14, holiday 02-15…02-23), case calls, guestbook and
// filings at risk, per-unit detail, liaison scope, activity, and the export rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import {
  computeProgress,
  daysLateAtSubmission,
  describeUnits,
  progressTaskRows,
  summariseByUnit,
  type ProgressModel,
  type UnitFlag,
} from '../src/services/progress/model.js';
import { endOfShanghaiDay } from '../src/services/calendar/time.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { at, seedDirectory, seedScenario, type Seeded } from './support/progress-seed.js';

const calendar = WorkCalendar.create();
let database: TestDatabase;
let seeded: Seeded;

beforeAll(async () => {
  database = await createTestDatabase();
  const units = await seedDirectory(database.dataSource);
  seeded = await seedScenario(database.dataSource, calendar, units);
});

afterAll(async () => {
  await database.drop();
});

const progress = (now: string, extra: { topUnitIds?: number[]; since?: string } = {}) =>
  computeProgress(database.dataSource.manager, {
    now: at(now),
    calendar,
    topUnitIds: extra.topUnitIds,
    since: extra.since ? at(extra.since) : undefined,
  });

const flags = (list: UnitFlag[]) =>
  list.map((flag) => ({
    unit: flag.unitName,
    count: flag.count,
    tasks: flag.tasks,
    guestbook: flag.guestbook,
    caseCalls: flag.caseCalls,
    daysLate: flag.view.daysLate,
  }));

describe('on the make-up Saturday 2026-02-14 10:00', () => {
  let model: ProgressModel;
  beforeAll(async () => {
    model = await progress('2026-02-14 10:00');
  });

  it('counts each open batch (a notice as one) and leaves closed batches out', () => {
    expect(
      model.batches.map((batch) => ({
        key: batch.key.split(':')[0],
        title: batch.title,
        counts: batch.counts,
      })),
    ).toEqual([
      {
        key: 'batch',
        title: '首页信息更新不及时整改',
        counts: { total: 5, done: 1, submitted: 2, pending: 0, overdue: 2, lateSubmitted: 1 },
      },
      {
        key: 'batch',
        title: '信息公开自查',
        counts: { total: 2, done: 1, submitted: 0, pending: 1, overdue: 0, lateSubmitted: 0 },
      },
      {
        key: 'notice',
        title: '关于网站普查问题整改的通报',
        counts: { total: 4, done: 0, submitted: 0, pending: 4, overdue: 0, lateSubmitted: 0 },
      },
      {
        key: 'batch',
        title: '旧任务',
        counts: { total: 2, done: 0, submitted: 0, pending: 2, overdue: 0, lateSubmitted: 0 },
      },
    ]);
    const notice = model.batches[2]!;
    expect(notice.taskTitles).toEqual(['落实情况报送', '栏目整改']);
    expect(notice.kinds).toEqual(['report', 'rectification']);
    expect(notice.batchIds).toHaveLength(2);
    expect(notice.earliestDeadline).toEqual(endOfShanghaiDay('2026-02-24'));
    expect(notice.latestDeadline).toEqual(endOfShanghaiDay('2026-02-25'));
    expect(model.batches[0]!.firstTaskId).toBe(seeded.tasks['A-张店区']);
    expect(model.batches[3]!.batchIds).toEqual([]);
    expect(model.batches[3]!.legacyKeys).toHaveLength(1);
    expect(model.totals).toEqual({
      total: 13,
      done: 2,
      submitted: 2,
      pending: 7,
      overdue: 2,
      lateSubmitted: 1,
    });
  });

  it('lists red units by working days late: a returned task is red again, a late submission is not', () => {
    expect(flags(model.red)).toEqual([
      // L-old was due 02-12 24:00: 02-13 and the make-up 02-14 are two working days.
      { unit: '淄川区', count: 1, tasks: 0, guestbook: 1, caseCalls: 0, daysLate: 2 },
      { unit: '张店区', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 1 },
      { unit: '市水利局', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 1 },
    ]);
    expect(model.red.map((flag) => flag.view.remaining)).toEqual([
      '已逾期2个工作日',
      '已逾期1个工作日',
      '已逾期1个工作日',
    ]);
  });

  it('lists yellow units: due today, or on Tuesday 02-24 (the next working day after the holiday)', () => {
    expect(flags(model.yellow)).toEqual([
      { unit: '博山区', count: 2, tasks: 1, guestbook: 0, caseCalls: 1, daysLate: 0 },
      { unit: '淄川区', count: 3, tasks: 1, guestbook: 1, caseCalls: 1, daysLate: 0 },
      { unit: '张店区', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 0 },
      { unit: '高新区', count: 1, tasks: 0, guestbook: 0, caseCalls: 1, daysLate: 0 },
    ]);
    expect(model.yellow[0]!.view.remaining).toBe('今天18:00截止');
    expect(model.yellow[1]!.view.remaining).toBe('还剩1个工作日');
  });

  it('gives case-call progress per unit, guestbook messages and filings at risk', () => {
    expect(model.caseCalls).toHaveLength(1);
    const call = model.caseCalls[0]!;
    expect({ owing: call.owing, met: call.met, counted: call.counted, colour: call.view.colour }).toEqual({
      owing: 4,
      met: 1,
      counted: 1,
      colour: 'yellow',
    });
    expect(call.short.map((unit) => `${unit.unitName} ${unit.counted}/${unit.quota}`)).toEqual([
      '淄川区 0/1',
      '博山区 0/1',
      '高新区 0/1',
    ]);
    expect(model.guestbook.red).toBe(1);
    expect(model.guestbook.yellow).toBe(1);
    expect(model.guestbook.items.map((item) => [item.ref, item.colour, item.title])).toEqual([
      [`L${seeded.guestbook.old}`, 'red', '淄川区政府网：栏目链接打不开'],
      [`L${seeded.guestbook.new}`, 'yellow', '淄川区政府网：联系电话有误'],
    ]);
    expect(model.filings).toMatchObject({ red: 0, yellow: 1 });
    expect(model.filings.items[0]).toMatchObject({
      ref: `F${seeded.filings.open}`,
      unitName: '高新区',
      title: '开设 微信公众号“高新发布”',
      colour: 'yellow',
    });
  });
});

describe('across the holiday', () => {
  it('on Sunday 02-15 (a holiday) nothing new is late: the make-up Saturday is the only working day passed', async () => {
    const model = await progress('2026-02-15 10:00');
    expect(flags(model.red)).toEqual([
      { unit: '淄川区', count: 1, tasks: 0, guestbook: 1, caseCalls: 0, daysLate: 2 },
      { unit: '张店区', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 1 },
      { unit: '市水利局', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 1 },
      // 信息公开自查 was due Saturday 18:00: overdue, but no working day has passed since.
      { unit: '博山区', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 0 },
    ]);
    expect(model.red.at(-1)!.view.remaining).toBe('已逾期');
    // Due Tuesday 02-24 is still "the next working day" from a holiday Sunday: yellow.
    expect(model.yellow.map((flag) => flag.unitName)).toEqual(['淄川区', '张店区', '博山区', '高新区']);
  });

  it('on Tuesday 02-24 the days late count only 02-14 and 02-24, and 02-25 turns yellow', async () => {
    const model = await progress('2026-02-24 10:00');
    expect(flags(model.red)).toEqual([
      { unit: '淄川区', count: 1, tasks: 0, guestbook: 1, caseCalls: 0, daysLate: 3 },
      { unit: '张店区', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 2 },
      { unit: '市水利局', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 2 },
      { unit: '博山区', count: 1, tasks: 1, guestbook: 0, caseCalls: 0, daysLate: 1 },
    ]);
    expect(flags(model.yellow)).toEqual([
      // 淄川区: 落实情况报送, L-new and the case call today; 栏目整改 tomorrow.
      { unit: '淄川区', count: 4, tasks: 2, guestbook: 1, caseCalls: 1, daysLate: 0 },
      { unit: '张店区', count: 2, tasks: 2, guestbook: 0, caseCalls: 0, daysLate: 0 },
      // 博山区 and 高新区: the case call today and 旧任务 (02-25) tomorrow.
      { unit: '博山区', count: 2, tasks: 1, guestbook: 0, caseCalls: 1, daysLate: 0 },
      { unit: '高新区', count: 2, tasks: 1, guestbook: 0, caseCalls: 1, daysLate: 0 },
    ]);
    expect(model.filings).toMatchObject({ red: 1, yellow: 0 });
  });
});

describe('scope and detail', () => {
  it('a liaison’s scope counts only that unit', async () => {
    const model = await progress('2026-02-14 10:00', { topUnitIds: [seeded.units['张店区']!] });
    expect(model.batches.map((batch) => [batch.title, batch.counts.total, batch.counts.overdue])).toEqual([
      ['首页信息更新不及时整改', 1, 1],
      ['关于网站普查问题整改的通报', 2, 0],
    ]);
    expect(model.red.map((flag) => flag.unitName)).toEqual(['张店区']);
    expect(model.yellow.map((flag) => flag.unitName)).toEqual(['张店区']);
    expect(model.guestbook).toEqual({ red: 0, yellow: 0, items: [] });
    expect(model.filings).toEqual({ red: 0, yellow: 0, items: [] });
    expect(model.caseCalls[0]).toMatchObject({ owing: 1, met: 1, short: [] });
  });

  it('an empty scope is an empty model', async () => {
    const model = await progress('2026-02-14 10:00', { topUnitIds: [] });
    expect(model.batches).toEqual([]);
    expect(model.red).toEqual([]);
  });

  it('describes a unit item by item: red first, then yellow, green, and what waits for review last', async () => {
    const [detail] = await describeUnits(database.dataSource.manager, {
      now: at('2026-02-14 10:00'),
      calendar,
      unitIds: [seeded.units['淄川区']!],
      lastReplies: true,
    });
    expect(detail!.unitName).toBe('淄川区');
    expect(detail!.liaisons).toEqual([{ userid: 'zc', name: '淄川联络员' }]);
    expect(detail!.items.map((item) => [item.ref, item.state, item.colour])).toEqual([
      [`L${seeded.guestbook.old}`, '待办结', 'red'],
      [`L${seeded.guestbook.new}`, '待办结', 'yellow'],
      [`T${seeded.tasks['N1-淄川区']}`, '待办', 'yellow'],
      [`征集${seeded.callId}`, '已提交0/1', 'yellow'],
      [`T${seeded.tasks['N2-淄川区']}`, '待办', 'green'],
      [`T${seeded.tasks['A-淄川区']}`, '已提交待审', null],
    ]);
    const submitted = detail!.items.at(-1)!;
    expect(submitted.awaiting).toBe('supervisor');
    expect(submitted.lastReply).toMatchObject({ name: '淄川联络员', text: '已完成首页栏目更新，详见附件。' });
    expect(submitted.lastReply!.at).toEqual(at('2026-02-12 15:30'));
  });

  it('computeProgress gives the same detail on request, limited to the scope', async () => {
    const query = {
      now: at('2026-02-14 10:00'),
      calendar,
      detailUnitIds: [seeded.units['淄川区']!, seeded.units['张店区']!],
      lastReplies: true,
    };
    const model = await computeProgress(database.dataSource.manager, query);
    const details = await describeUnits(database.dataSource.manager, {
      ...query,
      unitIds: query.detailUnitIds,
    });
    expect(model.details).toEqual(details);
    expect(model.details.map((detail) => detail.unitName)).toEqual(['淄川区', '张店区']);
    const scoped = await computeProgress(database.dataSource.manager, {
      ...query,
      topUnitIds: [seeded.units['张店区']!],
    });
    expect(scoped.details.map((detail) => detail.unitName)).toEqual(['张店区']);
  });

  it('counts the week’s activity', async () => {
    const model = await progress('2026-02-14 16:00', { since: '2026-02-09 00:00' });
    expect(model.activity).toMatchObject({
      // N1, N2 (02-09) and C (02-10): 6 tasks in 2 batches (the notice is one, as 进度 shows it).
      tasksAssigned: 6,
      batchesAssigned: 2,
      // 02-10 高新区, 02-11 市水利局 (C), 02-12 淄川区 and 市水利局, 02-14 博山区.
      replies: 5,
      approved: 2,
      returned: 1,
      guestbookReceived: 3,
      guestbookAnswered: 1,
      filingsSubmitted: 1,
      filingsConfirmed: 0,
    });
  });
});

describe('task rows (导出进度)', () => {
  it('one row per task of the open batches, with the same colour and days late as the lists', async () => {
    const model = await progress('2026-02-14 10:00');
    const rows = await progressTaskRows(database.dataSource.manager, model, calendar);
    expect(rows).toHaveLength(model.totals.total);
    expect(rows.map((row) => row.id)).not.toContain(seeded.tasks['D-张店区']);
    const row = (key: string) => rows.find((candidate) => candidate.id === seeded.tasks[key])!;
    expect(row('A-张店区')).toMatchObject({
      state: '待办',
      colour: 'red',
      daysLate: 1,
      lateSubmission: false,
    });
    expect(row('A-市水利局')).toMatchObject({
      state: '已退回',
      colour: 'red',
      daysLate: 1,
      submittedAt: at('2026-02-12 10:00'),
      reviewedAt: at('2026-02-13 16:00'),
    });
    expect(row('A-博山区')).toMatchObject({
      state: '已提交待审',
      colour: 'green',
      daysLate: 1,
      lateSubmission: true,
      reviewedAt: null,
    });
    expect(row('A-高新区')).toMatchObject({
      state: '已办结',
      colour: 'green',
      daysLate: 0,
      reviewedAt: at('2026-02-11 11:00'),
    });
    expect(row('C-博山区')).toMatchObject({ colour: 'yellow', daysLate: 0 });
    expect(row('legacy-高新区')).toMatchObject({ colour: 'green', state: '待办' });
    // Units in directory order (区县, 功能区, 市直部门), then deadline.
    expect([...new Set(rows.map((candidate) => candidate.unitName))]).toEqual([
      '张店区',
      '淄川区',
      '博山区',
      '高新区',
      '市水利局',
    ]);
    const summary = summariseByUnit(rows);
    const overdue = summary.reduce((sum, unit) => sum + unit.counts.overdue, 0);
    expect(overdue).toBe(model.totals.overdue);
    expect(summary.find((unit) => unit.unitName === '博山区')).toMatchObject({
      counts: { total: 3, done: 0, submitted: 1, pending: 2, overdue: 0, lateSubmitted: 1 },
      yellow: 1,
      maxDaysLate: 1,
      colour: 'yellow',
    });
  });

  it.each([
    ['on time', '2026-02-13 23:59', 0],
    ['at the deadline instant (24:00)', '2026-02-14 00:00', 1],
    ['on the make-up Saturday', '2026-02-14 09:00', 1],
    ['in the holiday', '2026-02-18 09:00', 1],
    ['on the first day back', '2026-02-24 09:00', 2],
  ])('a submission %s is late by the working days after the due day', (_label, when, days) => {
    expect(daysLateAtSubmission(calendar, endOfShanghaiDay('2026-02-13'), at(when))).toBe(days);
  });
});
