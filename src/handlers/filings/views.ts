// Every word of 账号备案 (the dialog, its preview and the supervisors' card) and of the decisions
// (备案确认, 备案退回); the group name is shared with 账号清单.
import { memberText } from '../../messages/member-text.js';
import type { TemplateCard } from '../../messages/outbound.js';
import {
  FILING_ACTION_LABELS,
  type AccountFiling,
  type FilingAction,
} from '../../entities/account-filing.js';
import {
  MEDIA_ACCOUNT_STATUS_LABELS,
  MEDIA_PLATFORM_LABELS,
  type MediaAccount,
  type MediaPlatform,
} from '../../entities/media-account.js';
import {
  describeDeadline,
  isProvisional,
  provisionalWarning,
  type DeadlineResult,
} from '../../services/calendar/deadlines.js';
import { formatDeadlineMarked } from '../../services/calendar/deadline-text.js';
import { formatDate, type LocalDate } from '../../services/calendar/time.js';
import { ACTION_MENU, PLATFORM_MENU, filingRef, type ActionConflict } from '../../services/filings/store.js';
import { clip } from '../../services/shared/duty.js';

export const MEDIA_GROUP = '政务新媒体账号';

// 账号备案

export const ACTION_HINT = '请选择备案事项（回复序号）';
export const PLATFORM_HINT = '请选择平台（回复序号）';
export const ACCOUNT_HINT = '请回复序号或输入账号名称';
export const NEW_NAME_HINT = '请输入变更后的账号名称（名称不变请回复“不变”）';
export const DATE_HINT = '请输入日期（如 2026-03-20、3月20日、昨天；当天请回复“今天”）';
export const ANNOUNCEMENT_HINT = '请发送关停公告的链接或公告全文';

export function askAction(): string {
  return `${ACTION_HINT}：\n${ACTION_MENU}`;
}

export function actionRetry(): string {
  return `请回复序号选择备案事项：\n${ACTION_MENU}`;
}

export function askPlatform(action: FilingAction): string {
  return `备案事项：${FILING_ACTION_LABELS[action]}\n${PLATFORM_HINT}：\n${PLATFORM_MENU}`;
}

export function platformRetry(): string {
  return `请回复序号选择平台：\n${PLATFORM_MENU}`;
}

export function askNewAccount(platform: MediaPlatform): string {
  return `平台：${MEDIA_PLATFORM_LABELS[platform]}\n请输入新开设账号的名称：`;
}

export function noAccountToPick(platform: MediaPlatform, action: FilingAction): string {
  return `平台：${MEDIA_PLATFORM_LABELS[platform]}\n您单位在该平台暂无可${FILING_ACTION_LABELS[action]}的登记账号，请输入账号名称：`;
}

export function pickAccount(platform: MediaPlatform, accounts: MediaAccount[]): string {
  return [
    `平台：${MEDIA_PLATFORM_LABELS[platform]}`,
    '请选择账号（回复序号），或输入账号名称：',
    ...accounts.map(
      (account, i) => `${i + 1}. ${account.name}（${MEDIA_ACCOUNT_STATUS_LABELS[account.status]}）`,
    ),
  ].join('\n');
}

export const ACCOUNT_NAME_RETRY = '请输入账号名称（一行，不超过100字）。';
export const PICK_RETRY = '请回复序号，或输入账号名称（一行，不超过100字）。';
export const ACCOUNT_GONE = '该账号已不在账号清单中，请重新选择或输入名称。';
export const NOT_LISTED_NOTE = '该账号不在账号清单中，备案确认后将加入清单。';
export const NEW_NAME_RETRY = '请输入变更后的账号名称（一行，不超过100字），名称不变请回复“不变”。';
export const FUTURE_DATE = '日期不能晚于今天：请在变更发生后备案。';
export const ANNOUNCEMENT_RETRY = '请用文字发送关停公告的链接或公告全文。';

export function nameTaken(platform: MediaPlatform, name: string, unitName?: string): string {
  const whose = unitName ? `（${memberText(unitName)}）` : '';
  return `账号清单中已有${MEDIA_PLATFORM_LABELS[platform]}“${memberText(name)}”${whose}，请核对${unitName ? '名称' : ''}后重新输入。`;
}

export function numberNotListed(typed: string, count: number): string {
  return `序号 ${typed} 不在列表中，请回复 1–${count}，或输入账号名称。`;
}

export function otherUnitsAccount(name: string, unitName: string): string {
  return `“${memberText(name)}”登记在${memberText(unitName)}名下，不能代为备案。请核对名称。`;
}

export function accountLine(name: string): string {
  return `账号：${memberText(name)}`;
}

export function askNewName(name: string): string {
  return `${accountLine(name)}\n${NEW_NAME_HINT}：`;
}

export function askDate(action: FilingAction, note?: string): string {
  return [
    ...(note ? [note] : []),
    `请输入${FILING_ACTION_LABELS[action]}日期（如 2026-03-20、3月20日、昨天；当天请回复“今天”）：`,
  ].join('\n');
}

export function askAnnouncement(action: FilingAction, date: LocalDate): string {
  return `${FILING_ACTION_LABELS[action]}日期：${formatDate(date)}\n请发送向社会发布的关停公告链接或公告全文（通报要求关停、注销须发布公告）：`;
}

export function announcementTooLong(max: number): string {
  return `公告过长（最多 ${max} 字），请发送公告链接。`;
}

export function deadlineLines(result: DeadlineResult): string[] {
  const line = `备案期限：${describeDeadline(result)}`;
  if (!isProvisional(result)) return [line];
  return [line, `<font color="warning">${provisionalWarning(result.provisionalYears)}</font>`];
}

