// 提交案例 / 修改案例: the liaison's dialog. Theme → channel → title → text (length check, PII gate)
// → preview → 确认. A change to an existing case (修改案例 C7) enters at the text step.
import { text } from '../../messages/outbound.js';
import { CaseCall } from '../../entities/case-call.js';
import type { Unit } from '../../entities/unit.js';
import { callName, callChoiceLines, casePreviewText } from '../../services/cases/views.js';
import {
  CASE_TITLE_MAX_LENGTH,
  callRef,
  caseRef,
  checkCaseLength,
  countCaseChars,
  lengthRejection,
  parseCallRef,
  pickTheme,
  progressLine,
  countClause,
} from '../../services/cases/rules.js';
import {
  channelLabel,
  channelNames,
  channelOptions,
  createCase,
  pickChannel,
  quotaOf,
  reviseCaseText,
  unitCounted,
  type ChannelOption,
} from '../../services/cases/store.js';
import { CONFIRM_WORDS, auditAcceptedFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import type { Flow, HandlerContext, HandlerResult } from '../types.js';
import { changeableCaseFor, checkPii, textOnly } from './common.js';

export const DRAFT_FLOW = 'case-draft';

interface Pending {
  value: string;
  findings: PiiFindingSummary[];
}

/** The dialog's draft, kept in the conversation state between messages. */
interface Draft {
  callId: number;
  /** Set when changing an existing case. */
  caseId?: number;
  /** For the first step when several calls are open. */
  callIds?: number[];
  channels?: ChannelOption[];
  theme?: string;
  channel?: ChannelOption;
  /** How the channel reads in the preview. */
  channelText?: string;
  title?: string;
  titleFindings?: PiiFindingSummary[];
  text?: string;
  textLength?: number;
  textFindings?: PiiFindingSummary[];
  pending?: Pending;
}

const asDraft = (data: Record<string, unknown>) => data as unknown as Draft;
const next = (step: string, draft: Draft): HandlerResult['next'] => ({
  flow: DRAFT_FLOW,
  step,
  data: draft as unknown as Record<string, unknown>,
});

/** The call of the draft if it is still open; otherwise the reply that ends the dialog. */
async function openCallOf(ctx: HandlerContext, draft: Draft): Promise<CaseCall | HandlerResult> {
  const call = await ctx.tx.getRepository(CaseCall).findOneBy({ id: draft.callId });
  if (call?.status === 'open') return call;
  return { replies: [text(`${callRef(draft.callId)}已结束，不能再提交或修改案例。`)], next: 'end' };
}

const isCall = (value: CaseCall | HandlerResult): value is CaseCall => value instanceof CaseCall;

/** 提交案例 with the call chosen: show the themes. */
export async function startDraft(ctx: HandlerContext, call: CaseCall, unit: Unit): Promise<HandlerResult> {
  const channels = await channelOptions(ctx.tx, unit.id);
  const counted = await unitCounted(ctx.tx, call.id, unit.id);
  const quota = quotaOf(call, unit.kind);
  const draft: Draft = { callId: call.id, channels };
  return {
    replies: [
      text(
        [
          `向${callName(call)}提交案例（${unit.name}${countClause(counted, quota)}）。`,
          '请选择主题，回复序号或名称：',
          ...call.themes.map((theme, i) => `${i + 1}. ${theme}`),
        ].join('\n'),
      ),
    ],
    next: next('theme', draft),
  };
}

/** Several calls are open: list them and ask which one. */
export function askWhichCall(calls: CaseCall[]): HandlerResult {
  return {
    replies: [text(['当前有多个案例征集，请回复序号选择：', ...callChoiceLines(calls)].join('\n'))],
    next: next('call', { callId: 0, callIds: calls.map((call) => call.id) }),
  };
}

/** 修改案例 C7: the checks, then straight to the text. */
export async function startRevision(ctx: HandlerContext, caseId: number): Promise<HandlerResult> {
  const ref = caseRef(caseId);
  const found = await changeableCaseFor(ctx, caseId, 'case.modify');
  if (!found.ok) return { replies: [text(found.message)] };
  const { kase, call } = found;
  const draft: Draft = {
    callId: call.id,
    caseId: kase.id,
    theme: kase.theme,
    channelText: channelLabel(kase, await channelNames(ctx.tx, [kase])),
    title: kase.title,
    // The title stays: what it was accepted with stays on the record.
    titleFindings: titleFindingsOf(ctx, kase.title),
  };
  const returned = kase.status === 'returned' && kase.returnReason ? `\n退回理由：${kase.returnReason}` : '';
  return {
    replies: [
      text(
        `修改案例${ref}《${kase.title}》（${kase.textLength}字）${returned}\n` +
          `请发送新的案例内容（${call.maxLength}字以内），发送“取消”放弃修改。`,
      ),
    ],
    next: next('text', draft),
  };
}

function titleFindingsOf(ctx: HandlerContext, title: string): PiiFindingSummary[] {
  const pii = checkPii(ctx, title);
  return pii.outcome === 'confirm' ? pii.findings : [];
}

const chooseCallStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const draft = asDraft(data);
  const ids = draft.callIds ?? [];
  const typed = /^\d{1,2}$/.test(ctx.text) ? ids[Number(ctx.text) - 1] : parseCallRef(ctx.text);
  const id = typed !== undefined && typed !== null && ids.includes(typed) ? typed : undefined;
  if (id === undefined) return { replies: [text(`请回复 1–${ids.length} 的序号选择征集。`)] };
  const call = await openCallOf(ctx, { callId: id });
  if (!isCall(call)) return call;
  const unit = ctx.user.topUnit;
  if (!unit) return { replies: [text(NO_UNIT_TEXT)], next: 'end' };
  return startDraft(ctx, call, unit);
};

const themeStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const draft = asDraft(data);
  const call = await openCallOf(ctx, draft);
  if (!isCall(call)) return call;
  const theme = pickTheme(call.themes, ctx.text);
  if (!theme) {
    return { replies: [text(`没有这个主题，请回复 1–${call.themes.length} 的序号或主题名称。`)] };
  }
  const channels = draft.channels ?? [];
  return {
    replies: [
      text(
        [
          `主题：${theme}`,
          '请选择渠道，回复序号：',
          ...channels.map((option, i) => `${i + 1}. ${option.label}`),
        ].join('\n'),
      ),
    ],
    next: next('channel', { ...draft, theme }),
  };
};

const channelStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const draft = asDraft(data);
  const call = await openCallOf(ctx, draft);
  if (!isCall(call)) return call;
  const channels = draft.channels ?? [];
  const channel = pickChannel(channels, ctx.text);
  if (!channel) return { replies: [text(`请回复 1–${channels.length} 的序号选择渠道。`)] };
  return {
    replies: [text(`渠道：${channel.label}\n请发送案例标题（${CASE_TITLE_MAX_LENGTH}字以内）。`)],
    next: next('title', { ...draft, channel, channelText: channel.label }),
  };
};

function askForText(call: CaseCall, draft: Draft, heading: string): HandlerResult {
  return {
    replies: [text(`${heading}\n请发送案例内容（${call.maxLength}字以内，一条消息发完）。`)],
    next: next('text', { ...draft, pending: undefined }),
  };
}

const titleStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const notText = textOnly(ctx, '案例标题');
  if (notText) return notText;
  const draft = asDraft(data);
  const call = await openCallOf(ctx, draft);
  if (!isCall(call)) return call;
  const title = ctx.rawText.trim().replace(/\s+/g, ' ');
  if (title === '') return { replies: [text('标题不能为空，请发送案例标题。')] };
  const length = countCaseChars(title);
  if (length > CASE_TITLE_MAX_LENGTH) {
    return {
      replies: [
        text(
          `标题共 ${length} 字，超过 ${CASE_TITLE_MAX_LENGTH} 字，需删减 ${length - CASE_TITLE_MAX_LENGTH} 字，请重新发送。`,
        ),
      ],
    };
  }
  const pii = checkPii(ctx, title);
  if (pii.outcome === 'block') return pii.result;
  if (pii.outcome === 'confirm') {
    return {
      replies: [text(pii.message)],
      next: next('title-confirm', { ...draft, pending: { value: title, findings: pii.findings } }),
    };
  }
  return askForText(call, { ...draft, title, titleFindings: [] }, `标题：${title}`);
};

const titleConfirmStep = async (
  ctx: HandlerContext,
  data: Record<string, unknown>,
): Promise<HandlerResult> => {
  const draft = asDraft(data);
  if (!CONFIRM_WORDS.has(ctx.text) || !draft.pending) return titleStep(ctx, data);
  const call = await openCallOf(ctx, draft);
  if (!isCall(call)) return call;
  const { value, findings } = draft.pending;
  return askForText(call, { ...draft, title: value, titleFindings: findings }, `标题：${value}`);
};

function preview(call: CaseCall, draft: Draft): HandlerResult {
  return {
    replies: [
      text(
        casePreviewText({
          call,
          theme: draft.theme ?? '',
          channel: draft.channelText ?? '',
          title: draft.title ?? '',
          text: draft.text ?? '',
          textLength: draft.textLength ?? 0,
          caseId: draft.caseId,
        }),
      ),
    ],
    next: next('preview', { ...draft, pending: undefined }),
  };
}

const textStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const notText = textOnly(ctx, '案例内容');
  if (notText) return notText;
  const draft = asDraft(data);
  const call = await openCallOf(ctx, draft);
  if (!isCall(call)) return call;
  const length = checkCaseLength(ctx.rawText, call.maxLength);
  // Over-long or empty: say by how much and stay; the draft so far is kept.
  if (!length.ok)
    return { replies: [text(lengthRejection(length))], next: next('text', { ...draft, pending: undefined }) };
  const pii = checkPii(ctx, length.text);
  if (pii.outcome === 'block') return pii.result;
  const withText = { ...draft, text: length.text, textLength: length.length };
  if (pii.outcome === 'confirm') {
    return {
      replies: [text(pii.message)],
      next: next('text-confirm', { ...withText, pending: { value: length.text, findings: pii.findings } }),
    };
  }
  return preview(call, { ...withText, textFindings: [] });
};

