// What the typical-case feature says: the call card, progress tables, case lists, previews,
// reminders. Pure formatting over rows the caller loaded.
import { memberText } from '../../messages/member-text.js';
import type { OutMessage, TemplateCard } from '../../messages/outbound.js';
import { boardLinkLine } from '../shared/board-links.js';
import { CASE_CALL_STATUS_LABELS, type CaseCall } from '../../entities/case-call.js';
import { CASE_STATUS_LABELS, type TypicalCase } from '../../entities/typical-case.js';
import { UNIT_KIND_LABELS, type Unit } from '../../entities/unit.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import type { CaseQuotas, ReviewDecision, UnitProgress } from './rules.js';
import { notToldText } from '../directory/lookup.js';
import type { CallChoice, ChangeableCase } from './rules.js';
import {
  CALL_TITLE_MAX_LENGTH,
  DEFAULT_CASE_QUOTAS,
  UNIT_KIND_ORDER,
  countCaseChars,
  describeQuotas,
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
    call.status === 'open'
      ? progressLine(calendar, { submitted: counted, quota, deadline: call.deadline }, now)
      : `${countClause(counted, quota)}，已结束征集`,
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

/** Plain text (the case text is the member's own and must not be read as markdown); the dialog adds the 确认 line. */
export function casePreviewText(preview: CasePreview): string {
  const head = preview.caseId ? `请核对修改后的案例${caseRef(preview.caseId)}：` : '请核对案例：';
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

// ---------------------------------------------------------------------------------------------------
// A call's end, extension and reopening

/** The most units below quota a close preview or its answer names (进度 has them all). */
export const SHORT_LIST_LIMIT = 15;

/** `达标 3/5 个单位` and the units below quota, for a close preview or its result. */
export function shortfallLines(call: CaseCall, rows: readonly UnitProgress[]): string[] {
  const owing = rows.filter((row) => row.quota > 0);
  const short = owing.filter((row) => row.short > 0);
  const lines = [`达标 ${owing.length - short.length}/${owing.length} 个单位`];
  if (short.length > 0) {
    const kinds = UNIT_KIND_ORDER.map(
      (kind) => [kind, short.filter((row) => row.unit.kind === kind).length] as const,
    )
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => `${UNIT_KIND_LABELS[kind]}${count}`);
    lines.push(`未达标 ${short.length} 个${kinds.length > 1 ? `（${kinds.join('、')}）` : ''}：`);
    for (const row of short.slice(0, SHORT_LIST_LIMIT)) {
      lines.push(`> ${plain(row.unit.name)} ${countClause(row.counted, row.quota)}`);
    }
    if (short.length > SHORT_LIST_LIMIT) {
      lines.push(
        `> ……另有 ${short.length - SHORT_LIST_LIMIT} 个，发送“案例进度 ${callRef(call.id)}”查看全部`,
      );
    }
  }
  return lines;
}

/** What 结束案例征集 shows before 确认 (the confirmation line is the dialog kit's). */
export function closePreviewLines(
  call: CaseCall,
  rows: readonly UnitProgress[],
  calendar: WorkCalendar,
  now: Date,
): string[] {
  return [
    `**结束${plain(callName(call))}？**`,
    deadlineLine(viewDeadline(calendar, call.deadline, now, call.deadlineEstimated)),
    ...shortfallLines(call, rows),
    '结束后联络员不能再提交、修改或撤回案例，各单位联络员会收到结束通知。',
  ];
}

export const CLOSE_ACTION = '结束征集';

export function closedReply(call: CaseCall, rows: readonly UnitProgress[], told: number): string {
  return [
    `已结束${callName(call)}，已通知 ${told} 名联络员。`,
    ...shortfallLines(call, rows).map((line) => line.replace(/^> /, '')),
    `发送“导出案例 ${callRef(call.id)}”导出信息表，“重新开放征集 ${callRef(call.id)}”可重新开放。`,
  ].join('\n');
}

export function alreadyClosedText(call: CaseCall): string {
  return `${callRef(call.id)}已结束，无需再次结束。`;
}

/** To each liaison of a unit when the call closes: the unit's final count. */
export function closedNotice(call: CaseCall, row: UnitProgress): string {
  const standing =
    row.quota > 0
      ? `本单位最终${countClause(row.counted, row.quota).replace('还需', '未达标，差')}`
      : `本单位提交 ${row.counted} 个`;
  return `【案例征集】${callName(call)}已结束，不能再提交、修改或撤回案例。${standing}。`;
}

export function extendedReply(call: CaseCall, previous: Date, told: number): string {
  return `已将${callName(call)}的截止时间由 ${formatDeadline(previous)} 延长至 ${callDeadlineText(call).replace(/截止/, '')}，已通知 ${told} 名联络员。`;
}

export function reopenedReply(call: CaseCall, told: number): string {
  return `已重新开放${callName(call)}，${callDeadlineText(call)}，已通知 ${told} 名联络员。`;
}

/** To each liaison of a unit when the call's deadline moves or it opens again. */
export function deadlineNotice(
  call: CaseCall,
  kind: 'extended' | 'reopened',
  row: UnitProgress,
  calendar: WorkCalendar,
  now: Date,
): string {
  const what = kind === 'extended' ? '截止时间延长至' : '重新开放，截止时间';
  const standing = progressLine(
    calendar,
    { submitted: row.counted, quota: row.quota, deadline: call.deadline },
    now,
  );
  return (
    `【案例征集】${callName(call)}${what} ${callDeadlineText(call).replace(/截止/, '')}。本单位${standing}。` +
    '发送“提交案例”提交。'
  );
}

export const DEADLINE_REFUSALS = {
  missing: (callId: number) => `没有找到${callRef(callId)}。发送“案例进度”查看征集。`,
  closed: (call: CaseCall) =>
    `${callRef(call.id)}已结束；如需继续征集，请发送“重新开放征集 ${callRef(call.id)} <截止时间>”。`,
  open: (call: CaseCall) =>
    `${callRef(call.id)}仍在征集中；如需延长，请发送“延长征集 ${callRef(call.id)} <截止时间>”。`,
  past: (call: CaseCall) => `新的截止时间已过，${callRef(call.id)}未作改动。请重新输入截止时间。`,
  notLater: (call: CaseCall) =>
    `新的截止时间应晚于当前的 ${formatDeadline(call.deadline)}，${callRef(call.id)}未作改动。请重新输入截止时间。`,
  /** After a date typed with the command that cannot be read (日期“2月30日”不存在，请检查。). */
  retype: '请直接发送新的截止时间，或回复“取消”。',
  needsDeadline: (call: CaseCall) =>
    `${callRef(call.id)}原定 ${formatDeadline(call.deadline)} 截止，已过期。请发送新的截止时间。`,
};

export const EXTEND_USAGE = '延长征集 征集N <截止时间>';
export const REOPEN_USAGE = '重新开放征集 征集N [截止时间]';

export function askNewDeadline(call: CaseCall, examples: string): string {
  return `${callName(call)}现定 ${callDeadlineText(call)}。请发送新的截止时间，如 ${examples}。`;
}

export function callRefUsage(usage: string): string {
  return `请写明征集编号，用法：${usage}（编号见“案例进度”）。`;
}

// ---------------------------------------------------------------------------------------------------
// Review cards, review answers

/** The buttons of a review card: `case:accept:<id>`, `case:return:<id>`, `case:cards:<ids>`. */
export const CASE_KEYS = {
  accept: 'case:accept',
  return: 'case:return',
  cards: 'case:cards',
} as const;

export interface ReviewCardItem {
  kase: TypicalCase;
  unitName: string;
  channel: string;
}

/** One case for the supervisors: who, what, the text, and 采纳 / 退回. */
export function reviewCard(call: CaseCall, item: ReviewCardItem, taskId: string): TemplateCard {
  const { kase } = item;
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 典型案例审核' },
    main_title: { title: `案例${caseRef(kase.id)}待审核`, desc: `${callRef(call.id)} · ${item.unitName}` },
    sub_title_text: `《${clipChars(kase.title, 40)}》${clipChars(kase.text.replace(/\s+/g, ' '), 150)}`,
    horizontal_content_list: [
      { keyname: '主题', value: kase.theme },
      { keyname: '渠道', value: clipChars(item.channel, 30) },
      { keyname: '字数', value: `${kase.textLength}字` },
      { keyname: '提交', value: sheetDateTime(kase.submittedAt) },
    ],
    button_list: [
      { text: '采纳', style: 1, key: `${CASE_KEYS.accept}:${kase.id}` },
      { text: '退回', style: 3, key: `${CASE_KEYS.return}:${kase.id}` },
    ],
  };
}

