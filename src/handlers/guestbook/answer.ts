// 留言办结 L5 <答复摘要>: the unit's liaisons or supervisors answer a message. The answer passes the
// personal-information gate (blocked: refused; warned: 确认). Where the unit's (or the city's)
// 留言审核 setting is on, the liaison first sees quality hints (length, 您好, an outcome), and the
// answer goes to the supervisors' review instead of closing the message; the clock runs on.
import { z } from 'zod';
import { GuestbookMessage } from '../../entities/guestbook-message.js';
import type { Website } from '../../entities/website.js';
import { supervisors } from '../../services/directory/lookup.js';
import { parseRef, splitFirstWord, unitNameOf } from '../../services/shared/duty.js';
import {
  checkAnswerable,
  guestbookRef,
  recordAnswer,
  type AnswerCheck,
} from '../../services/guestbook/store.js';
import { reviewRequired, submitForReview } from '../../services/guestbook/review.js';
import { answerHints } from '../../services/guestbook/rules.js';
import { viewDeadline } from '../../services/calendar/deadline-text.js';
import { auditAcceptedFindings, CONFIRM_WORDS } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { ALL_ROLES, reply, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { actorOf, cardNotices, effectsOf } from '../context.js';
import { AcceptedFindings } from '../flow/gated.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { gateText, gatedTextSteps } from '../flow/steps.js';
import * as views from './views.js';

const MAX_ANSWER_CHARS = 2000;

const Draft = z.object({
  id: z.number(),
  /** At the hints step: the answer and the warnings already confirmed. */
  answer: z.string().optional(),
  accepted: AcceptedFindings.optional(),
});
type Draft = z.infer<typeof Draft>;

/** The reply when the message cannot be answered by this member now, or null when it can. */
async function refusal(ctx: HandlerContext, id: number, check: AnswerCheck): Promise<HandlerResult | null> {
  switch (check.kind) {
    case 'ok':
      return null;
    case 'not-found':
      return reply(views.notFound(id));
    case 'forbidden':
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'guestbook.answer',
        target: guestbookRef(id),
        result: 'denied',
        detail: views.NOT_YOURS_DETAIL,
      });
      return reply(views.notYours(id));
    case 'answered':
      return reply(views.alreadyAnswered(id, check.message.answeredAt!));
    case 'in-review':
      return reply(views.inReview(id, check.message.answeredAt!));
  }
}

/** `2026-02-24（周二）24时截止` when an answer submitted at `at` is late, else null. */
async function lateText(ctx: HandlerContext, message: GuestbookMessage, at: Date): Promise<string | null> {
  const calendar = await ctx.services.calendar.get();
  const view = viewDeadline(calendar, message.deadline, at, message.deadlineEstimated);
  return view.colour === 'red' ? view.due : null;
}

/** Closes the message, or sends the answer to review: checked again (someone may have acted). */
async function store(
  ctx: HandlerContext,
  id: number,
  answer: string,
  accepted: PiiFindingSummary[],
): Promise<HandlerResult> {
  const actor = actorOf(ctx);
  const check = await checkAnswerable(ctx.tx, id, actor);
  const refused = await refusal(ctx, id, check);
  if (refused || check.kind !== 'ok') return { ...(refused ?? {}), next: 'end' };
  const { message, website } = check;
  const effects = effectsOf(ctx);
  if (await reviewRequired(ctx.tx, message.topUnitId)) {
    if (!(await submitForReview(effects, message, answer, actor, accepted))) {
      return reply(views.answeredByOther(id), 'end');
    }
    await auditAcceptedFindings(ctx.services, actor.userid, guestbookRef(id), accepted);
    return {
      ...reply(views.sentToReview(id, await lateText(ctx, message, ctx.now)), 'end'),
      notify: await reviewCards(ctx, message, website),
    };
  }
  if (!(await recordAnswer(effects, message, answer, actor, accepted))) {
    return reply(views.answeredByOther(id), 'end');
  }
  await auditAcceptedFindings(ctx.services, actor.userid, guestbookRef(id), accepted);
  return reply(views.closed(id, await lateText(ctx, message, ctx.now)), 'end');
}

