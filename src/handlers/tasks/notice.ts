// 通报: a notice from text or an uploaded .docx/.txt. The notice is stored at once; its deadline
// sentences ("于3月21日前，将…") become proposed tasks that the supervisor edits and confirms. A
// 案例征集 item opens a typical-case call (quotas per unit kind, cards to the liaisons) instead of
// one task per unit.
import { memberText } from '../../messages/member-text.js';
import { z } from 'zod';
import { markdown, text } from '../../messages/outbound.js';
import { TASK_KIND_LABELS } from '../../entities/task.js';
import { callName } from '../../services/cases/views.js';
import { DEFAULT_CASE_QUOTAS, describeQuotas } from '../../services/cases/rules.js';
import { openCaseCall } from '../../services/cases/store.js';
import { notToldText, resolveUnitNames } from '../../services/directory/lookup.js';
import { saveFile } from '../../db/files.js';
import { CONFIRM_WORDS } from '../../services/pii/gate.js';
import { textFormatOf, unsupportedFileText } from '../../services/content/text-extract.js';
import { downloadMedia, refusalResult } from '../content.js';
import {
  clip,
  parseNoticeMeta,
  TASK_KIND_ORDER,
  parseTaskKind,
  proposeTasks,
} from '../../services/tasks/text.js';
import {
  readDialogDeadline,
  type DialogDeadline,
  type DialogRead,
} from '../../services/calendar/date-replies.js';
import { failedRead, takeYearAnswer } from '../year-question.js';
import { taskDeadlineText } from '../../services/tasks/views.js';
import { createNotice, createTasks } from '../../services/tasks/store.js';
import { formatDate, isLocalDate } from '../../services/calendar/time.js';
import { formatDeadlineMarked } from '../../services/calendar/deadline-text.js';
import type { Task } from '../../entities/task.js';
import {
  SUPERVISORS,
  reply,
  type Command,
  type Flow,
  type HandlerContext,
  type ConversationNext,
  type HandlerResult,
  type Notification,
} from '../types.js';
import { assignmentNotifications, createdSummary, readUnits } from './assign.js';
import { FLOWS, calendarOf } from './common.js';

const Proposal = z.object({
  kind: z.enum(TASK_KIND_ORDER),
  title: z.string(),
  detail: z.string(),
  /** ISO instant, or null while the deadline still has to be given. */
  deadline: z.string().nullable(),
  estimated: z.boolean(),
  warning: z.string().nullable(),
  /** For "N个工作日": N and when counting started (ISO), to recompute a provisional deadline. */
  workingDays: z.number().nullable().default(null),
  countedFrom: z.string().nullable().default(null),
  unitIds: z.array(z.number()),
  unitsLabel: z.string(),
});
type Proposal = z.infer<typeof Proposal>;

const Draft = z.object({ noticeId: z.number(), title: z.string(), proposals: z.array(Proposal) });
type Draft = z.infer<typeof Draft>;

const MIN_NOTICE_CHARS = 20;
/** What fits a TEXT column (64 KB) with room to spare; the uploaded file itself is kept whole. */
export const MAX_NOTICE_CHARS = 20_000;
const EDIT_HELP =
  '修改：“标题 1 新标题”“要求 1 新要求”“截止 1 3月25日”“单位 1 全部区县、高新区”“类型 1 整改”“删除 1”“新增 任务标题”。\n' +
  '回复“确认”下发，“取消”放弃（通报已保存）。';

function next(draft: Draft): HandlerResult['next'] {
  return { flow: FLOWS.notice, step: 'review', data: draft };
}

type DeadlineFields = Pick<Proposal, 'deadline' | 'estimated' | 'warning' | 'workingDays' | 'countedFrom'>;

function deadlineFields(parsed: DialogRead<DialogDeadline>): DeadlineFields {
  if (!parsed.ok)
    return { deadline: null, estimated: false, warning: null, workingDays: null, countedFrom: null };
  const value = parsed.value;
  return {
    deadline: value.deadline.toISOString(),
    estimated: value.estimated,
    warning: value.warning,
    workingDays: value.workingDays,
    countedFrom: value.countedFrom?.toISOString() ?? null,
  };
}

/** The task or call fields that keep how a deadline was counted. */
function countedFields(proposal: Proposal): {
  deadlineWorkingDays: number | null;
  deadlineCountedFrom: Date | null;
} {
  return {
    deadlineWorkingDays: proposal.workingDays,
    deadlineCountedFrom: proposal.countedFrom ? new Date(proposal.countedFrom) : null,
  };
}

