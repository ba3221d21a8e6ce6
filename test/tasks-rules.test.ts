// Task rules without a database: access, state labels, urgency, and the reminder stage of a day
// (across Spring Festival and National Day 2026, with their make-up Saturdays).
import { describe, expect, it } from 'vitest';
import type { Task } from '../src/entities/task.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { accessRefusalText } from '../src/services/tasks/views.js';
import {
  checkTaskAccess,
  compareUrgency,
  reminderStage,
  taskStateLabel,
  type TaskAction,
  type TaskActor,
} from '../src/services/tasks/rules.js';
import { endOfShanghaiDay, parseShanghaiDateTime, type LocalDate } from '../src/services/calendar/time.js';

const calendar = WorkCalendar.create();
const liaison = (topUnitId: number | null): TaskActor => ({ role: 'liaison', topUnitId });
const supervisor: TaskActor = { role: 'supervisor', topUnitId: 99 };
const task = (status: Task['status'], unitId = 1) => ({ id: 12, unitId, status });

describe('checkTaskAccess', () => {
  const cases: [string, ReturnType<typeof task> | null, TaskActor, TaskAction, string | null, string][] = [
    ['unknown task', null, liaison(1), 'submit', 'unknown', '没有找到任务 T99'],
    ['liaison without a unit', task('pending'), liaison(null), 'submit', 'no-unit', '尚未关联单位'],
    ['another unit’s task', task('pending', 2), liaison(1), 'submit', 'not-unit', '不是本单位的任务'],
    ['another unit’s closed task', task('done', 2), liaison(1), 'view', 'not-unit', '不是本单位的任务'],
    ['own pending task', task('pending'), liaison(1), 'submit', null, ''],
    [
      'own submitted task, submit again',
      task('submitted'),
      liaison(1),
      'submit',
      'submitted',
      '等待督办人员审核',
    ],
    ['own closed task, submit', task('done'), liaison(1), 'submit', 'closed', '已办结'],
    ['own closed task, extend', task('done'), liaison(1), 'extend', 'closed', '已办结'],
    ['own submitted task, extend', task('submitted'), liaison(1), 'extend', null, ''],
    ['own closed task, view', task('done'), liaison(1), 'view', null, ''],
    ['supervisor, any unit, view', task('done', 7), supervisor, 'view', null, ''],
    ['supervisor, any unit, extend', task('pending', 7), supervisor, 'extend', null, ''],
  ];
  it.each(cases)('%s', (_name, subject, actor, action, reason, message) => {
    const result = checkTaskAccess(subject, actor, action, 'T99');
    if (reason === null) {
      expect(result).toEqual({ ok: true });
      return;
    }
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(accessRefusalText(result)).toContain(message);
  });
});

describe('taskStateLabel', () => {
  it.each([
    ['pending', null, '待办'],
    ['pending', new Date(), '已退回'],
    ['submitted', null, '已提交待审'],
    ['submitted', new Date(), '已提交待审'],
    ['done', new Date(), '已办结'],
  ] as const)('%s (returned %s) → %s', (status, returnedAt, label) => {
    expect(taskStateLabel({ status, returnedAt })).toBe(label);
  });
});

describe('compareUrgency', () => {
  it('puts what the unit must do first, then by deadline', () => {
    const rows = [
      { id: 1, status: 'submitted' as const, deadline: new Date('2026-03-01T00:00:00Z') },
      { id: 2, status: 'pending' as const, deadline: new Date('2026-04-01T00:00:00Z') },
      { id: 3, status: 'pending' as const, deadline: new Date('2026-03-10T00:00:00Z') },
      { id: 4, status: 'pending' as const, deadline: new Date('2026-03-10T00:00:00Z') },
    ];
    expect(rows.sort(compareUrgency).map((row) => row.id)).toEqual([3, 4, 2, 1]);
  });
});

