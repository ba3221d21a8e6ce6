// 审核 T12 通过 / 审核 T12 退回 <理由>, and the reason dialog behind the review card's 退回 button
// and the extension decisions. A reason is checked for personal information like any stored text.
import { z } from 'zod';
import { text } from '../../messages/outbound.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { parseTaskRef, taskRef } from '../../services/tasks/text.js';
import {
  DECISION_WORDS as D,
  REASON_WORDS,
  returnedCard,
  taskRefusalText,
} from '../../services/tasks/views.js';
import { reviewableReply, reviewTask, unitNames } from '../../services/tasks/store.js';
import { SUPERVISORS, reply, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { gateText, gatedTextSteps, type GatedTextOptions } from '../flow/steps.js';
import { FLOWS, FindingSchema, type Decided, calendarOf, perPerson, unitLiaisons, words } from './common.js';
import { performExtensionDecision } from './extension-decision.js';

const Pending = z.object({
  action: z.enum(['return', 'ext-approve', 'ext-reject']),
  taskId: z.number(),
  replyId: z.number().optional(),
  requestId: z.number().optional(),
  reason: z.string().optional(),
  findings: z.array(FindingSchema).optional(),
});
export type PendingReason = z.infer<typeof Pending>;

const DECISIONS: Record<string, 'approve' | 'return'> = {
  通过: 'approve',
  同意: 'approve',
  退回: 'return',
  驳回: 'return',
};

const USAGE = D.reviewUsage;

/** 通过: close the task and tell the unit. */
export async function approveTask(ctx: HandlerContext, taskId: number, replyId?: number): Promise<Decided> {
  const result = await reviewTask(
    ctx.tx,
    { taskId, replyId, decision: 'approve', reason: null, reviewer: ctx.user.userid },
    ctx.now,
    (entry) => ctx.services.audit(entry),
  );
  if (!result.ok) return { taken: false, result: reply(taskRefusalText(result.refusal)) };
  const { task } = result;
  const ref = taskRef(task.id);
  const unitName = (await unitNames(ctx.tx, [task.unitId])).get(task.unitId) ?? '';
  const liaisons = await unitLiaisons(ctx, task.unitId);
  return {
    taken: true,
    result: {
      replies: [text(D.approved(ref, unitName))],
      notify: perPerson(liaisons, `task:${task.id}:approved:${result.review.id}`, () =>
        text(D.approvedNotice(ref, task.title)),
      ),
    },
  };
}

/** 退回: back to pending with the reason; the unit's liaisons get a card to resubmit. */
export async function performReturn(
  ctx: HandlerContext,
  pending: { taskId: number; replyId?: number; reason: string },
  findings: PiiFindingSummary[],
): Promise<HandlerResult> {
  await auditAcceptedFindings(ctx.services, ctx.user.userid, `task:${pending.taskId}`, findings);
  const result = await reviewTask(
    ctx.tx,
    { ...pending, decision: 'return', reviewer: ctx.user.userid },
    ctx.now,
    (entry) => ctx.services.audit(entry),
  );
  if (!result.ok) return { ...reply(taskRefusalText(result.refusal)), next: 'end' };
  const { task } = result;
  const calendar = await calendarOf(ctx);
  const unitName = (await unitNames(ctx.tx, [task.unitId])).get(task.unitId) ?? '';
  const liaisons = await unitLiaisons(ctx, task.unitId);
  const notify = perPerson(liaisons, `task:${task.id}:returned:${result.review.id}`, (person) =>
    returnedCard(calendar, task, unitName, pending.reason, person.id, ctx.now),
  );
  return {
    replies: [text(D.returned(taskRef(task.id), unitName, liaisons.length > 0))],
    notify,
    next: 'end',
  };
}

async function perform(
  ctx: HandlerContext,
  pending: PendingReason,
  findings: PiiFindingSummary[],
): Promise<HandlerResult> {
  const reason = pending.reason ?? '';
  if (pending.action === 'return') return performReturn(ctx, { ...pending, reason }, findings);
  const decided = await performExtensionDecision(
    ctx,
    {
      requestId: pending.requestId!,
      decision: pending.action === 'ext-approve' ? 'approve' : 'reject',
      reason: reason || null,
    },
    findings,
  );
  return decided.result;
}

/** A reason is a sentence or two; this keeps a pasted document out of a card and a TEXT column. */
export const MAX_REASON_CHARS = 1000;

const REASON_STEP: GatedTextOptions<PendingReason> = {
  hint: REASON_WORDS.hint,
  label: REASON_WORDS.label,
  maxChars: MAX_REASON_CHARS,
  flow: () => reasonFlow,
  accept: async (ctx, draft, reason, accepted) => ({
    ...(await perform(ctx, { ...draft, reason }, accepted)),
    next: 'end',
  }),
};

/**
 * Runs a decision whose reason must pass the personal-information gate first (a reason typed with
 * the command): too long or blocked → the reason dialog asks again, warned → its 确认, clean → done.
 */
export async function withCheckedReason(ctx: HandlerContext, pending: PendingReason): Promise<HandlerResult> {
  const reason = pending.reason?.trim() ?? '';
  if (!reason) return { ...(await perform(ctx, pending, [])), next: 'end' };
  const asked = { ...pending, reason: undefined, findings: undefined };
  return gateText('reason', REASON_STEP)(ctx, asked, reason);
}

export const reasonFlow: KitFlow<PendingReason> = defineFlow<PendingReason>({
  name: FLOWS.reason,
  version: 2,
  title: '填写理由',
  roles: SUPERVISORS,
  schema: Pending,
  steps: gatedTextSteps<PendingReason>('reason', REASON_STEP),
});

/**
 * The 退回 button, or 审核 T12 退回 without a reason: ask for the reason, if the reply (the card's,
 * or the latest) is still the one waiting for review; the reason then returns that very reply.
 */
export async function askReturnReason(
  ctx: HandlerContext,
  taskId: number,
  replyId?: number,
): Promise<HandlerResult> {
  const reviewable = await reviewableReply(ctx.tx, taskId, replyId);
  if (!reviewable.ok) return reply(taskRefusalText(reviewable.refusal));
  return reasonFlow.to(
    'reason',
    { action: 'return', taskId, replyId: reviewable.reply.id },
    REASON_WORDS.returnAsk(taskRef(taskId)),
  );
}

export const reviewCommand: Command = {
  name: '审核',
  roles: SUPERVISORS,
  summary: '审核单位提交的办理情况',
  usage: USAGE,
  args: 'required',
  group: '督办',
  handle: async (ctx) => {
    const { parts, rest } = words(ctx, 2);
    const id = parseTaskRef(parts[0] ?? '');
    const decision = DECISIONS[parts[1] ?? ''];
    if (!id || !decision) return reply(D.usage(USAGE));
    if (decision === 'approve') return (await approveTask(ctx, id)).result;
    if (!rest) return askReturnReason(ctx, id);
    return withCheckedReason(ctx, { action: 'return', taskId: id, reason: rest });
  },
};
