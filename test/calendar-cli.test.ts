import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeDeadline, formatDeadlineLine, parseDeadlineRuleArg } from '../src/commands/deadline.js';
import { commands } from '../src/commands/index.js';
import { formatWorkdayLine } from '../src/commands/workday.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { workingDaysDeadline } from '../src/services/calendar/deadlines.js';
import { loadCalendar } from '../src/services/calendar/store.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { Person } from '../src/entities/person.js';
import { Task } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { createCalendarTestDatabase, dropCalendarTestDatabase } from './support/calendar-db.js';
import { FICTIONAL_2027 } from './support/calendar-fixtures.js';
import { runCli } from './support/cli.js';
import { TIME_ZONES, useProcessTimeZone } from './support/time-zones.js';

let tempDir: string;
beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'duban-calendar-'));
});
afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

async function tempFile(name: string, content: string): Promise<string> {
  const path = join(tempDir, name);
  await writeFile(path, content, 'utf8');
  return path;
}

it('registers the calendar commands', () => {
  expect(commands.map((c) => c.name)).toEqual(
    expect.arrayContaining(['deadline', 'workday', 'import-calendar']),
  );
  for (const c of commands) expect(c.summary).toMatch(/[\u4e00-\u9fff]/);
});

describe('pure parts of the deadline command', () => {
  it.each([
    ['guestbook', { name: 'guestbook' }],
    ['filing', { name: 'filing' }],
    ['workdays:5', { name: 'workdays', days: 5 }],
    ['workdays:0', null],
    ['workdays:-1', null],
    ['workdays:', null],
    ['workdays:1.5', null],
    ['Guestbook', null],
    ['', null],
  ])('parseDeadlineRuleArg(%j)', (text, expected) => {
    expect(parseDeadlineRuleArg(text)).toEqual(expected);
  });

  it('formats one line: ISO instant with +08:00, then the description', () => {
    const calendar = WorkCalendar.create();
    const result = computeDeadline(
      calendar,
      { name: 'workdays', days: 1 },
      parseShanghaiDateTime('2026-02-13 09:00'),
    );
    expect(formatDeadlineLine(result)).toBe('2026-02-15T00:00:00+08:00 2026-02-14（周六）24时截止');
    expect(formatWorkdayLine(calendar, '2026-02-14')).toBe('workday 2026-02-14（周六，春节调休上班）');
  });
});