/** The most cases a digest card names, and the most single cards its button brings. */
export const DIGEST_LIMIT = 20;

/** Several cases of one call arrived together: one card naming them, 逐个审核 brings their cards. */
export function digestCard(call: CaseCall, items: readonly ReviewCardItem[], taskId: string): TemplateCard {
  const shown = items.slice(0, 6);
  const ids = items.slice(0, DIGEST_LIMIT).map((item) => item.kase.id);
  const units = [...new Set(items.map((item) => item.unitName))];
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 典型案例审核' },
    main_title: { title: `${items.length} 个新案例待审核`, desc: callName(call) },
    sub_title_text:
      `来自${units.slice(0, 5).join('、')}${units.length > 5 ? `等 ${units.length} 个单位` : ''}。` +
      `逐个审核，或发送“审核案例 C编号 采纳|退回 <理由>”。`,
    horizontal_content_list: shown.map((item) => ({
      keyname: `${caseRef(item.kase.id)} ${clipChars(item.unitName, 6)}`,
      value: clipChars(item.kase.title, 20),
    })),
    button_list: [{ text: '逐个审核', style: 1, key: `${CASE_KEYS.cards}:${ids.join('-')}` }],
  };
}

export function nothingToReview(): string {
  return '这些案例都已审核或撤回。发送“案例列表”查看全部。';
}

