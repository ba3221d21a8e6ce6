/**
 * How the status model reads in chat: 进度, 进度 <单位>, 逾期, 周报 and the 催办 reminders. Pure
 * formatting over a {@link ProgressModel}; nothing here counts or judges a deadline.
 *
 * WeCom shows at most 2048 bytes of markdown per message. Each view is built from sections (the
 * header, the batches, the red list, …); a long list inside a section stops at its limit (or
 * earlier when the bytes run out) with "另有 N 个单位", and the sections are packed, in order,
 * into as few messages as fit.
 */
import { boardLinkLine } from '../shared/board-links.js';
import { MAX_CONTENT_BYTES, markdown, splitContent, text, type OutMessage } from '../../messages/outbound.js';
import { TASK_KIND_LABELS } from '../../entities/task.js';
import type { OpenItemKind } from '../open-items/items.js';
import type { SheetColumn } from '../shared/xlsx.js';
import type { UrgeAnswer, UrgeRefusal } from './urge-outcome.js';
import { UNIT_KIND_LABELS } from '../../entities/unit.js';
import { plain } from '../cases/views.js';
import { shortDueDate } from '../cases/rules.js';
import { COLOUR_LABELS, colourTag, deadlineLine, formatDeadlineMarked } from '../calendar/deadline-text.js';
import type {
  AtRiskItem,
  AtRiskList,
  BatchProgress,
  CaseCallProgress,
  DetailItem,
  ProgressModel,
  TaskCounts,
  UnitDetail,
  UnitFlag,
} from './model.js';
import { clip, taskRef } from '../tasks/text.js';
import { CARD_SOURCE, TASK_KEYS, cardTaskId } from '../tasks/views.js';
import { formatDate, formatDateTime, shanghaiDate } from '../calendar/time.js';
import type { TemplateCard } from '../../messages/outbound.js';

/** How many entries each list shows before "另有 N …" (fewer when the bytes run out first). */
export const LIST_LIMITS = {
  batches: 6,
  units: 15,
  shortUnits: 10,
  atRisk: 5,
  // 进度 <单位> lists every open item; past this many (several messages) it points to the export.
  detailItems: 100,
} as const;

/** A section never grows past this, so that it always fits one message with room to spare. */
const SECTION_BYTES = MAX_CONTENT_BYTES - 120;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The ideographic space that separates a heading from its time stamp. */
const GAP = '\u3000';

/** Where to find the rest of a cut list (the supervisors' pointer, or nothing in a forwarded text). */
export type MorePointer = 'export' | 'none' | 'my-tasks';

const POINTERS: Record<MorePointer, string> = {
  export: '，发送“导出进度”获取完整表格',
  'my-tasks': '，发送“我的任务”查看全部任务',
  none: '',
};

/**
 * A heading and entries (each one or more lines), cut at `limit` entries or when the section would
 * pass SECTION_BYTES, with "另有 N <unit>" for the rest.
 */
export function boundedSection(
  head: string[],
  entries: readonly string[][],
  options: { limit: number; noun: string; pointer: MorePointer; total?: number; reserve?: number },
): string[] {
  const total = Math.max(options.total ?? entries.length, entries.length);
  const lines = [...head];
  let used = bytes(lines.join('\n'));
  const moreLine = (left: number) =>
    `<font color="comment">另有 ${left} ${options.noun}${POINTERS[options.pointer]}。</font>`;
  const reserve = bytes(moreLine(total)) + 1;
  let shown = 0;
  for (const entry of entries) {
    if (shown >= options.limit) break;
    const cost = bytes(entry.join('\n')) + 1;
    const rest = total - shown - 1;
    if (used + cost + (rest > 0 ? reserve : 0) > SECTION_BYTES - (options.reserve ?? 0)) break;
    lines.push(...entry);
    used += cost;
    shown++;
  }
  if (shown < total) lines.push(moreLine(total - shown));
  return lines;
}

