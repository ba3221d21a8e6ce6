/**
 * Task reminders and open items, as the scheduler and the digests consume them. The rules are
 * asked at 09:00 on working days; each returns what is due now, keyed per (task, stage, day), so a
 * restart or a second run on the same day sends nothing twice.
 */
import { LessThanOrEqual, type EntityManager } from 'typeorm';
import { Task } from '../entities/task.js';
import type { WorkCalendar } from './calendar.js';
import { liaisonsByTopUnit } from './directory.js';
import type { OpenItem, OpenItemSource } from './open-items.js';
import type { Reminder, ReminderRule } from './reminders.js';
import {
  REMINDER_TIME,
  reminderHorizon,
  reminderStage,
  taskStateLabel,
  type ReminderStage,
} from './tasks-rules.js';
import { taskRef } from './tasks-text.js';
import { reminderMessage } from './tasks-views.js';
import { openTasks, tasksWithPendingExtension, unitNames } from './tasks.js';
import { shanghaiDate } from './time.js';

/** Pending tasks that may be due a reminder of `stage` today (set-based: one query). */
async function candidates(
  tx: EntityManager,
  stage: ReminderStage,
  calendar: WorkCalendar,
  now: Date,
): Promise<Task[]> {
  // A 24:00 deadline is the next day's 00:00 instant and still belongs to its day: ≤, not <.
  const deadline = LessThanOrEqual(stage === 'overdue' ? now : reminderHorizon(calendar, now));
  return tx.getRepository(Task).find({ where: { status: 'pending', deadline }, order: { id: 'ASC' } });
}

export async function dueTaskReminders(
  tx: EntityManager,
  stage: ReminderStage,
  context: { calendar: WorkCalendar; now: Date },
): Promise<Reminder[]> {
  const { calendar, now } = context;
  const due = (await candidates(tx, stage, calendar, now)).filter(
    (task) => reminderStage(calendar, task.deadline, now) === stage,
  );
  if (due.length === 0) return [];
  const unitIds = [...new Set(due.map((task) => task.unitId))];
  const [liaisons, names] = await Promise.all([liaisonsByTopUnit(tx, unitIds), unitNames(tx, unitIds)]);
  const today = shanghaiDate(now);
  const reminders: Reminder[] = [];
  for (const task of due) {
    const to = (liaisons.get(task.unitId) ?? []).map((person) => person.userid);
    if (to.length === 0) continue;
    reminders.push({
      key: `remind:task:${task.id}:${stage}:${today}`,
      to,
      message: reminderMessage(calendar, task, names.get(task.unitId) ?? '', stage, now),
      source: `task-reminder:${stage}`,
    });
  }
  return reminders;
}

function rule(name: string, stage: ReminderStage): ReminderRule {
  return { name, at: [REMINDER_TIME], due: (tx, context) => dueTaskReminders(tx, stage, context) };
}

/** The working day before the due day, 09:00. */
export const taskBeforeDeadlineRule = rule('task-before-deadline', 'before');
/** The due day, 09:00. */
export const taskDeadlineDayRule = rule('task-deadline-day', 'deadline-day');
/** Every working day while overdue, 09:00. */
export const taskOverdueRule = rule('task-overdue', 'overdue');

export const taskReminderRules: ReminderRule[] = [
  taskBeforeDeadlineRule,
  taskDeadlineDayRule,
  taskOverdueRule,
];

/** Open tasks (待办, 已退回, 已提交待审) for digests, status views and the board. */
export const taskOpenItems: OpenItemSource = {
  kind: 'task',
  async list(tx, query): Promise<OpenItem[]> {
    const tasks = await openTasks(tx, query.topUnitIds);
    const extensions = await tasksWithPendingExtension(
      tx,
      tasks.map((task) => task.id),
    );
    return tasks.map((task) => ({
      kind: 'task',
      ref: taskRef(task.id),
      title: task.title,
      topUnitId: task.unitId,
      deadline: task.deadline,
      state: extensions.has(task.id) ? `${taskStateLabel(task)}（延期申请中）` : taskStateLabel(task),
      awaiting: task.status === 'submitted' ? 'supervisor' : 'unit',
    }));
  },
};
