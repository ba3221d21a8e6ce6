// 通报: a notice from text or an uploaded .docx/.txt. The notice is stored at once; every item it
// asks to act on becomes a proposal the supervisor edits and confirms: its 落实情况 report (the
// deadline sentences), the typical-case call with its quotas and length rule (opened through the
// cases service), and one rectification per problem of 存在的问题. Built on the flow kit.
import { memberText } from '../../messages/member-text.js';
import { z } from 'zod';
import { markdown } from '../../messages/outbound.js';
import { TASK_KIND_LABELS } from '../../entities/task.js';
import { openedCallReply } from '../../services/cases/views.js';
import { DEFAULT_CASE_QUOTAS, describeQuotas, parseQuotas } from '../../services/cases/rules.js';
import { openCaseCall } from '../../services/cases/store.js';
import { resolveUnitNames } from '../../services/directory/lookup.js';
import { saveFile } from '../../db/files.js';
import { CONFIRM_WORDS } from '../../services/pii/gate.js';
import { textFormatOf, unsupportedFileText } from '../../services/content/text-extract.js';
import { downloadMedia, refusalResult } from '../content.js';
import {
  clip,
  parseNoticeMeta,
  TASK_KIND_ORDER,
  parseTaskKind,
  proposeNoticeItems,
} from '../../services/tasks/text.js';
import {
  readDialogDeadline,
  type DialogDeadline,
  type DialogRead,
} from '../../services/calendar/date-replies.js';
import { readYesNo } from '../../services/calendar/year-choice.js';
import { NOTICE_WORDS as W, taskDeadlineText } from '../../services/tasks/views.js';
import { createNotice, createTasks } from '../../services/tasks/store.js';
import { formatDate, isLocalDate } from '../../services/calendar/time.js';
import { formatDeadlineMarked } from '../../services/calendar/deadline-text.js';
import type { Task } from '../../entities/task.js';
import {
  SUPERVISORS,
  reply,
  type Command,
  type HandlerContext,
  type HandlerResult,
  type Notification,
} from '../types.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { confirmPrompt, confirmRetry, tooLong } from '../flow/views.js';
import { assignmentNotifications, createdSummary, readUnits } from './assign.js';
import { FLOWS, calendarOf } from './common.js';

const Quotas = z.object({
  district: z.number(),
  zone: z.number(),
  department: z.number(),
  other: z.number(),
});

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
  /** A typical-case call: the quotas per unit kind and the length rule the notice sets. */
  quotas: Quotas.optional(),
  maxChars: z.number().nullable().optional(),
});
type Proposal = z.infer<typeof Proposal>;

/** Empty while the notice is awaited; then the stored notice and the items proposed from it. */
const Draft = z.object({
  noticeId: z.number().optional(),
  title: z.string().optional(),
  proposals: z.array(Proposal).optional(),
});
type Draft = z.infer<typeof Draft>;
type Reviewed = Required<Draft>;

const MIN_NOTICE_CHARS = 20;
/** What fits a TEXT column (64 KB) with room to spare; the uploaded file itself is kept whole. */
export const MAX_NOTICE_CHARS = 20_000;
const EDIT_HELP = `${W.editHelp}\n${confirmPrompt('下发')}`;

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
  return { unitIds: units.map((unit) => unit.id), unitsLabel: W.allUnits(units.length) };
}

const toReview = (draft: Reviewed, ...say: Parameters<KitFlow<Draft>['to']>[2][]) =>
  noticeFlow.to('review', draft, ...say);