/**
 * Sections (each a list of lines) packed in order into markdown messages of at most `max` bytes,
 * a blank line between sections; a section never splits unless it alone is too long.
 */
export function packSections(sections: readonly string[][], max = MAX_CONTENT_BYTES): string[] {
  const messages: string[] = [];
  let current = '';
  for (const section of sections) {
    if (section.length === 0) continue;
    const text = section.join('\n');
    const joined = current ? `${current}\n\n${text}` : text;
    if (bytes(joined) <= max) {
      current = joined;
      continue;
    }
    if (current) messages.push(current);
    if (bytes(text) <= max) {
      current = text;
      continue;
    }
    const parts = splitContent(text, max);
    messages.push(...parts.slice(0, -1));
    current = parts.at(-1) ?? '';
  }
  if (current) messages.push(current);
  return messages;
}

const toMessages = (sections: readonly string[][]): OutMessage[] => packSections(sections).map(markdown);

// ---------------------------------------------------------------------------------------------------
// Pieces

const warn = (text: string) => `<font color="warning">${text}</font>`;
const comment = (text: string) => `<font color="comment">${text}</font>`;

/** `已办结 2 · 已提交待审 1 · 待办 3 · 逾期 2（其中逾期提交 1）` */
export function countsLine(counts: TaskCounts): string {
  const parts = [
    `已办结 ${counts.done}`,
    `已提交待审 ${counts.submitted}`,
    `待办 ${counts.pending}`,
    counts.overdue ? warn(`逾期 ${counts.overdue}`) : '逾期 0',
  ];
  const late = counts.lateSubmitted ? `（其中逾期提交 ${counts.lateSubmitted}）` : '';
  return `${parts.join(' · ')}${late}`;
}

function batchName(batch: BatchProgress): string {
  if (batch.noticeId !== null) return `通报《${plain(clip(batch.title, 30))}》`;
  return plain(clip(batch.title, 30));
}

/** `截止 2月24日，还剩1个工作日` (最早截止 … when extensions moved some of the batch). */
function batchDue(batch: BatchProgress, now: Date): string {
  const same = batch.earliestDeadline.getTime() === batch.latestDeadline.getTime();
  return `${same ? '' : '最早'}截止 ${shortDueDate(batch.earliestDeadline, now)}，${batch.view.remaining}`;
}

function batchEntry(batch: BatchProgress, now: Date): string[] {
  const kinds = batch.kinds.map((kind) => TASK_KIND_LABELS[kind]).join('、');
  return [
    `> **${taskRef(batch.firstTaskId)}起** ${batchName(batch)}（${kinds} · ${batch.counts.total} 项）`,
    `> ${countsLine(batch.counts)} · ${comment(batchDue(batch, now))}`,
  ];
}

/** The short name of each kind of open item under a red or yellow unit (`任务 2、留言 1`). */
export const FLAG_KIND_LABELS: Record<OpenItemKind, string> = {
  task: '任务',
  guestbook: '留言',
  'case-call': '案例征集',
  filing: '备案',
  domain: '域名申请',
  repost: '转载',
};

/** `任务 2`, `留言 1`, … in the order of the kinds above. */
export function flagKindParts(flag: Pick<UnitFlag, 'byKind'>): string[] {
  return (Object.keys(FLAG_KIND_LABELS) as OpenItemKind[])
    .filter((kind) => flag.byKind[kind])
    .map((kind) => `${FLAG_KIND_LABELS[kind]} ${flag.byKind[kind]}`);
}

/**
 * `> 逾期事项 5 项：任务 2、留言 1、案例征集 2`: the red units' items by kind, every open-item
 * source included (a new source shows here without a change), or nothing when none is overdue.
 */
