// 办理 T12 (or the card's 提交办理情况): the liaison sends text, files and images over several
// messages and ends with 提交 (or 完成); the kit's file-collection step keeps the files as draft
// uploads at the content caps, and 取消 drops them. The text passes the personal-information gate;
// the reply is stored, the task becomes 已提交 and the task's supervisors get a review card.
import { z } from 'zod';
import type { Task } from '../../entities/task.js';
import { text } from '../../messages/outbound.js';
import { keepCollected } from '../../services/content/uploads.js';
import {
  auditAcceptedFindings,
  CONFIRM_WORDS,
  gateSubmission,
  summariseFindings,
} from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { taskRef } from '../../services/tasks/text.js';
import { BUTTON_WORDS, REPLY_WORDS as W, reviewCard, taskRefusalText } from '../../services/tasks/views.js';
import { submitReply, unitNames } from '../../services/tasks/store.js';
import { formatDeadline } from '../../services/calendar/time.js';
import { effectsOf } from '../context.js';
import { reply, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { collectFile, discardFiles, DONE_WORD, fileCollectStep, type CollectedFile } from '../flow/files.js';
import { FLOWS, FindingSchema, calendarOf, lookupTask, perPerson, supervisorsOf } from './common.js';

const Draft = z.object({
  taskId: z.number(),
  texts: z.array(z.string()),
  /** Draft uploads (expiring) until the reply is submitted. */
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number() })),
  /** After a blocked text: the next text replaces what was collected instead of adding to it. */
  replaceText: z.boolean().optional(),
  findings: z.array(FindingSchema).optional(),
  /** Started from the task card: its click's response code, to grey the button once submitted. */
  cardCode: z.string().optional(),
});
type Draft = z.infer<typeof Draft>;

/** 提交 ends the reply (完成 too, the kit's word for every file collection). */
const DONE_WORDS = W.doneWords;

/** Room for a long report in one TEXT column (64 KB) and in the dialog state; more goes as a file. */
export const MAX_REPLY_CHARS = 10_000;
export const MAX_REPLY_FILES = 20;

const FILES = {
  files: (draft: Draft) => draft.files,
  withFiles: (draft: Draft, files: CollectedFile[]) => ({ ...draft, files }),
  maxFiles: MAX_REPLY_FILES,
  doneWords: DONE_WORDS,
  what: W.collection,
};

const progress = (draft: Draft): string => W.progress(draft.texts.length, draft.files.length);

/**
 * The opening prompt; a returned task also shows why it was returned. From the card's button,
 * `cardCode` is that click's response code: the card is updated once the reply is submitted.
 */
export function startSubmission(task: Task, cardCode?: string): HandlerResult {
  const lines = [W.start(taskRef(task.id), task.title, formatDeadline(task.deadline)), W.how];
  if (task.status === 'pending' && task.returnReason) lines.splice(1, 0, W.lastReturn(task.returnReason));
  return submitFlow.to(
    'collect',
    { taskId: task.id, texts: [], files: [], ...(cardCode ? { cardCode } : {}) },
    lines.join('\n'),
  );
}

/** The card's button clicked while the same reply is under way: its code is kept to grey it later. */
export function continueSubmission(ctx: HandlerContext, code: string | undefined): HandlerResult {
  const open = ctx.conversation;
  const draft = open ? submitFlow.draftOf(open.data) : undefined;
  const more = reply(W.goOn(taskRef(draft?.taskId ?? 0)));
  if (!code || !open || !draft || draft.cardCode) return more;
  return submitFlow.to(open.step, { ...draft, cardCode: code }, W.goOn(taskRef(draft.taskId)));
}

/** The gate's refusal when a piece of the reply holds personal information that may not be published. */
function blockedPiece(ctx: HandlerContext, piece: string): HandlerResult | undefined {
  const gate = gateSubmission(piece, ctx.services.config.piiAllowList);
  if (gate.outcome !== 'block') return undefined;
  return { replies: [text(gate.message), text(W.pieceBlocked)] };
}

/** A piece of the reply's text, checked as it arrives (a blocked one is never kept). */
async function addText(ctx: HandlerContext, draft: Draft, piece: string): Promise<HandlerResult> {
  const blocked = blockedPiece(ctx, piece);
  if (blocked) return blocked;
  const texts = draft.replaceText ? [piece] : [...draft.texts, piece];
  if ([...texts.join('\n')].length > MAX_REPLY_CHARS) return reply(W.tooLong(MAX_REPLY_CHARS));
  const updated = { ...draft, texts, replaceText: false };
  return submitFlow.to('collect', updated, progress(updated));
}

