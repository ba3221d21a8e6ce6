/**
 * When a year's holiday schedule is imported, every open deadline that was counted on the provisional
 * calendar (预估) is counted again on the real one: tasks and case calls given as "N个工作日",
 * guestbook messages, account filings and pending extension requests. A deadline that moves is
 * updated and audited, and each unit's liaisons get ONE message listing all of their unit's moves;
 * one that stays only loses its 预估 mark (or keeps it while it still rests on another unpublished
 * year). Runs in the import's transaction, so the import and its consequences commit together.
 *
 * Rows stored before the provisional calendar existed were estimated in natural days and did not
 * keep their N: it is recovered as the natural days between the start and the due day.
 */
import { In, type EntityManager } from 'typeorm';
import { AccountFiling } from '../../entities/account-filing.js';
import { CaseCall } from '../../entities/case-call.js';
import { ExtensionRequest } from '../../entities/extension-request.js';
import { GuestbookMessage } from '../../entities/guestbook-message.js';
import { Task } from '../../entities/task.js';
import type { Notification } from '../../messages/outbound.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import {
  deadlineDay,
  filingDeadline,
  guestbookDeadline,
  workingDaysDeadline,
  type DeadlineResult,
} from '../calendar/deadlines.js';
import { calendarDaysBetween, formatIso, shanghaiDate } from '../calendar/time.js';
import { callRef } from '../cases/rules.js';
import { callRecipients, callQuotas } from '../cases/store.js';
import { liaisonsByTopUnit } from '../directory/lookup.js';
import { filingRef, filingSubject } from '../filings/store.js';
import { guestbookRef } from '../guestbook/store.js';
import type { AuditEntry } from '../shared/audit.js';
import { clip, taskRef } from '../tasks/text.js';
import { recomputeMessage, type DeadlineMove } from './provisional-views.js';

export type { DeadlineMove, RecomputedKind } from './provisional-views.js';

export interface RecomputeOutcome {
  /** Open provisional deadlines looked at. */
  checked: number;
  moved: DeadlineMove[];
  /** Units told (one message each). */
  unitsTold: number;
  notifications: Notification[];
}

interface Recount {
  result: DeadlineResult;
}

/** N of a row: kept since the provisional calendar; before it, the natural days it was estimated with. */
function workingDaysOf(kept: number | null, from: Date, deadline: Date): number {
  if (kept !== null) return kept;
  return Math.max(1, calendarDaysBetween(shanghaiDate(from), deadlineDay(deadline)));
}

function recountWorkingDays(calendar: WorkCalendar, from: Date, days: number): Recount {
  return { result: workingDaysDeadline(calendar, from, days) };
}