export function caseMissingText(caseId: number, withdrawn: boolean): string {
  return `没有找到案例${caseRef(caseId)}${withdrawn ? '（已撤回）' : ''}。`;
}

export function unchangedText(kase: TypicalCase): string {
  return `案例${caseRef(kase.id)}已是“${CASE_STATUS_LABELS[kase.status]}”状态。`;
}

/** What the button of a review card reads once the case is settled. */
export function settledButton(kase: TypicalCase | null): string {
  if (!kase) return '已处理';
  if (kase.status === 'accepted') return '已采纳';
  if (kase.status === 'returned') return '已退回';
  if (kase.status === 'withdrawn') return '已撤回';
  return '已处理';
}

export function reviewedReply(
  decision: ReviewDecision,
  kase: TypicalCase,
  unitName: string,
  told: number,
): string {
  const done = decision === 'accept' ? '采纳' : '退回';
  const reach = told > 0 ? `，已通知${unitName} ${told} 名联络员` : `；${unitName}暂无联络员，未能通知`;
  return `已${done}案例${caseRef(kase.id)}${reach}。`;
}

/** To the unit's liaisons after a review. */
export function reviewedNotice(
  decision: ReviewDecision,
  kase: TypicalCase,
  call: CaseCall | null,
  standing: string,
): string {
  const ref = caseRef(kase.id);
  if (decision === 'accept') return `【案例审核】案例${ref}《${memberText(kase.title)}》已采纳。`;
  return (
    `【案例审核】案例${ref}《${memberText(kase.title)}》已退回，理由：${memberText(kase.returnReason ?? '')}\n` +
    (call?.status === 'open'
      ? `请发送“修改案例 ${ref}”修改后重新提交。\n本单位${standing}`
      : `${callRef(kase.callId)}已结束。`)
  );
}

export const RETURN_REASON_MAX = 200;

export function askReturnReason(kase: TypicalCase): string {
  return `退回案例${caseRef(kase.id)}《${plain(kase.title)}》：请发送退回理由（${RETURN_REASON_MAX}字以内），发送“取消”放弃。`;
}

export const RETURN_REASON_HINT = '请发送退回理由';

// ---------------------------------------------------------------------------------------------------
// 案例列表, 案例 C7 (supervisors)

export const LIST_LIMIT = 50;

