// Every word of the guestbook dialogs and commands (留言登记, 留言办结, 留言审核, 留言导入, 留言列表):
// the handlers call these with outcome values.
import { memberText } from '../../messages/member-text.js';
import type { TemplateCard } from '../../messages/outbound.js';
import type { GuestbookMessage } from '../../entities/guestbook-message.js';
import type { Website } from '../../entities/website.js';
import { clip } from '../../services/shared/duty.js';
import { formatDateTime } from '../../services/calendar/time.js';
import { DATE_TIME_HINT } from '../../services/calendar/date-replies.js';
import { guestbookRef, siteLabel, siteListLines, type SiteOption } from '../../services/guestbook/store.js';
import type { AnswerHint, ReviewScope } from '../../services/guestbook/rules.js';

export const GUESTBOOK_GROUP = '网站找错留言';
export const ANSWER_USAGE = '留言办结 L5 <答复摘要>';
export const REVIEW_USAGE = '留言审核 开启|关闭 [单位|全市]';
export const DECIDE_USAGE = '审核留言 L5 通过|退回 <理由>';
export const REVIEW_SUMMARY = '审核留言答复：通过则办结，退回须写明理由';
export const REVIEW_SETTING_SUMMARY = '设置“留言办结”的答复是否先经督办人员审核（全市或某单位）';
export const usageLine = (usage: string): string => `用法：${usage}`;
export const LIST_USAGE = '留言列表 [单位]';
export const REGISTER_USAGE = '留言登记 [网站]';
export const GUESTBOOK_SUMMARIES = {
  answer: '办结留言并登记答复摘要（设置了审核的，答复先经督办人员审核）',
  import: '导入平台导出的留言表（.xlsx/.csv）',
  list: '查看待办结的留言（最紧急的在前）',
  register: '登记收到的“我为政府网站找错”留言',
} as const;
export const ANSWER_TITLE = '留言办结';
export const IMPORT_TITLE = '留言导入';
export const REGISTER_TITLE = '留言登记';
/** The audit log's detail of a refused 留言办结. */
export const NOT_YOURS_DETAIL = '非本单位留言';

// 留言登记

export const SITE_HINT = '请选择收到留言的网站（回复序号、网站名称或网站标识码）';
export const RECEIVED_HINT = `请输入收到留言的时间（${DATE_TIME_HINT}）`;
export const SUMMARY_HINT = '请输入留言内容摘要';
export const SUMMARY_LABEL = '留言内容摘要';

export function sitePrompt(options: SiteOption[], note?: string): string {
  return [...(note ? [note] : []), `${SITE_HINT}：`, ...siteListLines(options)].join('\n');
}

export function siteNotFound(input: string): string {
  return `没有找到网站“${clip(input, 20)}”。`;
}

/** Several sites match: listed with their numbers in the full list. */
export function candidatesPrompt(options: SiteOption[], matches: SiteOption[], input: string): string {
  return [
    `有多个网站名称包含“${clip(input, 20)}”，请回复序号：`,
    ...matches.map((site) => `${options.indexOf(site) + 1}. ${siteLabel(site.website)}`),
  ].join('\n');
}

export function askReceived(website: Website): string {
  return `网站：${siteLabel(website)}\n${RECEIVED_HINT}：`;
}

export function noSites(supervisor: boolean): string {
  const whose = supervisor ? '' : '您单位的';
  return `网站目录中没有${whose}运行中的网站，无法登记留言。请联系督办人员核对网站目录。`;
}

export function receivedInFuture(at: Date): string {
  return `收到时间 ${formatDateTime(at)} 晚于当前时间，请核对后重新输入。`;
}

export function askSummary(at: Date): string {
  return `收到时间：${formatDateTime(at)}\n${SUMMARY_HINT}：`;
}

export const SITE_GONE = '该网站已不在网站目录中，留言未登记。';
export const SITE_NOT_YOURS = '该网站不属于您的单位，留言未登记。';
export const UNIT_UNREACHED = '<font color="warning">该单位暂无联络员，未能通知，请另行转告。</font>';

