// 域名审批 D4 同意|拒绝 <理由>, and the same from the request card. Only the approvers of the name's
// zone decide (the city's supervisors for zibo.gov.cn, a 区县's own approvers for its zones); the
// service checks it and audits a refusal. A reason or note passes the personal-information gate.
import { z } from 'zod';
import { DOMAIN_STATUS_LABELS, DomainAllocation } from '../../entities/domain-allocation.js';
import {
  allocationName,
  checkDecider,
  decideDomain,
  domainRef,
  type DecisionOutcome,
} from '../../services/domains/store.js';
import { parseDecision, parseRef } from '../../services/shared/duty.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import {
  ALL_ROLES,
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
import { gatedSubmitFlow } from '../flow/gated.js';
import * as views from './views.js';

function decidedText(ctx: HandlerContext, allocation: DomainAllocation): Promise<string> {
  return alreadyDecidedText(
    ctx,
    views.requestRef(allocation.id),
    allocation,
    DOMAIN_STATUS_LABELS[allocation.status],
  );
}

/** The reply, notices and card label for a decision outcome. */
export async function decisionResult(
  ctx: HandlerContext,
  id: number,
  outcome: DecisionOutcome,
  note: string | null,
): Promise<DecisionReply> {
  switch (outcome.kind) {
    case 'not-found':
      return { ...reply(views.notFound(id)), card: null };
    case 'forbidden':
      return {
        ...reply(
          views.forbidden(
            views.requestRefNamed(id, allocationName(outcome.allocation)),
            outcome.zone,
            outcome.ownerName,
          ),
        ),
        card: null,
      };
    case 'decided':
      return { ...reply(await decidedText(ctx, outcome.allocation)), card: views.HANDLED_BUTTON };
    case 'taken':
      return {
        ...reply(
          views.takenAtApproval(
            id,
            allocationName(outcome.allocation),
            outcome.unitName,
            outcome.holder?.id ?? null,
          ),
        ),
        card: null,
      };
    case 'site':
      return {
        ...reply(
          views.siteAtApproval(id, allocationName(outcome.allocation), outcome.website, outcome.unitName),
        ),
        card: null,
      };
    case 'ok': {
      const { allocation } = outcome;
      const name = allocationName(allocation);
      const to = await unitAudience(ctx, allocation.topUnitId, allocation.requestedBy);
      if (allocation.status === 'active') {
        return {
          ...reply(views.approved(id, name)),
          notify: tell(to, `domain:${id}:approved`, 'domain', views.approvedNotice(id, name)),
          card: views.APPROVED_BUTTON,
        };
      }
      return {
        ...reply(views.rejected(id, name)),
        notify: tell(to, `domain:${id}:rejected`, 'domain', views.rejectedNotice(id, name, note ?? '')),
        card: views.REJECTED_BUTTON,
      };
    }
  }
}

const Draft = z.object({ id: z.number(), verdict: z.enum(['approve', 'reject']) });
type Draft = z.infer<typeof Draft>;

const VERDICT_WORDS = { approve: '同意', reject: '拒绝' } as const;

/** A decision with a text: the reason of a 拒绝 (required) or the note of a 同意. */
export const decisionFlow = gatedSubmitFlow<Draft>({
  name: 'domain-decision',
  title: views.DECISION_TITLE,
  roles: ALL_ROLES,
  schema: Draft,
  label: views.DECISION_LABEL,
  hint: views.DECISION_HINT,
  maxChars: 500,
  // 域名审批 D4 <the same verdict> <new text> while the text waits for 确认.
  revise: (raw, draft) => {
    const match = /^域名审批\s*(\S+)\s*(同意|拒绝)\s*([\s\S]*)$/.exec(raw);
    if (!match || match[2] !== VERDICT_WORDS[draft.verdict] || parseRef('D', match[1]!) !== draft.id)
      return null;
    return match[3]!.trim() || null;
  },
  store: async (ctx, draft, note, accepted) => {
    const outcome = await decideDomain(effectsOf(ctx), draft.id, actorOf(ctx), draft.verdict, note);
    if (outcome.kind === 'ok')
      await auditAcceptedFindings(ctx.services, ctx.user.userid, domainRef(draft.id), accepted);
    return commandReply(await decisionResult(ctx, draft.id, outcome, note));
  },
});

/** 拒绝 from the card, or 域名审批 D4 拒绝 without a reason: ask for the reason, if it may be decided. */
async function askRejectReason(ctx: HandlerContext, id: number, fromCard: boolean): Promise<HandlerResult> {
  const allocation = await ctx.tx.getRepository(DomainAllocation).findOneBy({ id });
  if (!allocation) return reply(views.notFound(id));
  if (allocation.status !== 'pending') {
    const said = reply(await decidedText(ctx, allocation));
    return fromCard ? { ...said, cardUpdate: { type: 'updateButton', replaceName: '已处理' } } : said;
  }
  const refused = await checkDecider(effectsOf(ctx), actorOf(ctx), allocation, 'domain.reject');
  if (refused) {
    const decided = await decisionResult(ctx, id, refused, null);
    return fromCard ? cardReply(decided) : commandReply(decided);
  }
  return decisionFlow.ask({ id, verdict: 'reject' }, views.askRejectReason(id, allocationName(allocation)));
}

export const decideCommand: Command = {
  name: '域名审批',
  // Approvers of a 区县's zone may be liaisons: the service decides who may.
  roles: ALL_ROLES,
  summary: views.DECIDE_SUMMARY,
  usage: views.DECIDE_USAGE,
  args: 'required',
  group: views.DOMAIN_GROUP,
  handle: async (ctx) => {
    const decision = parseDecision(ctx.rawArgs, 'D', ['同意', '拒绝'] as const);
    if (!decision) return reply(views.usageLine(views.DECIDE_USAGE));
    const { id, verdict, note } = decision;
    if (verdict === '拒绝') {
      if (note === '') return askRejectReason(ctx, id, false);
      return decisionFlow.submit(ctx, { id, verdict: 'reject' }, note);
    }
    if (note !== '') return decisionFlow.submit(ctx, { id, verdict: 'approve' }, note);
    const outcome = await decideDomain(effectsOf(ctx), id, actorOf(ctx), 'approve', null);
    return commandReply(await decisionResult(ctx, id, outcome, null));
  },
};

export const domainCardActions: CardAction[] = [
  {
    prefix: 'domain:approve',
    roles: ALL_ROLES,
    label: views.APPROVE_BUTTON,
    handle: async (ctx, [idText]) => {
      const id = Number(idText);
      const outcome = await decideDomain(effectsOf(ctx), id, actorOf(ctx), 'approve', null);
      return cardReply(await decisionResult(ctx, id, outcome, null));
    },
  },
  {
    prefix: 'domain:reject',
    roles: ALL_ROLES,
    label: views.REJECT_BUTTON,
    handle: (ctx, [idText]) => askRejectReason(ctx, Number(idText), true),
  },
];