/** 案例列表: the live cases of a call (optionally one unit), newest status first per unit. */
export function caseListMarkdown(
  call: CaseCall,
  unitName: string | null,
  items: readonly (ReviewCardItem & { unitName: string })[],
): string {
  const heading = `**案例列表｜${plain(callName(call))}${unitName ? `｜${plain(unitName)}` : ''}**`;
  const awaiting = items.filter((item) => item.kase.status === 'submitted').length;
  const lines = [heading, `共 ${items.length} 个案例，待审核 ${awaiting} 个`];
  if (items.length === 0) lines.push('> 暂无案例');
  for (const item of items.slice(0, LIST_LIMIT)) {
    const { kase } = item;
    const status = CASE_STATUS_LABELS[kase.status];
    const tag = kase.status === 'submitted' ? `<font color="warning">【待审核】</font>` : `【${status}】`;
    lines.push(
      `> ${caseRef(kase.id)}${tag}${unitName ? '' : `${plain(item.unitName)}｜`}${plain(kase.title)}｜${kase.textLength}字`,
    );
  }
  if (items.length > LIST_LIMIT)
    lines.push(`……另有 ${items.length - LIST_LIMIT} 个，请“导出案例 ${callRef(call.id)}”查看`);
  lines.push('', '<font color="comment">发送“案例 C编号”查看全文并审核</font>');
  return lines.join('\n');
}

/** 案例 C7: the whole case, plain text (the text is the member's own). */
export function caseDetailText(call: CaseCall, item: ReviewCardItem, reviewable: boolean): string {
  const { kase } = item;
  const lines = [
    `案例${caseRef(kase.id)}【${CASE_STATUS_LABELS[kase.status]}】`,
    `征集：${callName(call)}`,
    `单位：${item.unitName}`,
    `主题：${kase.theme}`,
    `渠道：${item.channel}`,
    `标题：${kase.title}`,
    `提交：${sheetDateTime(kase.submittedAt)}`,
  ];
  if (kase.status === 'returned' && kase.returnReason) lines.push(`退回理由：${kase.returnReason}`);
  lines.push(`内容（${kase.textLength}字）：`, kase.text);
  if (reviewable && kase.status !== 'withdrawn') {
    lines.push('', `审核：审核案例 ${caseRef(kase.id)} 采纳｜审核案例 ${caseRef(kase.id)} 退回 <理由>`);
  }
  return lines.join('\n');
}

export const CASE_LIST_USAGE = '案例列表 [单位|征集N]';
export const CASE_SHOW_USAGE = '案例 C7';

export function unknownListTarget(typed: string): string {
  return `没有找到“${plain(typed)}”：请写单位名称或征集编号，如“案例列表 张店区”“案例列表 征集1”。`;
}

// ---------------------------------------------------------------------------------------------------
// 发起案例征集 (the supervisor's dialog)

export const OPEN_CALL_ACTION = '发出征集';

const TITLE_EXAMPLE = '如“2023年第一季度政府网站和政务新媒体典型案例”';

export const OPEN_CALL_PROMPTS = {
  start: `发起典型案例征集。请发送征集标题，${TITLE_EXAMPLE}。`,
  title: `请发送征集标题，${TITLE_EXAMPLE}。`,
  titleHint: '请发送征集标题',
  deadline: (examples: string) => `请发送截止时间，如 ${examples}。`,
  deadlineHint: (examples: string) => `请发送截止时间（如 ${examples}）`,
  deadlinePassed: (examples: string) => `截止时间已过，请重新输入。请发送截止时间，如 ${examples}。`,
  tooManyWorkingDays: (max: number) => `工作日数应在 1 到 ${max} 之间。`,
  quotas:
    `请设置各类单位至少提报的案例数：回复“默认”（${describeQuotas(DEFAULT_CASE_QUOTAS)}），` +
    '或如“区县5 功能区5 市直部门1”（未写的按默认）。',
  quotasHint: '请回复“默认”或各类单位的配额（如 区县5 市直部门1）',
};

export type CallTitleRead = { ok: true; title: string } | { ok: false; message: string };

/** A call title: spaces folded, not empty, at most CALL_TITLE_MAX_LENGTH characters. */
export function readCallTitle(raw: string): CallTitleRead {
  const title = raw.trim().replace(/\s+/g, ' ');
  if (title === '') return { ok: false, message: OPEN_CALL_PROMPTS.title };
  const length = countCaseChars(title);
  if (length > CALL_TITLE_MAX_LENGTH) {
    return {
      ok: false,
      message: `标题共 ${length} 字，超过 ${CALL_TITLE_MAX_LENGTH} 字，请精简后重新发送。`,
    };
  }
  return { ok: true, title };
}