async function allUnits(ctx: HandlerContext): Promise<Pick<Proposal, 'unitIds' | 'unitsLabel'>> {
  const { units } = await resolveUnitNames(ctx.tx, '全部单位');
  return { unitIds: units.map((unit) => unit.id), unitsLabel: `全部单位（${units.length}个）` };
}

/** Stores the notice and proposes its tasks. */
async function receive(
  ctx: HandlerContext,
  received: string,
  sourceFileId: number | null,
): Promise<HandlerResult> {
  // The text of a large document is cut before any work on it here (on the main thread): a notice
  // is kept up to MAX_NOTICE_CHARS characters anyway (two UTF-16 units each at most).
  const body = received.length > MAX_NOTICE_CHARS * 2 ? received.slice(0, MAX_NOTICE_CHARS * 2) : received;
  if ([...body.trim()].length < MIN_NOTICE_CHARS) {
    return reply('通报内容太短，请发送通报全文，或上传 .docx / .txt 文件。');
  }
  const meta = parseNoticeMeta(body);
  const chars = [...body];
  const clipped = chars.length > MAX_NOTICE_CHARS || body !== received;
  const notice = await createNotice(
    ctx.tx,
    {
      title: meta.title,
      body: chars.length > MAX_NOTICE_CHARS ? chars.slice(0, MAX_NOTICE_CHARS).join('') : body,
      issuer: meta.issuer,
      issuedOn: meta.issuedOn,
      sourceFileId,
    },
    ctx.user.userid,
    (entry) => ctx.services.audit(entry),
  );
  const calendar = await calendarOf(ctx);
  const units = await allUnits(ctx);
  const noticeDate = meta.issuedOn && isLocalDate(meta.issuedOn) ? meta.issuedOn : null;
  const proposals: Proposal[] = proposeTasks(body, { now: ctx.now, calendar, noticeDate }).map((found) => ({
    kind: found.kind,
    title: found.title,
    detail: found.detail,
    ...deadlineFields(found.deadline),
    ...units,
  }));
  const lines = [`已保存通报《${clip(meta.title, 60)}》。`];
  const about = [
    meta.issuer ? `发文单位：${meta.issuer}` : '',
    meta.issuedOn && isLocalDate(meta.issuedOn) ? `日期：${formatDate(meta.issuedOn)}` : '',
  ]
    .filter(Boolean)
    .join('\u3000');
  if (about) lines.push(about);
  if (clipped) {
    lines.push(
      `<font color="comment">正文超过 ${MAX_NOTICE_CHARS} 字，只保存了前 ${MAX_NOTICE_CHARS} 字${sourceFileId ? '（原文件已完整保存）' : ''}；截止要求已按全文查找。</font>`,
    );
  }
  lines.push(
    proposals.length
      ? `从正文中找到 ${proposals.length} 处截止要求，拟下发以下任务：`
      : '正文中没有找到截止要求（如“于3月21日前”）。可发送“新增 任务标题”添加任务，或“取消”结束。',
  );
  const draft: Draft = { noticeId: notice.id, title: meta.title, proposals };
  return {
    replies: [markdown([...lines, '', await proposalsText(ctx, draft)].join('\n'))],
    next: next(draft),
  };
}

async function proposalsText(ctx: HandlerContext, draft: Draft): Promise<string> {
  const calendar = await calendarOf(ctx);
  const blocks = draft.proposals.map((proposal, i) => {
    const passed = proposal.deadline !== null && new Date(proposal.deadline).getTime() <= ctx.now.getTime();
    const deadline = passed
      ? `<font color="warning">${formatDeadlineMarked(new Date(proposal.deadline!), proposal.estimated)}，已过（请发送“截止 ${i + 1} 日期”重新设置）</font>`
      : proposal.deadline
        ? taskDeadlineText(
            calendar,
            {
              assignedAt: ctx.now,
              deadline: new Date(proposal.deadline),
              deadlineEstimated: proposal.estimated,
            },
            ctx.now,
          ).line
        : '<font color="warning">未设置（请发送“截止 序号 日期”）</font>';
    return [
      `**${i + 1}. [${TASK_KIND_LABELS[proposal.kind]}] ${memberText(proposal.title.replace(/\s+/g, ' '))}**`,
      `> ${memberText(clip(proposal.detail, 150).replace(/\s+/g, ' '))}`,
      `截止：${deadline}`,
      proposal.kind === 'cases'
        ? `单位：按配额征集（${describeQuotas(DEFAULT_CASE_QUOTAS)}），确认后发起案例征集`
        : `单位：${proposal.unitsLabel}`,
    ].join('\n');
  });
  return [...blocks, '', EDIT_HELP].join('\n\n').replace(/\n{3,}/g, '\n\n');
}

