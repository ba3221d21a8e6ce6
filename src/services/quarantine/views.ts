// Words of quarantine: what the member is told once, and what admins see in 隔离消息.
import type { InboundMessage } from '../../entities/inbound-message.js';
import { formatDateTime } from '../calendar/time.js';
import { maskPiiForLog } from '../pii/detector.js';

/** A delivery whose handling failed (a crash, an error): the member is told once. */
export function quarantinedMemberText(row: Pick<InboundMessage, 'receivedAt'>, what: string): string {
  return `您 ${formatDateTime(row.receivedAt)} 发送的${what}未能处理，已转交管理员。请勿重复发送，稍后可重新发送或联系管理员。`;
}

/**
 * How a delivery is named to its sender and to admins: the text's start, the file's name …, with
 * personal information masked; from `body` (the decrypted XML; null when it is no longer kept).
 */
export function deliveryExcerpt(row: Pick<InboundMessage, 'msgType' | 'event'>, body: string | null): string {
  const field = (name: string) =>
    new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${name}>`).exec(body ?? '')?.[1] ?? '';
  const clip = (value: string) => {
    const chars = [...maskPiiForLog(value).replace(/\s+/g, ' ').trim()];
    return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : chars.join('');
  };
  switch (row.msgType) {
    case 'text':
      return `消息“${clip(field('Content'))}”`;
    case 'file':
      return `文件“${clip(field('FileName') || field('Title'))}”`;
    case 'image':
      return '图片';
    case 'link':
      return `链接“${clip(field('Title') || field('Url'))}”`;
    case 'event':
      return row.event === 'template_card_event' ? '卡片操作' : '操作';
    default:
      return '消息';
  }
}

const REASONS: Record<string, string> = {
  crash: '处理时程序中断（两次）',
  error: '处理出错',
  'content time': '文件解析超时',
  'content memory': '文件解析超内存',
  'content crashed': '文件解析出错',
};

export function quarantineReasonText(error: string | null): string {
  const key = (error ?? '').split(':')[0]!.trim();
  return REASONS[key] ?? (error || '未知');
}

export function quarantineListText(
  rows: readonly InboundMessage[],
  total: number,
  names: ReadonlyMap<string, string>,
  listed: number,
  /** The decrypted body of a listed row, or null when it is not kept (no seal key). */
  bodyOf: (row: InboundMessage) => string | null,
): string {
  if (total === 0) return '没有隔离的消息。';
  const lines = [`**隔离的消息** 共 ${total} 条${total > listed ? `（最近 ${listed} 条）` : ''}`];
  for (const row of rows) {
    lines.push(
      `> #${row.id} ${names.get(row.fromUser) ?? row.fromUser} · ${formatDateTime(row.receivedAt)} · ${deliveryExcerpt(row, bodyOf(row))}`,
      `> 原因：${quarantineReasonText(row.error)}`,
    );
  }
  lines.push('', '排除原因后发送“重试隔离 编号”重新处理，或“丢弃隔离 编号”不再处理。');
  return lines.join('\n');
}

export const QUARANTINE_USAGE_TEXT =
  '用法：重试隔离 <编号>（可写多个，用空格分隔）或 全部；丢弃隔离同。发送“隔离消息”查看编号。';

export function requeuedText(count: number, missing = 0): string {
  const unkept =
    missing > 0
      ? `另有 ${missing} 条的原消息未保留（隔离时未配置 INBOUND_SEAL_KEY），无法重新处理，可发送“丢弃隔离 编号”。`
      : '';
  if (count === 0) return unkept || '这些编号不是隔离中的消息。';
  return `已重新排队 ${count} 条隔离消息，1 分钟内重新处理。${unkept}`;
}

export function droppedText(count: number): string {
  return count === 0 ? '这些编号不是隔离中的消息。' : `已丢弃 ${count} 条隔离消息，不再处理。`;
}

/** One line for 发送失败: quarantined deliveries are the other thing admins look after. */
export function quarantineHintText(count: number): string {
  return count > 0 ? `另有 ${count} 条隔离的消息，发送“隔离消息”查看。` : '';
}

// The admins' commands (handlers/quarantine)

export const QUARANTINE_GROUP = '管理';
export const QUARANTINE_SUMMARIES = {
  list: '查看未能处理而被隔离的消息（处理中断两次、处理出错、文件解析超限）',
  retry: '重新处理隔离的消息',
  drop: '不再处理隔离的消息',
} as const;
export const RETRY_USAGE = '重试隔离 <编号|全部>';
export const DROP_USAGE = '丢弃隔离 <编号|全部>';

/** The audit log's detail of a 重试隔离 or 丢弃隔离. */
export function quarantineActionDetail(action: 'retry' | 'drop', count: number): string {
  return `${action === 'retry' ? '重新处理' : '丢弃'}隔离消息 ${count} 条`;
}
