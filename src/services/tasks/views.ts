/**
 * How tasks read in chat: the cards liaisons and supervisors receive, the 我的任务 list, the
 * detail view and the reminder texts. Dates and remaining time come from calendar/deadline-text.ts so they
 * read the same as everywhere else.
 */
import {
  cardTaskId as recipientCardTaskId,
  MAX_CONTENT_BYTES,
  markdown,
  type OutMessage,
  type TemplateCard,
} from '../../messages/outbound.js';
import { memberText } from '../../messages/member-text.js';
import { EXTENSION_STATUS_LABELS, type ExtensionRequest } from '../../entities/extension-request.js';
import type { Notice } from '../../entities/notice.js';
import { TASK_KIND_LABELS, type Task } from '../../entities/task.js';
import type { TaskReply } from '../../entities/task-reply.js';
import { REVIEW_DECISION_LABELS, type TaskReview } from '../../entities/task-review.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import {
  colourTag,
  deadlineLine,
  formatDeadlineMarked,
  viewDeadline,
  type DeadlineView,
} from '../calendar/deadline-text.js';
import { deadlineDay, provisionalWarning } from '../calendar/deadlines.js';
import { taskStateLabel, type AccessRefusal, type ReminderStage, type TaskRefusal } from './rules.js';
import { NO_UNIT_TEXT } from '../shared/permissions.js';
import { clip, taskRef } from './text.js';
import { formatDateTime, formatDeadline, shanghaiDate } from '../calendar/time.js';
import type { TaskHistory } from './store.js';

export const CARD_SOURCE = '督办助手';

/** A member's text on one line of markdown. */
const oneLine = (value: string): string => memberText(value.replace(/\s+/g, ' '));

/** A member's text as a markdown quote, line by line (blank lines dropped). */
const quoted = (value: string): string => `> ${memberText(value).replace(/\n+/g, '\n> ')}`;

/** The ideographic space that separates fields on one line. */
const GAP = '\u3000';

/** Card button keys: the router matches the prefix, the rest are parameters. */
export const TASK_KEYS = {
  submit: 'task:submit',
  extend: 'task:extend',
  detail: 'task:detail',
  approve: 'task:approve',
  return: 'task:return',
  extApprove: 'task:ext-approve',
  extReject: 'task:ext-reject',
} as const;

/** The task_id of a task card for one person (by person id; see cardTaskId in messages.ts). */
export function cardTaskId(kind: string, rowId: number, personId: number): string {
  return recipientCardTaskId(kind, rowId, String(personId));
}

/** Why a provisional (预估) deadline is one, and that it will be recomputed. */
export function estimateNote(calendar: WorkCalendar, task: Pick<Task, 'assignedAt' | 'deadline'>): string {
  const years = calendar.uncoveredYears(shanghaiDate(task.assignedAt), deadlineDay(task.deadline));
  return years.length > 0
    ? provisionalWarning(years)
    : '下发时节假日安排尚未发布，期限为预估，已按正式安排重新计算前请以通知为准';
}

export interface TaskDeadlineText {
  view: DeadlineView;
  /** `2026-03-21（周六）24时截止，还剩1个工作日`; `…截止（预估），…` for an estimate. */
  line: string;
}

export function taskDeadlineText(
  calendar: WorkCalendar,
  task: Pick<Task, 'assignedAt' | 'deadline' | 'deadlineEstimated'>,
  now: Date,
): TaskDeadlineText {
  const view = viewDeadline(calendar, task.deadline, now, task.deadlineEstimated);
  return { view, line: deadlineLine(view) };
}

function taskButtons(taskId: number): NonNullable<TemplateCard['button_list']> {
  return [
    { text: '提交办理情况', style: 1, key: `${TASK_KEYS.submit}:${taskId}` },
    { text: '申请延期', style: 2, key: `${TASK_KEYS.extend}:${taskId}` },
    { text: '查看详情', style: 2, key: `${TASK_KEYS.detail}:${taskId}` },
  ];
}

function deadlineFields(
  calendar: WorkCalendar,
  task: Task,
  now: Date,
): NonNullable<TemplateCard['horizontal_content_list']> {
  const { view } = taskDeadlineText(calendar, task, now);
  return [
    { keyname: '截止时间', value: formatDeadlineMarked(task.deadline, task.deadlineEstimated) },
    { keyname: '剩余', value: view.remainingShort },
  ];
}