/** Stores the notice and proposes every item it asks to act on. */
async function receive(
  ctx: HandlerContext,
  received: string,
  sourceFileId: number | null,
): Promise<HandlerResult> {
  // The text of a large document is cut before any work on it here (on the main thread): a notice
  // is kept up to MAX_NOTICE_CHARS characters anyway (two UTF-16 units each at most).
  const body = received.length > MAX_NOTICE_CHARS * 2 ? received.slice(0, MAX_NOTICE_CHARS * 2) : received;
  // Also after 通报 <too little>: the dialog then waits for the text it asks for.
  if ([...body.trim()].length < MIN_NOTICE_CHARS) return noticeFlow.to('body', {}, W.tooShort);
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
  const proposals: Proposal[] = proposeNoticeItems(body, { now: ctx.now, calendar, noticeDate }).map(
    (found) => ({
      kind: found.kind,
      title: found.title,
      detail: found.detail,
      ...(found.deadline ? deadlineFields(found.deadline) : NO_DEADLINE),
      ...units,
      ...(found.cases ? { quotas: found.cases.quotas, maxChars: found.cases.maxChars } : {}),
    }),
  );
  const lines = [W.saved(clip(meta.title, 60))];
  const about = [
    meta.issuer ? W.issuer(meta.issuer) : '',
    meta.issuedOn && isLocalDate(meta.issuedOn) ? W.issuedOn(formatDate(meta.issuedOn)) : '',
  ]
    .filter(Boolean)
    .join('\u3000');
  if (about) lines.push(about);
  if (clipped) lines.push(W.clipped(MAX_NOTICE_CHARS, sourceFileId !== null));
  lines.push(proposals.length ? W.found(proposals.length) : W.nothingFound);
  const draft: Reviewed = { noticeId: notice.id, title: meta.title, proposals };
  return toReview(draft, markdown([...lines, '', await proposalsText(ctx, draft)].join('\n')));
}

const NO_DEADLINE: DeadlineFields = {
  deadline: null,
  estimated: false,
  warning: null,
  workingDays: null,
  countedFrom: null,
};

/** Every item, or only item `only` (after it was edited: the others did not change). */
async function proposalsText(ctx: HandlerContext, draft: Reviewed, only?: number): Promise<string> {
  const calendar = await calendarOf(ctx);
  const shown = draft.proposals
    .map((proposal, i) => ({ proposal, i }))
    .filter(({ i }) => only === undefined || i === only);
  const blocks = shown.map(({ proposal, i }) => {
    const passed = proposal.deadline !== null && new Date(proposal.deadline).getTime() <= ctx.now.getTime();
    const deadline = passed
      ? `<font color="warning">${formatDeadlineMarked(new Date(proposal.deadline!), proposal.estimated)}，${W.deadlinePassed(i + 1)}</font>`
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
        : `<font color="warning">${W.deadlineUnset}</font>`;
    return [
      `**${i + 1}. [${TASK_KIND_LABELS[proposal.kind]}] ${memberText(proposal.title.replace(/\s+/g, ' '))}**`,
      `> ${memberText(clip(proposal.detail, 150).replace(/\s+/g, ' '))}`,
      W.deadlineLine(deadline),
      proposal.kind === 'cases'
        ? W.casesUnits(describeQuotas(proposal.quotas ?? DEFAULT_CASE_QUOTAS), proposal.maxChars ?? null)
        : W.unitsLine(proposal.unitsLabel),
    ].join('\n');
  });
  const help = only === undefined ? EDIT_HELP : `${W.listAll}\n${confirmPrompt('下发')}`;
  return [...blocks, '', help].join('\n\n').replace(/\n{3,}/g, '\n\n');
}

async function show(
  ctx: HandlerContext,
  draft: Reviewed,
  note: string,
  only?: number,
): Promise<HandlerResult> {
  return toReview(draft, markdown(`${note}\n\n${await proposalsText(ctx, draft, only)}`));
}

const LIST_WORDS = new Set(['查看', '列表', '全部事项']);

const EDIT = /^(标题|要求|截止|单位|类型|配额|字数|删除)\s*(?:([0-9０-９]{1,2}|全部)(?=\s|$))?\s*([\s\S]*)$/;

// As 下发任务 asks them: a longer title or requirement is refused, never cut without a word.
const MAX_TITLE = 100;
const MAX_DETAIL = 2000;

function overLong(label: string, value: string, max: number): string | undefined {
  const length = [...value].length;
  return length > max ? tooLong(label, max, length) : undefined;
}

