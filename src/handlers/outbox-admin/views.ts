// Every word of 发送失败 / 重发 (the admins' dead letters): the handler calls these.
import { memberText } from '../../messages/member-text.js';
import type { OutboxMessage } from '../../entities/outbox-message.js';
import { formatDateTime } from '../../services/calendar/time.js';

export const OUTBOX_GROUP = '管理';
export const DEAD_SUMMARY = '查看发送失败的消息及原因（如不在应用可见范围、企业可信IP未配置）';
export const RETRY_SUMMARY = '重新发送发送失败的消息';
export const RETRY_USAGE = '重发 <编号|全部>';

/** The excerpt of a payload the list cannot read. */
export const UNREADABLE = '[无法解析]';
export const NONE_DEAD = '没有发送失败的消息。';
export const RETRY_HELP = '用法：重发 <编号>（可写多个，用空格分隔）或 重发 全部。发送“发送失败”查看编号。';
export const NOT_DEAD = '这些编号不是发送失败的消息。';

/** 发送失败 with nothing dead: the line, and the quarantine hint when there is one. */
export function noneDead(hint: string | null | undefined): string {
  return [NONE_DEAD, hint].filter(Boolean).join('\n');
}

/** 发送失败: the newest `listed` of `total` dead rows, each with what it said and why it failed. */
export function deadList(
  total: number,
  listed: number,
  rows: readonly { row: OutboxMessage; excerpt: string }[],
  hint: string | null | undefined,
): string {
  const lines = [`**发送失败的消息** 共 ${total} 条${total > listed ? `（最近 ${listed} 条）` : ''}`];
  for (const { row, excerpt } of rows) {
    lines.push(
      `> #${row.id} → ${row.recipient} · ${formatDateTime(row.createdAt)} · ${memberText(excerpt)}`,
      `> 原因：${row.lastErrcode !== null ? `${row.lastErrcode} ` : ''}${row.lastError ?? '未知'}（已尝试 ${row.attempts} 次）`,
    );
  }
  lines.push('', '排除原因后，发送“重发 编号”或“重发 全部”重新发送。');
  if (hint) lines.push(hint);
  return lines.join('\n');
}

/** The audit log's detail of a 重发. */
export const retriedDetail = (count: number): string => `重新发送 ${count} 条`;
export const requeued = (count: number): string => `已重新排队 ${count} 条消息，将按频率限制依次发送。`;