/** The card a unit's liaison gets for a new task. */
export function assignmentCard(
  calendar: WorkCalendar,
  task: Task,
  unitName: string,
  personId: number,
  now: Date,
): OutMessage {
  const card: TemplateCard = {
    card_type: 'button_interaction',
    task_id: cardTaskId('task', task.id, personId),
    source: { desc: CARD_SOURCE },
    main_title: {
      title: clip(`${taskRef(task.id)} ${task.title}`, 36),
      desc: `新任务 · ${TASK_KIND_LABELS[task.kind]}`,
    },
    sub_title_text: clip(task.detail, 120),
    horizontal_content_list: [
      { keyname: '任务编号', value: taskRef(task.id) },
      { keyname: '责任单位', value: unitName },
      ...deadlineFields(calendar, task, now),
    ],
    button_list: taskButtons(task.id),
  };
  if (task.deadlineEstimated) card.quote_area = { type: 0, quote_text: estimateNote(calendar, task) };
  return { type: 'card', card };
}

/** The card a unit's liaison gets when a reply is returned (退回): the reason, and the same buttons. */
export function returnedCard(
  calendar: WorkCalendar,
  task: Task,
  unitName: string,
  reason: string,
  personId: number,
  now: Date,
): OutMessage {
  return {
    type: 'card',
    card: {
      card_type: 'button_interaction',
      task_id: cardTaskId('ret', task.id, personId),
      source: { desc: CARD_SOURCE, desc_color: 2 },
      main_title: {
        title: clip(`${taskRef(task.id)} ${task.title}`, 36),
        desc: '办理情况被退回，请修改后重新提交',
      },
      quote_area: { type: 0, title: '退回理由', quote_text: clip(reason, 200) },
      horizontal_content_list: [
        { keyname: '责任单位', value: unitName },
        ...deadlineFields(calendar, task, now),
      ],
      button_list: taskButtons(task.id),
    },
  };
}

/** The card every supervisor of the task gets when a liaison submits. */
export function reviewCard(
  calendar: WorkCalendar,
  task: Task,
  unitName: string,
  reply: TaskReply,
  submitter: string,
  personId: number,
  now: Date,
): OutMessage {
  const { view } = taskDeadlineText(calendar, task, now);
  return {
    type: 'card',
    card: {
      card_type: 'button_interaction',
      task_id: cardTaskId('rev', reply.id, personId),
      source: { desc: CARD_SOURCE },
      main_title: {
        title: clip(`待审核 ${taskRef(task.id)} ${task.title}`, 36),
        desc: `${unitName} · ${submitter}提交`,
      },
      quote_area: { type: 0, title: '办理情况', quote_text: clip(reply.text, 200) },
      horizontal_content_list: [
        { keyname: '责任单位', value: unitName },
        { keyname: '提交时间', value: formatDateTime(reply.submittedAt) },
        { keyname: '附件', value: `${reply.fileIds.length}个` },
        {
          keyname: '截止时间',
          value: `${formatDeadlineMarked(task.deadline, task.deadlineEstimated)}（${view.remainingShort}）`,
        },
      ],
      button_list: [
        { text: '通过', style: 1, key: `${TASK_KEYS.approve}:${task.id}:${reply.id}` },
        { text: '退回', style: 3, key: `${TASK_KEYS.return}:${task.id}:${reply.id}` },
        { text: '查看详情', style: 2, key: `${TASK_KEYS.detail}:${task.id}` },
      ],
    },
  };
}

