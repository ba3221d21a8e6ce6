// Counts agree everywhere (issue 20): one state, read through 进度, 逾期, 周报, 导出进度 (whole and
// per unit) and the board, and every number compared. The state is the seeded scenario at Saturday
// 2026-02-14 10:00 (several batches, one closed, one notice of two batches, overdue and due-soon
// items, guestbook messages, a case call) plus a unit, 桓台县, whose only task is 已办结 in a batch
// that is still open elsewhere: the two bugs reported were `导出进度 高青县` answering that no batch
// was open (openness was judged on the unit's own tasks) and 周报 counting a notice's two 下发 as
// 2 批 where 进度 shows 1.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../src/db/files.js';
import { StoredFile } from '../src/entities/stored-file.js';
import { Unit } from '../src/entities/unit.js';
import { endOfShanghaiDay } from '../src/services/calendar/time.js';
import { computeProgress, describeUnits } from '../src/services/progress/model.js';
import { UNIT_SHEET_NAME } from '../src/services/progress/export.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { TestBrowser, pageNumbers } from './support/board-browser.js';
import { PEOPLE, assign, at, review, seedDirectory, seedScenario, submit } from './support/progress-seed.js';

let bot: TestBot;
let units: Record<string, number>;

beforeAll(async () => {
  bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString() });
  units = await seedDirectory(bot.database.dataSource, { withPeople: false });
  for (const [userid, name, role, unit] of PEOPLE) await bot.addPerson(userid, { name, role, unit });
  for (const [userid, name] of PEOPLE) bot.fake.addMember(userid, name);
  const calendar = await bot.runtime.jobDeps.calendar.get();
  await seedScenario(bot.database.dataSource, calendar, units);
  const repo = bot.database.dataSource.getRepository(Unit);
  units['桓台县'] = (
    await repo.save(repo.create({ name: '桓台县', kind: 'district', parentId: null, active: true }))
  ).id;
  await bot.database.dataSource.transaction(async (tx) => {
    // F (this week, open: 博山区 has not answered): 桓台县 answered and was approved.
    const f = await assign(
      tx,
      units,
      {
        kind: 'custom',
        title: '政务新媒体自查',
        unitNames: ['桓台县', '博山区'],
        deadline: endOfShanghaiDay('2026-02-27'),
      },
      at('2026-02-12 09:00'),
    );
    await submit(tx, f['桓台县']!, 'ht', '已自查。', at('2026-02-12 10:00'));
    await review(tx, f['桓台县']!, 'approve', at('2026-02-12 11:00'));
    // G (this week, closed): never counted as open anywhere, counted among the week's new batches.
    const g = await assign(
      tx,
      units,
      {
        kind: 'custom',
        title: '已办结的小批次',
        unitNames: ['桓台县'],
        deadline: endOfShanghaiDay('2026-02-27'),
      },
      at('2026-02-12 09:30'),
    );
    await submit(tx, g['桓台县']!, 'ht', '已完成。', at('2026-02-12 10:30'));
    await review(tx, g['桓台县']!, 'approve', at('2026-02-12 11:30'));
  });
});

afterAll(async () => {
  await bot?.close();
});

async function say(userid: string, content: string): Promise<string> {
  const before = bot.inbox(userid).length;
  const result = await bot.client.sendText(userid, content);
  expect(result.status).toBe(200);
  await bot.flush();
  return [result.reply?.content ?? '', ...bot.texts(userid).slice(before)].filter(Boolean).join('\n');
}

function number(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  expect(match, `${pattern} in:\n${text}`).not.toBeNull();
  return Number(match![1]);
}

interface Totals {
  batches: number;
  tasks: number;
  overdue: number;
  redUnits: number;
  yellowUnits: number;
}

/** The items of the red and yellow lists, as 进度 heads them: （3 个单位，3 项）. */
function listItems(text: string): { red: number; yellow: number } {
  return {
    red: number(text, /逾期单位<\/font>\*\*（\d+ 个单位，(\d+) 项）/),
    yellow: number(text, /临期单位<\/font>\*\*（今天或下一个工作日截止，\d+ 个单位，(\d+) 项）/),
  };
}

/** 未办结任务 N 批 M 项：… 逾期 O … and the red and yellow list headers, as 进度 and 周报 word them. */
function totalsOf(text: string): Omit<Totals, 'redUnits' | 'yellowUnits'> {
  return {
    batches: number(text, /未办结任务 (\d+) 批/),
    tasks: number(text, /未办结任务 \d+ 批 (\d+) 项/),
    overdue: number(text, /未办结任务 \d+ 批 \d+ 项：[^\n]*逾期 (\d+)/),
  };
}

async function exported(name: string): Promise<ExcelJS.Workbook> {
  const stored = await bot.database.dataSource
    .getRepository(StoredFile)
    .find({ where: { fileName: name }, order: { id: 'DESC' }, take: 1 });
  const { data } = await loadFile(bot.database.dataSource.manager, stored[0]!.id);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  return workbook;
}