export interface FilingPreview {
  action: FilingAction;
  platform: MediaPlatform;
  accountName: string;
  previousName: string | null;
  changeDate: LocalDate;
  announcement: string | null;
  note?: string;
}

/** The preview before 确认; `warned`: the announcement's PII warnings were shown just before. */
export function preview(draft: FilingPreview, result: DeadlineResult, warned: boolean): string[] {
  return [
    '**请核对账号备案**',
    `> 事项：${FILING_ACTION_LABELS[draft.action]}`,
    `> 平台：${MEDIA_PLATFORM_LABELS[draft.platform]}`,
    draft.action === 'change' && draft.previousName !== draft.accountName
      ? `> 账号：${memberText(draft.previousName)} → ${memberText(draft.accountName)}`
      : `> 账号：${memberText(draft.accountName)}`,
    `> ${FILING_ACTION_LABELS[draft.action]}日期：${formatDate(draft.changeDate)}`,
    ...(draft.announcement
      ? [`> 关停公告：${memberText(clip(draft.announcement, 80).replace(/\s+/g, ' '))}`]
      : []),
    ...deadlineLines(result),
    ...(draft.note ? [`<font color="comment">${draft.note}</font>`] : []),
    '',
    warned
      ? '内容中可能含有个人信息（见上一条）。回复“确认”提交，发送“取消”放弃。'
      : '回复“确认”提交，发送“取消”放弃。',
  ];
}

export function submitted(ref: string, subject: string, result: DeadlineResult): string {
  return [
    `**已提交账号备案 ${ref}**`,
    `> ${subject}`,
    ...deadlineLines(result),
    '督办人员确认已在全国政务新媒体信息报送系统完成备案后，账号清单将同步更新。',
  ].join('\n');
}

/** The supervisors' card: what changed, the deadline, and 确认备案 / 退回. */
export function filingCard(
  filing: AccountFiling,
  unitName: string,
  submitter: string,
  taskId: string,
): TemplateCard {
  const account =
    filing.previousName && filing.previousName !== filing.accountName
      ? `${filing.previousName}→${filing.accountName}`
      : filing.accountName;
  const card: TemplateCard = {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 账号备案' },
    main_title: {
      title: `账号备案 ${filingRef(filing.id)}：${FILING_ACTION_LABELS[filing.action]}`,
      desc: unitName,
    },
    horizontal_content_list: [
      { keyname: '平台', value: MEDIA_PLATFORM_LABELS[filing.platform] },
      { keyname: '账号', value: clip(account, 30) },
      { keyname: `${FILING_ACTION_LABELS[filing.action]}日期`, value: formatDate(filing.changeDate) },
      {
        keyname: '备案期限',
        value: formatDeadlineMarked(filing.deadline, filing.deadlineEstimated),
      },
      { keyname: '提交人', value: submitter },
    ],
    sub_title_text: '请在全国政务新媒体信息报送系统完成备案后点“确认备案”。',
    button_list: [
      { text: '确认备案', style: 1, key: `filing:confirm:${filing.id}` },
      { text: '退回', style: 2, key: `filing:reject:${filing.id}` },
    ],
  };
  if (filing.announcement) {
    const link = /^https?:\/\/\S+$/.test(filing.announcement) ? filing.announcement : undefined;
    card.quote_area = link
      ? { type: 1, url: link, title: '关停公告', quote_text: clip(link, 60) }
      : { type: 0, title: '关停公告', quote_text: clip(filing.announcement, 80) };
  }
  return card;
}

// 备案确认 / 备案退回

export function actionConflict(conflict: ActionConflict): string {
  switch (conflict.kind) {
    case 'not-running':
      return `该账号当前状态为“${MEDIA_ACCOUNT_STATUS_LABELS[conflict.status]}”，无需关停备案。`;
    case 'cancelled':
      return '该账号已注销。';
    case 'cancelled-change':
      return '该账号已注销，不能变更。';
  }
}

/** 确认 refused: the name is taken in the directory meanwhile. */
export function confirmConflict(filing: AccountFiling, unitName: string | null): string {
  const name = `${MEDIA_PLATFORM_LABELS[filing.platform]}“${memberText(filing.accountName)}”`;
  return unitName
    ? `账号清单中已有${name}（${memberText(unitName)}），不能确认 ${filingRef(filing.id)}。请核对后退回。`
    : `账号清单中已有${name}，不能确认 ${filingRef(filing.id)}。`;
}

export function usage(usage: string): string {
  return `用法：${usage}`;
}

export function notFound(ref: string): string {
  return `没有找到账号备案 ${ref}。`;
}

export function directoryUpdated(account: MediaAccount): string {
  return `账号清单已更新：${memberText(account.name)}（${MEDIA_ACCOUNT_STATUS_LABELS[account.status]}）。`;
}

export function confirmed(ref: string, subject: string, directory: string): string {
  return `已确认账号备案 ${ref}：${subject}。${directory}`;
}

export function confirmedNotice(ref: string, subject: string, directory: string): string {
  return `您单位的账号备案 ${ref}（${subject}）已由督办人员确认完成。${directory}`;
}

export function askRejectReason(ref: string): string {
  return `请发送退回账号备案 ${ref} 的理由（发送“取消”放弃）：`;
}

export function rejected(ref: string): string {
  return `已退回账号备案 ${ref}，已通知提交单位。`;
}

export function rejectedNotice(ref: string, subject: string, reason: string): string {
  return `您单位的账号备案 ${ref}（${subject}）被退回。\n理由：${memberText(reason)}\n请核对后重新发送“账号备案”。`;
}
