// The supervisors' commands on calls: 案例进度, 导出案例, 结束案例征集 (preview of the shortfall, then
// 确认), 延长征集 and 重新开放征集. A command that names no call and finds several open asks which,
// in a kit dialog.
import { z } from 'zod';
import { markdown, text } from '../../messages/outbound.js';
import type { CaseCall } from '../../entities/case-call.js';
import { buildCaseExport } from '../../services/cases/export.js';
import {
  CALL_LABEL,
  CASES_GROUP,
  CLOSE_ACTION,
  CLOSE_CALL_TITLE,
  CLOSE_USAGE,
  DEADLINE_FLOW_TITLE,
  EXPORT_USAGE,
  PICK_CALL_TITLE,
  PROGRESS_USAGE,
  SUPERVISE_SUMMARIES,
  exportedDetail,
  DEADLINE_REFUSALS,
  EXTEND_USAGE,
  REOPEN_USAGE,
  alreadyClosedText,
  askNewDeadline,
  callRefUsage,
  deadlineHint,
  exportedReply,
  pickCallHeading,
  pickCallHint,
  caseListMarkdown,
  closePreviewLines,
  closedNotice,
  closedReply,
  deadlineNotice,
  extendedReply,
  progressMarkdown,
  reopenedReply,
  noCallText,
} from '../../services/cases/views.js';
import { callRef, parseCallRef } from '../../services/cases/rules.js';
import { callProgress, chooseCall, liveCases } from '../../services/cases/store.js';
import { caseCardItems } from '../../services/cases/review.js';
import type { Unit } from '../../entities/unit.js';
import {
  closeCaseCall,
  extendCaseCall,
  reopenCaseCall,
  type CallAudience,
  type DeadlineOutcome,
} from '../../services/cases/lifecycle.js';
import { DEADLINE_EXAMPLES, readDialogDeadline } from '../../services/calendar/date-replies.js';
import { saveXlsx } from '../../db/files.js';
import { defineFlow, type KitFlow, type StepSpec } from '../flow/kit.js';
import { choiceMenu, choiceStep, confirmStep, dateStep, previewMessage } from '../flow/steps.js';
import { actorOf, effectsOf } from '../context.js';
import type { Command, HandlerContext, HandlerResult, Notification } from '../types.js';
import { READ_ONLY_ARGS, SUPERVISORS, reply } from '../types.js';
import { CASE_FLOWS, callChoices, liveCall } from './common.js';

type Purpose = 'progress' | 'export' | 'list';

const PickDraft = z.object({
  purpose: z.enum(['progress', 'export', 'list']),
  callIds: z.array(z.number()),
  page: z.number().optional(),
});
type PickDraft = z.infer<typeof PickDraft>;

const ACTIONS: Record<Purpose, (ctx: HandlerContext, call: CaseCall) => Promise<HandlerResult>> = {
  progress: progressReply,
  export: exportReply,
  list: (ctx, call) => caseListFor(ctx, call, null),
};

const pickHint = (purpose: Purpose) => pickCallHint(purpose);

export const pickCallFlow: KitFlow<PickDraft> = defineFlow<PickDraft>({
  name: CASE_FLOWS.pick,
  version: 2,
  title: PICK_CALL_TITLE,
  roles: SUPERVISORS,
  schema: PickDraft,
  steps: {
    choose: {
      hint: (draft) => pickHint(draft.purpose),
      run: (ctx, draft, stored) => pickStepFor(draft.purpose).run(ctx, draft, stored),
    },
  },
});

const pickSteps = new Map<Purpose, StepSpec<PickDraft>>();
function pickStepFor(purpose: Purpose): StepSpec<PickDraft> {
  const cached = pickSteps.get(purpose);
  if (cached) return cached;
  const step = choiceStep<PickDraft, number>({
    hint: pickHint(purpose),
    label: CALL_LABEL,
    choices: (ctx, draft) => callChoices(ctx, draft.callIds),
    paging: {
      flow: () => pickCallFlow,
      step: 'choose',
      page: (draft) => draft.page ?? 0,
      setPage: (draft, page) => ({ ...draft, page }),
    },
    accept: async (ctx, draft, callId) => {
      // The call may have been closed or removed meanwhile: progress and export read closed ones.
      const call = await liveCall(ctx, callId);
      if (!call) return { ...reply(DEADLINE_REFUSALS.missing(callId)), next: 'end' };
      const result = await ACTIONS[draft.purpose](ctx, call);
      return { ...result, next: result.next ?? 'end' };
    },
  });
  pickSteps.set(purpose, step);
  return step;
}

