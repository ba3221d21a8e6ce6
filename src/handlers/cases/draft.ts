// 提交案例 / 修改案例: the liaison's dialog on the flow kit. (Call →) theme → channel → title (PII
// gate) → text (length as a reader counts it, PII gate) → preview → 确认. A change to an existing
// case (修改案例 C7) enters at the text step. The call is looked up before every step: once it
// closes, the dialog ends with a sentence saying so.
import { z } from 'zod';
import { text } from '../../messages/outbound.js';
import type { CaseCall } from '../../entities/case-call.js';
import type { Unit } from '../../entities/unit.js';
import {
  CASE_DRAFT_PROMPTS,
  SUBMIT_ACTION,
  callName,
  casePreviewText,
  resubmittedNotice,
  revisedReply,
  submittedReply,
  caseChangeRefusalText,
  CALL_LABEL,
  CASE_FIELD_LABELS,
  SUBMIT_CASE_TITLE,
} from '../../services/cases/views.js';
import {
  CASE_TITLE_MAX_LENGTH,
  DEFAULT_CASE_MAX_LENGTH,
  callRef,
  caseRef,
  checkCaseLength,
  countCaseChars,
  countClause,
  lengthRejection,
  progressLine,
} from '../../services/cases/rules.js';
import {
  channelLabel,
  channelNames,
  channelOptions,
  quotaOf,
  unitCounted,
  type ChannelOption,
} from '../../services/cases/store.js';
import { auditAcceptedFindings, gateSubmission, summariseFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { reviseCase, submitCase } from '../../services/cases/changes.js';
import { actorOf, effectsOf } from '../context.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { choiceMenu, choiceStep, confirmStep, gatedTextSteps, type Choice } from '../flow/steps.js';
import * as flowViews from '../flow/views.js';
import { reply, type HandlerContext, type HandlerResult } from '../types.js';
import { CASE_FLOWS, FindingSchema, LIAISONS, callChoices, changeableCaseFor, liveCall } from './common.js';

export const DRAFT_FLOW = CASE_FLOWS.draft;

const Channel = z.object({
  channel: z.enum(['website', 'media']),
  websiteId: z.number().nullable(),
  mediaAccountId: z.number().nullable(),
  label: z.string(),
});

const Draft = z.object({
  /** 0 while the call is being chosen. */
  callId: z.number(),
  /** Set when changing an existing case. */
  caseId: z.number().optional(),
  /** For the first step when several calls are open. */
  callIds: z.array(z.number()).optional(),
  /** The call's longest case text (kept so that the length check needs no lookup). */
  maxLength: z.number().optional(),
  /** The page of a long list of channels (or calls) being shown (“更多”). */
  page: z.number().optional(),
  channels: z.array(Channel).optional(),
  theme: z.string().optional(),
  channel: Channel.optional(),
  /** How the channel reads in the preview. */
  channelText: z.string().optional(),
  title: z.string().optional(),
  titleFindings: z.array(FindingSchema).optional(),
  text: z.string().optional(),
  textLength: z.number().optional(),
  textFindings: z.array(FindingSchema).optional(),
});
type Draft = z.infer<typeof Draft>;

/** 提交案例 with the call chosen: show the themes. */
export async function startDraft(ctx: HandlerContext, call: CaseCall, unit: Unit): Promise<HandlerResult> {
  const channels = await channelOptions(ctx.tx, unit.id);
  const counted = await unitCounted(ctx.tx, call.id, unit.id);
  const quota = quotaOf(call, unit.kind);
  return draftFlow.to(
    'theme',
    { callId: call.id, maxLength: call.maxLength, channels },
    choiceMenu(
      CASE_DRAFT_PROMPTS.start(callName(call), `${unit.name}${countClause(counted, quota)}`),
      themeChoices(call),
    ),
  );
}

/** Several calls are open: list them and ask which one. */
export async function askWhichCall(ctx: HandlerContext, calls: CaseCall[]): Promise<HandlerResult> {
  const callIds = calls.map((call) => call.id);
  return draftFlow.to(
    'call',
    { callId: 0, callIds },
    choiceMenu(CASE_DRAFT_PROMPTS.whichCall, await callChoices(ctx, callIds)),
  );
}

/** 修改案例 C7: the checks, then straight to the text. */
export async function startRevision(ctx: HandlerContext, caseId: number): Promise<HandlerResult> {
  const found = await changeableCaseFor(ctx, caseId, 'case.modify');
  if (!found.ok) return reply(caseChangeRefusalText(found));
  const { kase, call } = found;
  const draft: Draft = {
    callId: call.id,
    maxLength: call.maxLength,
    caseId: kase.id,
    theme: kase.theme,
    channelText: channelLabel(kase, await channelNames(ctx.tx, [kase])),
    title: kase.title,
    // The title stays: what it was accepted with stays on the record.
    titleFindings: titleFindingsOf(ctx, kase.title),
  };
  return draftFlow.to(
    'text',
    draft,
    CASE_DRAFT_PROMPTS.revise(
      caseRef(kase.id),
      kase.title,
      kase.textLength,
      call.maxLength,
      kase.returnReason,
    ),
  );
}

function titleFindingsOf(ctx: HandlerContext, title: string): PiiFindingSummary[] {
  const gate = gateSubmission(title, ctx.services.config.piiAllowList);
  return gate.outcome === 'confirm' ? summariseFindings(gate.findings) : [];
}

const themeChoices = (call: CaseCall): Choice<string>[] =>
  call.themes.map((theme) => ({ label: theme, value: theme }));

const channelChoices = (draft: Draft): Choice<ChannelOption>[] =>
  (draft.channels ?? []).map((option) => ({
    label: option.label,
    value: option,
    // 政府网站 / 政务新媒体 pick the general option; a site's or account's own name picks it.
    aliases: [option.label.split('：')[1] ?? option.label.replace(/（.*$/u, '')],
  }));

/** The call of the draft while it is open (the dialog's guard has checked it). */
async function callOf(ctx: HandlerContext, draft: Draft): Promise<CaseCall> {
  const call = await liveCall(ctx, draft.callId);
  if (!call) throw new Error(`case draft: call ${draft.callId} vanished`);
  return call;
}

function preview(call: CaseCall, draft: Draft): HandlerResult {
  const lines = casePreviewText({
    call,
    theme: draft.theme ?? '',
    channel: draft.channelText ?? '',
    title: draft.title ?? '',
    text: draft.text ?? '',
    textLength: draft.textLength ?? 0,
    caseId: draft.caseId,
  });
  return draftFlow.to('preview', draft, [lines, '', flowViews.confirmPrompt(SUBMIT_ACTION)].join('\n'));
}

async function progressAfter(
  ctx: HandlerContext,
  call: CaseCall,
  standing: { counted: number; quota: number },
): Promise<string> {
  const calendar = await ctx.services.calendar.get();
  return progressLine(
    calendar,
    { submitted: standing.counted, quota: standing.quota, deadline: call.deadline },
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
  const { kase, standing } = await submitCase(
    effectsOf(ctx),
    call,
    unit,
    {
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
    actorOf(ctx),
  );
  const ref = caseRef(kase.id);
  await auditAcceptedFindings(ctx.services, ctx.user.userid, ref, findings);
  return { ...reply(submittedReply(ref, await progressAfter(ctx, call, standing))), next: 'end' };
}

async function storeRevision(
  ctx: HandlerContext,
  call: CaseCall,
  unit: Unit,
  draft: Draft,
): Promise<HandlerResult> {
  const findings = draft.textFindings ?? [];
  const outcome = await reviseCase(
    effectsOf(ctx),
    call,
    unit,
    draft.caseId!,
    {
      text: draft.text ?? '',
      textLength: draft.textLength ?? 0,
      piiAccepted: [...(draft.titleFindings ?? []), ...findings],
    },
    actorOf(ctx),
  );
  if (!outcome.ok) return { ...reply(caseChangeRefusalText(outcome)), next: 'end' };
  const { kase, returnedBy, standing } = outcome;
  const ref = caseRef(kase.id);
  await auditAcceptedFindings(ctx.services, ctx.user.userid, ref, findings);
  return {
    ...reply(revisedReply(ref, await progressAfter(ctx, call, standing))),
    // The supervisor who returned it hears that it is back.
    notify: returnedBy
      ? [
          {
            to: [returnedBy],
            key: `case:${kase.id}:resubmitted:in${ctx.deliveryId}`,
            source: `case-call:${call.id}`,
            message: text(resubmittedNotice(unit.name, ref, kase.title)),
          },
        ]
      : undefined,
    next: 'end',
  };
}

export const draftFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: DRAFT_FLOW,
  version: 2,
  title: SUBMIT_CASE_TITLE,
  roles: LIAISONS,
  schema: Draft,
  // Writing a case takes a while.
  ttlMinutes: 120,
  guard: async (ctx, draft, step) => {
    if (step === 'call') return undefined;
    const call = await liveCall(ctx, draft.callId);
    if (call?.status === 'open') return undefined;
    return { ...reply(CASE_DRAFT_PROMPTS.callClosed(callRef(draft.callId))), next: 'end' };
  },
  steps: {
    call: choiceStep<Draft, number>({
      hint: CASE_DRAFT_PROMPTS.whichCallHint,
      label: CALL_LABEL,
      choices: (ctx, draft) => callChoices(ctx, draft.callIds ?? []),
      paging: {
        flow: () => draftFlow,
        step: 'call',
        page: (draft) => draft.page ?? 0,
        setPage: (draft, page) => ({ ...draft, page }),
      },
      accept: async (ctx, _draft, callId) => {
        const call = await liveCall(ctx, callId);
        if (call?.status !== 'open') {
          return { ...reply(CASE_DRAFT_PROMPTS.callClosed(callRef(callId))), next: 'end' };
        }
        const unit = ctx.user.topUnit;
        if (!unit) return { ...reply(NO_UNIT_TEXT), next: 'end' };
        return startDraft(ctx, call, unit);
      },
    }),
    theme: choiceStep<Draft, string>({
      hint: CASE_DRAFT_PROMPTS.themeHint,
      label: CASE_FIELD_LABELS.theme,
      choices: async (ctx, draft) => themeChoices(await callOf(ctx, draft)),
      accept: (_ctx, draft, theme) => {
        const next = { ...draft, theme };
        return draftFlow.to(
          'channel',
          next,
          choiceMenu(CASE_DRAFT_PROMPTS.channels(theme), channelChoices(next)),
        );
      },
    }),
    channel: choiceStep<Draft, ChannelOption>({
      hint: CASE_DRAFT_PROMPTS.channelHint,
      label: CASE_FIELD_LABELS.channel,
      choices: (_ctx, draft) => channelChoices(draft),
      paging: {
        flow: () => draftFlow,
        step: 'channel',
        page: (draft) => draft.page ?? 0,
        setPage: (draft, page) => ({ ...draft, page }),
      },
      accept: (_ctx, draft, channel) =>
        draftFlow.to(
          'title',
          { ...draft, channel, channelText: channel.label, page: undefined },
          CASE_DRAFT_PROMPTS.title(channel.label, CASE_TITLE_MAX_LENGTH),
        ),
    }),
    ...gatedTextSteps<Draft>('title', {
      hint: CASE_DRAFT_PROMPTS.titleHint,
      label: CASE_FIELD_LABELS.caseTitle,
      maxChars: CASE_TITLE_MAX_LENGTH,
      checkLength: (value) => {
        const length = countCaseChars(value);
        return length > CASE_TITLE_MAX_LENGTH
          ? CASE_DRAFT_PROMPTS.titleTooLong(length, CASE_TITLE_MAX_LENGTH)
          : undefined;
      },
      flow: () => draftFlow,
      accept: async (ctx, draft, value, findings) => {
        const title = value.replace(/\s+/g, ' ');
        const call = await callOf(ctx, draft);
        return draftFlow.to(
          'text',
          { ...draft, title, titleFindings: findings },
          CASE_DRAFT_PROMPTS.text(title, call.maxLength),
        );
      },
    }),
    ...gatedTextSteps<Draft>('text', {
      hint: CASE_DRAFT_PROMPTS.textHint,
      label: CASE_FIELD_LABELS.caseContent,
      maxChars: DEFAULT_CASE_MAX_LENGTH,
      // The call's own maximum, counted as a reader counts (an emoji is one).
      checkLength: (value, draft) => {
        const checked = checkCaseLength(value, draft.maxLength ?? DEFAULT_CASE_MAX_LENGTH);
        return checked.ok ? undefined : lengthRejection(checked);
      },
      flow: () => draftFlow,
      accept: async (ctx, draft, value, findings) => {
        const call = await callOf(ctx, draft);
        const checked = checkCaseLength(value, call.maxLength);
        if (!checked.ok) return reply(lengthRejection(checked));
        return preview(call, {
          ...draft,
          text: checked.text,
          textLength: checked.length,
          textFindings: findings,
        });
      },
    }),
    preview: confirmStep<Draft>({
      action: SUBMIT_ACTION,
      flow: () => draftFlow,
      // A text to change after reading it over: 修改 内容, not 取消 and the whole dialog again.
      edits: { 内容: { step: 'text', prompt: CASE_DRAFT_PROMPTS.textEdit } },
      confirm: async (ctx, draft) => {
        const call = await callOf(ctx, draft);
        const unit = ctx.user.topUnit;
        if (!unit) return { ...reply(NO_UNIT_TEXT), next: 'end' };
        return draft.caseId ? storeRevision(ctx, call, unit, draft) : storeNew(ctx, call, unit, draft);
      },
    }),
  },
});
