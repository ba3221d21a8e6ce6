// Task reminder rules and open items with a fixed `now`, across Spring Festival 2026 (make-up
// Saturdays 02-14 and 02-28, holiday 02-15…02-23), against a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, messagesToItems } from '../src/outbox/queue.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { Person } from '../src/entities/person.js';
import { Task, type TaskStatus } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { openItemSources, reminderRules } from '../src/services/open-items/sources.js';
import type { Reminder } from '../src/services/open-items/reminders.js';
import {
  taskBeforeDeadlineRule,
  taskDeadlineDayRule,
  taskOpenItems,
  taskOverdueRule,
} from '../src/services/tasks/reminders.js';
import { endOfShanghaiDay, parseShanghaiDateTime, type LocalDate } from '../src/services/calendar/time.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

const calendar = WorkCalendar.create();
let database: TestDatabase;
const ids: Record<string, number> = {};
const units: Record<string, number> = {};

async function addTask(name: string, unit: string, status: TaskStatus, due: LocalDate): Promise<void> {
  const repo = database.dataSource.getRepository(Task);
  const task = await repo.save(
    repo.create({
      kind: 'rectification',
      title: `任务${name}`,
      detail: '整改',
      unitId: units[unit]!,
      noticeId: null,
      deadline: endOfShanghaiDay(due),
      deadlineEstimated: false,
      status,
      createdBy: 'sup',
      assignedAt: parseShanghaiDateTime('2026-02-02 09:00'),
      submittedAt: null,
      doneAt: null,
      returnReason: null,
      returnedAt: null,
    }),
  );
  ids[name] = task.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const unitRepo = database.dataSource.getRepository(Unit);
  for (const name of ['张店区', '淄川区', '博山区']) {
    const unit = await unitRepo.save(
      unitRepo.create({ name, kind: 'district', parentId: null, active: true }),
    );
    units[name] = unit.id;
  }
  const bureau = await unitRepo.save(
    unitRepo.create({ name: '张店区大数据中心', kind: 'other', parentId: units['张店区']!, active: true }),
  );
  const people = database.dataSource.getRepository(Person);
  const person = (userid: string, unitId: number, active = true) =>
    people.create({ userid, name: userid, role: 'liaison', unitId, mobile: null, active });
  await people.save([
    person('a1', units['张店区']!),
    // A liaison registered on a sub-unit counts for the top-level unit.
    person('a2', bureau.id),
    person('gone', units['张店区']!, false),
    person('b1', units['淄川区']!),
  ]);
  await addTask('due-after-holiday', '张店区', 'pending', '2026-02-24');
  await addTask('due-in-holiday', '淄川区', 'pending', '2026-02-18');
  await addTask('submitted', '张店区', 'submitted', '2026-02-24');
  await addTask('done', '张店区', 'done', '2026-02-13');
  await addTask('no-liaison', '博山区', 'pending', '2026-02-24');
  await addTask('overdue', '淄川区', 'pending', '2026-02-12');
});

afterAll(async () => {
  await database.drop();
});

async function due(rule: typeof taskOverdueRule, now: string): Promise<Reminder[]> {
  return database.dataSource.transaction((tx) => rule.due(tx, { calendar, now: parseShanghaiDateTime(now) }));
}

/** [task name, recipients] of the reminders. */
function summary(reminders: Reminder[]): [string, string[]][] {
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return reminders.map((reminder) => {
    const id = Number(/^remind:task:(\d+):/.exec(reminder.key)![1]);
    return [byId.get(id)!, [...reminder.to].sort()];
  });
}