async function show(ctx: HandlerContext, draft: Draft, note: string): Promise<HandlerResult> {
  return { replies: [markdown(`${note}\n\n${await proposalsText(ctx, draft)}`)], next: next(draft) };
}

const EDIT = /^(标题|要求|截止|单位|类型|删除)\s*(?:([0-9０-９]{1,2})(?=\s|$))?\s*([\s\S]*)$/;

/** Applies one edit command (`raw`); returns the message to show, or an error. */
async function edit(ctx: HandlerContext, draft: Draft, raw: string): Promise<HandlerResult> {
  const added = /^新增\s*([\s\S]+)$/.exec(raw);
  if (added) {
    const title = clip(added[1]!.trim(), 100);
    const proposal: Proposal = {
      kind: 'custom',
      title,
      detail: title,
      deadline: null,
      estimated: false,
      warning: null,
      workingDays: null,
      countedFrom: null,
      ...(await allUnits(ctx)),
    };
    const updated = { ...draft, proposals: [...draft.proposals, proposal] };
    return show(ctx, updated, `已新增第 ${updated.proposals.length} 项，请设置截止时间。`);
  }
  const match = EDIT.exec(raw);
  if (!match) return reply(`没有看懂。${EDIT_HELP}`);
  const [, field, numberText, valueText] = match;
  const value = valueText!.trim();
  if (draft.proposals.length === 0) return reply('目前没有拟下发的任务，可发送“新增 任务标题”添加。');
  const index = numberText ? Number(numberText.normalize('NFKC')) - 1 : draft.proposals.length === 1 ? 0 : -1;
  const current = draft.proposals[index];
  if (!current) return reply(`请写明序号（1 到 ${draft.proposals.length}），如“${field} 1 …”。`);
  if (field === '删除') {
    const proposals = draft.proposals.filter((_, i) => i !== index);
    return show(ctx, { ...draft, proposals }, `已删除第 ${index + 1} 项。`);
  }
  if (!value) return reply(`请在“${field} ${index + 1}”后写上新的内容。`);
  let changed: Proposal;
  switch (field) {
    case '标题':
      changed = { ...current, title: clip(value, 100) };
      break;
    case '要求':
      changed = { ...current, detail: clip(value, 2000) };
      break;
    case '类型': {
      const kind = parseTaskKind(value);
      if (!kind) return reply('类型可以是：整改、落实情况、案例征集、自定义。');
      changed = { ...current, kind };
      break;
    }
    case '截止': {
      const parsed = readDialogDeadline(value, { now: ctx.now, calendar: await calendarOf(ctx) });
      if (!parsed.ok) {
        // A year question: 是 re-runs this very edit with the date made explicit.
        const ask = parsed.ask === undefined ? undefined : `截止 ${index + 1} ${parsed.ask}`;
        return failedRead(
          { error: parsed.error, ask },
          draft,
          (data) => next(data as Draft) as ConversationNext,
        );
      }
      changed = { ...current, ...deadlineFields(parsed) };
      break;
    }
    default: {
      const units = await readUnits(ctx, value.normalize('NFKC'));
      if (!units.ok) return reply(units.message);
      changed = {
        ...current,
        unitIds: units.units.map((u) => u.id),
        unitsLabel: unitsLabel(value, units.units),
      };
    }
  }
  const proposals = draft.proposals.map((proposal, i) => (i === index ? changed : proposal));
  return show(ctx, { ...draft, proposals }, `已修改第 ${index + 1} 项。`);
}

function unitsLabel(input: string, units: { name: string }[]): string {
  const names = units.map((unit) => unit.name);
  const listed = names.length > 10 ? `${names.slice(0, 10).join('、')}等` : names.join('、');
  return /全部/.test(input) ? `${input.trim()}（${units.length}个）` : `${listed}（${units.length}个）`;
}

