/**
 * Task reminders and open items, as the scheduler and the digests consume them. The rules are
 * asked at 09:00 on working days; each returns what is due now, keyed per (task, stage, day), so a
 * restart or a second run on the same day sends nothing twice.
 */
import { LessThanOrEqual, type EntityManager } from 'typeorm';
import { ExtensionRequest } from '../../entities/extension-request.js';
import { Task } from '../../entities/task.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { liaisonsByTopUnit } from '../directory/lookup.js';
import { groupedFlagCounts } from '../open-items/flag-counts.js';
import type { OpenItem, OpenItemSource } from '../open-items/items.js';
import type { Reminder, ReminderRule } from '../open-items/reminders.js';
import {
  REMINDER_TIME,
  reminderHorizon,
  reminderStage,
  taskStateLabel,
  type ReminderStage,
} from './rules.js';
import { taskRef } from './text.js';
import { combinedReminderMessage, reminderMessage } from './views.js';
import { unitNames } from './store.js';
import { shanghaiDate } from '../calendar/time.js';

/** More due tasks than this for one unit and stage are reminded in one message. */
export const COMBINE_ABOVE = 3;

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
  const byUnit = new Map<number, Task[]>();
  for (const task of due) byUnit.set(task.unitId, [...(byUnit.get(task.unitId) ?? []), task]);
  const reminders: Reminder[] = [];
  for (const [unitId, tasks] of byUnit) {
    const to = (liaisons.get(unitId) ?? []).map((person) => person.userid);
    if (to.length === 0) continue;
    const unitName = names.get(unitId) ?? '';
    // A few tasks get a reminder each; more than that become one message, so that a unit far
    // behind is not sent dozens of messages (WeCom would hold them back at 30 a minute anyway).
    if (tasks.length > COMBINE_ABOVE) {
      reminders.push({
        key: `remind:task-unit:${unitId}:${stage}:${today}`,
        to,
        message: combinedReminderMessage(calendar, tasks, unitName, stage, now),
        source: `task-reminder:${stage}`,
      });
      continue;
    }
    for (const task of tasks) {
      reminders.push({
        key: `remind:task:${task.id}:${stage}:${today}`,
        to,
        message: reminderMessage(calendar, task, unitName, stage, now),
        source: `task-reminder:${stage}`,
      });
    }
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

/**
 * Open tasks (待办, 已退回, 已提交待审) as open items. Digests and status ask this for every unit at once (100,000 tasks at
 * scale), so it reads only the columns it needs and finds pending extensions with a join rather
 * than a list of ids.
 */
export const taskOpenItems: OpenItemSource = {
  kind: 'task',
  async list(tx, query): Promise<OpenItem[]> {
    if (query.topUnitIds && query.topUnitIds.length === 0) return [];
    const qb = tx
      .getRepository(Task)
      .createQueryBuilder('t')
      .select([
        't.id',
        't.title',
        't.unitId',
        't.deadline',
        't.deadlineEstimated',
        't.status',
        't.returnedAt',
      ])
      .where('t.status IN (:...open)', { open: ['pending', 'submitted'] });
    if (query.topUnitIds) qb.andWhere('t.unit_id IN (:...units)', { units: query.topUnitIds });
    const tasks = await qb.orderBy('t.deadline', 'ASC').addOrderBy('t.id', 'ASC').getMany();
    const pending = await tx
      .getRepository(ExtensionRequest)
      .createQueryBuilder('e')
      .innerJoin(Task, 't', 't.id = e.task_id')
      .select('e.task_id', 'taskId')
      .where('e.status = :pending', { pending: 'pending' })
      .andWhere('t.status IN (:...open)', { open: ['pending', 'submitted'] })
      .getRawMany<{ taskId: number }>();
    const extensions = new Set(pending.map((row) => Number(row.taskId)));
    return tasks.map((task) => ({
      kind: 'task',
      ref: taskRef(task.id),
      title: task.title,
      topUnitId: task.unitId,
      deadline: task.deadline,
      deadlineEstimated: task.deadlineEstimated,
      state: extensions.has(task.id) ? `${taskStateLabel(task)}（延期申请中）` : taskStateLabel(task),
      awaiting: task.status === 'submitted' ? 'supervisor' : 'unit',
    }));
  },
  flagCounts: (tx, query) =>
    groupedFlagCounts(tx, { entity: Task, unitColumn: 'x.unit_id', openStatus: 'pending' }, query),
};
