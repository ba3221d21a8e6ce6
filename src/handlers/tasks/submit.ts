// 办理 T12 (or the card's 提交办理情况): the liaison sends text, files and images over several
// messages and ends with 提交; the text passes the personal-information gate; the reply is stored,
// the task becomes 已提交 and the task's supervisors get a review card.
import { z } from 'zod';
import { text } from '../../messages/outbound.js';
import type { Task } from '../../entities/task.js';
import { deleteDraftFiles, keepFiles, saveFile, uploadedBytesSince } from '../../db/files.js';
import { dailyUploadsFullText, refusalText, replyAttachmentsFullText } from '../../services/content/views.js';
import { shanghaiDate, startOfShanghaiDay } from '../../services/calendar/time.js';
import { RECEIVE_FAILED_TEXT } from '../content.js';
import {
  auditAcceptedFindings,
  CONFIRM_WORDS,
  gateSubmission,
  summariseFindings,
} from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { taskRef } from '../../services/tasks/text.js';
import { reviewCard } from '../../services/tasks/views.js';
import { submitReply, unitNames } from '../../services/tasks/store.js';
import { formatDeadline } from '../../services/calendar/time.js';
import { reply, type Command, type Flow, type HandlerContext, type HandlerResult } from '../types.js';
import { FLOWS, FindingSchema, calendarOf, lookupTask, perPerson, supervisorsOf } from './common.js';

const Draft = z.object({
  taskId: z.number(),
  texts: z.array(z.string()),
  /** Draft files (stored_file.draft_until set) until the reply is submitted. */
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number().optional() })),
  /** After a blocked text: the next text replaces what was collected instead of adding to it. */
  replaceText: z.boolean().optional(),
  findings: z.array(FindingSchema).optional(),
  /** Started from the task card: its click's response code, to grey the button once submitted. */
  cardCode: z.string().optional(),
});
type Draft = z.infer<typeof Draft>;

const SUBMIT_WORDS = new Set(['提交', '提交办理情况', '完成']);

/** Room for a long report in one TEXT column (64 KB) and in the dialog state; more goes as a file. */
export const MAX_REPLY_CHARS = 10_000;
export const MAX_REPLY_FILES = 20;

/**
 * Messages that read as another command (帮助, 我的任务, 任务 T3 …) are not part of the reply: they
 * are not recorded, and the liaison is told how to leave the dialog first.
 */
const LOOKS_LIKE_COMMAND = /^(?:帮助|help|菜单|我的任务|任务|待办)$|^(?:办理|任务|延期|审核)\s*[Tt]?\d+/;

function next(step: 'collect' | 'confirm', draft: Draft): HandlerResult['next'] {
  return { flow: FLOWS.submit, step, data: draft };
}

function progress(draft: Draft): string {
  return `已记录（文字${draft.texts.length}段，附件${draft.files.length}个）。可继续发送文字、文件或图片，全部发送后回复“提交”。`;
}

/**
 * The opening prompt; a returned task also shows why it was returned. From the card's button,
 * `cardCode` is that click's response code: the card is updated once the reply is submitted.
 */
export function startSubmission(task: Task, cardCode?: string): HandlerResult {
  const ref = taskRef(task.id);
  const lines = [
    `请发送 ${ref}「${task.title}」的办理情况（截止 ${formatDeadline(task.deadline)}）。`,
    '可分多条发送文字，也可发送文件或图片；全部发送后回复“提交”，回复“取消”放弃。',
  ];
  if (task.status === 'pending' && task.returnReason)
    lines.splice(1, 0, `上次退回理由：${task.returnReason}`);
  return {
    replies: [text(lines.join('\n'))],
    next: next('collect', { taskId: task.id, texts: [], files: [], ...(cardCode ? { cardCode } : {}) }),
  };
}

/**
 * Downloads a file or image the liaison sent and keeps it as a draft (WeCom's media ids live only
 * 3 days). The download stops at the tightest of three caps: per file, what is left of the reply's
 * total, and what is left of the member's daily allowance; the answer names the cap that stopped it.
 */