async function confirm(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  if (draft.proposals.length === 0)
    return reply('没有要下发的任务。可发送“新增 任务标题”添加，或“取消”结束。');
  const missing = draft.proposals
    .map((proposal, i) => ({ proposal, i }))
    .filter(
      ({ proposal }) => !proposal.deadline || new Date(proposal.deadline).getTime() <= ctx.now.getTime(),
    );
  if (missing.length) {
    return reply(
      `第 ${missing.map(({ i }) => i + 1).join('、')} 项的截止时间未设置或已过，请先发送“截止 序号 日期”。`,
    );
  }
  const empty = draft.proposals.findIndex(
    (proposal) => proposal.kind !== 'cases' && proposal.unitIds.length === 0,
  );
  if (empty >= 0) return reply(`第 ${empty + 1} 项没有责任单位，请发送“单位 ${empty + 1} 单位名称”。`);
  const tasks: Task[] = [];
  const callLines: string[] = [];
  const notify: Notification[] = [];
  for (const proposal of draft.proposals) {
    if (proposal.kind === 'cases') {
      const opened = await openCaseCall(
        ctx.tx,
        {
          title: proposal.title,
          deadline: new Date(proposal.deadline!),
          deadlineEstimated: proposal.estimated,
          ...countedFields(proposal),
          noticeId: draft.noticeId,
          createdBy: ctx.user.userid,
        },
        ctx.now,
      );
      callLines.push(
        `已发起${callName(opened.call)}，已向 ${opened.notifiedUnits.length} 个单位的 ${opened.liaisonCount} 名联络员发送征集通知；发送“案例进度”查看提交情况。`,
      );
      if (opened.unitsWithoutLiaison.length > 0) {
        callLines.push(notToldText(opened.unitsWithoutLiaison.map((unit) => unit.name)));
      }
      notify.push(...opened.notifications);
      continue;
    }
    tasks.push(
      ...(await createTasks(
        ctx.tx,
        {
          kind: proposal.kind,
          title: proposal.title,
          detail: proposal.detail,
          unitIds: proposal.unitIds,
          deadline: new Date(proposal.deadline!),
          deadlineEstimated: proposal.estimated,
          ...countedFields(proposal),
          noticeId: draft.noticeId,
        },
        ctx.user.userid,
        ctx.now,
        (entry) => ctx.services.audit(entry),
      )),
    );
  }
  const prefix = `通报《${clip(draft.title, 40)}》：`;
  const summary = tasks.length > 0 ? [await createdSummary(ctx, tasks, prefix)] : [prefix];
  notify.push(...(await assignmentNotifications(ctx, tasks)));
  return { replies: [markdown([...summary, ...callLines].join('\n'))], notify, next: 'end' };
}

/** Reads an uploaded .docx/.txt and keeps the file with the notice. */
async function receiveFile(ctx: HandlerContext): Promise<HandlerResult> {
  const inbound = ctx.inbound;
  if (inbound.type !== 'file') return reply('请发送通报全文（文字），或上传 .docx / .txt 文件。');
  const format = textFormatOf(inbound.fileName ?? '');
  if (!format) return reply(unsupportedFileText(inbound.fileName ?? ''));
  const download = await downloadMedia(ctx, inbound.mediaId, format);
  if (!download.ok) return download.result;
  const media = download.file;
  const fileName = inbound.fileName ?? media.fileName;
  const parsed = await ctx.services.content.extractText(format, media.data);
  if (!parsed.ok) return refusalResult(parsed.refusal);
  const extracted = parsed.value;
  if (!extracted.ok) return reply(extracted.error);
  const stored = await saveFile(ctx.tx, {
    fileName: fileName.slice(0, 200),
    contentType: media.contentType,
    data: media.data,
    owner: ctx.user.userid,
    source: 'upload',
  });
  return receive(ctx, extracted.text, stored.id);
}

export const noticeFlow: Flow = {
  name: FLOWS.notice,
  version: 1,
  title: '通报',
  roles: SUPERVISORS,
  ttlMinutes: 60,
  steps: {
    body: async (ctx) => {
      if (ctx.inbound.type === 'text') return receive(ctx, ctx.rawText, null);
      return receiveFile(ctx);
    },
    review: async (ctx, data) => {
      if (ctx.inbound.type !== 'text') return reply(`通报已保存。${EDIT_HELP}`);
      const answer = takeYearAnswer(
        ctx.rawText.trim(),
        data,
        (kept) => next(kept as Draft) as ConversationNext,
      );
      if ('declined' in answer) return answer.declined;
      const draft = Draft.parse(answer.data);
      if (CONFIRM_WORDS.has(answer.input.normalize('NFKC').trim())) return confirm(ctx, draft);
      return edit(ctx, draft, answer.input);
    },
  },
};

export const noticeCommand: Command = {
  name: '通报',
  roles: SUPERVISORS,
  summary: '录入通报（文字或 .docx/.txt），按其中的截止要求下发任务',
  usage: '通报 [全文]',
  args: 'optional',
  group: '督办',
  handle: async (ctx) => {
    if (ctx.rawArgs) return receive(ctx, ctx.rawArgs, null);
    return {
      replies: [text('请发送通报全文（文字），或上传通报的 .docx / .txt 文件。发送“取消”放弃。')],
      next: { flow: FLOWS.notice, step: 'body', data: {} },
    };
  },
};
