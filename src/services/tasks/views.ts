/**
 * How tasks read in chat: the cards liaisons and supervisors receive, the 我的任务 list, the
 * detail view and the reminder texts. Dates and remaining time come from calendar/deadline-text.ts so they
 * read the same as everywhere else.
 */
import {
  cardTaskId as recipientCardTaskId,
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
import { taskStateLabel, type ReminderStage } from './rules.js';
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
    { keyname: '剩余', value: view.remaining },
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
          value: `${formatDeadlineMarked(task.deadline, task.deadlineEstimated)}（${view.remaining}）`,
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
  options: { showUnit: boolean; limit?: number; footer?: string },
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
  for (const reply of history.replies) {
    const files = reply.fileIds.map((id) => memberText(detail.fileNames.get(id) ?? `文件${id}`));
    events.push({
      at: reply.submittedAt,
      text:
        `${formatDateTime(reply.submittedAt)} ${who(reply.userid)} 提交办理情况：\n${quoted(clip(reply.text, 300))}` +
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
