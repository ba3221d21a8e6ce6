// Dead letters, visible to admins: messages WeCom refused for good or that failed every attempt,
// with the reason, and a way to send them again once the cause is fixed.

import { memberText } from '../../messages/member-text.js';
import { markdown, text } from '../../messages/outbound.js';
import { OutboxMessage } from '../../entities/outbox-message.js';
import { formatDateTime } from '../../services/calendar/time.js';
import { quarantinedCount } from '../../services/quarantine/store.js';
import { quarantineHintText } from '../../services/quarantine/views.js';
import { ADMINS, type Feature } from '../types.js';

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
    return '[无法解析]';
  }
}

export const outboxAdminFeature: Feature = {
  name: 'outbox-admin',
  commands: [
    {
      name: '发送失败',
      readOnly: true,
      roles: ADMINS,
      summary: '查看发送失败的消息及原因（如不在应用可见范围、企业可信IP未配置）',
      args: 'none',
      group: '管理',
      handle: async (ctx) => {
        const repo = ctx.tx.getRepository(OutboxMessage);
        const total = await repo.countBy({ status: 'dead' });
        const hint = quarantineHintText(await quarantinedCount(ctx.tx));
        if (total === 0)
          return { replies: [text(['没有发送失败的消息。', hint].filter(Boolean).join('\n'))] };
        const rows = await repo.find({ where: { status: 'dead' }, order: { id: 'DESC' }, take: LISTED });
        const lines = [`**发送失败的消息** 共 ${total} 条${total > LISTED ? `（最近 ${LISTED} 条）` : ''}`];
        for (const row of rows) {
          lines.push(
            `> #${row.id} → ${row.recipient} · ${formatDateTime(row.createdAt)} · ${memberText(excerpt(row.payload))}`,
            `> 原因：${row.lastErrcode !== null ? `${row.lastErrcode} ` : ''}${row.lastError ?? '未知'}（已尝试 ${row.attempts} 次）`,
          );
        }
        lines.push('', '排除原因后，发送“重发 编号”或“重发 全部”重新发送。');
        if (hint) lines.push(hint);
        return { replies: [markdown(lines.join('\n'))] };
      },
    },
    {
      name: '重发',
      roles: ADMINS,
      summary: '重新发送发送失败的消息',
      usage: '重发 <编号|全部>',
      args: 'required',
      group: '管理',
      handle: async (ctx) => {
        const repo = ctx.tx.getRepository(OutboxMessage);
        const all = ctx.args === '全部';
        const ids = all ? [] : ctx.args.split(/[\s,，、]+/).map((id) => Number(id.replace(/^#/, '')));
        if (!all && (ids.length === 0 || ids.some((id) => !Number.isInteger(id) || id <= 0))) {
          return {
            replies: [
              text('用法：重发 <编号>（可写多个，用空格分隔）或 重发 全部。发送“发送失败”查看编号。'),
            ],
          };
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
        if (count === 0)
          return { replies: [text(all ? '没有发送失败的消息。' : '这些编号不是发送失败的消息。')] };
        await ctx.services.audit({
          actor: ctx.user.userid,
          action: 'outbox.retry',
          target: all ? 'outbox:dead' : `outbox:${ids.join(',')}`,
          detail: `重新发送 ${count} 条`,
        });
        return { replies: [text(`已重新排队 ${count} 条消息，将按频率限制依次发送。`)] };
      },
    },
  ],
};