export function overdueItemsLine(flags: readonly UnitFlag[]): string[] {
  const byKind: Partial<Record<OpenItemKind, number>> = {};
  let total = 0;
  for (const flag of flags) {
    for (const [kind, n] of Object.entries(flag.byKind) as [OpenItemKind, number][]) {
      byKind[kind] = (byKind[kind] ?? 0) + n;
      total += n;
    }
  }
  return total > 0 ? [`> 逾期事项 ${total} 项：${flagKindParts({ byKind }).join('、')}`] : [];
}

function kindsBreakdown(flag: UnitFlag): string {
  const parts = flagKindParts(flag);
  return parts.length > 1 ? `（${parts.join('、')}）` : '';
}

/** `> 张店区：3 项（任务 2、留言 1），已逾期4个工作日` */
function flagEntry(flag: UnitFlag): string[] {
  return [`> ${plain(flag.unitName)}：${flag.count} 项${kindsBreakdown(flag)}，${flag.view.remaining}`];
}

export function redSection(
  model: ProgressModel,
  pointer: MorePointer,
  limit: number = LIST_LIMITS.units,
): string[] {
  if (model.red.length === 0) return [`**${colourTag('red', '逾期单位')}**：无`];
  const items = model.red.reduce((sum, flag) => sum + flag.count, 0);
  return boundedSection(
    [`**${colourTag('red', '逾期单位')}**（${model.red.length} 个单位，${items} 项）`],
    model.red.map(flagEntry),
    { limit, noun: '个单位', pointer },
  );
}

export function yellowSection(
  model: ProgressModel,
  pointer: MorePointer,
  limit: number = LIST_LIMITS.units,
): string[] {
  if (model.yellow.length === 0) return [`**${colourTag('yellow', '临期单位')}**：无`];
  const items = model.yellow.reduce((sum, flag) => sum + flag.count, 0);
  return boundedSection(
    [
      `**${colourTag('yellow', '临期单位')}**（今天或下一个工作日截止，${model.yellow.length} 个单位，${items} 项）`,
    ],
    model.yellow.map(flagEntry),
    { limit, noun: '个单位', pointer },
  );
}

function caseCallEntry(call: CaseCallProgress, pointer: MorePointer): string[] {
  const lines = [
    `> **${call.ref}**《${plain(clip(call.title, 24))}》：达标 ${call.met}/${call.owing} 个单位，有效案例 ${call.counted} 个`,
    `> ${comment(call.closedAt ? closedLine(call) : deadlineLine(call.view))}`,
  ];
  if (call.short.length) {
    const shown = call.short.slice(0, LIST_LIMITS.shortUnits);
    const names = shown.map((unit) => `${plain(unit.unitName)} ${unit.counted}/${unit.quota}`).join('、');
    const more =
      call.short.length > shown.length
        ? `……另有 ${call.short.length - shown.length} 个单位${POINTERS[pointer]}`
        : '';
    const tag = call.closedAt
      ? '最终未达标'
      : call.view.colour === 'green'
        ? '未达标'
        : colourTag(call.view.colour, '未达标');
    lines.push(`> ${tag}：${names}${more}`);
  }
  return lines;
}

/** `已于 2023-03-20（周一）10:00 结束征集` for a closed call. */
export function closedLine(call: CaseCallProgress): string {
  return `已于 ${formatDateTime(call.closedAt!)} 结束征集`;
}

export function caseCallSection(model: ProgressModel, pointer: MorePointer): string[] {
  if (model.caseCalls.length === 0) return [];
  return boundedSection(
    ['**案例征集**'],
    model.caseCalls.map((call) => caseCallEntry(call, pointer)),
    { limit: LIST_LIMITS.batches, noun: '个征集', pointer },
  );
}

function atRiskEntry(item: AtRiskItem): string[] {
  return [
    `> ${colourTag(item.colour)} **${item.ref}** ${plain(item.unitName)} · ${plain(item.title)} · ${item.view.remaining}`,
  ];
}