export function openCallTitleRefusal(): string {
  return '标题将发给所有联络员，不能包含个人信息（手机号、身份证号、邮箱等），请修改后重新发送。';
}

export function openCallDeadlineEcho(deadline: Date, estimated: boolean, warning: string | null): string {
  return [
    `截止：${formatDeadlineMarked(deadline, estimated)}`,
    ...(warning ? [warning] : []),
    OPEN_CALL_PROMPTS.quotas,
  ].join('\n');
}

export function openCallPreviewLines(preview: {
  call: {
    title: string;
    deadline: Date;
    deadlineEstimated: boolean;
    quotas: Readonly<CaseQuotas>;
    maxLength: number;
    themes: readonly string[];
  };
  perKind: { kind: Unit['kind']; count: number }[];
  people: number;
  silent: string[];
  dueDayNote: string | null;
  deadlineWarning: string | null;
}): string[] {
  const { call } = preview;
  const lines = [
    '**请核对案例征集**',
    ...callSummaryLines({ ...call, title: plain(call.title), quotasText: describeQuotas(call.quotas) }),
    preview.perKind.length > 0
      ? `将通知：${preview.perKind.map((entry) => `${UNIT_KIND_LABELS[entry.kind]}${entry.count}个`).join('、')}单位，共 ${preview.people} 名联络员`
      : '将通知：无（没有需要提报的单位）',
  ];
  if (preview.silent.length > 0) lines.push(`暂无联络员、不会收到通知：${preview.silent.join('、')}`);
  if (preview.dueDayNote) lines.push(preview.dueDayNote);
  if (preview.deadlineWarning) lines.push(preview.deadlineWarning);
  return lines;
}

