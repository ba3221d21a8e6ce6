// 发起案例征集: title → deadline (a date or "N个工作日") → quotas (默认 or 区县5 …) → preview → 确认,
// which opens the call and sends every liaison of every unit that owes cases a card.
import { text } from '../../messages/outbound.js';
import { UNIT_KIND_LABELS } from '../../entities/unit.js';
import { callName, callSummaryLines } from '../../services/cases/views.js';
import {
  CALL_TITLE_MAX_LENGTH,
  CASE_THEMES,
  DEFAULT_CASE_MAX_LENGTH,
  DEFAULT_CASE_QUOTAS,
  UNIT_KIND_ORDER,
  countCaseChars,
  describeQuotas,
  dueDayNote,
  MAX_CALL_WORKING_DAYS,
  parseQuotas,
  type CaseQuotas,
} from '../../services/cases/rules.js';
import { callRecipients, openCaseCall } from '../../services/cases/store.js';
import { DEADLINE_EXAMPLES, readDialogDeadline } from '../../services/calendar/date-replies.js';
import { formatDeadlineMarked } from '../../services/calendar/deadline-text.js';
import { failedRead, takeYearAnswer } from '../year-question.js';
import { notToldText } from '../../services/directory/lookup.js';
import { gateSubmission } from '../../services/pii/gate.js';
import type { Command, Flow, HandlerContext, HandlerResult } from '../types.js';
import { SUPERVISORS } from '../types.js';
import { textOnly } from './common.js';

export const OPEN_CALL_FLOW = 'case-call-open';

interface CallDraft {
  title?: string;
  /** ISO instant. */
  deadline?: string;
  deadlineEstimated?: boolean;
  /** Shown again in the preview when the deadline is an estimate. */
  deadlineWarning?: string;
  /** For "N个工作日": N and when counting started (ISO), to recompute a provisional deadline. */
  deadlineWorkingDays?: number | null;
  deadlineCountedFrom?: string | null;
  quotas?: CaseQuotas;
}

const asDraft = (data: Record<string, unknown>) => data as unknown as CallDraft;
const next = (step: string, draft: CallDraft): HandlerResult['next'] => ({
  flow: OPEN_CALL_FLOW,
  step,
  data: draft as unknown as Record<string, unknown>,
});

const DEADLINE_PROMPT = `请发送截止时间，如 ${DEADLINE_EXAMPLES}。`;
const QUOTA_PROMPT =
  `请设置各类单位至少提报的案例数：回复“默认”（${describeQuotas(DEFAULT_CASE_QUOTAS)}），` +
  '或如“区县5 功能区5 市直部门1”（未写的按默认）。';

/** The title, checked: not empty, not too long, no personal information (it goes to every liaison). */
function takeTitle(ctx: HandlerContext, raw: string): HandlerResult {
  const title = raw.trim().replace(/\s+/g, ' ');
  if (title === '')
    return { replies: [text('请发送征集标题，如“2023年第一季度政府网站和政务新媒体典型案例”。')] };
  const length = countCaseChars(title);
  if (length > CALL_TITLE_MAX_LENGTH) {
    return {
      replies: [text(`标题共 ${length} 字，超过 ${CALL_TITLE_MAX_LENGTH} 字，请精简后重新发送。`)],
      next: next('title', {}),
    };
  }
  if (gateSubmission(title, ctx.services.config.piiAllowList).outcome !== 'pass') {
    return {
      replies: [
        text('标题将发给所有联络员，不能包含个人信息（手机号、身份证号、邮箱等），请修改后重新发送。'),
      ],
      next: next('title', {}),
    };
  }
  return { replies: [text(`标题：${title}\n${DEADLINE_PROMPT}`)], next: next('deadline', { title }) };
}

export const openCallCommand: Command = {
  name: '发起案例征集',
  roles: SUPERVISORS,
  summary: '发起典型案例征集，向各单位联络员发送配额和截止时间',
  usage: '发起案例征集 [标题]',
  args: 'optional',
  group: '典型案例',
  handle: async (ctx) => {
    if (ctx.rawArgs.trim() !== '') return takeTitle(ctx, ctx.rawArgs);
    return {
      replies: [text('发起典型案例征集。请发送征集标题，如“2023年第一季度政府网站和政务新媒体典型案例”。')],
      next: next('title', {}),
    };
  },
};

const titleStep = async (ctx: HandlerContext): Promise<HandlerResult> =>
  textOnly(ctx, '征集标题') ?? takeTitle(ctx, ctx.rawText);

const deadlineStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const notText = textOnly(ctx, '截止日期');
  if (notText) return notText;
  const stay = (kept: Record<string, unknown>) => ({ flow: OPEN_CALL_FLOW, step: 'deadline', data: kept });
  const answer = takeYearAnswer(ctx.text, data, stay);
  if ('declined' in answer) return answer.declined;
  const draft = asDraft(answer.data);
  const read = readDialogDeadline(answer.input, {
    now: ctx.now,
    calendar: await ctx.services.calendar.get(),
  });
  if (!read.ok) return failedRead(read, answer.data, stay);
  const value = read.value;
  if (value.workingDays !== null && value.workingDays > MAX_CALL_WORKING_DAYS) {
    return { replies: [text(`工作日数应在 1 到 ${MAX_CALL_WORKING_DAYS} 之间。`)] };
  }
  const lines = [`截止：${formatDeadlineMarked(value.deadline, value.estimated)}`];
  if (value.warning) lines.push(value.warning);
  lines.push(QUOTA_PROMPT);
  return {
    replies: [text(lines.join('\n'))],
    next: next('quotas', {
      ...draft,
      deadline: value.deadline.toISOString(),
      deadlineEstimated: value.estimated,
      deadlineWarning: value.warning ?? undefined,
      deadlineWorkingDays: value.workingDays,
      deadlineCountedFrom: value.countedFrom?.toISOString() ?? null,
    }),
  };
};

const quotasStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const notText = textOnly(ctx, '配额');
  if (notText) return notText;
  const draft = asDraft(data);
  const parsed = parseQuotas(ctx.text);
  if (!parsed.ok) return { replies: [text(parsed.message)] };
  const { units, liaisons } = await callRecipients(ctx.tx, parsed.quotas);
  const deadline = new Date(draft.deadline ?? 0);
  const perKind = UNIT_KIND_ORDER.map((kind) => ({
    kind,
    count: units.filter((unit) => unit.kind === kind).length,
  })).filter((entry) => entry.count > 0);
  const reached = units.filter((unit) => (liaisons.get(unit.id)?.length ?? 0) > 0);
  const people = reached.reduce((sum, unit) => sum + (liaisons.get(unit.id)?.length ?? 0), 0);
  const silent = units.filter((unit) => (liaisons.get(unit.id)?.length ?? 0) === 0);
  const lines = [
    '请核对案例征集（回复“确认”发出，回复“取消”放弃）：',
    ...callSummaryLines({
      title: draft.title ?? '',
      deadline,
      deadlineEstimated: draft.deadlineEstimated ?? false,
      quotasText: describeQuotas(parsed.quotas),
      maxLength: DEFAULT_CASE_MAX_LENGTH,
      themes: CASE_THEMES,
    }),
    units.length > 0
      ? `将通知：${perKind.map((entry) => `${UNIT_KIND_LABELS[entry.kind]}${entry.count}个`).join('、')}单位，共 ${people} 名联络员`
      : '将通知：无（没有需要提报的单位）',
  ];
  if (silent.length > 0)
    lines.push(`暂无联络员、不会收到通知：${silent.map((unit) => unit.name).join('、')}`);
  const note = dueDayNote(await ctx.services.calendar.get(), deadline);
  if (note) lines.push(note);
  if (draft.deadlineWarning) lines.push(draft.deadlineWarning);
  return { replies: [text(lines.join('\n'))], next: next('preview', { ...draft, quotas: parsed.quotas }) };
};

const previewStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const draft = asDraft(data);
  if (ctx.text !== '确认' && ctx.text !== '确定') {
    return { replies: [text('请回复“确认”发出征集，或回复“取消”放弃。')] };
  }
  const opened = await openCaseCall(
    ctx.tx,
    {
      title: draft.title ?? '',
      deadline: new Date(draft.deadline ?? 0),
      deadlineEstimated: draft.deadlineEstimated ?? false,
      deadlineWorkingDays: draft.deadlineWorkingDays ?? null,
      deadlineCountedFrom: draft.deadlineCountedFrom ? new Date(draft.deadlineCountedFrom) : null,
      quotas: draft.quotas,
      createdBy: ctx.user.userid,
    },
    ctx.now,
  );
  const lines = [
    `已发起${callName(opened.call)}，已向 ${opened.notifiedUnits.length} 个单位的 ${opened.liaisonCount} 名联络员发送通知。`,
    '发送“案例进度”查看各单位提交情况。',
  ];
  if (opened.unitsWithoutLiaison.length > 0) {
    lines.push(notToldText(opened.unitsWithoutLiaison.map((unit) => unit.name)));
  }
  if (draft.deadlineWarning) lines.push(draft.deadlineWarning);
  return { replies: [text(lines.join('\n'))], notify: opened.notifications, next: 'end' };
};

export const openCallFlow: Flow = {
  name: OPEN_CALL_FLOW,
  version: 1,
  title: '发起案例征集',
  roles: SUPERVISORS,
  steps: { title: titleStep, deadline: deadlineStep, quotas: quotasStep, preview: previewStep },
};