export function registered(
  message: GuestbookMessage,
  website: Website,
  summary: string,
  deadlineLines: string[],
): string[] {
  const ref = guestbookRef(message.id);
  return [
    `**已登记留言 ${ref}**`,
    `> 网站：${memberText(siteLabel(website))}`,
    `> 收到时间：${formatDateTime(message.receivedAt)}`,
    `> 内容：${memberText(clip(summary, 60).replace(/\s+/g, ' '))}`,
    ...deadlineLines,
    '',
    `办结后请发送：留言办结 ${ref} 答复摘要`,
  ];
}

// 留言列表

export const ALL_UNITS = '全部单位';
export const SITE_FALLBACK = '网站';
export const LIST_FOOTER = '<font color="comment">办结：留言办结 L编号 答复摘要</font>';

export function listEmpty(scope: string): string {
  return `${scope}暂无待办结的留言。`;
}

export function listHeading(scope: string, count: number): string {
  return `**待办结留言（${scope}，${count} 条）**`;
}

// 留言导入

export const IMPORT_HINT = '请发送平台导出的留言表（.xlsx 或 .csv）';

export function importFormat(columns: readonly string[]): string {
  return [
    `${IMPORT_HINT}，`,
    `列为：${columns.join('、')}。`,
    '同一留言编号已登记的会跳过；有错误的行会逐行列出，此时不导入任何留言。',
  ].join('');
}

export function importRetry(format: string): string {
  return `${format}发送“取消”可退出。`;
}

export function importAsk(format: string): string {
  return `${format}\n请现在发送文件；发送“取消”可退出。`;
}

export function notASheet(fileName: string, headerHint: string): string {
  return `“${fileName || '该文件'}”不是 .xlsx 或 .csv 文件。${headerHint}`;
}

// 留言办结

export const ANSWER_LABEL = '答复摘要';
export const ANSWER_HINT = '请发送答复摘要';

export function notFound(id: number): string {
  return `没有找到留言 ${guestbookRef(id)}。发送“留言列表”查看待办结的留言。`;
}

export function notYours(id: number): string {
  return `留言 ${guestbookRef(id)} 不属于您的单位，不能办结。`;
}

export function alreadyAnswered(id: number, at: Date): string {
  return `留言 ${guestbookRef(id)} 已于 ${formatDateTime(at)} 办结，无需重复办结。`;
}

export function inReview(id: number, at: Date): string {
  return `留言 ${guestbookRef(id)} 的答复已于 ${formatDateTime(at)} 提交审核，请等待审核结果。`;
}

export function answeredByOther(id: number): string {
  return `留言 ${guestbookRef(id)} 已由他人办结。`;
}

/** 留言办结 L5 without the answer: the dialog asks for it. */
export function askAnswer(id: number): string {
  return `请发送留言 ${guestbookRef(id)} 的答复摘要（如“已修复失效链接”），发送“取消”放弃：`;
}

export function closed(id: number, late: string | null): string {
  return `留言 ${guestbookRef(id)} 已办结，${late ? `逾期办结（${late}）` : '按期办结'}。`;
}

export function usage(): string {
  return `用法：${ANSWER_USAGE}`;
}

function hintText(hint: AnswerHint): string {
  switch (hint.kind) {
    case 'short':
      return `答复只有 ${hint.length} 个字，建议写清问题、处理结果和时间（至少 ${hint.min} 个字）`;
    case 'opening':
      return '建议以“您好”等礼貌用语开头';
    case 'outcome':
      return '没有看到处理结果，建议写明“已修复”“已更正”“已更新”等办理情况';
  }
}

/** The quality hints before an answer goes to review: 确认 sends it anyway. */
export function qualityHints(id: number, hints: AnswerHint[]): string {
  return [
    `留言 ${guestbookRef(id)} 的答复将提交督办人员审核，请先看看：`,
    ...hints.map((hint, i) => `${i + 1}. ${hintText(hint)}`),
    '回复“确认”照此提交；如需修改，请发送修改后的答复；发送“取消”放弃。',
  ].join('\n');
}

/** After the deadline line of a message whose answer waits for review (留言列表). */
export const IN_REVIEW_TAG = ' · <font color="comment">答复审核中</font>';

export const QUALITY_HINT_STEP = '请回复“确认”提交答复，或发送修改后的答复';

