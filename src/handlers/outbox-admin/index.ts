// Dead letters, visible to admins: messages WeCom refused for good or that failed every attempt,
// with the reason, and a way to send them again once the cause is fixed.

import { markdown, text } from '../../messages/outbound.js';
import { OutboxMessage } from '../../entities/outbox-message.js';
import { quarantinedCount } from '../../services/quarantine/store.js';
import { quarantineHintText } from '../../services/quarantine/views.js';
import { ADMINS, type Feature } from '../types.js';
import * as views from './views.js';

const LISTED = 20;

/** What a dead row was meant to say, in a few characters (for the admin's list). */
function excerpt(payload: string): string {
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    const msgtype = typeof body.msgtype === 'string' ? body.msgtype : '';
    const part = body[msgtype] as { content?: string; main_title?: { title?: string } } | undefined;
    const content = part?.content ?? part?.main_title?.title ?? `[${msgtype}]`;
    const chars = [...content.replace(/\s+/g, ' ')];
    return chars.length > 24 ? `${chars.slice(0, 24).join('')}…` : chars.join('');
  } catch {
    return views.UNREADABLE;
  }
}

export const outboxAdminFeature: Feature = {
  name: 'outbox-admin',
  commands: [
    {
      name: '发送失败',
      readOnly: true,
      roles: ADMINS,
      summary: views.DEAD_SUMMARY,
      args: 'none',
      group: views.OUTBOX_GROUP,
      handle: async (ctx) => {
        const repo = ctx.tx.getRepository(OutboxMessage);
        const total = await repo.countBy({ status: 'dead' });
        const hint = quarantineHintText(await quarantinedCount(ctx.tx));
        if (total === 0) return { replies: [text(views.noneDead(hint))] };
        const rows = await repo.find({ where: { status: 'dead' }, order: { id: 'DESC' }, take: LISTED });
        const listed = rows.map((row) => ({ row, excerpt: excerpt(row.payload) }));
        return { replies: [markdown(views.deadList(total, LISTED, listed, hint))] };
      },
    },
    {
      name: '重发',
      roles: ADMINS,
      summary: views.RETRY_SUMMARY,
      usage: views.RETRY_USAGE,
      args: 'required',
      group: views.OUTBOX_GROUP,
      handle: async (ctx) => {
        const repo = ctx.tx.getRepository(OutboxMessage);
        const all = ctx.args === '全部';
        const ids = all ? [] : ctx.args.split(/[\s,，、]+/).map((id) => Number(id.replace(/^#/, '')));
        if (!all && (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id <= 0))) {
          return { replies: [text(views.RETRY_HELP)] };
        }
        // A fresh start: new attempts, a new batch (the old request may never have arrived).
        const result = await repo
          .createQueryBuilder()
          .update()
          .set({
            status: 'pending',
            attempts: 0,
            nextAttemptAt: ctx.now,
            leaseUntil: null,
            batchId: null,
            claimedAt: null,
          })
          .where(all ? 'status = :dead' : 'status = :dead AND id IN (:...ids)', { dead: 'dead', ids })
          .execute();
        const count = result.affected ?? 0;
        if (count === 0) return { replies: [text(all ? views.NONE_DEAD : views.NOT_DEAD)] };
        await ctx.services.audit({
          actor: ctx.user.userid,
          action: 'outbox.retry',
          target: all ? 'outbox:dead' : `outbox:${ids.join(',')}`,
          detail: views.retriedDetail(count),
        });
        return { replies: [text(views.requeued(count))] };
      },
    },
  ],
};
