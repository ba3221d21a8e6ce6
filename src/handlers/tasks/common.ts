// Small pieces the task handlers share: reading `T12` arguments, checking access, addressing
// notifications to a unit's liaisons or a task's supervisors, and a click that continues its dialog.
import { z } from 'zod';
import type { OutMessage } from '../../messages/outbound.js';
import type { Person } from '../../entities/person.js';
import type { Task } from '../../entities/task.js';
import type { WorkCalendar } from '../../services/calendar/calendar.js';
import { liaisonsByTopUnit } from '../../services/directory/lookup.js';
import { PII_KIND_LABELS, type PiiKind } from '../../services/pii/detector.js';
import { checkTaskAccess, type AccessRefusal, type TaskAction } from '../../services/tasks/rules.js';
import { parseTaskRef, taskRef } from '../../services/tasks/text.js';
import { findTask, taskSupervisors } from '../../services/tasks/store.js';
import { accessRefusalText } from '../../services/tasks/views.js';
import type { HandlerContext, HandlerResult, Notification } from '../types.js';

export const FLOWS = {
  assign: 'task-assign',
  notice: 'task-notice',
  submit: 'task-submit',
  extend: 'task-extend',
  reason: 'task-reason',
} as const;

/** Accepted personal-information findings as a draft keeps them (masked values only). */
export const FindingSchema = z.object({
  kind: z.enum(Object.keys(PII_KIND_LABELS) as [PiiKind, ...PiiKind[]]),
  severity: z.enum(['block', 'warn']),
  masked: z.string(),
});

/** A decision's chat result, and whether it was taken (a card then shows 已通过 / 已同意 …). */
export interface Decided {
  taken: boolean;
  result: HandlerResult;
}

export function calendarOf(ctx: HandlerContext): Promise<WorkCalendar> {
  return ctx.services.calendar.get();
}

/** Splits command arguments into words; the raw remainder after `count` words is kept as typed. */
export function words(ctx: HandlerContext, count: number): { parts: string[]; rest: string } {
  const parts = ctx.args.split(' ').filter(Boolean);
  // Drop the leading words one by one, so the reason keeps its own line breaks and spacing.
  let rest = ctx.rawArgs.trim();
  for (let i = 0; i < count; i++) rest = rest.replace(/^\S+\s*/, '');
  return { parts, rest: rest.trim() };
}

/** The task, or why the asker may not do this with it (the task itself when it exists). */
export type TaskLookup =
  { ok: true; task: Task } | { ok: false; task: Task | null; reason: AccessRefusal; message: string };

/** Finds `T12` and checks that the asker may do `action` with it. */
export async function lookupTask(
  ctx: HandlerContext,
  refText: string,
  action: TaskAction,
): Promise<TaskLookup> {
  const id = parseTaskRef(refText);
  const ref = id ? taskRef(id) : refText;
  const task = id ? await findTask(ctx.tx, id) : null;
  const access = checkTaskAccess(
    task,
    { role: ctx.user.role, topUnitId: ctx.user.topUnit?.id ?? null },
    action,
    ref,
  );
  if (access.ok) return { ok: true, task: task! }; // checkTaskAccess refuses a missing task
  if (access.reason === 'not-unit') {
    await ctx.services.audit({
      actor: ctx.user.userid,
      action: `task.${action}`,
      target: `task:${task?.id ?? refText}`,
      result: 'denied',
      detail: '非本单位任务',
    });
  }
  return { ok: false, task, reason: access.reason, message: accessRefusalText(access) };
}

/** One notification per recipient (cards carry a per-recipient task_id). */
export function perPerson(
  people: Person[],
  key: string,
  build: (person: Person) => OutMessage,
): Notification[] {
  const seen = new Set<string>();
  const notes: Notification[] = [];
  for (const person of people) {
    if (seen.has(person.userid)) continue;
    seen.add(person.userid);
    notes.push({ to: [person.userid], key, source: 'task', message: build(person) });
  }
  return notes;
}

export async function unitLiaisons(ctx: HandlerContext, unitId: number): Promise<Person[]> {
  return (await liaisonsByTopUnit(ctx.tx, [unitId])).get(unitId) ?? [];
}

export async function supervisorsOf(ctx: HandlerContext, task: Task): Promise<Person[]> {
  return taskSupervisors(ctx.tx, task);
}

/** The task a dialog's stored state is about (kit flows keep it in their draft), if any. */
export function openTaskId(data: Record<string, unknown>): number | undefined {
  const draft = data.draft;
  const inDraft =
    draft && typeof draft === 'object' ? (draft as Record<string, unknown>).taskId : data.taskId;
  return typeof inDraft === 'number' ? inDraft : undefined;
}

/**
 * The click belongs to the dialog open for the same task (办理 T12 typed, then its card's button):
 * it carries on there. Any other open dialog is the router's one rule (是/否 before leaving it).
 */
export function continuesDialog(ctx: HandlerContext, flow: string, taskId: number): boolean {
  const open = ctx.conversation;
  return open !== undefined && open.flow === flow && openTaskId(open.data) === taskId;
}