async function reviewCards(
  ctx: HandlerContext,
  message: GuestbookMessage,
  website: Website | null,
): Promise<NonNullable<HandlerResult['notify']>> {
  const unitName = await unitNameOf(ctx.tx, message.topUnitId);
  const reviewers = (await supervisors(ctx.tx))
    .map((person) => person.userid)
    .filter((userid) => userid !== ctx.user.userid);
  return cardNotices(
    reviewers,
    {
      kind: 'guestbook',
      id: message.id,
      key: `guestbook:${message.id}:review:${ctx.deliveryId}`,
      source: 'guestbook',
    },
    (taskId) => views.reviewCard(message, website, unitName, ctx.user.name, taskId),
  );
}

/** After the gate: hints first when the answer goes to review and has some, else stored. */
async function afterGate(
  ctx: HandlerContext,
  draft: Draft,
  answer: string,
  accepted: PiiFindingSummary[],
): Promise<HandlerResult> {
  const message = await ctx.tx.getRepository(GuestbookMessage).findOneBy({ id: draft.id });
  if (message && (await reviewRequired(ctx.tx, message.topUnitId))) {
    const hints = answerHints(answer);
    if (hints.length > 0) {
      return answerFlow.to('hints', { id: draft.id, answer, accepted }, views.qualityHints(draft.id, hints));
    }
  }
  return store(ctx, draft.id, answer, accepted);
}

/** 留言办结 <the same L-number> <新答复> typed while the answer waits. */
function revise(raw: string, draft: Draft): string | null {
  const match = /^留言办结\s*(\S+)\s+([\s\S]+)$/.exec(raw);
  return match && parseRef('L', match[1]!) === draft.id ? match[2]!.trim() : null;
}

const gateOptions = {
  hint: views.ANSWER_HINT,
  label: views.ANSWER_LABEL,
  maxChars: MAX_ANSWER_CHARS,
  flow: (): KitFlow<Draft> => answerFlow,
  accept: afterGate,
  revise,
};

const checkAnswer = gateText<Draft>('answer', gateOptions);

export const answerFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: 'guestbook-answer',
  version: 1,
  title: views.ANSWER_TITLE,
  roles: ALL_ROLES,
  schema: Draft,
  claims: (step, draft, raw) =>
    (step === 'answer:confirm' || step === 'hints') && revise(raw, draft) !== null,
  steps: {
    ...gatedTextSteps<Draft>('answer', gateOptions),
    hints: {
      hint: views.QUALITY_HINT_STEP,
      takesText: true,
      run: async (ctx, draft) => {
        if (ctx.inbound.type === 'text' && CONFIRM_WORDS.has(ctx.text) && draft.answer) {
          return store(ctx, draft.id, draft.answer, draft.accepted ?? []);
        }
        const raw = ctx.inbound.type === 'text' ? ctx.rawText.trim() : '';
        const revised = revise(raw, draft) ?? raw;
        if (!revised) return reply(views.QUALITY_HINT_STEP);
        return checkAnswer(ctx, { id: draft.id }, revised);
      },
    },
  },
});

export const answerCommand: Command = {
  name: '留言办结',
  roles: ALL_ROLES,
  summary: views.GUESTBOOK_SUMMARIES.answer,
  usage: views.ANSWER_USAGE,
  args: 'required',
  group: views.GUESTBOOK_GROUP,
  handle: async (ctx) => {
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const id = parseRef('L', first);
    if (id === null) return reply(views.usage());
    const check = await checkAnswerable(ctx.tx, id, actorOf(ctx));
    const refused = await refusal(ctx, id, check);
    if (refused) return refused;
    // Without the answer it asks for it (the answer typed alone was no command at all).
    if (rest === '') return answerFlow.to('answer', { id }, views.askAnswer(id));
    return checkAnswer(ctx, { id }, rest, { inline: true });
  },
};