describe('task reminder rules', () => {
  it.each([
    // Friday before Spring Festival: tomorrow (a make-up Saturday) is a working day.
    ['2026-02-13 09:00', [], [], [['overdue', ['b1']]]],
    // The make-up Saturday is the last working day before 02-18 and before 02-24.
    [
      '2026-02-14 09:00',
      [
        ['due-after-holiday', ['a1', 'a2']],
        ['due-in-holiday', ['b1']],
      ],
      [],
      [['overdue', ['b1']]],
    ],
    // Before 09:00 nothing is due yet.
    ['2026-02-14 08:30', [], [], []],
    // A holiday: nothing at all.
    ['2026-02-16 09:00', [], [], []],
    ['2026-02-18 09:00', [], [], []],
    // First working day after the holiday.
    [
      '2026-02-24 09:00',
      [],
      [['due-after-holiday', ['a1', 'a2']]],
      [
        ['due-in-holiday', ['b1']],
        ['overdue', ['b1']],
      ],
    ],
    // The second make-up Saturday counts as a working day while overdue; the Sunday after does not.
    [
      '2026-02-28 09:00',
      [],
      [],
      [
        ['due-after-holiday', ['a1', 'a2']],
        ['due-in-holiday', ['b1']],
        ['overdue', ['b1']],
      ],
    ],
    ['2026-03-01 09:00', [], [], []],
  ] as [string, [string, string[]][], [string, string[]][], [string, string[]][]][])(
    '%s',
    async (now, before, deadlineDay, overdue) => {
      expect(summary(await due(taskBeforeDeadlineRule, now))).toEqual(before);
      expect(summary(await due(taskDeadlineDayRule, now))).toEqual(deadlineDay);
      expect(summary(await due(taskOverdueRule, now))).toEqual(overdue);
    },
  );

  it('keys each reminder per task, stage and day', async () => {
    const first = await due(taskOverdueRule, '2026-02-24 09:00');
    const again = await due(taskOverdueRule, '2026-02-24 09:05');
    const nextDay = await due(taskOverdueRule, '2026-02-25 09:00');
    expect(again.map((r) => r.key)).toEqual(first.map((r) => r.key));
    expect(first.map((r) => r.key)).toContain(`remind:task:${ids.overdue}:overdue:2026-02-24`);
    expect(nextDay.map((r) => r.key)).toContain(`remind:task:${ids.overdue}:overdue:2026-02-25`);
    const dayOf = await due(taskDeadlineDayRule, '2026-02-24 09:00');
    expect(dayOf[0]!.key).toBe(`remind:task:${ids['due-after-holiday']}:deadline-day:2026-02-24`);
  });

  it('a second run (a restart) enqueues nothing new', async () => {
    const enqueueRun = (reminders: Reminder[]) =>
      database.dataSource.transaction((tx) =>
        enqueue(
          tx,
          reminders.flatMap((r) =>
            r.to.flatMap((to) => messagesToItems(to, [r.message], { keyPrefix: r.key, source: r.source })),
          ),
          parseShanghaiDateTime('2026-02-24 09:00'),
        ),
      );
    await enqueueRun(await due(taskOverdueRule, '2026-02-24 09:00'));
    const count = await database.dataSource.getRepository(OutboxMessage).count();
    await enqueueRun(await due(taskOverdueRule, '2026-02-24 09:00'));
    expect(await database.dataSource.getRepository(OutboxMessage).count()).toBe(count);
    expect(count).toBe(2);
  });

  it('says what is due and what to do', async () => {
    const [reminder] = await due(taskDeadlineDayRule, '2026-02-24 09:00');
    expect(reminder!.message.type).toBe('markdown');
    const content = (reminder!.message as { content: string }).content;
    expect(content).toContain('任务今日截止');
    expect(content).toContain(`T${ids['due-after-holiday']}`);
    expect(content).toContain('2026-02-24（周二）24时截止，今天24时截止');
    expect(content).toContain(`发送“办理 T${ids['due-after-holiday']}”`);
    const [late] = await due(taskOverdueRule, '2026-02-13 09:00');
    expect((late!.message as { content: string }).content).toContain('已逾期1个工作日');
  });

  it('are registered at 09:00', () => {
    expect(reminderRules.map((rule) => [rule.name, rule.at])).toEqual(
      expect.arrayContaining([
        ['task-before-deadline', ['09:00']],
        ['task-deadline-day', ['09:00']],
        ['task-overdue', ['09:00']],
      ]),
    );
  });
});

describe('a unit far behind', () => {
  it('gets one combined reminder instead of one per task', async () => {
    const unit = await database.dataSource
      .getRepository(Unit)
      .save({ name: '沂源县', kind: 'district', parentId: null, active: true });
    units['沂源县'] = unit.id;
    for (const n of [1, 2, 3, 4, 5]) await addTask(`late-${n}`, '沂源县', 'pending', '2026-03-02');
    await database.dataSource
      .getRepository(Person)
      .save({ userid: 'c1', name: 'c1', role: 'liaison', unitId: unit.id, mobile: null, active: true });
    const reminders = await due(taskOverdueRule, '2026-03-05 09:00');
    const mine = reminders.filter((r) => r.to.includes('c1'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.key).toBe(`remind:task-unit:${unit.id}:overdue:2026-03-05`);
    await database.dataSource.getRepository(Task).update({ unitId: unit.id }, { status: 'done' });
    const content = (mine[0]!.message as { content: string }).content;
    expect(content).toContain('5 项任务已逾期');
    for (const n of [1, 2, 3, 4, 5]) expect(content).toContain(`T${ids[`late-${n}`]}`);
  });
});

describe('task open items', () => {
  it('lists open tasks with their state and whose move it is', async () => {
    const items = await taskOpenItems.list(database.dataSource.manager, {
      calendar,
      now: parseShanghaiDateTime('2026-02-24 09:00'),
    });
    const byRef = new Map(items.map((item) => [item.ref, item]));
    expect(byRef.has(`T${ids.done}`)).toBe(false);
    expect(byRef.get(`T${ids.submitted}`)).toMatchObject({
      state: '已提交待审',
      awaiting: 'supervisor',
      kind: 'task',
    });
    expect(byRef.get(`T${ids.overdue}`)).toMatchObject({
      state: '待办',
      awaiting: 'unit',
      topUnitId: units['淄川区'],
      deadline: endOfShanghaiDay('2026-02-12'),
    });
    expect(items).toHaveLength(5);
  });

  it('filters by top-level unit', async () => {
    const items = await taskOpenItems.list(database.dataSource.manager, {
      calendar,
      now: parseShanghaiDateTime('2026-02-24 09:00'),
      topUnitIds: [units['张店区']!],
    });
    expect(items.map((item) => item.ref).sort()).toEqual(
      [`T${ids['due-after-holiday']}`, `T${ids.submitted}`].sort(),
    );
    expect(openItemSources).toContain(taskOpenItems);
  });
});
