// 留言办结 L5 <答复摘要>: the unit's liaisons or supervisors close a message; the answer is PII-gated.
import { text } from '../../messages/outbound.js';
import { parseRef, splitFirstWord } from '../../services/shared/duty.js';
import {
  checkAnswerable,
  guestbookRef,
  recordAnswer,
  type AnswerCheck,
} from '../../services/guestbook/store.js';
import { viewDeadline } from '../../services/calendar/deadline-text.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import { formatDateTime } from '../../services/calendar/time.js';
import { ALL_ROLES, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { actorOf, effectsOf } from '../context.js';
import { GUESTBOOK_GROUP } from './guestbook-register.js';
import { gateAndStore, type GatedKind } from './pii-confirm.js';

const USAGE = '留言办结 L5 <答复摘要>';
const MAX_ANSWER_CHARS = 2000;

/** The reply when the message cannot be answered by this member now, or null when it can. */
async function refusal(ctx: HandlerContext, id: number, check: AnswerCheck): Promise<HandlerResult | null> {
  const ref = guestbookRef(id);
  switch (check.kind) {
    case 'ok':
      return null;
    case 'not-found':
      return { replies: [text(`没有找到留言 ${ref}。发送“留言列表”查看待办结的留言。`)] };
    case 'forbidden':
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'guestbook.answer',
        target: ref,
        result: 'denied',
        detail: '非本单位留言',
      });
      return { replies: [text(`留言 ${ref} 不属于您的单位，不能办结。`)] };
    case 'answered':
      return {
        replies: [text(`留言 ${ref} 已于 ${formatDateTime(check.message.answeredAt!)} 办结，无需重复办结。`)],
      };
  }
}

export const guestbookAnswerKind: GatedKind = {
  kind: 'guestbook-answer',
  store: async (ctx, payload, answer, accepted) => {
    const id = Number(payload.id);
    const actor = actorOf(ctx);
    // Checked again: the message may have been answered while the member was confirming.
    const check = await checkAnswerable(ctx.tx, id, actor);
    const refused = await refusal(ctx, id, check);
    if (refused || check.kind !== 'ok') return refused ?? {};
    const calendar = await ctx.services.calendar.get();
    const recorded = await recordAnswer(effectsOf(ctx), check.message, answer, actor, accepted);
    if (!recorded) return { replies: [text(`留言 ${guestbookRef(id)} 已由他人办结。`)] };
    await auditAcceptedFindings(ctx.services, actor.userid, guestbookRef(id), accepted);
    const view = viewDeadline(calendar, check.message.deadline, ctx.now);
    const timeliness = view.colour === 'red' ? `逾期办结（${view.due}）` : '按期办结';
    return { replies: [text(`留言 ${guestbookRef(id)} 已办结，${timeliness}。`)] };
  },
  revise: (raw, payload) => {
    const match = /^留言办结\s*(\S+)\s+([\s\S]+)$/.exec(raw);
    return match && parseRef('L', match[1]!) === Number(payload.id) ? match[2]!.trim() : null;
  },
  usage: (payload) => `留言办结 ${guestbookRef(Number(payload.id))} <答复摘要>`,
};

export const answerCommand: Command = {
  name: '留言办结',
  roles: ALL_ROLES,
  summary: '办结留言并登记答复摘要',
  usage: USAGE,
  args: 'required',
  group: GUESTBOOK_GROUP,
  handle: async (ctx) => {
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const id = parseRef('L', first);
    if (id === null) return { replies: [text(`用法：${USAGE}`)] };
    const check = await checkAnswerable(ctx.tx, id, actorOf(ctx));
    const refused = await refusal(ctx, id, check);
    if (refused) return refused;
    if (rest === '')
      return { replies: [text(`请在编号后写上答复摘要，如：留言办结 ${guestbookRef(id)} 已修复失效链接`)] };
    if ([...rest].length > MAX_ANSWER_CHARS) {
      return { replies: [text(`答复摘要过长（最多 ${MAX_ANSWER_CHARS} 字），请精简后重新发送。`)] };
    }
    return gateAndStore(ctx, guestbookAnswerKind, { id }, rest);
  },
};