describe.each(TIME_ZONES)('calendar commands under TZ=%s', (zone) => {
  useProcessTimeZone(zone);
  let db: DataSource;
  beforeEach(async () => {
    db = await createCalendarTestDatabase();
  });
  afterEach(async () => {
    await dropCalendarTestDatabase(db);
  });

  it.each([
    [
      'guestbook',
      '2026-03-06 20:00',
      '2026-03-11T00:00:00+08:00 2026-03-10（周二）24时截止（2026-03-09（周一）0时起算）',
    ],
    [
      'guestbook',
      '2026-02-14 10:00',
      '2026-02-26T00:00:00+08:00 2026-02-25（周三）24时截止（2026-02-24（周二）0时起算）',
    ],
    ['filing', '2026-09-30 10:00', '2026-10-11T00:00:00+08:00 2026-10-10（周六）24时截止'],
    ['workdays:5', '2026-04-30 10:00', '2026-05-12T00:00:00+08:00 2026-05-11（周一）24时截止'],
  ])('deadline %s "%s"', async (rule, time, line) => {
    expect(await runCli(db, 'deadline', rule, time)).toEqual({ code: 0, out: `${line}\n`, err: '' });
  });

  it('deadline answers 预估 with exit 3 while a year is not published, and for good after an import', async () => {
    const provisional = await runCli(db, 'deadline', 'guestbook', '2026-12-30 10:00');
    expect(provisional.code).toBe(3);
    expect(provisional.out).toBe(
      '2027-01-05T00:00:00+08:00 2027-01-04（周一）24时截止（预估）（2026-12-31（周四）0时起算）\n',
    );
    expect(provisional.err).toContain(
      '预估：2027 年节假日安排尚未发布，期限按周末和法定节假日预估（不含调休）',
    );
    expect(provisional.err).toContain('npx duban import-calendar');
    // Monotonic in N across the year boundary (workdays:20 used to come out six days before :19).
    const nineteen = await runCli(db, 'deadline', 'workdays:19', '2026-12-05 10:00');
    expect(nineteen).toMatchObject({
      code: 0,
      out: '2027-01-01T00:00:00+08:00 2026-12-31（周四）24时截止\n',
    });
    const twenty = await runCli(db, 'deadline', 'workdays:20', '2026-12-05 10:00');
    expect(twenty).toMatchObject({
      code: 3,
      out: '2027-01-05T00:00:00+08:00 2027-01-04（周一）24时截止（预估）\n',
    });
    const beyond = await runCli(db, 'deadline', 'workdays:5', '2099-12-30 10:00');
    expect(beyond.code).toBe(3);
    expect(beyond.err).toContain('2100 年的节假日安排尚未发布或尚未导入');

    const file = await tempFile('2027.json', JSON.stringify(FICTIONAL_2027));
    expect((await runCli(db, 'import-calendar', file)).code).toBe(0);
    expect(await runCli(db, 'deadline', 'guestbook', '2026-12-30 10:00')).toEqual({
      code: 0,
      out: '2027-01-05T00:00:00+08:00 2027-01-04（周一）24时截止（2026-12-31（周四）0时起算）\n',
      err: '',
    });
  });

  it.each([
    [[]],
    [['guestbook']],
    [['weekly', '2026-03-06 20:00']],
    [['workdays:0', '2026-03-06 20:00']],
    [['guestbook', '2026-03-06', 'extra']],
  ])('deadline %j is a usage error (exit 2)', async (args) => {
    const result = await runCli(db, 'deadline', ...args);
    expect(result).toMatchObject({ code: 2, out: '' });
    expect(result.err).toContain('用法：npx duban deadline');
  });

  it('deadline rejects a malformed time with exit 2', async () => {
    const result = await runCli(db, 'deadline', 'filing', '2026-02-30 10:00');
    expect(result).toEqual({
      code: 2,
      out: '',
      err: '时间 2026-02-30 10:00 无效，应为 YYYY-MM-DD HH:mm（北京时间）\n',
    });
  });

  it.each([
    ['2026-02-14', 'workday 2026-02-14（周六，春节调休上班）'],
    ['2026-02-15', 'off 2026-02-15（周日，春节）'],
    ['2026-10-01', 'off 2026-10-01（周四，国庆节）'],
    ['2026-03-07', 'off 2026-03-07（周六，周末）'],
    ['2026-03-09', 'workday 2026-03-09（周一，工作日）'],
  ])('workday %s', async (date, line) => {
    expect(await runCli(db, 'workday', date)).toEqual({ code: 0, out: `${line}\n`, err: '' });
  });

  it('workday answers 预估 with exit 3 for a year not published, refuses one it cannot estimate, 2 for a bad date', async () => {
    const provisional = await runCli(db, 'workday', '2027-01-01');
    expect(provisional).toMatchObject({ code: 3, out: 'off 2027-01-01（周五，元旦，预估）\n' });
    expect(provisional.err).toContain('预估：按周末和法定节假日推算（不含调休）');
    expect(await runCli(db, 'workday', '2027-02-08')).toMatchObject({
      code: 3,
      out: 'off 2027-02-08（周一，春节，预估）\n',
    });
    const refused = await runCli(db, 'workday', '2100-01-04');
    expect(refused).toMatchObject({ code: 3, out: '' });
    expect(refused.err).toContain('无法判断 2100-01-04：2100 年的节假日安排尚未发布或尚未导入');
    expect(await runCli(db, 'workday', '2026-02-30')).toMatchObject({ code: 2, out: '' });
    expect(await runCli(db, 'workday')).toMatchObject({
      code: 2,
      err: '用法：npx duban workday <YYYY-MM-DD>\n',
    });
  });
});

