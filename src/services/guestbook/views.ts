// Every word the guestbook services put in what they send or report: the import report (chat and
// CLI), the notice of new messages, the reminders and the deadline lines of a registration.
import { memberText } from '../../messages/member-text.js';
import { clip } from '../shared/duty.js';
import {
  describeDeadline,
  isProvisional,
  provisionalWarning,
  type DeadlineResult,
} from '../calendar/deadlines.js';
import { formatDeadlineMarked } from '../calendar/deadline-text.js';
import { formatDateTime, formatDeadline } from '../calendar/time.js';
import { guestbookRef, siteLabel, type OpenMessage } from './store.js';

export function headerHint(columns: readonly string[]): string {
  return `平台导出的表头应包含：${columns.join('、')}。`;
}

/** State of a message whose answer waits for review (the open-items list). */
export const IN_REVIEW_STATE = '答复审核中';

export type Stage = 'day-before' | 'deadline-day';

export function newMessagesText(entries: OpenMessage[]): string {
  const lines = [`**新收到“我为政府网站找错”留言 ${entries.length} 条**`];
  for (const { message, website } of entries) {
    const site = memberText(website ? siteLabel(website) : '网站');
    const estimated = message.deadlineEstimated ? '，预估' : '';
    lines.push(
      `> ${guestbookRef(message.id)} ${site}：${memberText(clip(message.summary, 40).replace(/\s+/g, ' '))}（${formatDeadline(message.deadline)}截止${estimated}）`,
    );
  }
  const first = entries[0] ? guestbookRef(entries[0].message.id) : 'L1';
  lines.push('', `请在期限内办结，办结后发送：留言办结 ${first} 答复摘要`);
  return lines.join('\n');
}

export function reminderText(entry: OpenMessage, stage: Stage, noLiaison: boolean): string {
  const { message, website } = entry;
  const ref = guestbookRef(message.id);
  const when =
    stage === 'deadline-day'
      ? `今天24时到期`
      : `将于 ${formatDeadlineMarked(message.deadline, message.deadlineEstimated)} 到期`;
  const lines = [
    `**【留言办理提醒】** ${ref} ${when}`,
    `> 网站：${memberText(website ? siteLabel(website) : '—')}`,
    `> 收到：${formatDateTime(message.receivedAt)}`,
    `> 内容：${memberText(clip(message.summary, 60).replace(/\s+/g, ' '))}`,
  ];
  if (noLiaison)
    lines.push(
      `<font color="warning">${memberText(entry.unit?.name ?? '该单位')}未登记联络员，请督办人员转告。</font>`,
    );
  lines.push('', `办结后请发送：留言办结 ${ref} 答复摘要`);
  return lines.join('\n');
}

/**
 * The deadline lines of a confirmation: `2026-02-24（周二）24时截止（2026-02-14（周六）0时起算）`,
 * with the calendar warning for a provisional deadline (预估).
 */
export function deadlineConfirmation(result: DeadlineResult): string[] {
  const line = `办理期限：${describeDeadline(result)}`;
  if (!isProvisional(result)) return [line];
  return [line, `<font color="warning">${provisionalWarning(result.provisionalYears)}</font>`];
}

// The audit log's details of answer review (review.ts)

export const reviewSettingDetail = (enabled: boolean): string =>
  enabled ? '留言答复先审核' : '留言答复直接办结';
export const submittedForReviewDetail = (late: boolean, chars: number): string =>
  `答复提交审核${late ? '（已逾期）' : ''}，${chars} 字`;
export const NOT_SUPERVISOR_DETAIL = '非督办人员';
export const reviewedDetail = (decision: 'approve' | 'return', onTime: boolean): string =>
  decision === 'approve' ? `答复审核通过，${onTime ? '按期' : '逾期'}办结` : '答复退回';
