// Reviewing cases: 审核案例 C7 采纳|退回 <理由>, and the review cards' buttons (采纳; 退回, which asks
// for the reason in a kit dialog; 逐个审核 on a digest, which brings the single cards). A second
// click, or a click on a case settled meanwhile, changes nothing and greys the button with what
// happened.
import { z } from 'zod';
import { cardTaskId, text, type CardUpdate } from '../../messages/outbound.js';
import { CaseCall } from '../../entities/case-call.js';
import { REVIEW_USAGE, parseReview, progressLine, type ReviewDecision } from '../../services/cases/rules.js';
import { awaitingReview, reviewCaseAs, type ReviewOutcome } from '../../services/cases/review.js';
import { findCase } from '../../services/cases/store.js';
import {
  CASE_BUTTON_LABELS,
  CASE_KEYS,
  DIGEST_LIMIT,
  RETURN_REASON_HINT,
  RETURN_REASON_MAX,
  askReturnReason,
  caseMissingText,
  nothingToReview,
  reviewCard,
  reviewedNotice,
  reviewedReply,
  settledButton,
  unchangedText,
  CASES_GROUP,
  CASE_SUMMARIES,
  CASE_FIELD_LABELS,
  RETURN_CASE_TITLE,
  REVIEW_BUTTONS,
} from '../../services/cases/views.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { textStep } from '../flow/steps.js';
import { actorOf, effectsOf } from '../context.js';
import {
  STALE_BUTTON_TEXT,
  SUPERVISORS,
  reply,
  type CardAction,
  type Command,
  type ConversationSnapshot,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import { CASE_FLOWS } from './common.js';

const button = (replaceName: string): CardUpdate => ({ type: 'updateButton', replaceName });

/** What a review outcome says to the reviewer and to the unit's liaisons. */
async function reviewAnswer(ctx: HandlerContext, outcome: ReviewOutcome): Promise<HandlerResult> {
  if (outcome.kind === 'missing') return reply(caseMissingText(outcome.caseId, outcome.withdrawn));
  if (outcome.kind === 'unchanged') return reply(unchangedText(outcome.kase));
  const { kase, call, unit, liaisons, decision } = outcome;
  const calendar = await ctx.services.calendar.get();
  const standing = call
    ? progressLine(
        calendar,
        { submitted: outcome.counted, quota: outcome.quota, deadline: call.deadline },
        ctx.now,
      )
    : '';
  const to = liaisons.map((person) => person.userid);
  const target = decision === 'accept' ? 'accepted' : 'returned';
  return {
    replies: [text(reviewedReply(decision, kase, unit?.name ?? '', to.length))],
    notify:
      to.length > 0
        ? [
            {
              to,
              key: `case:${kase.id}:${target}:in${ctx.deliveryId}`,
              source: `case-call:${kase.callId}`,
              message: text(reviewedNotice(decision, kase, call, standing)),
            },
          ]
        : undefined,
  };
}

function review(ctx: HandlerContext, caseId: number, decision: ReviewDecision, reason: string) {
  return reviewCaseAs(effectsOf(ctx), caseId, { decision, reason }, actorOf(ctx));
}

/** The reason as typed (after 采纳/通过/退回), so it is stored exactly as the supervisor wrote it. */
function rawReason(rawArgs: string): string {
  const match = /(采纳|通过|退回)\s*[:：，,]?\s*([\s\S]*)$/.exec(rawArgs);
  return (match?.[2] ?? '').trim();
}

export const reviewCommand: Command = {
  name: '审核案例',
  roles: SUPERVISORS,
  summary: CASE_SUMMARIES.review,
  usage: REVIEW_USAGE,
  args: 'required',
  group: CASES_GROUP,
  handle: async (ctx) => {
    // 审核案例 C7 退回 without a reason asks for it, as the card's 退回 does.
    const bare = /^[Cc]\s*(\d{1,9})\s*退回\s*[:：，,]?\s*$/.exec(ctx.args.trim());
    if (bare) return askReason(ctx, Number(bare[1]));
    const parsed = parseReview(ctx.args);
    if (!parsed.ok) return reply(parsed.message);
    const reason = parsed.decision === 'return' ? rawReason(ctx.rawArgs) || parsed.reason : '';
    return reviewAnswer(ctx, await review(ctx, parsed.caseId, parsed.decision, reason));
  },
};

/** The reason dialog for a case that can still be returned; otherwise what became of it. */
async function askReason(ctx: HandlerContext, caseId: number): Promise<HandlerResult> {
  const kase = await findCase(ctx.tx, caseId);
  if (!kase || kase.status === 'withdrawn') return reply(caseMissingText(caseId, Boolean(kase)));
  if (kase.status === 'returned') return reply(unchangedText(kase));
  return returnFlow.to('reason', { caseId }, askReturnReason(kase));
}

// ---------------------------------------------------------------------------------------------------
// 退回 from a card: the reason, then the same review

const ReturnDraft = z.object({ caseId: z.number() });
type ReturnDraft = z.infer<typeof ReturnDraft>;

export const returnFlow: KitFlow<ReturnDraft> = defineFlow<ReturnDraft>({
  name: CASE_FLOWS.return,
  version: 1,
  title: RETURN_CASE_TITLE,
  roles: SUPERVISORS,
  schema: ReturnDraft,
  steps: {
    reason: textStep<ReturnDraft>({
      hint: RETURN_REASON_HINT,
      label: CASE_FIELD_LABELS.returnReason,
      maxChars: RETURN_REASON_MAX,
      accept: async (ctx, draft, reason) => ({
        ...(await reviewAnswer(ctx, await review(ctx, draft.caseId, 'return', reason))),
        next: 'end',
      }),
    }),
  },
});

const caseIdOf = (params: string[]): number | null => {
  const id = Number(params[0]);
  return Number.isInteger(id) && id > 0 ? id : null;
};

const acceptAction: CardAction = {
  prefix: CASE_KEYS.accept,
  roles: SUPERVISORS,
  label: REVIEW_BUTTONS.accept,
  handle: async (ctx, params) => {
    const caseId = caseIdOf(params);
    if (!caseId) return reply(STALE_BUTTON_TEXT);
    const outcome = await review(ctx, caseId, 'accept', '');
    const answer = await reviewAnswer(ctx, outcome);
    const label =
      outcome.kind === 'reviewed'
        ? CASE_BUTTON_LABELS.accepted
        : settledButton(await findCase(ctx.tx, caseId));
    return { ...answer, cardUpdate: button(label) };
  },
};

const returnAction: CardAction = {
  prefix: CASE_KEYS.return,
  roles: SUPERVISORS,
  label: REVIEW_BUTTONS.return,
  continues: (conversation: ConversationSnapshot, params: string[]) =>
    conversation.flow === CASE_FLOWS.return &&
    returnFlow.draftOf(conversation.data)?.caseId === caseIdOf(params),
  handle: async (ctx, params) => {
    const caseId = caseIdOf(params);
    if (!caseId) return reply(STALE_BUTTON_TEXT);
    const kase = await findCase(ctx.tx, caseId);
    if (!kase || kase.status === 'withdrawn') {
      return { ...reply(caseMissingText(caseId, Boolean(kase))), cardUpdate: button(settledButton(kase)) };
    }
    if (kase.status === 'returned')
      return { ...reply(unchangedText(kase)), cardUpdate: button(CASE_BUTTON_LABELS.returned) };
    return {
      ...returnFlow.to('reason', { caseId }, askReturnReason(kase)),
      cardUpdate: button(CASE_BUTTON_LABELS.returning),
    };
  },
};

/** 逐个审核 on a digest: the single cards of the cases still waiting. */
const cardsAction: CardAction = {
  prefix: CASE_KEYS.cards,
  roles: SUPERVISORS,
  label: REVIEW_BUTTONS.cards,
  handle: async (ctx, params) => {
    const ids = (params[0] ?? '')
      .split('-')
      .map(Number)
      .filter((id) => Number.isInteger(id) && id > 0)
      .slice(0, DIGEST_LIMIT);
    if (ids.length === 0) return reply(STALE_BUTTON_TEXT);
    const items = await awaitingReview(ctx, ids);
    if (items.length === 0) return reply(nothingToReview());
    const calls = await ctx.tx
      .getRepository(CaseCall)
      .findBy(items.map((item) => ({ id: item.kase.callId })));
    return {
      replies: items.flatMap((item) => {
        const call = calls.find((candidate) => candidate.id === item.kase.callId);
        if (!call) return [];
        const taskId = cardTaskId('casereview', item.kase.id, ctx.user.userid);
        return [{ type: 'card' as const, card: reviewCard(call, item, taskId) }];
      }),
    };
  },
};

export const reviewCardActions: CardAction[] = [acceptAction, returnAction, cardsAction];