function atRiskSection(heading: string, list: AtRiskList, pointer: MorePointer): string[] {
  if (list.red + list.yellow === 0) return [];
  const counts = [list.red ? warn(`逾期 ${list.red}`) : '', list.yellow ? `临期 ${list.yellow}` : '']
    .filter(Boolean)
    .join(' · ');
  // The model lists at most AT_RISK_ITEM_LIMIT items; the counts say how many there are in all.
  return boundedSection([`**${heading}**（${counts}）`], list.items.map(atRiskEntry), {
    limit: LIST_LIMITS.atRisk,
    noun: '条',
    pointer,
    total: list.red + list.yellow,
  });
}

export function guestbookSection(model: ProgressModel, pointer: MorePointer): string[] {
  return atRiskSection('网站找错留言', model.guestbook, pointer);
}

export function filingSection(model: ProgressModel, pointer: MorePointer): string[] {
  return atRiskSection('账号备案待确认', model.filings, pointer);
}

/** 网站巡检: open findings per unit (`> 高青县 3 项`), or nothing when there are none. */
export function patrolSection(model: ProgressModel, limit = 10, pointer = true): string[] {
  const patrol = model.patrol;
  if (!patrol?.open) return [];
  const shown = patrol.units.slice(0, limit).map((unit) => `> ${plain(unit.name)} ${unit.count} 项`);
  const more = patrol.units.length - shown.length;
  return [
    `**网站巡检未消除问题** ${patrol.open} 项`,
    ...shown,
    ...(more > 0 ? [comment(`另有 ${more} 个单位${pointer ? '，发送“巡检结果”查看' : ''}。`)] : []),
  ];
}

/** 进度 <单位>: the unit's open patrol findings, when there are any. */
function patrolUnitLine(detail: UnitDetail): string[] {
  return detail.patrolFindings
    ? [`网站巡检未消除问题 ${detail.patrolFindings} 项（发送“巡检结果”查看）`]
    : [];
}

/** `2026-03-20（周五）09:00` */
function stamp(now: Date): string {
  return formatDateTime(now);
}

function totalsLine(model: ProgressModel): string {
  if (model.batches.length === 0) return '目前没有未办结的任务。';
  return `未办结任务 ${model.batches.length} 批 ${model.totals.total} 项：${countsLine(model.totals)}`;
}

// ---------------------------------------------------------------------------------------------------
// Views

/** The board's link line, when the board is reachable (PUBLIC_BASE_URL is set). */
const boardLine = (url: string | undefined): string[] => (url ? [boardLinkLine(url)] : []);

/**
 * 进度 for supervisors: batches, red and yellow units, case calls, messages and filings at risk;
 * with `boardUrl`, a link to the progress board at the end.
 */
export function progressMessages(model: ProgressModel, boardUrl?: string): OutMessage[] {
  const head = [`**督办进度**${GAP}${stamp(model.now)}`, totalsLine(model)];
  const batches = model.batches.length
    ? boundedSection(
        ['**任务批次**'],
        model.batches.map((batch) => batchEntry(batch, model.now)),
        {
          limit: LIST_LIMITS.batches,
          noun: '批',
          pointer: 'export',
        },
      )
    : [];
  return toMessages([
    head,
    batches,
    redSection(model, 'export'),
    yellowSection(model, 'export'),
    caseCallSection(model, 'export'),
    guestbookSection(model, 'export'),
    filingSection(model, 'export'),
    patrolSection(model),
    [
      comment('发送“进度 单位名”查看单位详情，“催办 单位名”提醒联络员，“导出进度”获取完整表格。'),
      ...boardLine(boardUrl),
    ],
  ]);
}

/** 逾期: only the red and yellow lists. */
export function overdueMessages(model: ProgressModel): OutMessage[] {
  return toMessages([
    [`**逾期与临期**${GAP}${stamp(model.now)}`],
    redSection(model, 'export'),
    yellowSection(model, 'export'),
    [comment('发送“催办 单位名”或“催办 全部逾期”提醒联络员。')],
  ]);
}

