// What the typical-case feature says: the call card, progress tables, case lists, previews,
// reminders. Pure formatting over rows the caller loaded.
import { memberText } from '../../messages/member-text.js';
import type { OutMessage, TemplateCard } from '../../messages/outbound.js';
import { boardLinkLine } from '../shared/board-links.js';
import { CASE_CALL_STATUS_LABELS, type CaseCall } from '../../entities/case-call.js';
import { CASE_STATUS_LABELS, type TypicalCase } from '../../entities/typical-case.js';
import { UNIT_KIND_LABELS, type Unit } from '../../entities/unit.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import type { UnitProgress } from './rules.js';
import {
  UNIT_KIND_ORDER,
  callRef,
  caseRef,
  clipChars,
  countClause,
  dueClause,
  progressLine,
} from './rules.js';
import { deadlineLine, formatDeadlineMarked, viewDeadline } from '../calendar/deadline-text.js';
import { PROVISIONAL_MARK } from '../calendar/deadlines.js';
import { formatDateTime, formatDeadline } from '../calendar/time.js';

/** The card button that starts 提交案例 for a call: `case:submit:<callId>`. */
export const SUBMIT_CARD_PREFIX = 'case:submit';

/** Text members typed, shown on one line inside markdown or a card (see memberText). */
export function plain(text: string): string {
  return memberText(text.replace(/\s+/g, ' '));
}

/** `2023-03-21（周二）24时截止`, （预估） when counted on a provisional calendar. */
export function callDeadlineText(call: CaseCall): string {
  return `${formatDeadline(call.deadline)}截止${call.deadlineEstimated ? PROVISIONAL_MARK : ''}`;
}

/** `征集1《2023年第一季度典型案例》` */
export function callName(call: CaseCall): string {
  return `${callRef(call.id)}《${call.title}》`;
}

/** The card each liaison of a unit gets when a call opens, with the 提交案例 button. */
export function callCard(call: CaseCall, unit: Unit, quota: number, taskId: string): TemplateCard {
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 典型案例征集' },
    main_title: { title: clipChars(call.title, 36), desc: `${callRef(call.id)} · ${unit.name}` },
    emphasis_content: { title: `${quota}个`, desc: '本单位至少提报典型案例' },
    sub_title_text:
      `围绕${call.themes.join('、')}等方面，以案例形式呈现特色、亮点和成效，` +
      `每个案例${call.maxLength}字以内。`,
    horizontal_content_list: [
      { keyname: '截止时间', value: callDeadlineText(call) },
      { keyname: '查看进度', value: '发送“我的案例”' },
    ],
    button_list: [{ text: '提交案例', style: 1, key: `${SUBMIT_CARD_PREFIX}:${call.id}` }],
  };
}

/** What a supervisor sees before 确认 (and after, as the call's summary). */
export function callSummaryLines(call: {
  title: string;
  deadline: Date;
  deadlineEstimated: boolean;
  quotasText: string;
  maxLength: number;
  themes: readonly string[];
}): string[] {
  return [
    `标题：${call.title}`,
    `截止：${formatDeadlineMarked(call.deadline, call.deadlineEstimated)}`,
    `配额：${call.quotasText}`,
    `字数：每个案例${call.maxLength}字以内`,
    `主题：${call.themes.join('、')}`,
  ];
}

/** The supervisors' 案例进度: units grouped by kind, below-quota units first. */
export function progressMarkdown(
  call: CaseCall,
  rows: readonly UnitProgress[],
  calendar: WorkCalendar,
  now: Date,
): string {
  const owing = rows.filter((row) => row.quota > 0);
  const met = owing.filter((row) => row.short === 0).length;
  const counted = rows.reduce((sum, row) => sum + row.counted, 0);
  const accepted = rows.reduce((sum, row) => sum + row.accepted, 0);
  const returned = rows.reduce((sum, row) => sum + row.returned, 0);
  const due =
    call.status === 'open'
      ? deadlineLine(viewDeadline(calendar, call.deadline, now, call.deadlineEstimated))
      : `${callDeadlineText(call)}，${CASE_CALL_STATUS_LABELS[call.status]}`;
  const lines = [
    `**案例进度｜${plain(callName(call))}**`,
    due,
    `达标 ${met}/${owing.length} 个单位；有效案例 ${counted} 个（已采纳 ${accepted} 个，已退回待修改 ${returned} 个）`,
  ];
  for (const kind of UNIT_KIND_ORDER) {
    const group = rows.filter((row) => row.unit.kind === kind);
    if (group.length === 0) continue;
    const groupOwing = group.filter((row) => row.quota > 0);
    const groupMet = groupOwing.filter((row) => row.short === 0).length;
    lines.push('', `**${UNIT_KIND_LABELS[kind]}**（达标 ${groupMet}/${groupOwing.length}）`);
    for (const row of group) {
      const line = `${plain(row.unit.name)} ${countClause(row.counted, row.quota)}${row.returned ? `（退回 ${row.returned}）` : ''}`;
      lines.push(row.short > 0 ? `> <font color="warning">${line}</font>` : `> ${line}`);
    }
  }
  lines.push('', `<font color="comment">发送“导出案例 ${callRef(call.id)}”导出信息表</font>`);
  return lines.join('\n');
}