describe('import-calendar command', () => {
  let db: DataSource;
  beforeEach(async () => {
    db = await createCalendarTestDatabase();
  });
  afterEach(async () => {
    await dropCalendarTestDatabase(db);
  });

  it('recomputes open 预估 deadlines and queues one message per unit, as in chat', async () => {
    const unit = await db
      .getRepository(Unit)
      .save({ name: '市水利局', kind: 'department', parentId: null, active: true });
    await db.getRepository(Person).save({
      userid: 'sl1',
      name: '王水利',
      role: 'liaison',
      unitId: unit.id,
      mobile: null,
      active: true,
    });
    const countedFrom = parseShanghaiDateTime('2027-02-03 10:00');
    const provisional = workingDaysDeadline(WorkCalendar.create(), countedFrom, 3);
    expect(provisional.provisionalYears).toEqual([2027]);
    const task = await db.getRepository(Task).save({
      kind: 'report',
      title: '春节前自查',
      detail: '请自查。',
      unitId: unit.id,
      noticeId: null,
      deadline: provisional.deadline,
      deadlineEstimated: true,
      deadlineWorkingDays: 3,
      deadlineCountedFrom: countedFrom,
      status: 'pending',
      createdBy: 'sup',
      assignedAt: countedFrom,
      submittedAt: null,
      doneAt: null,
      returnReason: null,
      returnedAt: null,
    });
    const file = await tempFile('2027.json', JSON.stringify(FICTIONAL_2027));
    const result = await runCli(db, 'import-calendar', file);
    expect(result.code).toBe(0);
    expect(result.out).toContain('重新计算了 1 项预估期限，其中 1 项有变化，已通知 1 个单位的联络员。');
    const real = workingDaysDeadline(await loadCalendar(db.manager), countedFrom, 3);
    expect(real.deadline.getTime()).not.toBe(provisional.deadline.getTime());
    const updated = await db.getRepository(Task).findOneByOrFail({ id: task.id });
    expect(updated.deadline.toISOString()).toBe(real.deadline.toISOString());
    expect(updated.deadlineEstimated).toBe(false);
    const queued = await db.getRepository(OutboxMessage).findBy({ source: 'calendar:recompute' });
    expect(queued.map((row) => row.recipient)).toEqual(['sl1']);
    expect(queued[0]!.payload).toContain('【期限调整】');
  });

  it('imports, then replaces on re-import', async () => {
    const file = await tempFile('good.json', JSON.stringify(FICTIONAL_2027));
    expect(await runCli(db, 'import-calendar', file)).toEqual({
      code: 0,
      out: '已导入 2027 年节假日安排：共 11 天（放假 10 天，调休上班 1 天）。\n',
      err: '',
    });
    const second = await runCli(db, 'import-calendar', file);
    expect(second.code).toBe(0);
    expect(second.out).toContain('替换了此前导入的数据');
    expect(await runCli(db, 'workday', '2027-02-06')).toMatchObject({
      out: 'workday 2027-02-06（周六，春节调休上班）\n',
    });
  });

  it('rejects a malformed file whole with every problem, exit 1', async () => {
    const file = await tempFile(
      'bad.json',
      JSON.stringify({
        year: 2027,
        days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }, { date: '2027-02-30' }],
      }),
    );
    const result = await runCli(db, 'import-calendar', file);
    expect(result).toEqual({
      code: 1,
      out: '',
      err:
        `${file}：文件未导入（整份拒绝），发现 3 个问题：\n` +
        '  - 第2项：缺少 name（节日名称）\n' +
        '  - 第2项：日期 2027-02-30 无效\n' +
        '  - 第2项：缺少 isOffDay（true 表示放假，false 表示调休上班）\n',
    });
    expect(await runCli(db, 'workday', '2027-01-01')).toMatchObject({ code: 3 });
  });

  it('reports a missing file and usage errors', async () => {
    const missing = join(tempDir, 'nope.json');
    expect(await runCli(db, 'import-calendar', missing)).toEqual({
      code: 1,
      out: '',
      err: `找不到文件 ${missing}\n`,
    });
    expect(await runCli(db, 'import-calendar')).toMatchObject({
      code: 2,
      err: '用法：npx duban import-calendar <file.json>\n',
    });
  });
});
