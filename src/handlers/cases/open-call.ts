// 发起案例征集: title → deadline (any phrase of the date reader) → quotas (默认 or 区县5 …) → preview →
// 确认, which opens the call and sends every liaison of every unit that owes cases a card. 修改
// 标题/截止/配额 goes back to one step and then to the preview again.
import { z } from 'zod';
import {
  CASE_THEMES,
  DEFAULT_CASE_MAX_LENGTH,
  MAX_CALL_WORKING_DAYS,
  UNIT_KIND_ORDER,
  dueDayNote,
  parseQuotas,
} from '../../services/cases/rules.js';
import { callRecipients, openCaseCall } from '../../services/cases/store.js';
import {
  OPEN_CALL_ACTION,
  OPEN_CALL_PROMPTS,
  openCallDeadlineEcho,
  openCallPreviewLines,
  openedCallReply,
  openCallTitleRefusal,
  readCallTitle,
  CASES_GROUP,
  CASE_SUMMARIES,
  CASE_FIELD_LABELS,
  OPEN_CALL_TITLE,
  OPEN_CALL_USAGE,
  callTitleEcho,
} from '../../services/cases/views.js';
import { DEADLINE_EXAMPLES } from '../../services/calendar/date-replies.js';
import { gateSubmission } from '../../services/pii/gate.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { confirmStep, dateStep, previewMessage } from '../flow/steps.js';
import * as flowViews from '../flow/views.js';
import type { Command, HandlerContext, HandlerResult } from '../types.js';
import { SUPERVISORS, reply } from '../types.js';
import { CASE_FLOWS } from './common.js';

const Quotas = z.object({
  district: z.number(),
  zone: z.number(),
  department: z.number(),
  other: z.number(),
});

const Draft = z.object({
  title: z.string().optional(),
  /** ISO instant. */
  deadline: z.string().optional(),
  deadlineEstimated: z.boolean().optional(),
  /** Shown again in the preview when the deadline is an estimate. */
  deadlineWarning: z.string().nullable().optional(),
  /** For "N个工作日": N and when counting started (ISO), to recompute a provisional deadline. */
  deadlineWorkingDays: z.number().nullable().optional(),
  deadlineCountedFrom: z.string().nullable().optional(),
  quotas: Quotas.optional(),
  /** Set once the preview was shown: a changed field goes back to the preview. */
  editing: z.boolean().optional(),
});
type Draft = z.infer<typeof Draft>;

const EDITS: Record<string, { step: string; prompt: string }> = {
  标题: { step: 'title', prompt: OPEN_CALL_PROMPTS.title },
  截止: { step: 'deadline', prompt: OPEN_CALL_PROMPTS.deadline(DEADLINE_EXAMPLES) },
  配额: { step: 'quotas', prompt: OPEN_CALL_PROMPTS.quotas },
};
const EDIT_NAMES = ['标题', '截止', '配额'];

/** The title, checked: not empty, not too long, no personal information (it goes to every liaison). */
function takeTitle(ctx: HandlerContext, draft: Draft, raw: string): Promise<HandlerResult> | HandlerResult {
  const read = readCallTitle(raw);
  if (!read.ok) return openCallFlow.to('title', draft, read.message);
  if (gateSubmission(read.title, ctx.services.config.piiAllowList).outcome !== 'pass') {
    return openCallFlow.to('title', draft, openCallTitleRefusal());
  }
  const next = { ...draft, title: read.title };
  if (draft.editing) return preview(ctx, next);
  return openCallFlow.to(
    'deadline',
    next,
    callTitleEcho(read.title, OPEN_CALL_PROMPTS.deadline(DEADLINE_EXAMPLES)),
  );
}

async function preview(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const quotas = draft.quotas!;
  const { units, liaisons } = await callRecipients(ctx.tx, quotas);
  const deadline = new Date(draft.deadline!);
  const perKind = UNIT_KIND_ORDER.map((kind) => ({
    kind,
    count: units.filter((unit) => unit.kind === kind).length,
  })).filter((entry) => entry.count > 0);
  const people = units.reduce((sum, unit) => sum + (liaisons.get(unit.id)?.length ?? 0), 0);
  const silent = units.filter((unit) => (liaisons.get(unit.id)?.length ?? 0) === 0);
  const lines = openCallPreviewLines({
    call: {
      title: draft.title!,
      deadline,
      deadlineEstimated: draft.deadlineEstimated ?? false,
      quotas,
      maxLength: DEFAULT_CASE_MAX_LENGTH,
      themes: CASE_THEMES,
    },
    perKind,
    people,
    silent: silent.map((unit) => unit.name),
    dueDayNote: dueDayNote(await ctx.services.calendar.get(), deadline),
    deadlineWarning: draft.deadlineWarning ?? null,
  });
  return openCallFlow.to(
    'preview',
    { ...draft, editing: true },
    previewMessage(lines, OPEN_CALL_ACTION, EDIT_NAMES),
  );
}