export async function recomputeProvisionalDeadlines(
  tx: EntityManager,
  calendar: WorkCalendar,
  context: { now: Date; actor: string; year: number; audit: (entry: AuditEntry) => Promise<void> },
): Promise<RecomputeOutcome> {
  const moved: DeadlineMove[] = [];
  let checked = 0;

  /** Updates one row; returns the move when the deadline changed (audited). */
  const settle = async (
    entry: Omit<DeadlineMove, 'after' | 'provisional'>,
    recount: Recount,
    save: (deadline: Date, provisional: boolean) => Promise<unknown>,
    target: string,
  ): Promise<void> => {
    checked++;
    const after = recount.result.deadline;
    const provisional = recount.result.provisionalYears.length > 0;
    await save(after, provisional);
    if (after.getTime() === entry.before.getTime()) return;
    moved.push({ ...entry, after, provisional });
    await context.audit({
      actor: context.actor,
      action: 'deadline.recompute',
      target,
      detail: `导入 ${context.year} 年节假日安排后重新计算：${formatIso(entry.before)} → ${formatIso(after)}${provisional ? '（仍为预估）' : ''}`,
    });
  };

  const tasks = await tx.getRepository(Task).find({
    where: { deadlineEstimated: true, status: In(['pending', 'submitted']) },
    order: { id: 'ASC' },
  });
  for (const task of tasks) {
    const from = task.deadlineCountedFrom ?? task.assignedAt;
    const days = workingDaysOf(task.deadlineWorkingDays, from, task.deadline);
    await settle(
      {
        kind: 'task',
        ref: taskRef(task.id),
        title: task.title,
        before: task.deadline,
        unitIds: [task.unitId],
      },
      recountWorkingDays(calendar, from, days),
      (deadline, provisional) =>
        tx.getRepository(Task).update(
          { id: task.id },
          {
            deadline,
            deadlineEstimated: provisional,
            deadlineWorkingDays: days,
            deadlineCountedFrom: from,
          },
        ),
      `task:${task.id}`,
    );
  }

  const calls = await tx.getRepository(CaseCall).find({
    where: { deadlineEstimated: true, status: 'open' },
    order: { id: 'ASC' },
  });
  for (const call of calls) {
    const from = call.deadlineCountedFrom ?? call.createdAt;
    const days = workingDaysOf(call.deadlineWorkingDays, from, call.deadline);
    const { units } = await callRecipients(tx, callQuotas(call));
    await settle(
      {
        kind: 'case-call',
        ref: callRef(call.id),
        title: call.title,
        before: call.deadline,
        unitIds: units.map((unit) => unit.id),
      },
      recountWorkingDays(calendar, from, days),
      (deadline, provisional) =>
        tx.getRepository(CaseCall).update(
          { id: call.id },
          {
            deadline,
            deadlineEstimated: provisional,
            deadlineWorkingDays: days,
            deadlineCountedFrom: from,
          },
        ),
      `case-call:${call.id}`,
    );
  }

  const messages = await tx.getRepository(GuestbookMessage).find({
    where: { deadlineEstimated: true, status: 'open' },
    order: { id: 'ASC' },
  });
  for (const message of messages) {
    await settle(
      {
        kind: 'guestbook',
        ref: guestbookRef(message.id),
        title: clip(message.summary, 30),
        before: message.deadline,
        unitIds: [message.topUnitId],
      },
      { result: guestbookDeadline(calendar, message.receivedAt) },
      (deadline, provisional) =>
        tx
          .getRepository(GuestbookMessage)
          .update({ id: message.id }, { deadline, deadlineEstimated: provisional }),
      guestbookRef(message.id),
    );
  }

  const filings = await tx.getRepository(AccountFiling).find({
    where: { deadlineEstimated: true, status: 'submitted' },
    order: { id: 'ASC' },
  });
  for (const filing of filings) {
    await settle(
      {
        kind: 'filing',
        ref: filingRef(filing.id),
        title: filingSubject(filing),
        before: filing.deadline,
        unitIds: [filing.topUnitId],
      },
      { result: filingDeadline(calendar, filing.changeDate) },
      (deadline, provisional) =>
        tx
          .getRepository(AccountFiling)
          .update({ id: filing.id }, { deadline, deadlineEstimated: provisional }),
      filingRef(filing.id),
    );
  }

  const requests = await tx.getRepository(ExtensionRequest).find({
    where: { requestedEstimated: true, status: 'pending' },
    order: { id: 'ASC' },
  });
  const requestTasks = new Map(
    (requests.length
      ? await tx.getRepository(Task).findBy({ id: In(requests.map((request) => request.taskId)) })
      : []
    ).map((task) => [task.id, task]),
  );
  for (const request of requests) {
    const task = requestTasks.get(request.taskId);
    if (!task) continue;
    const days = workingDaysOf(request.requestedWorkingDays, request.requestedAt, request.requestedDeadline);
    await settle(
      {
        kind: 'extension',
        ref: taskRef(task.id),
        title: task.title,
        before: request.requestedDeadline,
        unitIds: [task.unitId],
      },
      recountWorkingDays(calendar, request.requestedAt, days),
      (deadline, provisional) =>
        tx
          .getRepository(ExtensionRequest)
          .update(
            { id: request.id },
            { requestedDeadline: deadline, requestedEstimated: provisional, requestedWorkingDays: days },
          ),
      `task:${task.id}:extension:${request.id}`,
    );
  }

  const notifications = await unitNotifications(tx, moved, context.year);
  return { checked, moved, unitsTold: notifications.length, notifications };
}

/** One message per unit, to all of its liaisons, listing every move of the unit. */
async function unitNotifications(
  tx: EntityManager,
  moved: DeadlineMove[],
  year: number,
): Promise<Notification[]> {
  const byUnit = new Map<number, DeadlineMove[]>();
  for (const move of moved) {
    for (const unitId of move.unitIds) byUnit.set(unitId, [...(byUnit.get(unitId) ?? []), move]);
  }
  if (byUnit.size === 0) return [];
  const liaisons = await liaisonsByTopUnit(tx, [...byUnit.keys()]);
  const notifications: Notification[] = [];
  for (const [unitId, moves] of byUnit) {
    const to = (liaisons.get(unitId) ?? []).map((person) => person.userid);
    if (to.length === 0) continue;
    notifications.push({
      to,
      key: `calendar:${year}:recompute:unit:${unitId}`,
      source: 'calendar:recompute',
      message: recomputeMessage(year, moves),
    });
  }
  return notifications;
}