/** The card every supervisor of the task gets for an extension request. */
export function extensionCard(
  task: Task,
  unitName: string,
  request: ExtensionRequest,
  requester: string,
  personId: number,
): OutMessage {
  return {
    type: 'card',
    card: {
      card_type: 'button_interaction',
      task_id: cardTaskId('ext', request.id, personId),
      source: { desc: CARD_SOURCE },
      main_title: {
        title: clip(`延期申请 ${taskRef(task.id)} ${task.title}`, 36),
        desc: `${unitName} · ${requester}申请`,
      },
      quote_area: { type: 0, title: '申请理由', quote_text: clip(request.reason, 200) },
      horizontal_content_list: [
        { keyname: '原截止', value: formatDeadline(request.previousDeadline) },
        {
          keyname: '申请延至',
          value: formatDeadlineMarked(request.requestedDeadline, request.requestedEstimated),
        },
      ],
      button_list: [
        { text: '同意', style: 1, key: `${TASK_KEYS.extApprove}:${request.id}` },
        { text: '拒绝', style: 3, key: `${TASK_KEYS.extReject}:${request.id}` },
        { text: '查看详情', style: 2, key: `${TASK_KEYS.detail}:${task.id}` },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Lists and detail

export interface TaskListRow {
  task: Task;
  unitName: string;
  extensionPending: boolean;
}

/** One task as a list entry: colour, id, title, then deadline and state. */
function listEntry(calendar: WorkCalendar, row: TaskListRow, now: Date, showUnit: boolean): string[] {
  const { task } = row;
  const { view, line } = taskDeadlineText(calendar, task, now);
  const state = [taskStateLabel(task), row.extensionPending ? '延期申请中' : ''].filter(Boolean).join('，');
  const unit = showUnit ? `${memberText(row.unitName)} · ` : '';
  return [
    `${colourTag(view.colour)} **${taskRef(task.id)}** ${oneLine(task.title)}`,
    `> ${unit}${line} · ${state}`,
  ];
}

export function taskListMessage(
  calendar: WorkCalendar,
  heading: string,
  rows: TaskListRow[],
  now: Date,
  options: { showUnit: boolean; limit?: number; footer?: string; note?: string },
): OutMessage {
  const limit = options.limit ?? 30;
  const lines = [`**${heading}**`];
  const overdue = rows.filter((row) => row.task.status === 'pending' && row.task.deadline <= now).length;
  lines.push(
    `共 ${rows.length} 项${overdue ? `，其中 <font color="warning">逾期 ${overdue} 项</font>` : ''}`,
  );
  for (const row of rows.slice(0, limit)) lines.push('', ...listEntry(calendar, row, now, options.showUnit));
  if (rows.length > limit)
    lines.push('', `<font color="comment">另有 ${rows.length - limit} 项未列出。</font>`);
  if (options.note) lines.push('', options.note);
  if (options.footer) lines.push('', `<font color="comment">${options.footer}</font>`);
  return markdown(lines.join('\n'));
}

export interface TaskDetail {
  task: Task;
  unitName: string;
  notice: Notice | null;
  history: TaskHistory;
  names: Map<string, string>;
  fileNames: Map<number, string>;
}

/** Everything about one task: requirement, deadline, and its replies, reviews and extensions. */
export function taskDetailMessage(calendar: WorkCalendar, detail: TaskDetail, now: Date): OutMessage {
  const { task, history, names } = detail;
  const who = (userid: string | null) => (userid ? memberText(names.get(userid) ?? userid) : '');
  const { view, line } = taskDeadlineText(calendar, task, now);
  const lines = [
    `**${taskRef(task.id)} ${oneLine(task.title)}**`,
    `类型：${TASK_KIND_LABELS[task.kind]}${GAP}单位：${memberText(detail.unitName)}`,
    `状态：${taskStateLabel(task)}${task.status === 'done' ? '' : `${GAP}${colourTag(view.colour)}`}`,
    `截止：${line}`,
  ];
  if (detail.notice) lines.push(`来源：通报《${oneLine(clip(detail.notice.title, 60))}》`);
  if (task.status === 'pending' && task.returnReason) lines.push(`退回理由：${oneLine(task.returnReason)}`);
  lines.push('', '**要求**', quoted(clip(task.detail, 600)));

  const events: { at: Date; text: string }[] = [];
  const latest = history.replies.at(-1);
  for (const reply of history.replies) {
    const files = reply.fileIds.map((id) => memberText(detail.fileNames.get(id) ?? `文件${id}`));
    const length = [...reply.text].length;
    // The latest reply follows in full (fullReplyParts); older ones are summed up here.
    const more =
      length > REPLY_EXCERPT_CHARS
        ? `\n<font color="comment">（共 ${length} 字${reply === latest ? '，全文见下' : ''}）</font>`
        : '';
    events.push({
      at: reply.submittedAt,
      text:
        `${formatDateTime(reply.submittedAt)} ${who(reply.userid)} 提交办理情况：\n${quoted(clip(reply.text, REPLY_EXCERPT_CHARS))}` +
        more +
        (files.length ? `\n> 附件：${files.join('、')}` : ''),
    });
  }
  for (const review of history.reviews) events.push({ at: review.reviewedAt, text: reviewLine(review, who) });
  for (const request of history.extensions) {
    events.push({
      at: request.requestedAt,
      text:
        `${formatDateTime(request.requestedAt)} ${who(request.requestedBy)} 申请延期至 ${formatDeadlineMarked(request.requestedDeadline, request.requestedEstimated)}` +
        `（${EXTENSION_STATUS_LABELS[request.status]}${request.decidedBy ? `，${who(request.decidedBy)}` : ''}` +
        `${request.decisionReason ? `：${oneLine(request.decisionReason)}` : ''}）：${oneLine(clip(request.reason, 100))}`,
    });
  }
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  lines.push('', '**办理记录**');
  if (events.length === 0) lines.push('<font color="comment">暂无</font>');
  for (const event of events) lines.push(event.text);
  return markdown(lines.join('\n'));
}

/** How much of a reply the detail view quotes; the latest reply's whole text follows it. */
export const REPLY_EXCERPT_CHARS = 300;
/** The whole reply goes in at most this many messages; longer, it is sent as a .txt file. */
export const REPLY_MAX_PARTS = 6;

const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/** A paragraph cut where a sentence ends, and a sentence longer than `fits` allows by characters. */
function pieces(line: string, fits: (piece: string) => boolean): string[] {
  const out: string[] = [];
  for (const sentence of line.split(/(?<=[。！？；!?;])/u)) {
    if (fits(sentence)) {
      out.push(sentence);
      continue;
    }
    let piece = '';
    for (const char of sentence) {
      if (piece !== '' && !fits(piece + char)) {
        out.push(piece);
        piece = '';
      }
      piece += char;
    }
    if (piece) out.push(piece);
  }
  return out;
}

/**
 * A reply's whole text as messages of at most `maxBytes` (WeCom's cap), each headed with the task,
 * who sent it and when, and its number (2/4); paragraphs are kept, a paragraph longer than a
 * message is cut where a sentence ends. Each part is neutralised on its own (member markup never
 * becomes a link, a heading or a colour, a part starting mid-paragraph included). Null when it
 * would take more than REPLY_MAX_PARTS messages: then it goes as a file (replyTextFile).
 */
export function fullReplyParts(
  ref: string,
  reply: Pick<TaskReply, 'text' | 'submittedAt'>,
  submitter: string,
  maxBytes = MAX_CONTENT_BYTES,
): string[] | null {
  const heading = (i: number, n: number) =>
    `**${ref} 办理情况全文（${i}/${n}）**\u3000${memberText(submitter)} ${formatDateTime(reply.submittedAt)} 提交`;
  const budget = maxBytes - utf8Bytes(heading(REPLY_MAX_PARTS, REPLY_MAX_PARTS)) - 1;
  const fits = (candidate: string) => utf8Bytes(memberText(candidate)) <= budget;
  const parts: string[] = [];
  let current = '';
  const lines = reply.text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((line) => line.trim() !== '');
  for (const line of lines) {
    pieces(line, fits).forEach((piece, i) => {
      // A paragraph's first piece starts a line; the others continue it.
      const candidate = current === '' ? piece : `${current}${i === 0 ? '\n' : ''}${piece}`;
      if (fits(candidate)) {
        current = candidate;
        return;
      }
      parts.push(current);
      current = piece;
    });
    if (parts.length > REPLY_MAX_PARTS) return null;
  }
  if (current) parts.push(current);
  if (parts.length > REPLY_MAX_PARTS) return null;
  return parts.map((part, i) => `${heading(i + 1, parts.length)}\n${memberText(part)}`);
}

/** The reply as a text file (UTF-8 with a BOM and CRLF lines, so that Notepad and WPS open it right). */
export function replyTextFile(
  ref: string,
  title: string,
  reply: Pick<TaskReply, 'text' | 'submittedAt'>,
  submitter: string,
): { fileName: string; data: Buffer } {
  const body = [
    `${ref} ${title}`,
    `办理情况（${formatDateTime(reply.submittedAt)} ${submitter}提交，共 ${[...reply.text].length} 字）`,
    '',
    reply.text.replace(/\r\n?/g, '\n'),
  ].join('\n');
  const day = shanghaiDate(reply.submittedAt).replace(/-/g, '');
  return {
    fileName: `${ref}-办理情况-${day}.txt`,
    data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body.replace(/\n/g, '\r\n'), 'utf8')]),
  };
}

/** Said before the reply's file. */
export function replyFileNote(ref: string, chars: number): string {
  return `${ref} 的办理情况共 ${chars} 字，全文以文件发送。`;
}

function reviewLine(review: TaskReview, who: (userid: string) => string): string {
  const decision = REVIEW_DECISION_LABELS[review.decision];
  const colour = review.decision === 'approve' ? 'info' : 'warning';
  return (
    `${formatDateTime(review.reviewedAt)} ${who(review.reviewer)} 审核<font color="${colour}">${decision}</font>` +
    (review.reason ? `：${oneLine(review.reason)}` : '')
  );
}

// ---------------------------------------------------------------------------------------------------
// Reminders

/** Reminders of one stage for many tasks of a unit, in one message (at most 15 listed). */
export function combinedReminderMessage(
  calendar: WorkCalendar,
  tasks: Task[],
  unitName: string,
  stage: ReminderStage,
  now: Date,
): OutMessage {
  const heading =
    stage === 'overdue'
      ? colourTag('red', `${tasks.length} 项任务已逾期`)
      : stage === 'deadline-day'
        ? colourTag('yellow', `${tasks.length} 项任务今日截止`)
        : colourTag('yellow', `${tasks.length} 项任务即将截止`);
  const lines = [`${heading}（${memberText(unitName)}）`];
  for (const task of tasks.slice(0, 15)) {
    lines.push(
      `> **${taskRef(task.id)}** ${oneLine(task.title)} · ${taskDeadlineText(calendar, task, now).view.remaining}`,
    );
  }
  if (tasks.length > 15) lines.push(`> ……另有 ${tasks.length - 15} 项`);
  lines.push('', '发送“我的任务”查看全部，“办理 T编号”提交办理情况。');
  return markdown(lines.join('\n'));
}

export function reminderMessage(
  calendar: WorkCalendar,
  task: Task,
  unitName: string,
  stage: ReminderStage,
  now: Date,
): OutMessage {
  const { view, line } = taskDeadlineText(calendar, task, now);
  const heading =
    stage === 'overdue'
      ? `${colourTag('red', '任务已逾期')}`
      : stage === 'deadline-day'
        ? `${colourTag('yellow', '任务今日截止')}`
        : `${colourTag(view.colour, '任务即将截止')}`;
  const lines = [
    `${heading} **${taskRef(task.id)}** ${oneLine(task.title)}`,
    `单位：${memberText(unitName)}`,
    `截止：${line}`,
  ];
  if (task.returnReason && task.returnedAt) lines.push(`退回理由：${oneLine(task.returnReason)}`);
  lines.push(
    '',
    `请发送“办理 ${taskRef(task.id)}”提交办理情况；如需延期，发送“延期 ${taskRef(task.id)} <理由>”。`,
  );
  return markdown(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------------
// Dialog words: 通报

/** What 通报 says, in one place. */
export const NOTICE_WORDS = {
  askBody: '请发送通报全文（文字），或上传通报的 .docx / .txt 文件。发送“取消”放弃。',
  bodyHint: '请发送通报全文，或上传 .docx / .txt 文件',
  tooShort: '通报内容太短，请发送通报全文，或上传 .docx / .txt 文件。',
  notAFile: '请发送通报全文（文字），或上传 .docx / .txt 文件。',
  reviewHint: '请修改拟下发事项后回复“确认”下发',
  /** How each item is edited (the last line, the one confirmation wording, is the kit's). */
  editHelp:
    '修改：“标题 1 新标题”“要求 1 新要求”“截止 1 3月25日”（或“截止 全部 3月25日”）“单位 1 全部区县、高新区”“类型 1 整改”“配额 2 区县5 市直部门1”“字数 2 150”“删除 1”“新增 任务标题”。',
  nothingFound:
    '正文中没有找到需要办理的事项（如“于3月21日前”）。可发送“新增 任务标题”添加任务，或“取消”结束。',
  noneLeft: '目前没有拟下发的任务，可发送“新增 任务标题”添加。',
  nothingToSend: '没有要下发的任务。可发送“新增 任务标题”添加，或“取消”结束。',
  kindRetry: '类型可以是：整改、落实情况、案例征集、自定义。',
  casesOnly: (field: string, n: number) => `第 ${n} 项不是案例征集，不能设置${field}。`,
  maxCharsRetry: '字数请写 20 到 2000 之间的数字，如“字数 2 150”。',
  saved: (title: string) => `已保存通报《${title}》。`,
  clipped: (max: number, hasFile: boolean) =>
    `<font color="comment">正文超过 ${max} 字，只保存了前 ${max} 字${hasFile ? '（原文件已完整保存）' : ''}；事项已按全文查找。</font>`,
  found: (count: number) => `从正文中找到 ${count} 项需要办理的事项，拟下发如下：`,
  added: (n: number) => `已新增第 ${n} 项，请设置截止时间。`,
  deleted: (n: number) => `已删除第 ${n} 项。`,
  changed: (n: number) => `已修改第 ${n} 项。`,
  changedAll: (count: number) => `已修改全部 ${count} 项的截止时间。`,
  /** After 否 to 是指明年的…吗 (`edit`: 截止 3 / 截止 全部). */
  yearDeclined: (edit: string) => `好的，请重新输入“${edit} 日期”，写明年份。`,
  listAll: '回复“查看”列出全部事项；继续修改请发送如“截止 1 3月25日”。',
  listing: (count: number) => `拟下发 ${count} 项：`,
  whichOne: (field: string, count: number) => `请写明序号（1 到 ${count}），如“${field} 1 …”。`,
  emptyValue: (field: string, n: number) => `请在“${field} ${n}”后写上新的内容。`,
  missingDeadline: (numbers: number[]) =>
    `第 ${numbers.join('、')} 项的截止时间未设置或已过，请先发送“截止 序号 日期”。`,
  missingUnits: (n: number) => `第 ${n} 项没有责任单位，请发送“单位 ${n} 单位名称”。`,
  deadlinePassed: (n: number) => `已过（请发送“截止 ${n} 日期”重新设置）`,
  deadlineUnset: '未设置（请发送“截止 序号 日期”）',
  casesUnits: (quotas: string, maxChars: number | null) =>
    `单位：按配额征集（${quotas}${maxChars ? `，每个案例${maxChars}字以内` : ''}），确认后发起案例征集`,
  summaryPrefix: (title: string) => `通报《${title}》：`,
  issuer: (issuer: string) => `发文单位：${issuer}`,
  issuedOn: (date: string) => `日期：${date}`,
  deadlineLine: (deadline: string) => `截止：${deadline}`,
  unitsLine: (label: string) => `单位：${label}`,
  allUnits: (count: number) => `全部单位（${count}个）`,
  someUnits: (names: string) => `${names}等`,
  unitsCount: (label: string, count: number) => `${label}（${count}个）`,
} as const;

// ---------------------------------------------------------------------------------------------------
// Dialog words: 办理 (the reply), 退回 and 延期 reasons

/** What the reply dialog says, in one place. */
export const REPLY_WORDS = {
  /** The words that end the reply (完成 too, the kit's word for every file collection). */
  doneWords: ['提交', '提交办理情况'] as readonly string[],
  /** How the reply is called in the attachment cap's refusal. */
  collection: '本次办理',
  start: (ref: string, title: string, deadline: string) =>
    `请发送 ${ref}「${title}」的办理情况（截止 ${deadline}）。`,
  how: '可分多条发送文字，也可发送文件或图片；全部发送后回复“提交”，回复“取消”放弃。',
  lastReturn: (reason: string) => `上次退回理由：${reason}`,
  hint: '请发送办理情况文字、文件或图片，全部发送后回复“提交”',
  confirmHint: '请回复“确认”提交，或重新发送办理情况文字',
  progress: (texts: number, files: number) =>
    `已记录（文字${texts}段，附件${files}个）。可继续发送文字、文件或图片，全部发送后回复“提交”。`,
  fileAtConfirm: '已收到附件。请回复“确认”提交，或重新发送办理情况文字。',
  pieceBlocked: '这条消息未记录，请删除或脱敏后重新发送。',
  tooLong: (max: number) =>
    `办理情况文字将超过 ${max} 字，这条消息未记录。请精简，或将详细材料以文件形式发送。`,
  replacementTooLong: (max: number) => `办理情况文字不能超过 ${max} 字，请精简。`,
  noText: '请先发送办理情况文字，再回复“提交”。',
  resend: '请重新发送完整的办理情况文字（将替换之前的文字，已收到的附件保留），然后回复“提交”。',
  replaced: '已更新办理情况文字。可继续补充，全部发送后回复“提交”。',
  submitted: (ref: string, files: number) => `已提交 ${ref} 的办理情况（附件${files}个），等待督办人员审核。`,
  goOn: (ref: string) => `请继续发送 ${ref} 的办理情况，全部发送后回复“提交”。`,
} as const;

/** What the reason dialogs (退回, 延期 decisions) and the extension request say. */
export const REASON_WORDS = {
  hint: '请输入理由（文字）',
  label: '理由',
  returnAsk: (ref: string) => `请输入退回 ${ref} 的理由（将发送给该单位联络员），发送“取消”放弃：`,
  extensionHint: '请说明申请延期的理由',
  extensionLabel: '延期理由',
  extensionAsk: (ref: string, title: string) => `申请 ${ref}「${title}」延期：请说明理由（发送“取消”放弃）：`,
  deadlineAsk: (current: string, examples: string) => `${current}请输入申请延期至的时间，如 ${examples}：`,
  deadlineHint: (examples: string) => `请输入申请延期至的时间（如 ${examples}）`,
  currentDeadline: (deadline: string) => `当前截止：${deadline}。`,
  goOn: (ref: string) => `请继续填写 ${ref} 的延期申请。`,
} as const;

// ---------------------------------------------------------------------------------------------------
// Refusals

/** Why a member may not do this with a task (rules.ts checkTaskAccess). */
export function accessRefusalText(refusal: { reason: AccessRefusal; ref: string | null }): string {
  const ref = refusal.ref ?? '';
  switch (refusal.reason) {
    case 'unknown':
      return `没有找到${refusal.ref ? `任务 ${ref}` : '该任务'}，请发送“我的任务”查看本单位的任务。`;
    case 'no-unit':
      return NO_UNIT_TEXT;
    case 'not-unit':
      return `任务 ${ref} 不是本单位的任务，无法办理。`;
    case 'closed':
      return `任务 ${ref} 已办结，无需再操作。`;
    case 'submitted':
      return `任务 ${ref} 已提交，正在等待督办人员审核；如被退回会通知您。`;
  }
}

/** Why a change to a task or its extension request was not made (the services' outcomes). */
export function taskRefusalText(refusal: TaskRefusal): string {
  switch (refusal.kind) {
    case 'task-missing':
      return `没有找到任务 ${refusal.ref}。`;
    case 'submit-closed':
      return `任务 ${refusal.ref} 已办结，无需再提交。`;
    case 'submit-waiting':
      return `任务 ${refusal.ref} 已提交，正在等待督办人员审核；如被退回会通知您。`;
    case 'reason-missing':
      return `请填写退回理由：审核 ${refusal.ref} 退回 <理由>`;
    case 'review-closed':
      return `任务 ${refusal.ref} 已办结，无需再审核。`;
    case 'review-returned':
      return `任务 ${refusal.ref} 已退回，正在等待单位重新提交。`;
    case 'review-not-submitted':
      return `任务 ${refusal.ref} 尚未提交办理情况，暂时无法审核。`;
    case 'review-changed':
      return `任务 ${refusal.ref} 的状态已变化，请发送“任务 ${refusal.ref}”查看后再操作。`;
    case 'review-stale-card':
      return `这张审核卡片对应的是任务 ${refusal.ref} 较早的一次提交，请以最新提交为准（发送“任务 ${refusal.ref}”查看）。`;
    case 'extension-closed':
      return `任务 ${refusal.ref} 已办结，无需申请延期。`;
    case 'extension-pending':
      return `任务 ${refusal.ref} 已有待审批的延期申请（申请延至 ${formatDeadline(refusal.requested)}），请等待督办人员处理。`;
    case 'extension-not-later':
      return `申请的截止时间应晚于当前截止时间（${formatDeadline(refusal.current)}），请重新输入。`;
    case 'extension-missing':
      return '没有找到该延期申请。';
    case 'extension-decided':
      return refusal.status
        ? `任务 ${refusal.ref} 的这次延期申请已处理（${refusal.status === 'approved' ? '已同意' : '已拒绝'}）。`
        : `任务 ${refusal.ref} 的这次延期申请已处理。`;
    case 'extension-task-done':
      return `任务 ${refusal.ref} 已办结，无需延期；可回复“延期 ${refusal.ref} 拒绝”关闭该申请。`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Dialog words: 下发任务, decisions, lists

/** What 下发任务 says (the exemplar dialog). */
export const ASSIGN_WORDS = {
  start: (menu: string) => `下发任务（随时发送“取消”退出）。\n请选择任务类型（回复序号或名称）：${menu}`,
  kindHint: '请选择任务类型（回复序号或名称）',
  kindAsk: (menu: string) => `请选择任务类型（回复序号或名称）：${menu}`,
  titleHint: '请发送任务标题',
  titleAsk: '请输入任务标题：',
  titleEdit: '请输入新的任务标题：',
  detailHint: '请发送任务要求',
  detailAsk: '请输入任务要求（具体要做什么、报送什么）：',
  detailEdit: '请输入新的任务要求：',
  unitsHint: '请发送责任单位（如 全部区县、高青县）',
  unitsAsk:
    '请输入责任单位：名称之间用“、”“，”或空格分隔；也可以写 全部区县 / 全部功能区 / 全部市直部门 / 全部单位。',
  unitsRetry: '请改正后重新输入全部单位。',
  deadlineHint: (examples: string) => `请发送截止时间（如 ${examples}）`,
  deadlineAsk: (examples: string) => `请输入截止时间，如 ${examples}。`,
  deadlinePassed: (ask: string) => `截止时间已过，请重新输入。${ask}`,
  previewHeading: '**请确认下发任务**',
  silentUnits: (names: string) =>
    `<font color="warning">以下单位暂无联络员，任务会建立但无人收到通知：${names}</font>`,
  previewFooter: '每个单位各建一项任务，并向其联络员发送任务卡片。',
  created: (heading: string, count: number, listed: string) => `${heading}已下发 ${count} 项任务：${listed}`,
  createdByTitle: (title: string, units: number, ranges: string) =>
    `> 《${title}》${units} 个单位：${ranges}`,
  createdFooter: '<font color="comment">发送“任务 T编号”查看详情，“我的任务”查看全部未办结任务。</font>',
} as const;

/** What 审核 and the 延期 decisions say. */
export const DECISION_WORDS = {
  reviewUsage: '审核 T编号 通过 ｜ 审核 T编号 退回 <理由>',
  usage: (usage: string) => `用法：${usage}`,
  approved: (ref: string, unit: string) => `已审核通过 ${ref}（${unit}），任务已办结。`,
  approvedNotice: (ref: string, title: string) =>
    `任务 ${ref}「${memberText(title)}」的办理情况已审核通过，任务已办结。`,
  returned: (ref: string, unit: string, told: boolean) =>
    `已退回 ${ref}（${unit}），${told ? '已通知联络员' : '该单位暂无联络员，未能通知'}。`,
  liaisonUsage: '延期 T编号 <理由>',
  supervisorUsage: '延期 T编号 同意|拒绝 [理由]',
  noPendingExtension: (ref: string) => `任务 ${ref} 没有待审批的延期申请。`,
  extensionRequested: (ref: string, deadline: string, warning: string | null) =>
    `已提交延期申请：${ref} 申请延至 ${deadline}，等待督办人员审批。${warning ? `\n${warning}` : ''}`,
  extensionDecided: (approve: boolean, ref: string, unit: string) =>
    `已${approve ? '同意' : '拒绝'} ${ref}（${unit}）的延期申请。`,
  extensionNotice: (approve: boolean, ref: string, title: string, reason: string | null, line: string) => {
    const why = reason ? `（${memberText(reason)}）` : '';
    return approve
      ? `任务 ${ref}「${memberText(title)}」的延期申请已同意${why}。新的截止时间：${line}。`
      : `任务 ${ref}「${memberText(title)}」的延期申请未获同意${why}，截止时间不变：${line}。`;
  },
} as const;

/** What 我的任务 says. */
export const LIST_WORDS = {
  noneOfUnit: (unit: string) => `${unit}目前没有未办结的任务。`,
  none: '目前没有未办结的任务。',
  unitHeading: (unit: string) => `${memberText(unit)} 未办结任务`,
  allHeading: '全部未办结任务',
  liaisonFooter: '发送“办理 T编号”提交办理情况，“任务 T编号”查看详情。',
  /** The unit's reposts still to answer: `另有转载任务 2 项待提交链接：Z3、Z5（…）` */
  reposts: (refs: readonly string[], total: number) =>
    `另有转载任务 ${total} 项待提交链接：${refs.join('、')}${total > refs.length ? ' 等' : ''}（发送“转载 Z编号 链接”提交，“转载进度”查看）。`,
  footer: '发送“任务 T编号”查看详情。',
  usage: '用法：我的任务 ｜ 任务 T编号（如 任务 T12）',
} as const;

/** What a task card's clicked button reads once the click is handled, and the buttons' names. */
export const BUTTON_WORDS = {
  submit: '提交办理情况',
  extend: '申请延期',
  detail: '查看详情',
  approve: '通过',
  return: '退回',
  extApprove: '同意',
  extReject: '拒绝',
  done: '已办结',
  handled: '已处理',
  submitted: '已提交',
  extending: '申请延期中',
  approved: '已通过',
  returning: '退回中',
  extApproved: '已同意',
  extRejected: '已拒绝',
} as const;