async function keepMedia(
  ctx: HandlerContext,
  draft: Draft,
): Promise<{ id: number; name: string; size: number } | { error: string }> {
  const inbound = ctx.inbound;
  if (inbound.type !== 'file' && inbound.type !== 'image') return { error: '只能接收文字、文件或图片。' };
  const limits = ctx.services.content.attachmentLimits;
  const replyLeft = limits.perReplyBytes - draft.files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  if (replyLeft <= 0) return { error: replyAttachmentsFullText(limits.perReplyBytes) };
  const today = startOfShanghaiDay(shanghaiDate(ctx.now));
  const dayLeft = limits.perMemberPerDayBytes - (await uploadedBytesSince(ctx.tx, ctx.user.userid, today));
  if (dayLeft <= 0) return { error: dailyUploadsFullText(limits.perMemberPerDayBytes) };
  const perFile = limits.perFileBytes;
  const cap = Math.min(perFile, replyLeft, dayLeft);
  try {
    const download = await ctx.services.fetchMedia(inbound.mediaId, cap);
    if (!download.ok) {
      if (cap === perFile)
        return { error: refusalText({ reason: 'too-large', kind: 'attachment', limitBytes: perFile }) };
      return {
        error:
          cap === replyLeft
            ? replyAttachmentsFullText(limits.perReplyBytes)
            : dailyUploadsFullText(limits.perMemberPerDayBytes),
      };
    }
    const media = download.file;
    const name =
      inbound.type === 'file'
        ? (inbound.fileName ?? media.fileName)
        : media.fileName && media.fileName !== 'file'
          ? media.fileName
          : `图片-${inbound.msgId}.jpg`;
    const stored = await saveFile(ctx.tx, {
      fileName: name.slice(0, 200),
      contentType: media.contentType,
      data: media.data,
      owner: ctx.user.userid,
      source: 'upload',
      // Kept for good only once the reply is submitted; a draft left unsent is removed.
      expiresAt: new Date(ctx.now.getTime() + limits.draftHours * 3_600_000),
    });
    return { id: stored.id, name: stored.fileName, size: stored.size };
  } catch (error) {
    ctx.services.logger.warn({ err: error, delivery: ctx.deliveryId }, 'could not fetch task attachment');
    return { error: RECEIVE_FAILED_TEXT };
  }
}

async function addMedia(
  ctx: HandlerContext,
  draft: Draft,
  step: 'collect' | 'confirm',
): Promise<HandlerResult> {
  if (draft.files.length >= MAX_REPLY_FILES) {
    return reply(`附件已达 ${MAX_REPLY_FILES} 个，这个文件未记录。请回复“提交”，或将材料合并后再发送。`);
  }
  const kept = await keepMedia(ctx, draft);
  if ('error' in kept) return reply(kept.error);
  const updated = { ...draft, files: [...draft.files, kept] };
  const note =
    step === 'confirm' ? '已收到附件。请回复“确认”提交，或重新发送办理情况文字。' : progress(updated);
  return { replies: [text(note)], next: next(step, updated) };
}

/** The gate's refusal when a piece of the reply holds personal information that may not be published. */
function blockedPiece(ctx: HandlerContext, piece: string): HandlerResult | undefined {
  const gate = gateSubmission(piece, ctx.services.config.piiAllowList);
  if (gate.outcome !== 'block') return undefined;
  return {
    replies: [text(gate.message), text('这条消息未记录，请删除或脱敏后重新发送。')],
  };
}