async function confirm(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const deadline = new Date(draft.deadline!);
  if (deadline.getTime() <= ctx.now.getTime()) {
    return openCallFlow.to('deadline', draft, OPEN_CALL_PROMPTS.deadlinePassed(DEADLINE_EXAMPLES));
  }
  const opened = await openCaseCall(
    ctx.tx,
    {
      title: draft.title!,
      deadline,
      deadlineEstimated: draft.deadlineEstimated ?? false,
      deadlineWorkingDays: draft.deadlineWorkingDays ?? null,
      deadlineCountedFrom: draft.deadlineCountedFrom ? new Date(draft.deadlineCountedFrom) : null,
      quotas: draft.quotas,
      createdBy: ctx.user.userid,
    },
    ctx.now,
  );
  const said = openedCallReply({
    call: opened.call,
    units: opened.notifiedUnits.length,
    liaisons: opened.liaisonCount,
    silent: opened.unitsWithoutLiaison.map((unit) => unit.name),
    deadlineWarning: draft.deadlineWarning ?? null,
  });
  return { ...reply(said), notify: opened.notifications, next: 'end' };
}

export const openCallFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: CASE_FLOWS.open,
  version: 2,
  title: OPEN_CALL_TITLE,
  roles: SUPERVISORS,
  schema: Draft,
  steps: {
    title: {
      hint: OPEN_CALL_PROMPTS.titleHint,
      takesText: true,
      run: async (ctx, draft) => {
        if (ctx.inbound.type !== 'text') return reply(flowViews.textOnly(CASE_FIELD_LABELS.callTitle));
        return takeTitle(ctx, draft, ctx.rawText);
      },
    },
    deadline: dateStep<Draft>({
      hint: OPEN_CALL_PROMPTS.deadlineHint(DEADLINE_EXAMPLES),
      flow: () => openCallFlow,
      step: 'deadline',
      accept: async (ctx, draft, value) => {
        if (value.workingDays !== null && value.workingDays > MAX_CALL_WORKING_DAYS) {
          return reply(OPEN_CALL_PROMPTS.tooManyWorkingDays(MAX_CALL_WORKING_DAYS));
        }
        const next: Draft = {
          ...draft,
          deadline: value.deadline.toISOString(),
          deadlineEstimated: value.estimated,
          deadlineWarning: value.warning,
          deadlineWorkingDays: value.workingDays,
          deadlineCountedFrom: value.countedFrom?.toISOString() ?? null,
        };
        if (draft.editing) return preview(ctx, next);
        return openCallFlow.to(
          'quotas',
          next,
          openCallDeadlineEcho(value.deadline, value.estimated, value.warning),
        );
      },
    }),
    quotas: {
      hint: OPEN_CALL_PROMPTS.quotasHint,
      run: async (ctx, draft) => {
        if (ctx.inbound.type !== 'text') return reply(flowViews.textOnly(CASE_FIELD_LABELS.quota));
        const parsed = parseQuotas(ctx.text);
        if (!parsed.ok) return reply(parsed.message);
        return preview(ctx, { ...draft, quotas: parsed.quotas });
      },
    },
    preview: confirmStep<Draft>({
      action: OPEN_CALL_ACTION,
      edits: EDITS,
      flow: () => openCallFlow,
      confirm,
    }),
  },
});

export const openCallCommand: Command = {
  name: '发起案例征集',
  roles: SUPERVISORS,
  summary: CASE_SUMMARIES.openCall,
  usage: OPEN_CALL_USAGE,
  args: 'optional',
  group: CASES_GROUP,
  handle: async (ctx) => {
    if (ctx.rawArgs.trim() !== '') return takeTitle(ctx, {}, ctx.rawArgs);
    return openCallFlow.to('title', {}, OPEN_CALL_PROMPTS.start);
  },
};