/** Runs a command on the call named, the only open one, or asks which. */
export async function withCall(ctx: HandlerContext, purpose: Purpose): Promise<HandlerResult> {
  const choice = await chooseCall(ctx.tx, ctx.args, { includeClosed: true });
  if (choice.kind === 'none') return reply(noCallText(choice));
  if (choice.kind === 'one') return ACTIONS[purpose](ctx, choice.call);
  const draft: PickDraft = { purpose, callIds: choice.calls.map((call) => call.id) };
  const choices = await callChoices(ctx, draft.callIds);
  return pickCallFlow.to('choose', draft, choiceMenu(pickCallHeading(purpose), choices));
}

async function progressReply(ctx: HandlerContext, call: CaseCall): Promise<HandlerResult> {
  const rows = await callProgress(ctx.tx, call);
  const calendar = await ctx.services.calendar.get();
  return { replies: [markdown(progressMarkdown(call, rows, calendar, ctx.now))] };
}

async function exportReply(ctx: HandlerContext, call: CaseCall): Promise<HandlerResult> {
  const built = await buildCaseExport(ctx.tx, call, ctx.now);
  const stored = await saveXlsx(ctx.tx, built, ctx.user.userid, ctx.now);
  await ctx.services.audit({
    actor: ctx.user.userid,
    action: 'case-call.export',
    target: callRef(call.id),
    detail: exportedDetail(built.caseCount, stored.id),
  });
  return {
    replies: [text(exportedReply(call, built.caseCount)), { type: 'file', fileId: stored.id }],
  };
}

/** The live cases of a call (of one top-level unit when given), as a list. */
export async function caseListFor(
  ctx: HandlerContext,
  call: CaseCall,
  unit: Unit | null,
): Promise<HandlerResult> {
  const cases = await liveCases(ctx.tx, [call.id], unit ? [unit.id] : undefined);
  const items = await caseCardItems(ctx, cases);
  return { replies: [markdown(caseListMarkdown(call, unit?.name ?? null, items))] };
}

// ---------------------------------------------------------------------------------------------------
// 结束案例征集: choose (when several are open) → preview of the shortfall → 确认

const CloseDraft = z.object({
  callId: z.number().optional(),
  callIds: z.array(z.number()).optional(),
  page: z.number().optional(),
});
type CloseDraft = z.infer<typeof CloseDraft>;

const CLOSE_HINT = pickCallHint('close');

async function closePreview(ctx: HandlerContext, callId: number): Promise<HandlerResult> {
  const call = await liveCall(ctx, callId);
  if (!call) return { ...reply(DEADLINE_REFUSALS.missing(callId)), next: 'end' };
  if (call.status !== 'open') return { ...reply(alreadyClosedText(call)), next: 'end' };
  const rows = await callProgress(ctx.tx, call);
  const calendar = await ctx.services.calendar.get();
  return closeCallFlow.to(
    'confirm',
    { callId: call.id },
    previewMessage(closePreviewLines(call, rows, calendar, ctx.now), CLOSE_ACTION),
  );
}

/** Each liaison of each unit hears the unit's own standing. */
function perUnit(
  audience: readonly CallAudience[],
  key: string,
  source: string,
  say: (entry: CallAudience) => string,
): { notify: Notification[]; told: number } {
  const notify: Notification[] = [];
  let told = 0;
  for (const entry of audience) {
    if (entry.liaisons.length === 0) continue;
    told += entry.liaisons.length;
    notify.push({
      to: entry.liaisons.map((person) => person.userid),
      key: `${key}:u${entry.unit.id}`,
      source,
      message: text(say(entry)),
    });
  }
  return { notify, told };
}

async function confirmClose(ctx: HandlerContext, draft: CloseDraft): Promise<HandlerResult> {
  const outcome = await closeCaseCall(effectsOf(ctx), draft.callId!, actorOf(ctx));
  if (outcome.kind === 'missing') return { ...reply(DEADLINE_REFUSALS.missing(outcome.callId)), next: 'end' };
  if (outcome.kind === 'already-closed') return { ...reply(alreadyClosedText(outcome.call)), next: 'end' };
  const { call } = outcome;
  const { notify, told } = perUnit(
    outcome.audience,
    `case-call:${call.id}:closed:${ctx.now.getTime()}`,
    `case-call:${call.id}`,
    (entry) => closedNotice(call, entry.row),
  );
  return { replies: [text(closedReply(call, outcome.rows, told))], notify, next: 'end' };
}

