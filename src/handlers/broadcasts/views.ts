// The words of 定时通知, 广播, 通知列表, 取消通知 and the group robots. Confirmation lines are the flow
// kit's one wording (previewMessage / confirmPrompt).
import { memberText } from '../../messages/member-text.js';
import type { BroadcastStatus } from '../../entities/broadcast.js';
import { formatDateTime } from '../../services/calendar/time.js';
import { UNIT_KIND_LABELS } from '../../entities/unit.js';
import type { AudienceProblem, AudienceRead, ScheduleProblem } from '../../services/broadcasts/store.js';
import { SCHEDULE_EXAMPLES, nextSendLine } from '../../services/broadcasts/views.js';
import { nextYearQuestion } from '../../services/calendar/date-replies.js';
import { unknownUnitsText } from '../../services/directory/lookup.js';

export const GROUP = '通知';

// 定时通知 (the dialog)

export const SCHEDULE_TITLE = '定时通知';
export const SCHEDULE_SUMMARY = '创建定时或周期通知（发给联络员或群机器人）';
export const CONTENT_LABEL = '通知内容';
export const CONTENT_HINT = '请发送通知内容';
export const EMPTY_CONTENT = '通知内容不能为空，请重新发送。';

export function scheduleStart(max: number): string {
  return `请发送通知内容（最多 ${max} 字）。发送“取消”退出。`;
}

export const AUDIENCE_HINT = '请发送通知对象（全部联络员、区县、单位名称或“群机器人 名称”）';
export const AUDIENCE_PROMPT =
  '发给谁？回复：全部联络员、区县、功能区、市直部门（可用“、”组合）、单位名称（用“、”分隔），或“群机器人 名称”。';

export const TIME_HINT = `请发送发送时间（如 ${SCHEDULE_EXAMPLES}）`;
export const TIME_PROMPT = `什么时候发送？例如：${SCHEDULE_EXAMPLES}。`;

/** Why the audience typed was not taken. */
export function audienceProblem(problem: AudienceProblem): string {
  switch (problem.kind) {
    case 'no-robot':
      return `没有名为“${problem.name}”的群机器人。发送“群机器人列表”查看。`;
    case 'unknown-units':
      return unknownUnitsText(problem.resolution, '请重新输入。');
    case 'empty':
      return '请写明发给谁：全部联络员、区县、功能区、市直部门、单位名称，或 群机器人 名称。';
  }
}

/** The audience as the preview, the reply and the audit log name it. */
export function audienceLabel(read: AudienceRead): string {
  if ('robotName' in read) return `群机器人“${read.robotName}”`;
  if ('unitNames' in read) return read.unitNames.join('、');
  return read.audience.kind === 'unit-kinds'
    ? `全部${read.audience.unitKinds.map((k) => UNIT_KIND_LABELS[k]).join('、')}的联络员`
    : '全部联络员';
}

/** Why the time typed was not taken (asked again). */
export function scheduleProblem(problem: ScheduleProblem): string {
  switch (problem.kind) {
    case 'unreadable':
      return `看不懂这个时间。请写成：${SCHEDULE_EXAMPLES}。`;
    case 'invalid-date':
      return problem.message;
    case 'monthly-day':
      return '每月的日期请写 1–28 日（避免有的月份没有这一天）。';
    case 'no-time':
      return `请同时写明发送的时刻，如 ${problem.typed}9:00。`;
    case 'hour-24':
      return '发送时刻请写成 0:00–23:59。';
    case 'no-such-day':
      return `日期“${problem.typed}”在${problem.year}年不存在，请写明年份。`;
    case 'ask-next-year':
      return nextYearQuestion(problem.typed, problem.date);
    case 'past':
      return '这个时间已经过去了，请给一个将来的时间。';
  }
}

/** What 确认 does in the preview: 回复“确认”创建. */
export const CREATE_ACTION = '创建';

export function audienceSize(robot: boolean, people: number): string {
  return robot ? '1 个群' : `当前 ${people} 人`;
}

export function schedulePreview(
  scheduleText: string,
  next: Date | undefined,
  audience: string,
  size: string,
  content: string,
): string[] {
  return [
    '**请确认定时通知**',
    `> 时间：${scheduleText}`,
    next ? `> ${nextSendLine(next)}` : '> 40 天内不会发送，请检查时间。',
    `> 对象：${audience}（${size}）`,
    `> 内容：${memberText(content).replace(/\n+/g, '\n> ')}`,
  ];
}

export function created(id: number, scheduleText: string, audience: string, next: Date | undefined): string {
  return (
    `已创建定时通知 #${id}（${scheduleText}，${audience}）。${next ? `${nextSendLine(next)}。` : ''}` +
    `发送“通知列表”查看，“取消通知 ${id}”取消。`
  );
}