export function sentToReview(id: number, late: string | null): string {
  const clock = late ? `提交时已逾期（${late}）。` : '提交时间在办理期限内，审核通过后按期办结。';
  return `留言 ${guestbookRef(id)} 的答复已提交督办人员审核，${clock}`;
}

// 审核

export function reviewCard(
  message: GuestbookMessage,
  website: Website | null,
  unitName: string,
  submitter: string,
  taskId: string,
): TemplateCard {
  const ref = guestbookRef(message.id);
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 网站找错留言' },
    main_title: { title: `留言答复审核 ${ref}`, desc: unitName },
    horizontal_content_list: [
      ...(website ? [{ keyname: '网站', value: clip(siteLabel(website), 30) }] : []),
      { keyname: '留言', value: clip(message.summary, 30) },
      { keyname: '提交人', value: submitter },
      { keyname: '提交时间', value: formatDateTime(message.answeredAt!) },
    ],
    quote_area: { type: 0, title: '答复', quote_text: clip(message.answerSummary ?? '', 200) },
    sub_title_text: '审核期间不停止计时：以审核通过的答复的提交时间判断是否按期。',
    button_list: [
      { text: '通过', style: 1, key: `guestbook:approve:${message.id}` },
      { text: '退回', style: 2, key: `guestbook:return:${message.id}` },
    ],
  };
}

export const APPROVE_BUTTON = '通过';
export const RETURN_BUTTON = '退回';
/** What a review card's button says once the answer is decided. */
export const HANDLED_BUTTON = '已处理';
export const APPROVED_BUTTON = '已通过';
export const RETURNED_BUTTON = '已退回';
export const RETURN_TITLE = '退回留言答复';
/** The verb of the 退回 reason dialog's words. */
export const RETURN_VERB = '退回';

export function notInReview(id: number): string {
  return `留言 ${guestbookRef(id)} 当前没有待审核的答复。`;
}

export function approved(id: number, late: string | null): string {
  return `已通过留言 ${guestbookRef(id)} 的答复，留言已${late ? `逾期办结（${late}）` : '按期办结'}。`;
}

export function approvedNotice(id: number, late: string | null): string {
  return `您单位留言 ${guestbookRef(id)} 的答复已审核通过，留言已${late ? '办结（逾期）' : '按期办结'}。`;
}

export function askReturnReason(id: number): string {
  return `请发送退回留言 ${guestbookRef(id)} 答复的理由（将发送给该单位联络员），发送“取消”放弃：`;
}

export const NOT_TOP_UNIT = '请写一个区县或市直部门的名称（单位本身，不是其下属单位）。';

export function returned(id: number): string {
  return `已退回留言 ${guestbookRef(id)} 的答复，已通知该单位。`;
}

export function returnedNotice(id: number, reason: string, deadline: string): string {
  return [
    `您单位留言 ${guestbookRef(id)} 的答复被退回。`,
    `理由：${memberText(reason)}`,
    `办理期限仍为 ${deadline}，请修改后重新发送：留言办结 ${guestbookRef(id)} <答复摘要>`,
  ].join('\n');
}

export const REVIEWERS_UNREACHED = '<font color="warning">暂无督办人员可以审核，请联系电子政务科。</font>';

// 留言审核 (the setting)

function scopeLabel(scope: ReviewScope, unitName?: string): string {
  return scope.kind === 'city' ? '全市' : memberText(unitName ?? '');
}

export function reviewSet(scope: ReviewScope, enabled: boolean, unitName?: string): string {
  const what = enabled ? '“留言办结”的答复将先提交督办人员审核，通过后办结' : '“留言办结”直接办结，不再审核';
  return `已设置：${scopeLabel(scope, unitName)}${what}。`;
}

export function reviewSettings(city: boolean, units: { name: string; enabled: boolean }[]): string {
  const lines = [`**留言答复审核**`, `全市：${city ? '开启' : '关闭'}`];
  for (const unit of units) lines.push(`${memberText(unit.name)}：${unit.enabled ? '开启' : '关闭'}`);
  lines.push('', `<font color="comment">设置：${REVIEW_USAGE}（单位的设置优先于全市）</font>`);
  return lines.join('\n');
}