export const closeCallFlow: KitFlow<CloseDraft> = defineFlow<CloseDraft>({
  name: CASE_FLOWS.close,
  version: 1,
  title: CLOSE_CALL_TITLE,
  roles: SUPERVISORS,
  schema: CloseDraft,
  steps: {
    choose: choiceStep<CloseDraft, number>({
      hint: CLOSE_HINT,
      label: CALL_LABEL,
      choices: (ctx, draft) => callChoices(ctx, draft.callIds ?? []),
      paging: {
        flow: () => closeCallFlow,
        step: 'choose',
        page: (draft) => draft.page ?? 0,
        setPage: (draft, page) => ({ ...draft, page }),
      },
      accept: (ctx, _draft, callId) => closePreview(ctx, callId),
    }),
    confirm: confirmStep<CloseDraft>({
      action: CLOSE_ACTION,
      flow: () => closeCallFlow,
      confirm: confirmClose,
    }),
  },
});

// ---------------------------------------------------------------------------------------------------
// 延长征集 征集N <日期> / 重新开放征集 征集N [日期]: a new deadline through the one date reader

const DeadlineDraft = z.object({ callId: z.number(), mode: z.enum(['extend', 'reopen']) });
type DeadlineDraft = z.infer<typeof DeadlineDraft>;

const DEADLINE_HINT = deadlineHint(DEADLINE_EXAMPLES);

async function deadlineResult(ctx: HandlerContext, outcome: DeadlineOutcome): Promise<HandlerResult> {
  switch (outcome.kind) {
    case 'missing':
      return { ...reply(DEADLINE_REFUSALS.missing(outcome.callId)), next: 'end' };
    case 'closed':
      return { ...reply(DEADLINE_REFUSALS.closed(outcome.call)), next: 'end' };
    case 'open':
      return { ...reply(DEADLINE_REFUSALS.open(outcome.call)), next: 'end' };
    // A date that does not fit: asked again, in the dialog (also when it was typed with the command).
    case 'past':
    case 'not-later': {
      const mode = outcome.call.status === 'open' ? 'extend' : 'reopen';
      const say =
        outcome.kind === 'past'
          ? DEADLINE_REFUSALS.past(outcome.call)
          : DEADLINE_REFUSALS.notLater(outcome.call);
      return deadlineFlow.to('deadline', { callId: outcome.call.id, mode }, say);
    }
    case 'needs-deadline':
      return deadlineFlow.to(
        'deadline',
        { callId: outcome.call.id, mode: 'reopen' },
        DEADLINE_REFUSALS.needsDeadline(outcome.call),
      );
    case 'extended':
    case 'reopened': {
      const { call } = outcome;
      const calendar = await ctx.services.calendar.get();
      const { notify, told } = perUnit(
        outcome.audience,
        `case-call:${call.id}:${outcome.kind}:${call.deadline.getTime()}`,
        `case-call:${call.id}`,
        (entry) => deadlineNotice(call, outcome.kind, entry.row, calendar, ctx.now),
      );
      const said =
        outcome.kind === 'extended' ? extendedReply(call, outcome.previous, told) : reopenedReply(call, told);
      return { replies: [text(said)], notify, next: 'end' };
    }
  }
}

const deadlineStep = dateStep<DeadlineDraft>({
  hint: DEADLINE_HINT,
  flow: () => deadlineFlow,
  step: 'deadline',
  accept: async (ctx, draft, value) => {
    const to = {
      deadline: value.deadline,
      estimated: value.estimated,
      workingDays: value.workingDays,
      countedFrom: value.countedFrom,
    };
    const outcome =
      draft.mode === 'extend'
        ? await extendCaseCall(effectsOf(ctx), draft.callId, to, actorOf(ctx))
        : await reopenCaseCall(effectsOf(ctx), draft.callId, to, actorOf(ctx));
    return deadlineResult(ctx, outcome);
  },
});

export const deadlineFlow: KitFlow<DeadlineDraft> = defineFlow<DeadlineDraft>({
  name: CASE_FLOWS.deadline,
  version: 1,
  title: DEADLINE_FLOW_TITLE,
  roles: SUPERVISORS,
  schema: DeadlineDraft,
  steps: { deadline: deadlineStep },
});

