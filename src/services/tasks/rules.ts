/**
 * Task rules that need no database: who may act on a task, how its state reads, which tasks are
 * most urgent, and on which days a task is due a reminder. Table-tested in test/tasks-rules.test.ts.
 */
import type { Role } from '../../entities/person.js';
import type { Task, TaskStatus } from '../../entities/task.js';
import { nextWorkingDayOrWeekday, type WorkCalendar } from '../calendar/calendar.js';
import { deadlineDay } from '../calendar/deadlines.js';
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

/** `ref` is the task as the member named it (T99), for the answer (views.ts accessRefusalText). */
export type AccessCheck = { ok: true } | { ok: false; reason: AccessRefusal; ref: string | null };

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
  if (!task) return { ok: false, reason: 'unknown', ref: ref ?? null };
  const id = taskRef(task.id);
  const liaison = actor.role === 'liaison';
  if (liaison && actor.topUnitId === null) return { ok: false, reason: 'no-unit', ref: id };
  if (liaison && task.unitId !== actor.topUnitId) return { ok: false, reason: 'not-unit', ref: id };
  if (action === 'view') return { ok: true };
  if (task.status === 'done') return { ok: false, reason: 'closed', ref: id };
  if (action === 'submit' && task.status === 'submitted') return { ok: false, reason: 'submitted', ref: id };
  return { ok: true };
}

/** Why a change to a task (or its extension request) was not made; views.ts taskRefusalText words it. */
export type TaskRefusal =
  | { kind: 'task-missing'; ref: string }
  | { kind: 'submit-closed'; ref: string }
  | { kind: 'submit-waiting'; ref: string }
  | { kind: 'reason-missing'; ref: string }
  | { kind: 'review-closed'; ref: string }
  | { kind: 'review-returned'; ref: string }
  | { kind: 'review-not-submitted'; ref: string }
  | { kind: 'review-changed'; ref: string }
  /** A review card for an earlier submission than the latest. */
  | { kind: 'review-stale-card'; ref: string }
  | { kind: 'extension-closed'; ref: string }
  | { kind: 'extension-pending'; ref: string; requested: Date }
  | { kind: 'extension-not-later'; current: Date }
  | { kind: 'extension-missing' }
  | { kind: 'extension-decided'; ref: string; status: 'approved' | 'rejected' | null }
  | { kind: 'extension-task-done'; ref: string };

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