export interface CaseListItem {
  kase: TypicalCase;
  channel: string;
}

/** A liaison's 我的案例 for one call: the progress line and the unit's cases. */
export function myCasesSection(
  call: CaseCall,
  counted: number,
  quota: number,
  items: readonly CaseListItem[],
  calendar: WorkCalendar,
  now: Date,
): string[] {
  const lines = [
    `**${plain(callName(call))}**`,
    progressLine(calendar, { submitted: counted, quota, deadline: call.deadline }, now),
  ];
  if (items.length === 0) lines.push('> 本单位尚未提交案例');
  for (const { kase, channel } of items) {
    const status = CASE_STATUS_LABELS[kase.status];
    const tag =
      kase.status === 'returned'
        ? `<font color="warning">【${status}】</font>`
        : kase.status === 'accepted'
          ? `<font color="info">【${status}】</font>`
          : `【${status}】`;
    lines.push(
      `> ${caseRef(kase.id)}${tag}${plain(kase.title)}｜${plain(kase.theme)}｜${plain(channel)}｜${kase.textLength}字`,
    );
    if (kase.status === 'returned' && kase.returnReason) {
      lines.push(`> 退回理由：${plain(kase.returnReason)}`);
    }
  }
  return lines;
}

export const MY_CASES_FOOTER =
  '<font color="comment">继续提交：提交案例；修改：修改案例 C编号；撤回：撤回案例 C编号</font>';

export interface CasePreview {
  call: CaseCall;
  theme: string;
  channel: string;
  title: string;
  text: string;
  textLength: number;
  /** For a change to an existing case. */
  caseId?: number;
}

/** Plain text (the case text is the member's own and must not be read as markdown). */
export function casePreviewText(preview: CasePreview): string {
  const head = preview.caseId
    ? `请核对修改后的案例${caseRef(preview.caseId)}（回复“确认”提交，回复“取消”放弃修改）：`
    : '请核对案例（回复“确认”提交，回复“取消”放弃）：';
  return [
    head,
    `征集：${callName(preview.call)}`,
    `主题：${preview.theme}`,
    `渠道：${preview.channel}`,
    `标题：${preview.title}`,
    `内容（${preview.textLength}字）：`,
    preview.text,
  ].join('\n');
}

/** To the liaisons of a unit still short, 3 and 1 working days before the deadline. */
export function unitReminder(
  call: CaseCall,
  counted: number,
  quota: number,
  calendar: WorkCalendar,
  now: Date,
): OutMessage {
  return {
    type: 'text',
    content:
      `【案例征集提醒】${plain(callName(call))}：本单位` +
      `${progressLine(calendar, { submitted: counted, quota, deadline: call.deadline }, now)}。` +
      '请发送“提交案例”提交，发送“我的案例”查看已提交的案例。',
  };
}

/** To supervisors at the same times: the units still short. */
export function supervisorDigest(
  call: CaseCall,
  short: readonly UnitProgress[],
  calendar: WorkCalendar,
  now: Date,
  boardUrl?: string,
): OutMessage {
  const lines = [
    `**案例征集提醒｜${plain(callName(call))}**`,
    `${dueClause(calendar, call.deadline, now, call.deadlineEstimated)}，尚有 ${short.length} 个单位未达标：`,
    ...short.map(
      (row) =>
        `> ${plain(row.unit.name)}（${UNIT_KIND_LABELS[row.unit.kind]}）${countClause(row.counted, row.quota)}`,
    ),
    '',
    `<font color="comment">发送“案例进度 ${callRef(call.id)}”查看全部</font>`,
    ...(boardUrl ? [boardLinkLine(boardUrl)] : []),
  ];
  return { type: 'markdown', content: lines.join('\n') };
}

/** `征集1《…》，2023-03-21（周二）24时截止` for lists of calls to choose from. */
export function callChoiceLines(calls: readonly CaseCall[]): string[] {
  return calls.map((call, i) => `${i + 1}. ${callName(call)}，${callDeadlineText(call)}`);
}

/** `2023-03-20（周一）10:30` without the weekday, for the sheet: `2023-03-20 10:30`. */
export function sheetDateTime(at: Date): string {
  return formatDateTime(at).replace(/（周.）/, ' ');
}
