// The supervisors' one click on a link 待人工确认: 确认通过 (the unit's repost is done) or 不通过
// (the liaison is told to repost again). A link decided already answers who decided it.
import { decideLink, type LinkDecision } from '../../services/reposts/store.js';
import { liaisonsByTopUnit } from '../../services/directory/lookup.js';
import {
  REPOST_KEYS,
  alreadyDecidedText,
  decidedText,
  OUTCOME_LABELS,
} from '../../services/reposts/views.js';
import { actorOf, effectsOf, tell } from '../context.js';
import * as W from './views.js';
import {
  STALE_BUTTON_TEXT,
  SUPERVISORS,
  reply,
  type CardAction,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';

async function decide(ctx: HandlerContext, params: string[], decision: LinkDecision): Promise<HandlerResult> {
  const linkId = Number(params[0]);
  if (!Number.isInteger(linkId) || linkId <= 0) return reply(STALE_BUTTON_TEXT);
  const outcome = await decideLink(effectsOf(ctx), linkId, decision, actorOf(ctx));
  if (!outcome.ok) {
    if (outcome.reason === 'decided') {
      return {
        ...reply(alreadyDecidedText(outcome.link)),
        cardUpdate: { type: 'updateButton', replaceName: OUTCOME_LABELS[outcome.link.outcome] },
      };
    }
    return reply(STALE_BUTTON_TEXT);
  }
  const liaisons = (await liaisonsByTopUnit(ctx.tx, [outcome.link.unitId])).get(outcome.link.unitId) ?? [];
  const label = W.DECIDED_LABELS[decision];
  return {
    ...reply(W.decidedReply(label)),
    cardUpdate: { type: 'updateButton', replaceName: label },
    notify: tell(
      liaisons.map((person) => person.userid),
      `repost-link:${outcome.link.id}:decided`,
      'repost',
      decidedText(outcome.item, outcome.link),
    ),
  };
}

export const repostDecisionActions: CardAction[] = [
  {
    prefix: REPOST_KEYS.approve,
    roles: SUPERVISORS,
    label: W.APPROVE_BUTTON,
    handle: (ctx, p) => decide(ctx, p, 'approve'),
  },
  {
    prefix: REPOST_KEYS.reject,
    roles: SUPERVISORS,
    label: W.REJECT_BUTTON,
    handle: (ctx, p) => decide(ctx, p, 'reject'),
  },
];