describe('reminderStage', () => {
  const at = (text: string) => parseShanghaiDateTime(text);
  const due = (date: LocalDate) => endOfShanghaiDay(date);

  const cases: [string, Date, string, string | null][] = [
    // An ordinary week: due Friday 2026-03-20 24:00.
    ['the working day before', due('2026-03-20'), '2026-03-19 09:00', 'before'],
    ['two working days before', due('2026-03-20'), '2026-03-18 09:00', null],
    ['the due day', due('2026-03-20'), '2026-03-20 09:00', 'deadline-day'],
    ['the due day before 09:00', due('2026-03-20'), '2026-03-20 08:59', null],
    ['the weekend after', due('2026-03-20'), '2026-03-21 09:00', null],
    ['the next working day', due('2026-03-20'), '2026-03-23 09:00', 'overdue'],
    // Spring Festival 2026: 2-14 (Sat) worked, 2-15…2-23 off, 2-28 (Sat) worked.
    [
      'Spring Festival: make-up Saturday before a due Tuesday',
      due('2026-02-24'),
      '2026-02-14 09:00',
      'before',
    ],
    ['Spring Festival: the Friday before is not the day before', due('2026-02-24'), '2026-02-13 09:00', null],
    ['Spring Festival: a holiday', due('2026-02-24'), '2026-02-16 09:00', null],
    ['Spring Festival: due Tuesday', due('2026-02-24'), '2026-02-24 09:00', 'deadline-day'],
    ['Spring Festival: overdue on the make-up Saturday', due('2026-02-24'), '2026-02-28 09:00', 'overdue'],
    ['Spring Festival: not on the Sunday after', due('2026-02-24'), '2026-03-01 09:00', null],
    [
      'Spring Festival: due inside the holiday, told on the make-up Saturday',
      due('2026-02-18'),
      '2026-02-14 09:00',
      'before',
    ],
    [
      'Spring Festival: due inside the holiday, no due-day reminder',
      due('2026-02-18'),
      '2026-02-18 09:00',
      null,
    ],
    [
      'Spring Festival: due inside the holiday, overdue after it',
      due('2026-02-18'),
      '2026-02-24 09:00',
      'overdue',
    ],
    // National Day 2026: 10-01…10-07 off, 10-10 (Sat) worked.
    ['National Day: due on a holiday, told on 9-30', due('2026-10-03'), '2026-09-30 09:00', 'before'],
    ['National Day: overdue on the first working day', due('2026-10-03'), '2026-10-08 09:00', 'overdue'],
    ['National Day: overdue on the make-up Saturday', due('2026-10-03'), '2026-10-10 09:00', 'overdue'],
    [
      'National Day: due the make-up Saturday, told on Friday',
      due('2026-10-10'),
      '2026-10-09 09:00',
      'before',
    ],
    ['National Day: due the make-up Saturday', due('2026-10-10'), '2026-10-10 09:00', 'deadline-day'],
    // A deadline with a time of day.
    ['18:00 deadline, that morning', at('2026-12-01 18:00'), '2026-12-01 09:00', 'deadline-day'],
    ['18:00 deadline, that evening', at('2026-12-01 18:00'), '2026-12-01 19:00', 'overdue'],
    ['18:00 deadline, the day before', at('2026-12-01 18:00'), '2026-11-30 09:00', 'before'],
    // Past the published calendar (2027): the provisional one decides; 元旦 is off by law.
    [
      'unpublished year: the working day before is 2026-12-31',
      due('2027-01-04'),
      '2026-12-31 09:00',
      'before',
    ],
    ['unpublished year: 元旦 2027-01-01, no reminder', due('2027-01-04'), '2027-01-01 09:00', null],
    ['unpublished year, weekend', due('2027-01-04'), '2027-01-02 09:00', null],
    ['unpublished year, the due Monday', due('2027-01-04'), '2027-01-04 09:00', 'deadline-day'],
  ];

  it.each(cases)('%s', (_name, deadline, now, stage) => {
    expect(reminderStage(calendar, deadline, at(now))).toBe(stage);
  });
});