// 广播

export const NOW_TITLE = '广播';
export const NOW_SUMMARY = '立即发通知给全部联络员';
export const NOW_USAGE = '广播 <内容>';
/** What 确认 does: 回复“确认”发送. */
export const SEND_ACTION = '发送';
export const NOW_SCHEDULE_TEXT = '立即';
export const NO_LIAISONS = '目前没有登记的联络员，无法发送。';

export function nowPreview(count: number, content: string): string[] {
  return [`**将立即发送给全部 ${count} 名联络员：**`, `> ${memberText(content).replace(/\n+/g, '\n> ')}`];
}

export function nowAudit(recipients: number): string {
  return `立即发送给全部联络员 ${recipients} 人`;
}

export function nowStarted(recipients: number, id: number): string {
  return `已开始发送给 ${recipients} 名联络员（#${id}）。发送“通知列表”查看进度。`;
}

// 通知列表 and 取消通知

export const LIST_SUMMARY = '查看通知及发送进度';
export const NO_BROADCASTS = '还没有通知。发送“定时通知”创建。';
export const LIST_HEADING = '**通知列表**（最近 15 条）';

const STATUS_LABELS: Record<BroadcastStatus, string> = {
  active: '生效中',
  done: '已发送',
  cancelled: '已取消',
};

export type AudienceLabel =
  | { kind: 'robot'; name: string | undefined }
  | { kind: 'all-liaisons' }
  | { kind: 'unit-kinds' }
  | { kind: 'units'; count: number };

export function listAudience(audience: AudienceLabel): string {
  if (audience.kind === 'robot') return `群机器人“${memberText(audience.name ?? '已删除')}”`;
  if (audience.kind === 'all-liaisons') return '全部联络员';
  if (audience.kind === 'unit-kinds') return '按单位类型';
  return `${audience.count} 个单位`;
}

export function listEntry(
  entry: { id: number; status: BroadcastStatus; scheduleText: string; content: string },
  audience: string,
  progress: { sent: number; waiting: number; failed: number },
  next: Date | undefined,
): string[] {
  const chars = [...entry.content];
  const excerpt = chars.slice(0, 20).join('') + (chars.length > 20 ? '…' : '');
  return [
    `> **#${entry.id}** ${STATUS_LABELS[entry.status]} · ${entry.scheduleText} · ${audience}`,
    `> 已发送 ${progress.sent}，待发送 ${progress.waiting}，失败 ${progress.failed}${next ? ` · 下次 ${formatDateTime(next)}` : ''}`,
    `> ${memberText(excerpt.replace(/\s+/g, ' '))}`,
  ];
}

export const CANCEL_SUMMARY = '取消一条定时通知';
export const CANCEL_USAGE = '取消通知 <编号>';

export function noSuchBroadcast(typed: string): string {
  return `没有编号为 ${typed} 的通知。发送“通知列表”查看。`;
}

export function notActive(id: number, status: BroadcastStatus): string {
  return `通知 #${id} 已${status === 'done' ? '发送' : '取消'}，无需取消。`;
}

export function cancelled(id: number, scheduleText: string): string {
  return `已取消通知 #${id}（${scheduleText}）。`;
}

// Group robots

export const ADD_ROBOT_SUMMARY = '登记企业微信群机器人，通知可发到群里';
export const ADD_ROBOT_USAGE = '添加群机器人 <名称> <Webhook地址或key>';
export const ADD_ROBOT_HELP =
  '用法：添加群机器人 <名称> <Webhook地址或key>，例如：添加群机器人 联络员群 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…';

export function robotExists(name: string): string {
  return `已有名为“${name}”的群机器人，请换一个名称或先删除。`;
}

export function robotAdded(name: string, maskedKey: string): string {
  return `已登记群机器人“${name}”（key ${maskedKey}）。定时通知的对象可写“群机器人 ${name}”。`;
}

export const LIST_ROBOTS_SUMMARY = '查看已登记的群机器人';
export const NO_ROBOTS = '还没有登记群机器人。发送“添加群机器人 名称 Webhook地址”登记。';

export function robotList(robots: readonly { name: string; maskedKey: string }[]): string {
  return ['已登记的群机器人：', ...robots.map((r) => `· ${r.name}（key ${r.maskedKey}）`)].join('\n');
}

export const REMOVE_ROBOT_SUMMARY = '停用一个群机器人';
export const REMOVE_ROBOT_USAGE = '删除群机器人 <名称>';

export function noSuchRobot(name: string): string {
  return `没有名为“${name}”的群机器人。`;
}

export function robotRemoved(name: string): string {
  return `已停用群机器人“${name}”。以它为对象的定时通知将不再发送到该群。`;
}
