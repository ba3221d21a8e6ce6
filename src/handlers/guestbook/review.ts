// Review of guestbook answers: the card's 通过/退回 (and 审核留言 L5 通过|退回 <理由>) for
// supervisors, the reason of a 退回 through the kit's reason flow, and the setting 留言审核
// 开启|关闭 [单位|全市] (留言审核 alone shows it).
import { z } from 'zod';
import { markdown } from '../../messages/outbound.js';
import { resolveUnitNames, topUnitIndex, unknownUnitText } from '../../services/directory/lookup.js';
import { parseDecision, parseRef, splitFirstWord } from '../../services/shared/duty.js';
import {
  reviewAnswer,
  reviewSettings,
  setReview,
  type ReviewOutcome,
} from '../../services/guestbook/review.js';
import type { ReviewScope } from '../../services/guestbook/rules.js';
import { viewDeadline } from '../../services/calendar/deadline-text.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import { GuestbookMessage } from '../../entities/guestbook-message.js';
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
  cardReply,
  commandReply,
  effectsOf,
  tell,
  unitAudience,
  type DecisionReply,
} from '../context.js';
import { reasonFlow } from '../flow/gated.js';
import { denialText } from '../../services/shared/permissions.js';
import * as views from './views.js';

async function result(
  ctx: HandlerContext,
  id: number,
  outcome: ReviewOutcome,
  reason: string | null,
): Promise<DecisionReply> {
  switch (outcome.kind) {
    case 'not-found':
      return { ...reply(views.notFound(id)), card: null };
    case 'forbidden':
      return { ...reply(denialText(SUPERVISORS)), card: null };
    case 'not-pending':
      return { ...reply(views.notInReview(id)), card: views.HANDLED_BUTTON };
    case 'ok': {
      const { message } = outcome;
      const to = await unitAudience(ctx, message.topUnitId, outcome.submittedBy);
      const calendar = await ctx.services.calendar.get();
      const due = viewDeadline(calendar, message.deadline, ctx.now, message.deadlineEstimated).due;
      if (message.status === 'answered') {
        const late = outcome.onTime ? null : due;
        return {
          ...reply(views.approved(id, late)),
          notify: tell(to, `guestbook:${id}:approved`, 'guestbook', views.approvedNotice(id, late)),
          card: views.APPROVED_BUTTON,
        };
      }
      return {
        ...reply(views.returned(id)),
        notify: tell(
          to,
          `guestbook:${id}:returned:${ctx.deliveryId}`,
          'guestbook',
          views.returnedNotice(id, reason ?? '', due),
        ),
        card: views.RETURNED_BUTTON,
      };
    }
  }
}

const ReturnDraft = z.object({ id: z.number() });

/** The reason of a 退回: asked after the card's button or given with 审核留言 L5 退回 <理由>. */
export const returnFlow = reasonFlow<z.infer<typeof ReturnDraft>>({
  name: 'guestbook-return',
  title: views.RETURN_TITLE,
  roles: SUPERVISORS,
  schema: ReturnDraft,
  verb: views.RETURN_VERB,
  revise: (raw, draft) => {
    const match = /^审核留言\s*(\S+)\s*退回\s+([\s\S]+)$/.exec(raw);
    return match && parseRef('L', match[1]!) === draft.id ? match[2]!.trim() : null;
  },
  store: async (ctx, draft, reason, accepted) => {
    const outcome = await reviewAnswer(effectsOf(ctx), draft.id, actorOf(ctx), 'return', reason);
    if (outcome.kind === 'ok')
      await auditAcceptedFindings(ctx.services, ctx.user.userid, `L${draft.id}`, accepted);
    return commandReply(await result(ctx, draft.id, outcome, reason));
  },
});

async function approve(ctx: HandlerContext, id: number): Promise<DecisionReply> {
  return result(ctx, id, await reviewAnswer(effectsOf(ctx), id, actorOf(ctx), 'approve', null), null);
}

/** 退回 from the card, or 审核留言 L5 退回 without a reason: ask for it, if the answer still waits. */
async function askReturnReason(ctx: HandlerContext, id: number, fromCard: boolean): Promise<HandlerResult> {
  const message = await ctx.tx.getRepository(GuestbookMessage).findOneBy({ id });
  if (!message) return reply(views.notFound(id));
  if (message.status !== 'open' || message.reviewStatus !== 'pending') {
    const said = reply(views.notInReview(id));
    return fromCard ? { ...said, cardUpdate: { type: 'updateButton', replaceName: '已处理' } } : said;
  }
  return returnFlow.ask({ id }, views.askReturnReason(id));
}

export const reviewCardActions: CardAction[] = [
  {
    prefix: 'guestbook:approve',
    roles: SUPERVISORS,
    label: views.APPROVE_BUTTON,
    handle: async (ctx, [idText]) => cardReply(await approve(ctx, Number(idText))),
  },
  {
    prefix: 'guestbook:return',
    roles: SUPERVISORS,
    label: views.RETURN_BUTTON,
    handle: (ctx, [idText]) => askReturnReason(ctx, Number(idText), true),
  },
];

export const reviewCommand: Command = {
  name: '审核留言',
  roles: SUPERVISORS,
  summary: views.REVIEW_SUMMARY,
  usage: views.DECIDE_USAGE,
  args: 'required',
  group: views.GUESTBOOK_GROUP,
  handle: async (ctx) => {
    const decision = parseDecision(ctx.rawArgs, 'L', ['通过', '退回'] as const);
    if (!decision) return reply(views.usageLine(views.DECIDE_USAGE));
    const { id, verdict, note: reason } = decision;
    if (verdict === '通过') return commandReply(await approve(ctx, id));
    if (reason === '') return askReturnReason(ctx, id, false);
    return returnFlow.submit(ctx, { id }, reason);
  },
};

export const reviewSettingCommand: Command = {
  name: '留言审核',
  readOnly: /^$/,
  roles: SUPERVISORS,
  summary: views.REVIEW_SETTING_SUMMARY,
  usage: views.REVIEW_USAGE,
  args: 'optional',
  group: views.GUESTBOOK_GROUP,
  handle: async (ctx) => {
    if (ctx.args === '') {
      const settings = await reviewSettings(ctx.tx);
      return {
        replies: [
          markdown(
            views.reviewSettings(
              settings.city,
              settings.units.map(({ unit, enabled }) => ({ name: unit.name, enabled })),
            ),
          ),
        ],
      };
    }
    const { first, rest } = splitFirstWord(ctx.args);
    if (first !== '开启' && first !== '关闭') return reply(views.usageLine(views.REVIEW_USAGE));
    let scope: ReviewScope = { kind: 'city' };
    let unitName: string | undefined;
    if (rest !== '' && rest !== '全市') {
      const resolved = await resolveUnitNames(ctx.tx, rest);
      const [unit] = resolved.units;
      if (resolved.unknown.length > 0 || resolved.units.length !== 1 || !unit) {
        return reply(unknownUnitText(rest, resolved.unknown[0]?.suggestions ?? []));
      }
      const top = (await topUnitIndex(ctx.tx)).get(unit.id) ?? unit.id;
      if (top !== unit.id) return reply(views.NOT_TOP_UNIT);
      scope = { kind: 'unit', topUnitId: unit.id };
      unitName = unit.name;
    }
    const enabled = first === '开启';
    const outcome = await setReview(effectsOf(ctx), actorOf(ctx), scope, enabled);
    if (outcome.kind === 'forbidden') return reply(denialText(SUPERVISORS));
    return reply(views.reviewSet(scope, enabled, unitName));
  },
};
