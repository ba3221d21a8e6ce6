// What handlers share when they call a service that changes something: the asker as an Actor and
// the effects of the handler's transaction (services take `(effects, …, actor)`); per-recipient
// cards, and how a supervisor's decision is answered and told to the unit.
import { cardTaskId, text, type TemplateCard } from '../messages/outbound.js';
import { Person } from '../entities/person.js';
import { liaisonsByTopUnit } from '../services/directory/lookup.js';
import type { Actor, Effects } from '../services/shared/effects.js';
import { formatDateTime } from '../services/calendar/time.js';
import type { HandlerContext, HandlerResult, Notification } from './types.js';

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
      card: build(cardTaskId(options.kind, options.id, userid)),
    },
  }));
}

/** The display name of a userid (for 由 张三 处理). */
async function personName(ctx: HandlerContext, userid: string | null): Promise<string> {
  if (!userid) return '—';
  return (await ctx.tx.getRepository(Person).findOneBy({ userid }))?.name ?? userid;
}

/** Who hears about a decision: the member who asked and the unit's liaisons, not the decider. */
export async function unitAudience(
  ctx: HandlerContext,
  topUnitId: number,
  requester: string,
): Promise<string[]> {
  const liaisons = (await liaisonsByTopUnit(ctx.tx, [topUnitId])).get(topUnitId) ?? [];
  return [...new Set([requester, ...liaisons.map((person) => person.userid)])].filter(
    (userid) => userid !== ctx.user.userid,
  );
}

/** A text notification, or none when nobody is to be told. */
export function tell(to: string[], key: string, source: string, content: string): Notification[] {
  return to.length > 0 ? [{ to, key, source, message: text(content) }] : [];
}

/** `域名申请 D4 已于 2026-03-02 10:00 由 李督办 处理（已同意）。` */
export async function alreadyDecidedText(
  ctx: HandlerContext,
  subject: string,
  row: { decidedAt: Date | null; decidedBy: string | null },
  statusLabel: string,
): Promise<string> {
  const when = row.decidedAt ? formatDateTime(row.decidedAt) : '';
  return `${subject} 已于 ${when} 由 ${await personName(ctx, row.decidedBy)} 处理（${statusLabel}）。`;
}

/** A decision's answer, with the label the clicked card button takes (null: the card stays). */
export type DecisionReply = HandlerResult & { card: string | null };

/** The answer to a typed command: no card to update. */
export function commandReply({ card: _card, ...result }: DecisionReply): HandlerResult {
  return result;
}

/** The answer to a card click: the button takes the label. */
export function cardReply({ card, ...result }: DecisionReply): HandlerResult {
  return card ? { ...result, cardUpdate: { type: 'updateButton', replaceName: card } } : result;
}