function replyLine(item: DetailItem): string {
  const reply = item.lastReply;
  if (!reply) return '';
  return ` · 最近提交 ${formatDateTime(reply.at)} ${plain(reply.name)}：${plain(clip(reply.text, 20))}`;
}

/** `> 🔴逾期 **T12** 标题（待办）` and its deadline line. */
export function detailEntry(item: DetailItem): string[] {
  const tag = item.colour
    ? colourTag(item.colour)
    : item.awaiting === 'supervisor'
      ? comment('待审核')
      : comment('无期限');
  const due = item.view ? deadlineLine(item.view) : '无截止时间';
  return [
    `> ${tag} **${item.ref}** ${plain(clip(item.title, 40))}（${item.state}）`,
    `> ${comment(due + replyLine(item))}`,
  ];
}

/**
 * 进度 <单位> (and a liaison's 进度): every open item of one unit, with its liaisons; with
 * `boardUrl`, a link to the unit's page on the board at the end.
 */
export function unitDetailMessages(
  detail: UnitDetail,
  pointer: MorePointer,
  boardUrl?: string,
): OutMessage[] {
  const red = detail.items.filter((item) => item.colour === 'red').length;
  const yellow = detail.items.filter((item) => item.colour === 'yellow').length;
  const review = detail.items.filter((item) => item.awaiting === 'supervisor').length;
  if (detail.items.length === 0) {
    // A short plain answer (it rides the callback's response, no message to send).
    const names = detail.liaisons.map((person) => person.name).join('、') || '未登记';
    return [
      text(
        [
          `${plain(detail.unitName)}（${UNIT_KIND_LABELS[detail.unitKind]}）目前没有未办结的事项。`,
          ...patrolUnitLine(detail),
          `联络员：${names}`,
        ].join('\n'),
      ),
    ];
  }
  const liaisons = detail.liaisons.map((person) => plain(person.name)).join('、') || warn('未登记');
  const head = [
    `**${plain(detail.unitName)} 进度**（${UNIT_KIND_LABELS[detail.unitKind]}）`,
    `联络员：${liaisons}`,
    `未办结 ${detail.items.length} 项：${red ? warn(`逾期 ${red}`) : '逾期 0'} · 临期 ${yellow} · 待督办审核 ${review}`,
    ...patrolUnitLine(detail),
  ];
  // Items in their own sections, so that a long list breaks between items, never inside one.
  const shown = detail.items.slice(0, LIST_LIMITS.detailItems);
  const sections = [head, ...shown.map(detailEntry)];
  if (detail.items.length > shown.length) {
    sections.push([comment(`另有 ${detail.items.length - shown.length} 项${POINTERS[pointer]}。`)]);
  }
  sections.push(boardLine(boardUrl));
  return toMessages(sections);
}

/** 逾期 for one unit (a liaison's own, or 逾期 <单位>): its red and yellow items. */
export function unitOverdueMessages(detail: UnitDetail, now: Date): OutMessage[] {
  const urgent = detail.items.filter((item) => item.colour === 'red' || item.colour === 'yellow');
  if (urgent.length === 0) return [text(`${plain(detail.unitName)}目前没有逾期或临期的事项。`)];
  const head = [`**${plain(detail.unitName)} 逾期与临期**${GAP}${stamp(now)}`];
  const shown = urgent.slice(0, LIST_LIMITS.detailItems);
  const sections = [head, ...shown.map(detailEntry)];
  if (urgent.length > shown.length) {
    sections.push([comment(`另有 ${urgent.length - shown.length} 项${POINTERS['my-tasks']}。`)]);
  }
  const hints = urgeHints(urgent.filter((item) => item.awaiting === 'unit'));
  if (hints) sections.push([comment(hints)]);
  return toMessages(sections);
}

// ---------------------------------------------------------------------------------------------------
// 导出进度

export const TASK_SHEET_NAME = '任务明细';
export const UNIT_SHEET_NAME = '单位汇总';

