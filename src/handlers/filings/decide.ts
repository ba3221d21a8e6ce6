// 备案确认 F3 / 备案退回 F3 <理由>, and the same from the card's buttons. Confirming updates the
// directory; the filer and the unit's liaisons hear the outcome.
import { text } from '../../messages/outbound.js';
import { AccountFiling, FILING_STATUS_LABELS } from '../../entities/account-filing.js';
import { parseRef, splitFirstWord } from '../../services/shared/duty.js';
import {
  confirmFiling,
  filingRef,
  filingSubject,
  rejectFiling,
  type DecisionOutcome,
} from '../../services/filings/store.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import { z } from 'zod';
import {
  SUPERVISORS,
  reply,
  type CardAction,
  type Command,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import {
  actorOf,
  alreadyDecidedText,
  cardReply,
  commandReply,
  effectsOf,
  tell,
  unitAudience,
  type DecisionReply,
} from '../context.js';
import { reasonFlow } from '../flow/gated.js';
import { MEDIA_GROUP } from './views.js';
import * as views from './views.js';

export const FILING_REJECT_FLOW = 'filing-reject';
const CONFIRM_USAGE = '备案确认 F3';
const REJECT_USAGE = '备案退回 F3 <理由>';

/** The filer and the unit's liaisons. */
function audienceOf(ctx: HandlerContext, filing: AccountFiling): Promise<string[]> {
  return unitAudience(ctx, filing.topUnitId, filing.submittedBy);
}

async function notFoundOrDecided(
  ctx: HandlerContext,
  id: number,
  outcome: DecisionOutcome,
): Promise<string | null> {
  if (outcome.kind === 'not-found') return views.notFound(filingRef(id));
  if (outcome.kind === 'decided') {
    const { filing } = outcome;
    return alreadyDecidedText(ctx, `账号备案 ${filingRef(id)}`, filing, FILING_STATUS_LABELS[filing.status]);
  }
  return null;
}

async function confirm(ctx: HandlerContext, id: number): Promise<DecisionReply> {
  const outcome = await confirmFiling(effectsOf(ctx), id, actorOf(ctx));
  const problem = await notFoundOrDecided(ctx, id, outcome);
  if (problem) return { replies: [text(problem)], card: outcome.kind === 'decided' ? '已处理' : null };
  if (outcome.kind === 'conflict') {
    return { replies: [text(views.confirmConflict(outcome.filing, outcome.unitName))], card: null };
  }
  if (outcome.kind !== 'ok') return { card: null };
  const { filing, account } = outcome;
  const ref = filingRef(id);
  const directory = account ? views.directoryUpdated(account) : '';
  return {
    replies: [text(views.confirmed(ref, filingSubject(filing), directory))],
    notify: tell(
      await audienceOf(ctx, filing),
      `filing:${id}:confirmed`,
      'filing',
      views.confirmedNotice(ref, filingSubject(filing), directory),
    ),
    card: '已确认备案',
  };
}

const RejectDraft = z.object({ id: z.number() });

/** The reason of a 退回: asked after the card's button, or given with 备案退回 F3 <理由>. */
export const filingRejectFlow = reasonFlow<z.infer<typeof RejectDraft>>({
  name: FILING_REJECT_FLOW,
  version: 2,
  title: '退回备案',
  roles: SUPERVISORS,
  schema: RejectDraft,
  verb: '退回',
  revise: (raw, draft) => {
    const match = /^备案退回\s*(\S+)\s+([\s\S]+)$/.exec(raw);
    return match && parseRef('F', match[1]!) === draft.id ? match[2]!.trim() : null;
  },
  store: async (ctx, { id }, reason, accepted) => {
    const outcome = await rejectFiling(effectsOf(ctx), id, actorOf(ctx), reason);
    const problem = await notFoundOrDecided(ctx, id, outcome);
    if (problem) return reply(problem);
    if (outcome.kind !== 'ok') return {};
    const ref = filingRef(id);
    await auditAcceptedFindings(ctx.services, ctx.user.userid, ref, accepted);
    return {
      ...reply(views.rejected(ref)),
      notify: tell(
        await audienceOf(ctx, outcome.filing),
        `filing:${id}:rejected`,
        'filing',
        views.rejectedNotice(ref, filingSubject(outcome.filing), reason),
      ),
    };
  },
});

export const confirmCommand: Command = {
  name: '备案确认',
  roles: SUPERVISORS,
  summary: '确认账号备案已在全国系统完成（更新账号清单）',
  usage: CONFIRM_USAGE,
  args: 'required',
  group: MEDIA_GROUP,
  handle: async (ctx) => {
    const id = parseRef('F', ctx.args);
    if (id === null) return { replies: [text(views.usage(CONFIRM_USAGE))] };
    return commandReply(await confirm(ctx, id));
  },
};

/** 退回 from the card, or 备案退回 F3 without a reason: ask for the reason, if still submitted. */
async function askRejectReason(ctx: HandlerContext, id: number, fromCard: boolean): Promise<HandlerResult> {
  const filing = await ctx.tx.getRepository(AccountFiling).findOneBy({ id });
  if (!filing) return { replies: [text(views.notFound(filingRef(id)))] };
  if (filing.status !== 'submitted') {
    const decided = await notFoundOrDecided(ctx, id, { kind: 'decided', filing });
    const said = { replies: [text(decided ?? '')] };
    return fromCard ? { ...said, cardUpdate: { type: 'updateButton', replaceName: '已处理' } } : said;
  }
  return filingRejectFlow.ask({ id }, views.askRejectReason(filingRef(id)));
}

export const rejectCommand: Command = {
  name: '备案退回',
  roles: SUPERVISORS,
  summary: '退回账号备案并说明理由',
  usage: REJECT_USAGE,
  args: 'required',
  group: MEDIA_GROUP,
  handle: async (ctx) => {
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const id = parseRef('F', first);
    if (id === null) return { replies: [text(views.usage(REJECT_USAGE))] };
    if (rest === '') return askRejectReason(ctx, id, false);
    return filingRejectFlow.submit(ctx, { id }, rest);
  },
};

export const filingCardActions: CardAction[] = [
  {
    prefix: 'filing:confirm',
    roles: SUPERVISORS,
    label: '确认备案',
    handle: async (ctx, [idText]) => {
      const id = Number(idText);
      return cardReply(await confirm(ctx, id));
    },
  },
  {
    prefix: 'filing:reject',
    roles: SUPERVISORS,
    label: '退回',
    handle: (ctx, [idText]) => askRejectReason(ctx, Number(idText), true),
  },
];