async function submit(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  if (draft.texts.length === 0) return reply('请先发送办理情况文字，再回复“提交”。');
  const body = draft.texts.join('\n');
  const gate = gateSubmission(body, ctx.services.config.piiAllowList);
  if (gate.outcome === 'block') {
    return {
      replies: [
        text(gate.message),
        text('请重新发送完整的办理情况文字（将替换之前的文字，已收到的附件保留），然后回复“提交”。'),
      ],
      // The blocked text is not kept in the dialog state: the next text starts afresh.
      next: next('collect', { ...draft, texts: [], replaceText: true }),
    };
  }
  if (gate.outcome === 'confirm') {
    return {
      replies: [text(gate.message)],
      next: next('confirm', { ...draft, findings: summariseFindings(gate.findings) }),
    };
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
  if (!saved.ok) return { ...reply(saved.message), next: 'end' };
  // The reply is in: its files stop being drafts.
  await keepFiles(
    ctx.tx,
    draft.files.map((f) => f.id),
  );
  const calendar = await calendarOf(ctx);
  const unitName = (await unitNames(ctx.tx, [task.unitId])).get(task.unitId) ?? '';
  const people = await supervisorsOf(ctx, saved.task);
  const notify = perPerson(people, `task:${task.id}:review:${saved.reply.id}`, (person) =>
    reviewCard(calendar, saved.task, unitName, saved.reply, ctx.user.name, person.id, ctx.now),
  );
  const ref = taskRef(task.id);
  return {
    replies: [text(`已提交 ${ref} 的办理情况（附件${draft.files.length}个），等待督办人员审核。`)],
    notify,
    next: 'end',
    ...(draft.cardCode
      ? { cardUpdate: { type: 'updateButton', replaceName: '已提交' }, cardResponseCode: draft.cardCode }
      : {}),
  };
}

export const submitFlow: Flow = {
  name: FLOWS.submit,
  version: 1,
  title: '提交办理情况',
  roles: ['liaison'],
  ttlMinutes: 120,
  // 取消: the files received for the reply go with it.
  discard: async (ctx, data) => {
    const draft = Draft.safeParse(data);
    if (draft.success)
      await deleteDraftFiles(
        ctx.tx,
        draft.data.files.map((f) => f.id),
      );
  },
  steps: {
    collect: async (ctx, data) => {
      const draft = Draft.parse(data);
      if (ctx.inbound.type !== 'text') return addMedia(ctx, draft, 'collect');
      if (SUBMIT_WORDS.has(ctx.text)) return submit(ctx, draft);
      if (LOOKS_LIKE_COMMAND.test(ctx.text)) {
        return reply(
          `您正在填写 ${taskRef(draft.taskId)} 的办理情况，这条消息未记录。请先回复“提交”完成，或“取消”退出，再发送其他指令。`,
        );
      }
      const piece = ctx.rawText.trim();
      if (!piece) return reply(progress(draft));
      // A piece that would be blocked is refused as it arrives, so that it is never kept in the
      // dialog state; the whole text is checked again on 提交.
      const blocked = blockedPiece(ctx, piece);
      if (blocked) return blocked;
      const texts = draft.replaceText ? [piece] : [...draft.texts, piece];
      if ([...texts.join('\n')].length > MAX_REPLY_CHARS) {
        return reply(
          `办理情况文字将超过 ${MAX_REPLY_CHARS} 字，这条消息未记录。请精简，或将详细材料以文件形式发送。`,
        );
      }
      const updated = { ...draft, texts, replaceText: false };
      return { replies: [text(progress(updated))], next: next('collect', updated) };
    },
    confirm: async (ctx, data) => {
      const draft = Draft.parse(data);
      if (ctx.inbound.type !== 'text') return addMedia(ctx, draft, 'confirm');
      if (CONFIRM_WORDS.has(ctx.text)) return store(ctx, draft, draft.findings ?? []);
      const piece = ctx.rawText.trim();
      if (!piece) return reply('请回复“确认”提交，或重新发送办理情况文字。');
      const blocked = blockedPiece(ctx, piece);
      if (blocked) return blocked;
      // A new text replaces the one that raised the warning; it is checked again on 提交.
      if ([...piece].length > MAX_REPLY_CHARS)
        return reply(`办理情况文字不能超过 ${MAX_REPLY_CHARS} 字，请精简。`);
      const updated = { ...draft, texts: [piece], findings: [] };
      return {
        replies: [text('已更新办理情况文字。可继续补充，全部发送后回复“提交”。')],
        next: next('collect', updated),
      };
    },
  },
};

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
