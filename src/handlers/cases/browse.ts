// Reading cases: 案例列表 [征集N] [单位] for supervisors, 案例 C7 for supervisors (any case, with its
// review card while it waits) and liaisons (their unit's cases only; another unit's reads as
// missing). Both are read-only: answered in the middle of a dialog, which goes on.
import { cardTaskId, text, type OutMessage } from '../../messages/outbound.js';
import { findUnitByName, topUnitOf } from '../../services/directory/lookup.js';
import { caseCardItems } from '../../services/cases/review.js';
import { parseCallRef, parseCaseRef } from '../../services/cases/rules.js';
import { chooseCall, findCase } from '../../services/cases/store.js';
import {
  CASE_LIST_USAGE,
  CASE_SHOW_USAGE,
  caseNotVisibleText,
  showCaseUsage,
  caseDetailText,
  reviewCard,
  unknownListTarget,
  noCallText,
  CASES_GROUP,
  CASE_SUMMARIES,
  caseNotVisibleDetail,
} from '../../services/cases/views.js';
import { ALL_ROLES, SUPERVISORS, reply, type Command } from '../types.js';
import { liveCall } from './common.js';
import { caseListFor, withCall } from './supervise.js';

/** `征集2 张店区`, `征集2`, `张店区`: the call named and the unit named, each optional. */
function splitListArgs(args: string): { callText: string; unitText: string } {
  const match = /^(征集\s*\d{1,9})?\s*(.*)$/u.exec(args.trim());
  return { callText: match?.[1] ?? '', unitText: (match?.[2] ?? '').trim() };
}

export const caseListCommand: Command = {
  name: '案例列表',
  readOnly: /^(征集\s*\d{1,9})?\s*\S{0,30}$/u,
  roles: SUPERVISORS,
  summary: CASE_SUMMARIES.list,
  usage: CASE_LIST_USAGE,
  args: 'optional',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const { callText, unitText } = splitListArgs(ctx.args);
    if (unitText === '') return withCall({ ...ctx, args: callText }, 'list');
    const found = await findUnitByName(ctx.tx, unitText);
    if (!found.unit) return reply(unknownListTarget(unitText));
    const top = (await topUnitOf(ctx.tx, found.unit.id)) ?? found.unit;
    const choice = await chooseCall(ctx.tx, callText, { includeClosed: true });
    if (choice.kind === 'none') return reply(noCallText(choice));
    const calls = choice.kind === 'one' ? [choice.call] : choice.calls;
    const replies: OutMessage[] = [];
    for (const call of calls) replies.push(...((await caseListFor(ctx, call, top)).replies ?? []));
    return { replies };
  },
};

export const showCaseCommand: Command = {
  name: '案例',
  readOnly: /^[Cc]\s*\d{1,9}$/,
  roles: ALL_ROLES,
  summary: CASE_SUMMARIES.show,
  usage: CASE_SHOW_USAGE,
  args: 'required',
  group: CASES_GROUP,
  handle: async (ctx) => {
    const caseId = parseCaseRef(ctx.args);
    if (caseId === null) {
      // 案例 征集2 reads as the list of that call.
      if (parseCallRef(ctx.args) !== null && ctx.user.role !== 'liaison') {
        return caseListCommand.handle({ ...ctx, args: ctx.args });
      }
      return reply(showCaseUsage(ctx.user.role === 'liaison'));
    }
    const liaison = ctx.user.role === 'liaison';
    const kase = await findCase(ctx.tx, caseId);
    const visible =
      kase && kase.status !== 'withdrawn' && (!liaison || kase.topUnitId === ctx.user.topUnit?.id);
    const call = visible ? await liveCall(ctx, kase.callId) : null;
    if (kase && liaison && kase.topUnitId !== ctx.user.topUnit?.id) {
      // Another unit's case reads as missing, but the attempt is on the record.
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'case.view',
        target: `C${caseId}`,
        result: 'denied',
        detail: caseNotVisibleDetail(ctx.user.topUnit?.name),
      });
    }
    if (!kase || !visible || !call) {
      return reply(caseNotVisibleText(caseId, liaison));
    }
    const [item] = await caseCardItems(ctx, [kase]);
    if (liaison) return reply(caseDetailText(call, item!, false));
    const replies: OutMessage[] = [text(caseDetailText(call, item!, true))];
    if (kase.status === 'submitted') {
      replies.push({
        type: 'card',
        card: reviewCard(call, item!, cardTaskId('casereview', kase.id, ctx.user.userid)),
      });
    }
    return { replies };
  },
};
