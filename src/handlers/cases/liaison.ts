// The liaison's commands: 提交案例, 我的案例, 修改案例 C7, 撤回案例 C7, and the card's 提交案例 button.
import { markdown, text } from '../../messages/outbound.js';
import { CaseCall } from '../../entities/case-call.js';
import {
  CASES_GROUP,
  LIAISON_SUMMARIES,
  MODIFY_CASE_USAGE,
  SUBMIT_CASE_BUTTON,
  SUBMIT_CASE_USAGE,
  WITHDRAW_CASE_USAGE,
  MY_CASES_FOOTER,
  SUBMIT_CARD_PREFIX,
  myCasesSection,
  noCallText,
  LIAISON_TEXTS,
  myCasesHeading,
  caseChangeRefusalText,
} from '../../services/cases/views.js';
import { caseRef, parseCaseRef, progressLine } from '../../services/cases/rules.js';
import {
  caseCounts,
  channelLabel,
  channelNames,
  chooseCall,
  countsFor,
  liveCases,
  recentCalls,
  quotaOf,
} from '../../services/cases/store.js';
import type { CardAction, Command, HandlerContext, HandlerResult } from '../types.js';
import { LIAISONS, isUnit, topUnitOf } from './common.js';
import { withdrawCaseAs } from '../../services/cases/changes.js';
import { actorOf, effectsOf } from '../context.js';
import { askWhichCall, startDraft, startRevision } from './draft.js';

export const submitCaseCommand: Command = {
  name: '提交案例',
  roles: LIAISONS,
  summary: LIAISON_SUMMARIES.submit,
  usage: SUBMIT_CASE_USAGE,
  args: 'optional',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const unit = topUnitOf(ctx);
    if (!isUnit(unit)) return unit;
    const choice = await chooseCall(ctx.tx, ctx.args, { includeClosed: false });
    if (choice.kind === 'none') return { replies: [text(noCallText(choice))] };
    if (choice.kind === 'many') return askWhichCall(ctx, choice.calls);
    return startDraft(ctx, choice.call, unit);
  },
};

/** The 提交案例 button on the call card (`case:submit:<callId>`). */
export const submitCaseButton: CardAction = {
  prefix: SUBMIT_CARD_PREFIX,
  roles: LIAISONS,
  label: SUBMIT_CASE_BUTTON,
  handle: async (ctx, params) => {
    const unit = topUnitOf(ctx);
    if (!isUnit(unit)) return unit;
    const id = Number(params[0]);
    const call = Number.isInteger(id) ? await ctx.tx.getRepository(CaseCall).findOneBy({ id }) : null;
    if (!call) return { replies: [text(LIAISON_TEXTS.noSuchCall)] };
    if (call.status !== 'open') return { replies: [text(LIAISON_TEXTS.callClosed(call.id))] };
    return startDraft(ctx, call, unit);
  },
};

export const myCasesCommand: Command = {
  name: '我的案例',
  readOnly: true,
  roles: LIAISONS,
  summary: LIAISON_SUMMARIES.mine,
  args: 'none',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const unit = topUnitOf(ctx);
    if (!isUnit(unit)) return unit;
    // Open calls, and those closed lately with the unit's final count.
    const calls = await recentCalls(ctx.tx, ctx.now);
    if (calls.length === 0) return { replies: [text(LIAISON_TEXTS.noCalls)] };
    const callIds = calls.map((call) => call.id);
    const cases = await liveCases(ctx.tx, callIds, [unit.id]);
    const counts = await caseCounts(ctx.tx, callIds, [unit.id]);
    const names = await channelNames(ctx.tx, cases);
    const calendar = await ctx.services.calendar.get();
    const lines = [myCasesHeading(unit.name)];
    for (const call of calls) {
      const items = cases
        .filter((kase) => kase.callId === call.id)
        .map((kase) => ({ kase, channel: channelLabel(kase, names) }));
      lines.push(
        '',
        ...myCasesSection(
          call,
          countsFor(counts, call.id, unit.id).counted,
          quotaOf(call, unit.kind),
          items,
          calendar,
          ctx.now,
        ),
      );
    }
    lines.push('', MY_CASES_FOOTER);
    return { replies: [markdown(lines.join('\n'))] };
  },
};

function caseIdFrom(ctx: HandlerContext, usage: string): number | HandlerResult {
  const id = parseCaseRef(ctx.args);
  return id ?? { replies: [text(LIAISON_TEXTS.usage(usage))] };
}

export const modifyCaseCommand: Command = {
  name: '修改案例',
  roles: LIAISONS,
  summary: LIAISON_SUMMARIES.modify,
  usage: MODIFY_CASE_USAGE,
  args: 'required',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const id = caseIdFrom(ctx, MODIFY_CASE_USAGE);
    if (typeof id !== 'number') return id;
    return startRevision(ctx, id);
  },
};

export const withdrawCaseCommand: Command = {
  name: '撤回案例',
  roles: LIAISONS,
  summary: LIAISON_SUMMARIES.withdraw,
  usage: WITHDRAW_CASE_USAGE,
  args: 'required',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const id = caseIdFrom(ctx, WITHDRAW_CASE_USAGE);
    if (typeof id !== 'number') return id;
    const unit = topUnitOf(ctx);
    if (!isUnit(unit)) return unit;
    const outcome = await withdrawCaseAs(effectsOf(ctx), id, unit, actorOf(ctx));
    if (!outcome.ok) return { replies: [text(caseChangeRefusalText(outcome))] };
    const { kase, call, standing } = outcome;
    const calendar = await ctx.services.calendar.get();
    const progress = progressLine(
      calendar,
      { submitted: standing.counted, quota: standing.quota, deadline: call.deadline },
      ctx.now,
    );
    return { replies: [text(LIAISON_TEXTS.withdrawn(caseRef(kase.id), kase.title, progress))] };
  },
};
