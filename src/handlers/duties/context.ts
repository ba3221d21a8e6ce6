// What the duty handlers (guestbook, filings, domains) share: the asker as an Actor, the effects
// of the handler's transaction, and per-recipient cards.
import { randomBytes } from 'node:crypto';
import type { TemplateCard } from '../../bot/messages.js';
import { cardTaskId, type Actor, type Effects } from '../../services/duty-common.js';
import type { HandlerContext, Notification } from '../types.js';

export const NO_UNIT_TEXT = '您尚未登记所属单位，请联系市大数据局电子政务科。';

export function actorOf(ctx: HandlerContext): Actor {
  return { userid: ctx.user.userid, role: ctx.user.role, topUnitId: ctx.user.topUnit?.id ?? null };
}

export function effectsOf(ctx: HandlerContext): Effects {
  return { tx: ctx.tx, now: ctx.now, audit: ctx.services.audit };
}

/**
 * One interactive card per recipient: WeCom wants a task_id unique per app forever, so each copy
 * gets its own (row id, recipient and a random suffix).
 */
export function cardNotices(
  recipients: readonly string[],
  options: { kind: string; id: number; key: string; source: string },
  build: (taskId: string) => TemplateCard,
): Notification[] {
  return [...new Set(recipients)].map((userid) => ({
    to: [userid],
    key: options.key,
    source: options.source,
    message: {
      type: 'card',
      card: build(cardTaskId(options.kind, options.id, userid, randomBytes(4).toString('hex'))),
    },
  }));
}
