// 延期: a liaison asks (延期 T12 <理由>, then the new deadline); supervisors decide
// (延期 T12 同意|拒绝 [理由], or the buttons on the request card). Approval moves the deadline.
import { z } from 'zod';
import { text } from '../../messages/outbound.js';
import type { Task } from '../../entities/task.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import { DEADLINE_EXAMPLES, parseTaskRef, taskRef } from '../../services/tasks/text.js';
import type { DialogDeadline } from '../../services/calendar/date-replies.js';
import { formatDeadlineMarked } from '../../services/calendar/deadline-text.js';
import {
  DECISION_WORDS as D,
  extensionCard,
  REASON_WORDS,
  taskRefusalText,
} from '../../services/tasks/views.js';
import {
  checkExtension,
  pendingExtension,
  requestExtension,
  unitNames,
  type ExtensionDecision,
} from '../../services/tasks/store.js';
import { formatDeadline } from '../../services/calendar/time.js';
import { ALL_ROLES, reply, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { gateText, dateStep, gatedTextSteps, type GatedTextOptions } from '../flow/steps.js';
import { FLOWS, FindingSchema, lookupTask, perPerson, supervisorsOf, words } from './common.js';
import { MAX_REASON_CHARS, withCheckedReason } from './review.js';

const Draft = z.object({
  taskId: z.number(),
  reason: z.string().optional(),
  findings: z.array(FindingSchema).optional(),
});
type Draft = z.infer<typeof Draft>;

const DECISIONS: Record<string, ExtensionDecision> = {
  同意: 'approve',
  批准: 'approve',
  拒绝: 'reject',
  不同意: 'reject',
};
const LIAISON_USAGE = D.liaisonUsage;
const SUPERVISOR_USAGE = D.supervisorUsage;

async function askDeadline(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const { task } = await lookupTask(ctx, String(draft.taskId), 'extend');
  const current = task ? REASON_WORDS.currentDeadline(formatDeadline(task.deadline)) : '';
  return extensionFlow.to('deadline', draft, REASON_WORDS.deadlineAsk(current, DEADLINE_EXAMPLES));
}

/** The reason goes through the personal-information gate before the deadline is asked. */
const REASON_STEP: GatedTextOptions<Draft> = {
  hint: REASON_WORDS.extensionHint,
  label: REASON_WORDS.extensionLabel,
  maxChars: MAX_REASON_CHARS,
  flow: () => extensionFlow,
  accept: (ctx, draft, reason, accepted) => askDeadline(ctx, { ...draft, reason, findings: accepted }),
};

/** Starts a request for a task (command or card): access, no request pending, then the reason. */
export async function startExtension(
  ctx: HandlerContext,
  task: Task,
  reason: string,
): Promise<HandlerResult> {
  const check = await checkExtension(ctx.tx, task, null);
  if (!check.ok) return reply(taskRefusalText(check.refusal));
  const draft: Draft = { taskId: task.id };
  if (reason) return gateText('reason', REASON_STEP)(ctx, draft, reason);
  return extensionFlow.to('reason', draft, REASON_WORDS.extensionAsk(taskRef(task.id), task.title));
}

async function submitRequest(
  ctx: HandlerContext,
  draft: Draft,
  parsed: DialogDeadline,
): Promise<HandlerResult> {
  const found = await lookupTask(ctx, String(draft.taskId), 'extend');
  if (!found.ok) return { ...reply(found.message), next: 'end' };
  const { task } = found;
  const findings = await auditAcceptedFindings(
    ctx.services,
    ctx.user.userid,
    `task:${task.id}`,
    draft.findings ?? [],
  );
  const result = await requestExtension(
    ctx.tx,
    task,
    {
      userid: ctx.user.userid,
      reason: draft.reason ?? '',
      piiFindings: findings,
      deadline: parsed.deadline,
      estimated: parsed.estimated,
      workingDays: parsed.workingDays,
    },
    ctx.now,
    (entry) => ctx.services.audit(entry),
  );
  // A deadline not later than the current one: ask again; anything else ends the dialog.
  if (!result.ok) {
    const again = parsed.deadline.getTime() <= task.deadline.getTime();
    const message = taskRefusalText(result.refusal);
    return again ? reply(message) : { ...reply(message), next: 'end' };
  }
  const unitName = (await unitNames(ctx.tx, [task.unitId])).get(task.unitId) ?? '';
  const people = await supervisorsOf(ctx, task);
  const notify = perPerson(people, `task:${task.id}:extension:${result.request.id}`, (person) =>
    extensionCard(task, unitName, result.request, ctx.user.name, person.id),
  );
  return {
    replies: [
      text(
        D.extensionRequested(
          taskRef(task.id),
          formatDeadlineMarked(parsed.deadline, parsed.estimated),
          parsed.warning,
        ),
      ),
    ],
    notify,
    next: 'end',
  };
}

export const extensionFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOWS.extend,
  version: 2,
  title: '申请延期',
  roles: ['liaison'],
  schema: Draft,
  ttlMinutes: 60,
  steps: {
    ...gatedTextSteps<Draft>('reason', REASON_STEP),
    deadline: dateStep<Draft>({
      hint: REASON_WORDS.deadlineHint(DEADLINE_EXAMPLES),
      flow: () => extensionFlow,
      step: 'deadline',
      accept: submitRequest,
    }),
  },
});

async function decide(ctx: HandlerContext): Promise<HandlerResult> {
  const { parts, rest } = words(ctx, 2);
  const id = parseTaskRef(parts[0] ?? '');
  const decision = DECISIONS[parts[1] ?? ''];
  if (!id || !decision) return reply(D.usage(SUPERVISOR_USAGE));
  const request = await pendingExtension(ctx.tx, id);
  if (!request) return reply(D.noPendingExtension(taskRef(id)));
  return withCheckedReason(ctx, {
    action: decision === 'approve' ? 'ext-approve' : 'ext-reject',
    taskId: id,
    requestId: request.id,
    reason: rest,
  });
}

export const extensionCommand: Command = {
  name: '延期',
  roles: ALL_ROLES,
  summary: '联络员申请延期；督办人员审批（同意/拒绝）',
  usage: `${LIAISON_USAGE} ｜ ${SUPERVISOR_USAGE}`,
  args: 'required',
  group: '任务',
  handle: async (ctx) => {
    if (ctx.user.role !== 'liaison') return decide(ctx);
    const { parts, rest } = words(ctx, 1);
    if (!parseTaskRef(parts[0] ?? '')) return reply(D.usage(LIAISON_USAGE));
    const found = await lookupTask(ctx, parts[0] ?? '', 'extend');
    return found.ok ? startExtension(ctx, found.task, rest) : reply(found.message);
  },
};