async function submit(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  if (draft.texts.length === 0) return reply(W.noText);
  const gate = gateSubmission(draft.texts.join('\n'), ctx.services.config.piiAllowList);
  if (gate.outcome === 'block') {
    // The blocked text is not kept in the dialog state: the next text starts afresh.
    return submitFlow.to('collect', { ...draft, texts: [], replaceText: true }, gate.message, W.resend);
  }
  if (gate.outcome === 'confirm') {
    return submitFlow.to('confirm', { ...draft, findings: summariseFindings(gate.findings) }, gate.message);
  }
  return store(ctx, draft, []);
}

async function store(
  ctx: HandlerContext,
  draft: Draft,
  findings: PiiFindingSummary[],
): Promise<HandlerResult> {
  const found = await lookupTask(ctx, String(draft.taskId), 'submit');
  if (!found.ok) return { ...reply(found.message), next: 'end' };
  const { task } = found;
  const accepted = await auditAcceptedFindings(ctx.services, ctx.user.userid, `task:${task.id}`, findings);
  const saved = await submitReply(
    ctx.tx,
    task,
    {
      userid: ctx.user.userid,
      text: draft.texts.join('\n'),
      fileIds: draft.files.map((f) => f.id),
      piiFindings: accepted,
    },
    ctx.now,
    (entry) => ctx.services.audit(entry),
  );
  if (!saved.ok) return { ...reply(taskRefusalText(saved.refusal)), next: 'end' };
  // The reply is in: its files stop being drafts.
  await keepCollected(effectsOf(ctx), draft.files);
  const calendar = await calendarOf(ctx);
  const unitName = (await unitNames(ctx.tx, [task.unitId])).get(task.unitId) ?? '';
  const people = await supervisorsOf(ctx, saved.task);
  const notify = perPerson(people, `task:${task.id}:review:${saved.reply.id}`, (person) =>
    reviewCard(calendar, saved.task, unitName, saved.reply, ctx.user.name, person.id, ctx.now),
  );
  return {
    ...reply(W.submitted(taskRef(task.id), draft.files.length)),
    notify,
    next: 'end',
    ...(draft.cardCode
      ? {
          cardUpdate: { type: 'updateButton', replaceName: BUTTON_WORDS.submitted },
          cardResponseCode: draft.cardCode,
        }
      : {}),
  };
}

export const submitFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOWS.submit,
  version: 2,
  title: '提交办理情况',
  roles: ['liaison'],
  schema: Draft,
  ttlMinutes: 120,
  // 取消: the files received for the reply go with it.
  discard: discardFiles<Draft>((draft) => draft.files),
  steps: {
    collect: fileCollectStep<Draft>({
      ...FILES,
      hint: W.hint,
      flow: () => submitFlow,
      step: 'collect',
      done: submit,
      text: addText,
      kept: progress,
    }),
    // After a warning: 确认 stores; a new text replaces the one warned about; files are still taken.
    confirm: {
      hint: W.confirmHint,
      takesText: true,
      run: async (ctx, draft) => {
        if (ctx.inbound.type !== 'text') {
          const collected = await collectFile(ctx, draft, FILES);
          if ('refused' in collected) return collected.refused;
          return submitFlow.to('confirm', collected.draft, W.fileAtConfirm);
        }
        if (CONFIRM_WORDS.has(ctx.text)) return store(ctx, draft, draft.findings ?? []);
        // 提交 again is not a new text: the warned one still waits for 确认.
        if (ctx.text === DONE_WORD || DONE_WORDS.includes(ctx.text)) return reply(`${W.confirmHint}。`);
        const piece = ctx.rawText.trim();
        if (!piece) return reply(`${W.confirmHint}。`);
        const blocked = blockedPiece(ctx, piece);
        if (blocked) return blocked;
        if ([...piece].length > MAX_REPLY_CHARS) return reply(W.replacementTooLong(MAX_REPLY_CHARS));
        return submitFlow.to('collect', { ...draft, texts: [piece], findings: [] }, W.replaced);
      },
    },
  },
});

export const submitCommand: Command = {
  name: '办理',
  roles: ['liaison'],
  summary: '提交任务的办理情况（文字，可附文件、图片）',
  usage: '办理 T编号',
  args: 'required',
  group: '任务',
  handle: async (ctx) => {
    const found = await lookupTask(ctx, ctx.args.split(' ')[0] ?? '', 'submit');
    return found.ok ? startSubmission(found.task) : reply(found.message);
  },
};