export function openedCallReply(opened: {
  call: CaseCall;
  units: number;
  liaisons: number;
  silent: string[];
  deadlineWarning: string | null;
}): string {
  const lines = [
    `已发起${callName(opened.call)}，已向 ${opened.units} 个单位的 ${opened.liaisons} 名联络员发送通知。`,
    '发送“案例进度”查看各单位提交情况。',
  ];
  if (opened.silent.length > 0) lines.push(notToldText(opened.silent));
  if (opened.deadlineWarning) lines.push(opened.deadlineWarning);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// 提交案例 / 修改案例 (the liaison's dialog)

export const CASE_DRAFT_PROMPTS = {
  start: (call: string, standing: string) =>
    `向${call}提交案例（${standing}）。\n请选择主题，回复序号或名称：`,
  whichCall: '当前有多个案例征集，请回复序号选择：',
  whichCallHint: '请回复序号选择征集',
  themeHint: '请回复序号或名称选择主题',
  channels: (theme: string) => `主题：${theme}\n请选择渠道，回复序号：`,
  channelHint: '请回复序号选择渠道',
  title: (channel: string, max: number) => `渠道：${channel}\n请发送案例标题（${max}字以内）。`,
  titleHint: '请发送案例标题',
  titleTooLong: (length: number, max: number) =>
    `标题共 ${length} 字，超过 ${max} 字，需删减 ${length - max} 字，请重新发送。`,
  text: (title: string, max: number) => `标题：${title}\n请发送案例内容（${max}字以内，一条消息发完）。`,
  textHint: '请发送案例内容',
  /** 修改 内容 at the preview: the new text replaces the old (title, theme and channel stay). */
  textEdit: '请发送新的案例内容（一条消息发完），发送“取消”放弃：',
  revise: (ref: string, title: string, length: number, max: number, returnReason: string | null) =>
    `修改案例${ref}《${title}》（${length}字）${returnReason ? `\n退回理由：${returnReason}` : ''}\n` +
    `请发送新的案例内容（${max}字以内），发送“取消”放弃修改。`,
  callClosed: (call: string) => `${call}已结束，不能再提交或修改案例。`,
};

export function submittedReply(ref: string, progress: string): string {
  return `案例${ref}已提交。\n${progress}\n继续提交请发送“提交案例”，查看请发送“我的案例”。`;
}

export function revisedReply(ref: string, progress: string): string {
  return `案例${ref}已修改并重新提交。\n${progress}`;
}

export function resubmittedNotice(unitName: string, ref: string, title: string): string {
  return `【案例审核】${unitName}已修改退回的案例${ref}《${title}》并重新提交，请审核。`;
}

// ---------------------------------------------------------------------------------------------------
// Refusals of the call and case lookups

/** Why no call was found for a command (see chooseCall). */
export function noCallText(choice: Extract<CallChoice, { kind: 'none' }>): string {
  if (choice.reason === 'unknown') {
    return `没有找到${choice.callId === null ? `“${plain(choice.typed)}”` : callRef(choice.callId)}。`;
  }
  if (choice.reason === 'closed') return `${callRef(choice.call.id)}已结束。`;
  return '当前没有进行中的案例征集。';
}

/** Why a liaison may not change a case (another unit's reads as missing). */
export function caseChangeRefusalText(refusal: Extract<ChangeableCase, { ok: false }>): string {
  const ref = caseRef(refusal.caseId);
  switch (refusal.reason) {
    case 'missing':
    case 'other-unit':
      return `没有找到本单位的案例${ref}。发送“我的案例”查看。`;
    case 'closed':
      return `${callRef(refusal.callId ?? 0)}已结束，案例${ref}不能再修改或撤回。`;
    case 'accepted':
      return `案例${ref}已采纳，不能再修改或撤回。`;
  }
}

/** The liaison's commands (提交案例 from a card, 撤回案例, usages). */
export const LIAISON_TEXTS = {
  noCalls: '当前没有进行中的案例征集。',
  noSuchCall: '该征集不存在。',
  callClosed: (callId: number) => `${callRef(callId)}已结束，不能再提交案例。`,
  usage: (usage: string) => `用法：${usage}（案例编号见“我的案例”）`,
  withdrawn: (ref: string, title: string, progress: string) => `已撤回案例${ref}《${title}》。\n${progress}`,
};

// ---------------------------------------------------------------------------------------------------
// Small words of the supervisors' and liaisons' commands

export type CallPurpose = 'progress' | 'export' | 'list' | 'close';

const PURPOSE_LABELS: Record<CallPurpose, string> = {
  progress: '查看进度',
  export: '导出',
  list: '查看案例',
  close: '结束',
};

/** 请回复序号选择要查看进度的征集 (the hint of a call choice). */
export function pickCallHint(purpose: CallPurpose): string {
  return `请回复序号选择要${PURPOSE_LABELS[purpose]}的征集`;
}

export function pickCallHeading(purpose: CallPurpose): string {
  return `当前有多个案例征集，${pickCallHint(purpose)}：`;
}

export function exportedReply(call: CaseCall, caseCount: number): string {
  return `${callName(call)}：共 ${caseCount} 个案例，信息表见下方文件（第2页为各单位配额汇总）。`;
}

export function deadlineHint(examples: string): string {
  return `请发送新的截止时间（如 ${examples}）`;
}

export function showCaseUsage(liaison: boolean): string {
  return `用法：${CASE_SHOW_USAGE}（案例编号见“${liaison ? '我的案例' : '案例列表'}”）`;
}

export function caseNotVisibleText(caseId: number, liaison: boolean): string {
  return liaison
    ? `没有找到本单位的案例${caseRef(caseId)}。发送“我的案例”查看。`
    : `没有找到案例${caseRef(caseId)}。`;
}

export function myCasesHeading(unitName: string): string {
  return `**${plain(unitName)}的典型案例**`;
}

export const CASE_BUTTON_LABELS = { accepted: '已采纳', returned: '已退回', returning: '退回中' } as const;

export const SUBMIT_ACTION = '提交';

// The supervisors' commands on calls (handlers/cases/supervise.ts)

export const CASES_GROUP = '典型案例';
/** What the choice of a call calls it (请回复序号选择征集). */
export const CALL_LABEL = '征集';
export const PICK_CALL_TITLE = '选择案例征集';
export const CLOSE_CALL_TITLE = '结束案例征集';
export const DEADLINE_FLOW_TITLE = '调整案例征集';
export const PROGRESS_USAGE = '案例进度 [征集N]';
export const EXPORT_USAGE = '导出案例 [征集N]';
export const CLOSE_USAGE = '结束案例征集 [征集N]';
export const SUPERVISE_SUMMARIES = {
  extend: '延长案例征集的截止时间（通知各单位联络员）',
  reopen: '重新开放已结束的案例征集（通知各单位联络员）',
  progress: '各单位典型案例提交进度（未达标的在前）',
  export: '导出《政府网站、政务新媒体典型做法信息表》Excel',
  close: '先列出未达标单位，确认后结束征集并通知联络员',
} as const;

/** The audit log's detail of an export. */
export function exportedDetail(caseCount: number, fileId: number | string): string {
  return `${caseCount} 个案例；文件 ${fileId}`;
}

// The liaisons' commands on cases (handlers/cases/liaison.ts)

export const SUBMIT_CASE_USAGE = '提交案例 [征集N]';
export const MODIFY_CASE_USAGE = '修改案例 C7';
export const WITHDRAW_CASE_USAGE = '撤回案例 C7';
/** The call card's button (the word of the question asked before leaving a dialog). */
export const SUBMIT_CASE_BUTTON = '提交案例';
export const LIAISON_SUMMARIES = {
  submit: '向案例征集提交一个典型案例',
  mine: '查看本单位提交的典型案例和进度',
  modify: '重新填写本单位案例的内容（征集期间）',
  withdraw: '撤回本单位的案例（征集期间）',
} as const;

// The other case commands' titles, summaries, labels (handlers/cases: browse, open-call, review, draft)

export const OPEN_CALL_USAGE = '发起案例征集 [标题]';
export const CASE_SUMMARIES = {
  list: '列出征集的案例（可按单位），待审核的标出',
  show: '查看一个案例的全文（督办员可审核；联络员限本单位）',
  openCall: '发起典型案例征集，向各单位联络员发送配额和截止时间',
  review: '采纳或退回一个案例（通知该单位联络员）',
} as const;
export const OPEN_CALL_TITLE = '发起案例征集';
export const RETURN_CASE_TITLE = '退回案例';
export const SUBMIT_CASE_TITLE = '提交案例';
/** What the dialogs' steps call what they ask for (…不能为空, 请发送文字的…). */
export const CASE_FIELD_LABELS = {
  callTitle: '征集标题',
  quota: '配额',
  returnReason: '退回理由',
  theme: '主题',
  channel: '渠道',
  caseTitle: '案例标题',
  caseContent: '案例内容',
} as const;
/** The review cards' buttons (the words of the question asked before leaving a dialog). */
export const REVIEW_BUTTONS = { accept: '采纳', return: '退回', cards: '逐个审核' } as const;

/** The audit log's detail of a liaison refused another unit's case. */
export function caseNotVisibleDetail(unitName: string | undefined): string {
  return `非本单位案例；提出单位 ${unitName ?? '无'}`;
}

/** 发起案例征集: the title read, then the deadline asked. */
export function callTitleEcho(title: string, deadlinePrompt: string): string {
  return `标题：${title}\n${deadlinePrompt}`;
}

// The audit log's details the case services write (lifecycle, changes, store, review)

/** Where the actor has no unit (the unit of a refused change). */
export const NO_UNIT = '无';
export const CASE_AUDIT_DETAILS = {
  closed: (met: number, owing: number) => `达标 ${met}/${owing}`,
  extended: (from: string, to: string) => `截止 ${from} → ${to}`,
  reopened: (deadline: string) => `截止 ${deadline}`,
  opened: (title: string, deadline: string, quotas: string) => `${title}；截止 ${deadline}；配额 ${quotas}`,
  refusedChange: (refusal: string, unitName: string) => `${refusal}；提出单位 ${unitName}`,
  submitted: (callRef: string, unitName: string, theme: string, chars: number) =>
    `${callRef}；${unitName}；${theme}；${chars}字`,
  revised: (callRef: string, unitName: string, chars: number, afterReturn: boolean) =>
    `${callRef}；${unitName}；${chars}字${afterReturn ? '；退回后重新提交' : ''}`,
  returned: (reason: string) => `退回理由：${reason}`,
} as const;
