/**
 * Task rules that need no database: who may act on a task, how its state reads, which tasks are
 * most urgent, and on which days a task is due a reminder. Table-tested in test/tasks-rules.test.ts.
 */
import type { Role } from '../../entities/person.js';
import type { Task, TaskStatus } from '../../entities/task.js';
import { nextWorkingDayOrWeekday, type WorkCalendar } from '../calendar/calendar.js';
import { deadlineDay } from '../calendar/deadlines.js';
import { NO_UNIT_TEXT } from '../shared/permissions.js';
import { reminderSlot } from '../open-items/reminder-slots.js';
import { endOfShanghaiDay, shanghaiDate } from '../calendar/time.js';
import { taskRef } from './text.js';

/** What a member is trying to do with a task. */
export type TaskAction = 'submit' | 'extend' | 'view';

export interface TaskActor {
  role: Role;
  /** The asker's top-level unit (liaisons act only on their own unit's tasks). */
  topUnitId: number | null;
}

export type AccessRefusal = 'unknown' | 'no-unit' | 'not-unit' | 'closed' | 'submitted';

export type AccessCheck = { ok: true } | { ok: false; reason: AccessRefusal; message: string };

type TaskFacts = Pick<Task, 'id' | 'unitId' | 'status'>;

/**
 * May this member do this to this task? Supervisors and admins see every task; liaisons see and
 * act on their own top-level unit's. Submitting needs a pending task (a submitted one waits for
 * review); an extension needs a task that is not closed.
 */
export function checkTaskAccess(
  task: TaskFacts | null,
  actor: TaskActor,
  action: TaskAction,
  ref?: string,
): AccessCheck {
  if (!task) {
    const name = ref ? `任务 ${ref}` : '该任务';
    return {
      ok: false,
      reason: 'unknown',
      message: `没有找到${name}，请发送“我的任务”查看本单位的任务。`,
    };
  }
  const id = taskRef(task.id);
  const liaison = actor.role === 'liaison';
  if (liaison && actor.topUnitId === null) {
    return {
      ok: false,
      reason: 'no-unit',
      message: NO_UNIT_TEXT,
    };
  }
  if (liaison && task.unitId !== actor.topUnitId) {
    return { ok: false, reason: 'not-unit', message: `任务 ${id} 不是本单位的任务，无法办理。` };
  }
  if (action === 'view') return { ok: true };
  if (task.status === 'done') {
    return { ok: false, reason: 'closed', message: `任务 ${id} 已办结，无需再操作。` };
  }
  if (action === 'submit' && task.status === 'submitted') {
    return {
      ok: false,
      reason: 'submitted',
      message: `任务 ${id} 已提交，正在等待督办人员审核；如被退回会通知您。`,
    };
  }
  return { ok: true };
}

/** 待办 / 已退回 / 已提交待审 / 已办结 (已退回 is pending after a return). */
export function taskStateLabel(task: Pick<Task, 'status' | 'returnedAt'>): string {
  if (task.status === 'pending') return task.returnedAt ? '已退回' : '待办';
  if (task.status === 'submitted') return '已提交待审';
  return '已办结';
}

const STATUS_ORDER: Record<TaskStatus, number> = { pending: 0, submitted: 1, done: 2 };

/**
 * Most urgent first for the unit: what it must still do (pending, returned) before what waits for
 * review, each by deadline, then by id.
 */
export function compareUrgency(
  a: Pick<Task, 'id' | 'status' | 'deadline'>,
  b: Pick<Task, 'id' | 'status' | 'deadline'>,
): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    a.deadline.getTime() - b.deadline.getTime() ||
    a.id - b.id
  );
}

// ---------------------------------------------------------------------------------------------------
// Reminder stages

/** The working day before the due day, the due day itself, and every working day while overdue. */
export type ReminderStage = 'before' | 'deadline-day' | 'overdue';

export const REMINDER_STAGE_LABELS: Record<ReminderStage, string> = {
  before: '明日截止',
  'deadline-day': '今日截止',
  overdue: '已逾期',
};

/** Reminders go out at this Shanghai time on working days. */
export const REMINDER_TIME = '09:00';

/**
 * Which reminder, if any, a pending task is due at `now`: only on working days and from 09:00.
 * - before: today is the last working day before the due day (so a deadline on a Saturday or in a
 *   holiday is announced on the working day before it);
 * - deadline-day: today is the due day and the deadline has not passed;
 * - overdue: the deadline has passed (each working day, the job's key makes it once a day).
 */
export function reminderStage(calendar: WorkCalendar, deadline: Date, now: Date): ReminderStage | null {
  const asked = reminderSlot(calendar, [REMINDER_TIME], now);
  if (asked === null) return null;
  const { today } = asked;
  if (now.getTime() >= deadline.getTime()) return 'overdue';
  const dueDay = deadlineDay(deadline);
  if (today === dueDay) return 'deadline-day';
  if (today < dueDay && nextWorkingDayOrWeekday(calendar, today) >= dueDay) return 'before';
  return null;
}

/** The latest deadline that can be due a before/deadline-day reminder today (for the query). */
export function reminderHorizon(calendar: WorkCalendar, now: Date): Date {
  // 24:00 of the next working day: a deadline at that instant still belongs to that day.
  return endOfShanghaiDay(nextWorkingDayOrWeekday(calendar, shanghaiDate(now)));
}