/** `征集2 3月30日` → 2 and `3月30日` (the rest as typed). */
function splitCallArgs(rawArgs: string): { callId: number | null; rest: string } {
  const match = /^\s*(征集\s*\d{1,9})\s*([\s\S]*)$/u.exec(rawArgs.normalize('NFKC'));
  if (!match) return { callId: null, rest: rawArgs.trim() };
  return { callId: parseCallRef(match[1]!), rest: match[2]!.trim() };
}

/** Reads the date typed after the call as the dialog's date step would, entering it if needed. */
async function withDeadline(ctx: HandlerContext, draft: DeadlineDraft, typed: string, call: CaseCall) {
  if (typed === '') return deadlineFlow.to('deadline', draft, askNewDeadline(call, DEADLINE_EXAMPLES));
  // A date it cannot read opens the dialog too: say so, or the command retyped meets 要放弃吗.
  const parsed = readDialogDeadline(typed, { now: ctx.now, calendar: await ctx.services.calendar.get() });
  if (!parsed.ok && parsed.ask === undefined) {
    return deadlineFlow.to('deadline', draft, `${parsed.error}${DEADLINE_REFUSALS.retype}`);
  }
  return deadlineStep.run({ ...ctx, text: typed, rawText: typed }, draft, { draft });
}

export const extendCallCommand: Command = {
  name: '延长征集',
  roles: SUPERVISORS,
  summary: SUPERVISE_SUMMARIES.extend,
  usage: EXTEND_USAGE,
  args: 'required',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const { callId, rest } = splitCallArgs(ctx.rawArgs);
    if (callId === null) return reply(callRefUsage(EXTEND_USAGE));
    const call = await liveCall(ctx, callId);
    if (!call) return reply(DEADLINE_REFUSALS.missing(callId));
    if (call.status !== 'open') return reply(DEADLINE_REFUSALS.closed(call));
    return withDeadline(ctx, { callId, mode: 'extend' }, rest, call);
  },
};

export const reopenCallCommand: Command = {
  name: '重新开放征集',
  roles: SUPERVISORS,
  summary: SUPERVISE_SUMMARIES.reopen,
  usage: REOPEN_USAGE,
  args: 'required',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const { callId, rest } = splitCallArgs(ctx.rawArgs);
    if (callId === null) return reply(callRefUsage(REOPEN_USAGE));
    const call = await liveCall(ctx, callId);
    if (!call) return reply(DEADLINE_REFUSALS.missing(callId));
    if (call.status === 'open') return reply(DEADLINE_REFUSALS.open(call));
    if (rest !== '') return withDeadline(ctx, { callId, mode: 'reopen' }, rest, call);
    return deadlineResult(ctx, await reopenCaseCall(effectsOf(ctx), callId, null, actorOf(ctx)));
  },
};

// ---------------------------------------------------------------------------------------------------

export const progressCommand: Command = {
  name: '案例进度',
  readOnly: READ_ONLY_ARGS.call,
  roles: SUPERVISORS,
  summary: SUPERVISE_SUMMARIES.progress,
  usage: PROGRESS_USAGE,
  args: 'optional',
  group: CASES_GROUP,
  handle: (ctx) => withCall(ctx, 'progress'),
};

export const exportCommand: Command = {
  name: '导出案例',
  readOnly: READ_ONLY_ARGS.call,
  roles: SUPERVISORS,
  summary: SUPERVISE_SUMMARIES.export,
  usage: EXPORT_USAGE,
  args: 'optional',
  group: CASES_GROUP,
  handle: (ctx) => withCall(ctx, 'export'),
};

export const closeCallCommand: Command = {
  name: '结束案例征集',
  roles: SUPERVISORS,
  summary: SUPERVISE_SUMMARIES.close,
  usage: CLOSE_USAGE,
  args: 'optional',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const choice = await chooseCall(ctx.tx, ctx.args, { includeClosed: false });
    if (choice.kind === 'none') return reply(noCallText(choice));
    if (choice.kind === 'one') return closePreview(ctx, choice.call.id);
    const callIds = choice.calls.map((call) => call.id);
    const choices = await callChoices(ctx, callIds);
    return closeCallFlow.to('choose', { callIds }, choiceMenu(pickCallHeading('close'), choices));
  },
};