const textConfirmStep = async (
  ctx: HandlerContext,
  data: Record<string, unknown>,
): Promise<HandlerResult> => {
  const draft = asDraft(data);
  if (!CONFIRM_WORDS.has(ctx.text) || !draft.pending) return textStep(ctx, data);
  const call = await openCallOf(ctx, draft);
  if (!isCall(call)) return call;
  return preview(call, { ...draft, textFindings: draft.pending.findings });
};

const previewStep = async (ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> => {
  const draft = asDraft(data);
  if (!CONFIRM_WORDS.has(ctx.text)) {
    return { replies: [text('请回复“确认”提交，或回复“取消”放弃。')] };
  }
  const call = await openCallOf(ctx, draft);
  if (!isCall(call)) return call;
  const unit = ctx.user.topUnit;
  if (!unit) return { replies: [text(NO_UNIT_TEXT)], next: 'end' };
  return draft.caseId ? storeRevision(ctx, call, unit, draft) : storeNew(ctx, call, unit, draft);
};

async function progressAfter(ctx: HandlerContext, call: CaseCall, unit: Unit): Promise<string> {
  const counted = await unitCounted(ctx.tx, call.id, unit.id);
  const calendar = await ctx.services.calendar.get();
  return progressLine(
    calendar,
    { submitted: counted, quota: quotaOf(call, unit.kind), deadline: call.deadline },
    ctx.now,
  );
}

async function storeNew(
  ctx: HandlerContext,
  call: CaseCall,
  unit: Unit,
  draft: Draft,
): Promise<HandlerResult> {
  const findings = [...(draft.titleFindings ?? []), ...(draft.textFindings ?? [])];
  const kase = await createCase(
    ctx.tx,
    {
      callId: call.id,
      topUnitId: unit.id,
      unitId: ctx.user.unitId,
      theme: draft.theme ?? '',
      channel: draft.channel?.channel ?? 'website',
      websiteId: draft.channel?.websiteId ?? null,
      mediaAccountId: draft.channel?.mediaAccountId ?? null,
      title: draft.title ?? '',
      text: draft.text ?? '',
      textLength: draft.textLength ?? 0,
      piiAccepted: findings,
    },
    ctx.user.userid,
    ctx.now,
  );
  const ref = caseRef(kase.id);
  await ctx.services.audit({
    actor: ctx.user.userid,
    action: 'case.submit',
    target: ref,
    detail: `${callRef(call.id)}；${unit.name}；${kase.theme}；${kase.textLength}字`,
  });
  await auditAcceptedFindings(ctx.services, ctx.user.userid, ref, findings);
  return {
    replies: [
      text(
        `案例${ref}已提交。\n${await progressAfter(ctx, call, unit)}\n` +
          '继续提交请发送“提交案例”，查看请发送“我的案例”。',
      ),
    ],
    next: 'end',
  };
}

async function storeRevision(
  ctx: HandlerContext,
  call: CaseCall,
  unit: Unit,
  draft: Draft,
): Promise<HandlerResult> {
  const ref = caseRef(draft.caseId!);
  const found = await changeableCaseFor(ctx, draft.caseId!, 'case.modify', call);
  if (!found.ok) return { replies: [text(found.message)], next: 'end' };
  const { kase } = found;
  const wasReturned = kase.status === 'returned' ? kase.reviewedBy : null;
  const findings = draft.textFindings ?? [];
  await reviseCaseText(
    ctx.tx,
    kase,
    {
      text: draft.text ?? '',
      textLength: draft.textLength ?? 0,
      piiAccepted: [...(draft.titleFindings ?? []), ...findings],
    },
    ctx.user.userid,
    ctx.now,
  );
  await ctx.services.audit({
    actor: ctx.user.userid,
    action: 'case.modify',
    target: ref,
    detail: `${callRef(call.id)}；${unit.name}；${kase.textLength}字${wasReturned ? '；退回后重新提交' : ''}`,
  });
  await auditAcceptedFindings(ctx.services, ctx.user.userid, ref, findings);
  return {
    replies: [text(`案例${ref}已修改并重新提交。\n${await progressAfter(ctx, call, unit)}`)],
    // The supervisor who returned it hears that it is back.
    notify: wasReturned
      ? [
          {
            to: [wasReturned],
            key: `case:${kase.id}:resubmitted:in${ctx.deliveryId}`,
            source: `case-call:${call.id}`,
            message: text(
              `【案例审核】${unit.name}已修改退回的案例${ref}《${kase.title}》并重新提交，请审核。`,
            ),
          },
        ]
      : undefined,
    next: 'end',
  };
}

export const draftFlow: Flow = {
  name: DRAFT_FLOW,
  version: 1,
  title: '提交案例',
  roles: ['liaison'],
  // Writing a case takes a while.
  ttlMinutes: 120,
  steps: {
    call: chooseCallStep,
    theme: themeStep,
    channel: channelStep,
    title: titleStep,
    'title-confirm': titleConfirmStep,
    text: textStep,
    'text-confirm': textConfirmStep,
    preview: previewStep,
  },
};