export const TASK_COLUMNS: readonly SheetColumn[] = [
  { header: '序号', width: 7 },
  { header: '任务编号', width: 9 },
  { header: '单位', width: 18 },
  { header: '类型', width: 9 },
  { header: '标题', width: 36 },
  { header: '截止时间', width: 22 },
  { header: '状态', width: 18 },
  { header: '颜色', width: 7 },
  { header: '提交时间', width: 17 },
  { header: '审核时间', width: 17 },
  { header: '逾期工作日', width: 10 },
  { header: '审核人', width: 10 },
  { header: '办理情况（最新一次）', width: 60 },
];

/** A reply longer than a cell holds, cut (Excel keeps 32,767 characters in a cell). */
export function cutCellText(kept: string): string {
  return `${kept}……（未完）`;
}

export const UNIT_COLUMNS: readonly SheetColumn[] = [
  { header: '序号', width: 6 },
  { header: '单位', width: 20 },
  { header: '单位类型', width: 9 },
  { header: '任务数', width: 8 },
  { header: '已办结', width: 8 },
  { header: '已提交待审', width: 10 },
  { header: '待办', width: 8 },
  { header: '逾期', width: 8 },
  { header: '临期', width: 8 },
  { header: '逾期提交', width: 9 },
  { header: '最长逾期工作日', width: 13 },
  { header: '颜色', width: 7 },
];

export const WORKBOOK_CREATOR = '督办助手';
export const TOTAL_LABEL = '合计';

/** 督办进度-20260214.xlsx */
export const exportFileName = (day: string): string => `督办进度-${day}.xlsx`;
export const asOfText = (when: string): string => `截至 ${when}`;
export const taskSheetTitle = (asOf: string): string => `督办进度表（未办结批次的全部任务，${asOf}）`;
export const unitSheetTitle = (asOf: string): string => `各单位任务汇总（${asOf}）`;
export const unitCountText = (units: number): string => `${units} 个单位`;
/** The state as the sheet shows a late submission: 已提交待审（逾期提交）. */
export const lateSubmissionState = (state: string): string => `${state}（逾期提交）`;

/** Nothing to export: no batch is open, or the unit asked for has no task in the open ones. */
export function exportEmptyText(unitName?: string): string {
  return unitName
    ? `${plain(unitName)}在未办结的任务批次中没有任务，无需导出。`
    : '目前没有未办结的任务批次，无需导出。';
}

// ---------------------------------------------------------------------------------------------------
// 周报

/** The weekly summary a supervisor can forward as it is (no commands in it). */
export function weeklyReportMessages(model: ProgressModel): OutMessage[] {
  const activity = model.activity;
  const to = shanghaiDate(model.now);
  const head = [
    activity
      ? `**督办周报**${GAP}${formatDate(shanghaiDate(activity.from))}至${formatDate(to)}`
      : `**督办周报**${GAP}${formatDate(to)}`,
  ];
  const week = activity
    ? [
        '**本周动态**',
        `> 新下发任务 ${activity.tasksAssigned} 项（${activity.batchesAssigned} 批），收到办理情况 ${activity.replies} 次`,
        `> 审核通过 ${activity.approved} 项，退回 ${activity.returned} 项`,
        `> 网站找错留言：新收到 ${activity.guestbookReceived} 条，办结 ${activity.guestbookAnswered} 条`,
        `> 政务新媒体备案：新报备 ${activity.filingsSubmitted} 件，确认 ${activity.filingsConfirmed} 件`,
      ]
    : [];
  const now = [
    '**当前进度**',
    `> ${totalsLine(model)}`,
    `> 逾期单位 ${model.red.length} 个，临期单位 ${model.yellow.length} 个`,
    ...overdueItemsLine(model.red),
  ];
  if (model.guestbook.red + model.filings.red > 0) {
    now.push(`> 逾期留言 ${model.guestbook.red} 条，逾期未确认备案 ${model.filings.red} 件`);
  }
  return toMessages([
    head,
    week,
    now,
    redSection(model, 'none', 10),
    caseCallSection(model, 'none'),
    patrolSection(model, 10, false),
    [comment(`统计时间：${stamp(model.now)}`)],
  ]);
}

