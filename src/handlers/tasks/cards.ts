// Template-card buttons: the clicked card's button is greyed with what happened (已通过, 退回中 …)
// through the passive reply, and the matching dialog starts. 提交办理情况 keeps its click's response
// code instead and greys the button to 已提交 when the reply is submitted (取消 leaves it usable). A
// card for a task that is closed, or a decision already taken, answers clearly and changes nothing.
import type { CardUpdate } from '../../messages/outbound.js';
import type { Task } from '../../entities/task.js';
import type { AccessRefusal } from '../../services/tasks/rules.js';
import { parseTaskRef, taskRef } from '../../services/tasks/text.js';
import { BUTTON_WORDS as B, REASON_WORDS, TASK_KEYS, taskRefusalText } from '../../services/tasks/views.js';
import { checkExtension, findTask, reviewableReply } from '../../services/tasks/store.js';
import {
  ALL_ROLES,
  STALE_BUTTON_TEXT,
  SUPERVISORS,
  reply,
  type CardAction,
  type ConversationSnapshot,
  type HandlerContext,
} from '../types.js';
import { FLOWS, continuesDialog, lookupTask, openTaskId } from './common.js';
import { startExtension } from './extension.js';
import { performExtensionDecision } from './extension-decision.js';
import { showTask } from './list.js';
import { approveTask, askReturnReason } from './review.js';
import { continueSubmission, startSubmission } from './submit.js';

const button = (replaceName: string): CardUpdate => ({ type: 'updateButton', replaceName });

function id(params: string[], index = 0): number | null {
  return parseTaskRef(params[index] ?? '');
}

/** What a stale card's button should say once it is clicked. */
async function settledLabel(ctx: HandlerContext, taskId: number): Promise<CardUpdate | undefined> {
  const task = await findTask(ctx.tx, taskId);
  if (!task) return undefined;
  return button(task.status === 'done' ? B.done : B.handled);
}

function refusalLabel(task: Task | null, reason: AccessRefusal): CardUpdate | undefined {
  if (!task) return undefined;
  if (reason === 'closed') return button(B.done);
  if (reason === 'submitted') return button(B.submitted);
  return undefined;
}

/** The click belongs to the dialog that is open for the same task (办理 T12 typed, then its card). */
const sameTask =
  (flow: string) =>
  (conversation: ConversationSnapshot, params: string[]): boolean =>
    conversation.flow === flow && openTaskId(conversation.data) === id(params);

const submitAction: CardAction = {
  prefix: TASK_KEYS.submit,
  roles: ['liaison'],
  label: B.submit,
  continues: sameTask(FLOWS.submit),
  handle: async (ctx, params) => {
    const taskId = id(params);
    if (!taskId) return reply(STALE_BUTTON_TEXT);
    const found = await lookupTask(ctx, String(taskId), 'submit');
    if (!found.ok) return { ...reply(found.message), cardUpdate: refusalLabel(found.task, found.reason) };
    const { task } = found;
    const code = ctx.inbound.type === 'event' ? ctx.inbound.card?.responseCode : undefined;
    // Started by typing 办理 T12: this click's code is the one to grey the card with later.
    if (continuesDialog(ctx, FLOWS.submit, taskId)) return continueSubmission(ctx, code || undefined);
    // The button stays as it is while the liaison writes (取消 leaves it usable); the click's
    // response code is kept, and the button reads 已提交 once the reply is in.
    return startSubmission(task, code || undefined);
  },
};

const extendAction: CardAction = {
  prefix: TASK_KEYS.extend,
  roles: ['liaison'],
  label: B.extend,
  continues: sameTask(FLOWS.extend),
  handle: async (ctx, params) => {
    const taskId = id(params);
    if (!taskId) return reply(STALE_BUTTON_TEXT);
    const found = await lookupTask(ctx, String(taskId), 'extend');
    if (!found.ok) return { ...reply(found.message), cardUpdate: refusalLabel(found.task, found.reason) };
    const { task } = found;
    if (continuesDialog(ctx, FLOWS.extend, taskId)) return reply(REASON_WORDS.goOn(taskRef(taskId)));
    const check = await checkExtension(ctx.tx, task, null);
    if (!check.ok) return reply(taskRefusalText(check.refusal));
    return { ...(await startExtension(ctx, task, '')), cardUpdate: button(B.extending) };
  },
};

const detailAction: CardAction = {
  prefix: TASK_KEYS.detail,
  roles: ALL_ROLES,
  label: B.detail,
  handle: async (ctx, params) => {
    const taskId = id(params);
    return taskId ? showTask(ctx, String(taskId)) : reply(STALE_BUTTON_TEXT);
  },
};

const approveAction: CardAction = {
  prefix: TASK_KEYS.approve,
  roles: SUPERVISORS,
  label: B.approve,
  handle: async (ctx, params) => {
    const taskId = id(params);
    const replyId = Number(params[1]);
    if (!taskId || !Number.isInteger(replyId)) return reply(STALE_BUTTON_TEXT);
    const { taken, result } = await approveTask(ctx, taskId, replyId);
    return { ...result, cardUpdate: taken ? button(B.approved) : await settledLabel(ctx, taskId) };
  },
};

const returnAction: CardAction = {
  prefix: TASK_KEYS.return,
  roles: SUPERVISORS,
  label: B.return,
  continues: sameTask(FLOWS.reason),
  handle: async (ctx, params) => {
    const taskId = id(params);
    const replyId = Number(params[1]);
    if (!taskId || !Number.isInteger(replyId)) return reply(STALE_BUTTON_TEXT);
    const reviewable = await reviewableReply(ctx.tx, taskId, replyId);
    if (!reviewable.ok)
      return { ...reply(taskRefusalText(reviewable.refusal)), cardUpdate: await settledLabel(ctx, taskId) };
    return { ...(await askReturnReason(ctx, taskId, replyId)), cardUpdate: button(B.returning) };
  },
};

function extensionDecisionAction(prefix: string, decision: 'approve' | 'reject'): CardAction {
  return {
    prefix,
    roles: SUPERVISORS,
    label: decision === 'approve' ? B.extApprove : B.extReject,
    handle: async (ctx, params) => {
      const requestId = Number(params[0]);
      if (!Number.isInteger(requestId) || requestId <= 0) return reply(STALE_BUTTON_TEXT);
      const { taken, result } = await performExtensionDecision(
        ctx,
        { requestId, decision, reason: null },
        [],
      );
      return {
        ...result,
        cardUpdate: button(taken ? (decision === 'approve' ? B.extApproved : B.extRejected) : B.handled),
      };
    },
  };
}

export const taskCardActions: CardAction[] = [
  submitAction,
  extendAction,
  detailAction,
  approveAction,
  returnAction,
  extensionDecisionAction(TASK_KEYS.extApprove, 'approve'),
  extensionDecisionAction(TASK_KEYS.extReject, 'reject'),
];