describe('one state, four outputs', () => {
  it('进度, 周报, 导出进度 and the board give the same batches, tasks, overdue tasks and units', async () => {
    const model = await computeProgress(bot.database.dataSource.manager, {
      now: bot.clock.now(),
      calendar: await bot.runtime.jobDeps.calendar.get(),
    });
    // A, the notice (two 下发), C, F and the legacy rows; D and G are closed.
    const expected: Totals = {
      batches: 5,
      tasks: model.totals.total,
      overdue: model.totals.overdue,
      redUnits: model.red.length,
      yellowUnits: model.yellow.length,
    };
    expect(model.batches).toHaveLength(5);

    const progress = await say('sup', '进度');
    expect({
      ...totalsOf(progress),
      redUnits: number(progress, /逾期单位<\/font>\*\*（(\d+) 个单位/),
      yellowUnits: number(progress, /临期单位<\/font>\*\*（今天或下一个工作日截止，(\d+) 个单位/),
    }).toEqual(expected);

    const items = {
      red: model.red.reduce((sum, flag) => sum + flag.count, 0),
      yellow: model.yellow.reduce((sum, flag) => sum + flag.count, 0),
    };
    expect(listItems(progress)).toEqual(items);

    const weekly = await say('sup', '周报');
    expect({
      ...totalsOf(weekly),
      redUnits: number(weekly, /逾期单位 (\d+) 个/),
      yellowUnits: number(weekly, /临期单位 (\d+) 个/),
    }).toEqual(expected);
    expect(number(weekly, /逾期单位<\/font>\*\*（\d+ 个单位，(\d+) 项）/)).toBe(items.red);
    // Overdue messages: the at-risk list and the red units' messages count the same ones.
    const redMessages = model.red.reduce((sum, flag) => sum + (flag.byKind.guestbook ?? 0), 0);
    expect(redMessages).toBeGreaterThan(0);
    expect(number(weekly, /逾期留言 (\d+) 条/)).toBe(redMessages);
    // Every kind of overdue item, summed over the red units: as many as the red list has.
    expect(number(weekly, /> 逾期事项 (\d+) 项：/)).toBe(items.red);
    expect(number(progress, /网站找错留言[^\n]*逾期 (\d+)/)).toBe(redMessages);
    // This week's new batches as 进度 counts batches: the notice (1, not 2), C, F and G.
    expect(weekly).toContain('> 新下发任务 9 项（4 批）');

    const overdue = await say('sup', '逾期');
    expect(number(overdue, /逾期单位<\/font>\*\*（(\d+) 个单位/)).toBe(expected.redUnits);
    expect(listItems(overdue)).toEqual(items);

    const whole = await say('sup', '导出进度');
    expect(number(whole, /进度表：(\d+) 项任务/)).toBe(expected.tasks);
    expect(number(whole, /（逾期 (\d+) 项）/)).toBe(expected.overdue);
    const summary = (await exported('督办进度-20260214.xlsx')).getWorksheet(UNIT_SHEET_NAME)!;
    const totalRow = summary.getRow(summary.rowCount);
    expect(totalRow.getCell(1).value).toBe('合计');
    expect(totalRow.getCell(4).value).toBe(expected.tasks);
    expect(totalRow.getCell(8).value).toBe(expected.overdue);

    // Unit by unit, the exports add up to the whole.
    let tasks = 0;
    let late = 0;
    for (const name of ['张店区', '淄川区', '博山区', '高新区', '市水利局', '桓台县']) {
      const one = await say('sup', `导出进度 ${name}`);
      tasks += number(one, /进度表：(\d+) 项任务/);
      late += number(one, /（逾期 (\d+) 项）/);
    }
    expect({ tasks, late }).toEqual({ tasks: expected.tasks, late: expected.overdue });

    bot.fake.setBrowserUser('sup');
    const page = await new TestBrowser().get(`${bot.url}/board`);
    expect(page.status).toBe(200);
    const board = pageNumbers(page.body);
    expect({
      batches: board.batches,
      redUnits: board.redUnits,
      yellowUnits: board.yellowUnits,
      redItems: board.redItems,
      yellowItems: board.yellowItems,
    }).toEqual({
      batches: expected.batches,
      redUnits: expected.redUnits,
      yellowUnits: expected.yellowUnits,
      redItems: items.red,
      yellowItems: items.yellow,
    });
    expect(page.body).toContain(`未办结任务 <b data-k="batches">5</b> 批 ${expected.tasks} 项`);
  });

  it('导出进度 for a unit whose tasks are all 已办结 in an open batch lists them', async () => {
    const reply = await say('sup', '导出进度 桓台县');
    expect(reply).toContain('进度表：1 项任务（逾期 0 项），1 个单位');
    expect(reply).not.toContain('没有未办结');
    expect(await say('sup', '导出进度 市大数据局')).toBe(
      '市大数据局在未办结的任务批次中没有任务，无需导出。',
    );
  });

  it('a unit on the red or yellow list has as many red or yellow items in its own 进度', async () => {
    const tx = bot.database.dataSource.manager;
    const query = { now: bot.clock.now(), calendar: await bot.runtime.jobDeps.calendar.get() };
    const model = await computeProgress(tx, query);
    const flags = [...model.red, ...model.yellow];
    expect(flags.length).toBeGreaterThan(0);
    const details = await describeUnits(tx, { ...query, unitIds: flags.map((flag) => flag.unitId) });
    for (const flag of flags) {
      const detail = details.find((candidate) => candidate.unitId === flag.unitId)!;
      const items = detail.items.filter((item) => item.colour === flag.colour);
      const byKind: Record<string, number> = {};
      for (const item of items) byKind[item.kind] = (byKind[item.kind] ?? 0) + 1;
      expect({ unit: flag.unitName, colour: flag.colour, byKind }).toEqual({
        unit: flag.unitName,
        colour: flag.colour,
        byKind: flag.byKind,
      });
    }
  });
});