// ---------------------------------------------------------------------------------------------------
// 催办

const URGE_REFUSALS: { [K in UrgeRefusal['kind']]: (reason: Extract<UrgeRefusal, { kind: K }>) => string } = {
  'no-overdue': () => '目前没有逾期的单位，无需催办。',
  'unknown-unit': ({ name, suggestions }) =>
    `没有找到单位“${name}”。${suggestions.length ? `您是否要找 ${suggestions.join('、')}？` : ''}`,
  'unit-clear': ({ unitName }) => `${unitName}目前没有需要办理的事项，无需催办。`,
  'no-task': ({ ref }) => `没有找到任务 ${ref}。`,
  'task-done': ({ ref }) => `任务 ${ref} 已办结，无需催办。`,
  'task-submitted': ({ ref }) => `任务 ${ref} 已提交，正在等待督办人员审核，无需催办。`,
  'task-changed': ({ ref }) => `任务 ${ref} 的状态已变化，请发送“任务 ${ref}”查看。`,
  'no-message': ({ ref }) => `没有找到留言 ${ref}。`,
  'message-done': ({ ref }) => `留言 ${ref} 已办结，无需催办。`,
  'no-call': ({ ref }) => `没有找到${ref}。`,
  'call-closed': ({ ref }) => `${ref}已结束，无需催办。`,
  'call-met': ({ ref }) => `${ref}各单位均已达标，无需催办。`,
};

/** The supervisor's answer to 催办: why nothing was sent, or who was reminded. */
export function urgeAnswerText(answer: UrgeAnswer): string {
  if (answer.kind === 'refused') {
    const word = URGE_REFUSALS[answer.reason.kind] as (reason: UrgeRefusal) => string;
    return word(answer.reason);
  }
  const results = answer.results;
  const sent = results.filter((result) => result.sent.length > 0);
  const people = sent.reduce((sum, result) => sum + result.sent.length, 0);
  const again = results.filter((result) => result.sent.length === 0 && result.already > 0);
  const silent = results.filter((result) => result.noLiaison);
  const lines: string[] = [];
  if (results.length === 1 && sent.length === 1) {
    lines.push(
      `已催办 ${sent[0]!.subject}：已向联络员 ${sent[0]!.sent.join('、')} 发送提醒（${people} 人）。`,
    );
  } else if (sent.length > 0) {
    lines.push(`已催办 ${sent.length} 个单位，共提醒联络员 ${people} 人。`);
  } else {
    lines.push('没有发送新的提醒。');
  }
  if (again.length) {
    lines.push(`今天已催办过、不再重复发送：${again.map((result) => result.subject).join('、')}。`);
  }
  if (silent.length) {
    lines.push(`未登记联络员、无法提醒：${silent.map((result) => result.unitName).join('、')}。`);
  }
  return lines.join('\n');
}

/** The audit row of one reminder: whom (masked names) and how many items of which colour. */
export function urgeAuditDetail(
  subject: string,
  maskedNames: readonly string[],
  counts: { items: number; red: number; yellow: number },
): string {
  return (
    `催办 ${subject}：提醒联络员 ${maskedNames.join('、')}（${maskedNames.length} 人）；` +
    `事项 ${counts.items} 项，逾期 ${counts.red} 项，临期 ${counts.yellow} 项`
  );
}

/** The button on a unit's 催办 card: shows the clicker their unit's open items (their 进度). */
export const URGE_VIEW_KEY = 'urge:view';

/** How to act on each kind of item the card lists, in the words the bot understands. */
const URGE_HINTS: Partial<Record<DetailItem['kind'], string>> = {
  task: '“办理 T编号”提交办理情况',
  guestbook: '“留言办结 L编号 答复摘要”办结留言',
  'case-call': '“提交案例”提交典型案例',
  repost: '“转载 Z编号 链接”提交转载链接',
};