/** Applies one edit command (`raw`); returns the message to show, or an error. */
async function edit(ctx: HandlerContext, draft: Reviewed, raw: string): Promise<HandlerResult> {
  const added = /^新增\s*([\s\S]+)$/.exec(raw);
  if (added) {
    const title = added[1]!.trim();
    const refused = overLong('任务标题', title, MAX_TITLE);
    if (refused) return reply(refused);
    const proposal: Proposal = {
      kind: 'custom',
      title,
      detail: title,
      ...NO_DEADLINE,
      ...(await allUnits(ctx)),
    };
    const updated = { ...draft, proposals: [...draft.proposals, proposal] };
    return show(ctx, updated, W.added(updated.proposals.length));
  }
  const match = EDIT.exec(raw);
  if (!match) return reply(`${confirmRetry('下发')}\n${W.editHelp}`);
  const [, field, numberText, valueText] = match;
  const value = valueText!.trim();
  if (draft.proposals.length === 0) return reply(W.noneLeft);
  // 截止 全部 3月27日: one deadline for every item (a notice usually sets one).
  if (numberText === '全部' && field === '截止' && value) return deadlineForAll(ctx, draft, value);
  const index =
    numberText && numberText !== '全部'
      ? Number(numberText.normalize('NFKC')) - 1
      : draft.proposals.length === 1
        ? 0
        : -1;
  const current = draft.proposals[index];
  if (!current) return reply(W.whichOne(field!, draft.proposals.length));
  if (field === '删除') {
    const proposals = draft.proposals.filter((_, i) => i !== index);
    return show(ctx, { ...draft, proposals }, W.deleted(index + 1));
  }
  if (!value) return reply(W.emptyValue(field!, index + 1));
  let changed: Proposal;
  switch (field) {
    case '标题': {
      const refused = overLong('任务标题', value, MAX_TITLE);
      if (refused) return reply(refused);
      changed = { ...current, title: value };
      break;
    }
    case '要求': {
      const refused = overLong('任务要求', value, MAX_DETAIL);
      if (refused) return reply(refused);
      changed = { ...current, detail: value };
      break;
    }
    case '类型': {
      const kind = parseTaskKind(value);
      if (!kind) return reply(W.kindRetry);
      changed = { ...current, kind };
      break;
    }
    case '配额': {
      if (current.kind !== 'cases') return reply(W.casesOnly('配额', index + 1));
      const quotas = parseQuotas(value);
      if (!quotas.ok) return reply(quotas.message);
      changed = { ...current, quotas: quotas.quotas };
      break;
    }
    case '字数': {
      if (current.kind !== 'cases') return reply(W.casesOnly('字数', index + 1));
      const max = Number(value.normalize('NFKC').replace(/字$/, ''));
      if (!Number.isInteger(max) || max < 20 || max > 2000) return reply(W.maxCharsRetry);
      changed = { ...current, maxChars: max };
      break;
    }
    case '截止': {
      const parsed = readDialogDeadline(value, { now: ctx.now, calendar: await calendarOf(ctx) });
      if (!parsed.ok) {
        // A year question: 是 re-runs this very edit with the date made explicit.
        if (parsed.ask === undefined) return toReview(draft, parsed.error);
        return noticeFlow.toYearQuestion('review', draft, `截止 ${index + 1} ${parsed.ask}`, parsed.error);
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
  return show(ctx, { ...draft, proposals }, W.changed(index + 1), index);
}

/** Whether a message in review is one of its own words (an edit, 新增, 确认, 查看), not a bare value. */
function isReviewCommand(input: string): boolean {
  const word = input.normalize('NFKC').trim();
  return (
    CONFIRM_WORDS.has(word) ||
    LIST_WORDS.has(word) ||
    /^(新增|标题|要求|截止|单位|类型|配额|字数|删除)/.test(word)
  );
}

async function deadlineForAll(ctx: HandlerContext, draft: Reviewed, value: string): Promise<HandlerResult> {
  const parsed = readDialogDeadline(value, { now: ctx.now, calendar: await calendarOf(ctx) });
  if (!parsed.ok) {
    if (parsed.ask === undefined) return toReview(draft, parsed.error);
    return noticeFlow.toYearQuestion('review', draft, `截止 全部 ${parsed.ask}`, parsed.error);
  }
  const proposals = draft.proposals.map((proposal) => ({ ...proposal, ...deadlineFields(parsed) }));
  return show(ctx, { ...draft, proposals }, W.changedAll(proposals.length));
}

function unitsLabel(input: string, units: { name: string }[]): string {
  const names = units.map((unit) => unit.name);
  const listed = names.length > 10 ? W.someUnits(names.slice(0, 10).join('、')) : names.join('、');
  return W.unitsCount(/全部/.test(input) ? input.trim() : listed, units.length);
}

async function confirm(ctx: HandlerContext, draft: Reviewed): Promise<HandlerResult> {
  if (draft.proposals.length === 0) return reply(W.nothingToSend);
  const missing = draft.proposals
    .map((proposal, i) => ({ proposal, i }))
    .filter(
      ({ proposal }) => !proposal.deadline || new Date(proposal.deadline).getTime() <= ctx.now.getTime(),
    );
  if (missing.length) return reply(W.missingDeadline(missing.map(({ i }) => i + 1)));
  const empty = draft.proposals.findIndex(
    (proposal) => proposal.kind !== 'cases' && proposal.unitIds.length === 0,
  );
  if (empty >= 0) return reply(W.missingUnits(empty + 1));
  const tasks: Task[] = [];
  const callLines: string[] = [];
  const notify: Notification[] = [];
  for (const proposal of draft.proposals) {
    if (proposal.kind === 'cases') {
      // The call is opened by the cases service (quotas, cards to the liaisons, its audit row).
      const opened = await openCaseCall(
        ctx.tx,
        {
          title: proposal.title,
          deadline: new Date(proposal.deadline!),
          deadlineEstimated: proposal.estimated,
          ...countedFields(proposal),
          ...(proposal.quotas ? { quotas: proposal.quotas } : {}),
          ...(proposal.maxChars ? { maxLength: proposal.maxChars } : {}),
          noticeId: draft.noticeId,
          createdBy: ctx.user.userid,
        },
        ctx.now,
      );
      // The one wording of an opened call (the cases views), as 发起案例征集 says it.
      callLines.push(
        openedCallReply({
          call: opened.call,
          units: opened.notifiedUnits.length,
          liaisons: opened.liaisonCount,
          silent: opened.unitsWithoutLiaison.map((unit) => unit.name),
          deadlineWarning: proposal.warning,
        }),
      );
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
  const prefix = W.summaryPrefix(clip(draft.title, 40));
  const summary = tasks.length > 0 ? [await createdSummary(ctx, tasks, prefix)] : [prefix];
  notify.push(...(await assignmentNotifications(ctx, tasks)));
  return { replies: [markdown([...summary, ...callLines].join('\n'))], notify, next: 'end' };
}

/** Reads an uploaded .docx/.txt and keeps the file with the notice. */
async function receiveFile(ctx: HandlerContext): Promise<HandlerResult> {
  const inbound = ctx.inbound;
  if (inbound.type !== 'file') return reply(W.notAFile);
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

const reviewed = (draft: Draft): Reviewed | undefined =>
  draft.noticeId !== undefined && draft.title !== undefined && draft.proposals
    ? { noticeId: draft.noticeId, title: draft.title, proposals: draft.proposals }
    : undefined;

export const noticeFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOWS.notice,
  version: 2,
  title: '通报',
  roles: SUPERVISORS,
  schema: Draft,
  ttlMinutes: 60,
  steps: {
    body: {
      hint: W.bodyHint,
      takesText: true,
      run: async (ctx) => {
        if (ctx.inbound.type === 'text') return receive(ctx, ctx.rawText, null);
        return receiveFile(ctx);
      },
    },
    // Many edits, then 确认: the items are edited by number; the last line is the kit's one wording.
    review: {
      hint: W.reviewHint,
      takesText: true,
      run: async (ctx, stored, state) => {
        const draft = reviewed(stored);
        if (!draft) return noticeFlow.to('body', {}, W.askBody);
        if (ctx.inbound.type !== 'text') return reply(EDIT_HELP);
        let input = ctx.rawText.trim();
        if (state.pendingYear) {
          // 截止 3 2027-12-01 asked as 是指明年的…吗: 是 runs it, 否 asks again, a bare date answers it.
          const prefix = /^截止\s*(?:\d+|全部)/.exec(state.pendingYear)?.[0] ?? '截止';
          const answer = readYesNo(input);
          if (answer === 'no') return toReview(draft, W.yearDeclined(prefix));
          if (answer === 'yes') input = state.pendingYear;
          else if (!isReviewCommand(input)) input = `${prefix} ${input}`;
        }
        const word = input.normalize('NFKC').trim();
        if (CONFIRM_WORDS.has(word)) return confirm(ctx, draft);
        if (LIST_WORDS.has(word)) return show(ctx, draft, W.listing(draft.proposals.length));
        return edit(ctx, draft, input);
      },
    },
  },
});

export const noticeCommand: Command = {
  name: '通报',
  roles: SUPERVISORS,
  summary: '录入通报（文字或 .docx/.txt），拟出其中要办理的事项并下发',
  usage: '通报 [全文]',
  args: 'optional',
  group: '督办',
  handle: async (ctx) => {
    if (ctx.rawArgs) return receive(ctx, ctx.rawArgs, null);
    return noticeFlow.to('body', {}, W.askBody);
  },
};