function urgeHints(items: readonly DetailItem[]): string {
  const hints = [...new Set(items.map((item) => URGE_HINTS[item.kind]).filter(Boolean))];
  return hints.length > 0 ? `发送${hints.join('，')}。` : '';
}

/** A card shows at most six rows (doc 90236): the most urgent items, and a count of the rest. */
const URGE_CARD_ROWS = 6;
const URGE_ROW_CHARS = 30;

/**
 * The reminder card a unit's liaisons get for 催办 <单位> / 全部逾期 / L5 / 征集2: the count, the
 * most urgent items, and a button that lists them all.
 */
export function urgeUnitCard(detail: UnitDetail, urger: string, personId: number): OutMessage {
  const items = detail.items.filter((item) => item.awaiting === 'unit');
  const red = items.filter((item) => item.colour === 'red').length;
  const shown = items.length > URGE_CARD_ROWS ? items.slice(0, URGE_CARD_ROWS - 1) : items;
  const rows = shown.map((item) => {
    const colour = item.colour ? COLOUR_LABELS[item.colour] : '无期限';
    const when = item.view?.remainingShort ?? item.state;
    // WeCom shows about 30 characters of a row's value: the title gets what the rest leaves.
    const room = Math.max(6, URGE_ROW_CHARS - colour.length - when.length - 2);
    return {
      keyname: item.ref,
      value: clip([colour, clip(item.title, room), when].join('·'), URGE_ROW_CHARS),
    };
  });
  if (items.length > shown.length)
    rows.push({ keyname: '其余', value: `另有 ${items.length - shown.length} 项` });
  const card: TemplateCard = {
    card_type: 'button_interaction',
    task_id: cardTaskId('urge-unit', detail.unitId, personId),
    // desc_color: 2 is red, 0 grey (doc 90236).
    source: { desc: CARD_SOURCE, desc_color: red ? 2 : 0 },
    main_title: { title: clip(`【督办提醒】${detail.unitName}`, 36), desc: `${clip(urger, 16)}催办` },
    emphasis_content: red
      ? { title: String(red), desc: `项已逾期（共 ${items.length} 项待办）` }
      : { title: String(items.length), desc: '项待办' },
    sub_title_text: `请尽快办理。${urgeHints(items)}`,
    horizontal_content_list: rows,
    button_list: [{ text: '查看本单位待办', style: 1, key: URGE_VIEW_KEY }],
  };
  return { type: 'card', card };
}

/** The card for 催办 T12: the task's own buttons, so the liaison can act from it. */
export function urgeTaskCard(
  item: DetailItem & { taskId: number },
  unitName: string,
  urger: string,
  personId: number,
): OutMessage {
  const card: TemplateCard = {
    card_type: 'button_interaction',
    task_id: cardTaskId('urge', item.taskId, personId),
    source: { desc: CARD_SOURCE, desc_color: 2 },
    main_title: {
      title: clip(`${item.ref} ${item.title}`, 36),
      desc: `督办提醒 · ${clip(urger, 16)}催办`,
    },
    horizontal_content_list: [
      { keyname: '责任单位', value: unitName },
      { keyname: '状态', value: item.state },
      ...(item.deadline
        ? [{ keyname: '截止时间', value: formatDeadlineMarked(item.deadline, item.estimated) }]
        : []),
      ...(item.view ? [{ keyname: '剩余', value: item.view.remainingShort }] : []),
    ],
    button_list: [
      { text: '提交办理情况', style: 1, key: `${TASK_KEYS.submit}:${item.taskId}` },
      { text: '申请延期', style: 2, key: `${TASK_KEYS.extend}:${item.taskId}` },
      { text: '查看详情', style: 2, key: `${TASK_KEYS.detail}:${item.taskId}` },
    ],
  };
  return { type: 'card', card };
}
