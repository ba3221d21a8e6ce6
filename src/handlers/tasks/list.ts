// 我的任务 (任务, 待办): the unit's open tasks, most urgent first; 任务 T12 / 查看详情: one task with
// its replies, reviews and extension requests (supervisors also get the latest reply's files).
import { In } from 'typeorm';
import { markdown, text, type OutMessage } from '../../messages/outbound.js';
import { Notice } from '../../entities/notice.js';
import { StoredFile } from '../../entities/stored-file.js';
import { compareUrgency } from '../../services/tasks/rules.js';
import { parseTaskRef, taskRef } from '../../services/tasks/text.js';
import {
  fullReplyParts,
  LIST_WORDS as L,
  REPLY_EXCERPT_CHARS,
  replyFileNote,
  replyTextFile,
  taskDetailMessage,
  taskListMessage,
  type TaskListRow,
} from '../../services/tasks/views.js';
import { findingsOfTask } from '../../services/patrol/service.js';
import { taskFindingsLines } from '../../services/patrol/views.js';
import {
  openTasks,
  personNames,
  saveReplyTextFile,
  taskHistory,
  tasksWithPendingExtension,
  unitNames,
} from '../../services/tasks/store.js';
import { pendingRepostsOfUnit, repostRef } from '../../services/reposts/store.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import {
  READ_ONLY_ARGS,
  ALL_ROLES,
  reply,
  type Command,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import { calendarOf, lookupTask } from './common.js';

async function listOpen(ctx: HandlerContext): Promise<HandlerResult> {
  const liaison = ctx.user.role === 'liaison';
  if (liaison && !ctx.user.topUnit) return reply(NO_UNIT_TEXT);
  // A liaison's unit's open reposts are its work too; read in the same packet as the tasks.
  const reposts = liaison ? await pendingRepostsOfUnit(ctx.tx, ctx.user.topUnit!.id) : undefined;
  const tasks = await openTasks(ctx.tx, liaison ? [ctx.user.topUnit!.id] : undefined);
  const pending = reposts ? await reposts() : { ids: [], total: 0 };
  const repostLine = pending.total > 0 ? L.reposts(pending.ids.map(repostRef), pending.total) : undefined;
  if (tasks.length === 0) {
    const none = liaison ? L.noneOfUnit(ctx.user.topUnit!.name) : L.none;
    return reply(repostLine ? `${none}\n${repostLine}` : none);
  }
  tasks.sort(compareUrgency);
  const [names, extensions, calendar] = await Promise.all([
    unitNames(ctx.tx, [...new Set(tasks.map((task) => task.unitId))]),
    tasksWithPendingExtension(
      ctx.tx,
      tasks.map((task) => task.id),
    ),
    calendarOf(ctx),
  ]);
  const rows: TaskListRow[] = tasks.map((task) => ({
    task,
    unitName: names.get(task.unitId) ?? '',
    extensionPending: extensions.has(task.id),
  }));
  const heading = liaison ? L.unitHeading(ctx.user.topUnit!.name) : L.allHeading;
  const footer = liaison ? L.liaisonFooter : L.footer;
  return {
    replies: [
      taskListMessage(calendar, heading, rows, ctx.now, { showUnit: !liaison, footer, note: repostLine }),
    ],
  };
}

/** The detail of one task, for whoever may see it. */
export async function showTask(ctx: HandlerContext, refText: string): Promise<HandlerResult> {
  const found = await lookupTask(ctx, refText, 'view');
  if (!found.ok) return reply(found.message);
  const { task } = found;
  const history = await taskHistory(ctx.tx, task.id);
  const fileIds = history.replies.flatMap((r) => r.fileIds);
  const people = [
    ...history.replies.map((r) => r.userid),
    ...history.reviews.map((r) => r.reviewer),
    ...history.extensions.flatMap((r) => [r.requestedBy, r.decidedBy ?? '']),
  ].filter(Boolean);
  const [calendar, names, units, notice, files] = await Promise.all([
    calendarOf(ctx),
    personNames(ctx.tx, people),
    unitNames(ctx.tx, [task.unitId]),
    task.noticeId ? ctx.tx.getRepository(Notice).findOneBy({ id: task.noticeId }) : Promise.resolve(null),
    fileIds.length
      ? ctx.tx
          .getRepository(StoredFile)
          .find({ select: { id: true, fileName: true }, where: { id: In(fileIds) } })
      : Promise.resolve([]),
  ]);
  const replies: OutMessage[] = [
    taskDetailMessage(
      calendar,
      {
        task,
        unitName: units.get(task.unitId) ?? '',
        notice,
        history,
        names,
        fileNames: new Map(files.map((file) => [file.id, file.fileName])),
      },
      ctx.now,
    ),
  ];
  // A task made from patrol findings (巡检下发) shows whether each is gone (已消除).
  const patrolLines = taskFindingsLines(await findingsOfTask(ctx.tx, task.id));
  if (patrolLines.length) replies.push(markdown(patrolLines.join('\n')));
  // The latest reply in full: in a few messages, or as a .txt file past REPLY_MAX_PARTS of them.
  const latest = history.replies.at(-1);
  if (latest && [...latest.text].length > REPLY_EXCERPT_CHARS) {
    const ref = taskRef(task.id);
    const submitter = names.get(latest.userid) ?? latest.userid;
    const parts = fullReplyParts(ref, latest, submitter);
    if (parts) replies.push(...parts.map(markdown));
    else {
      const file = replyTextFile(ref, task.title, latest, submitter);
      const fileId = await saveReplyTextFile(ctx.tx, file, ctx.user.userid, ctx.now);
      replies.push(text(replyFileNote(ref, [...latest.text].length)), { type: 'file', fileId });
    }
  }
  // Supervisors reviewing a submission need its files; liaisons sent them themselves.
  if (ctx.user.role !== 'liaison' && latest && task.status === 'submitted') {
    replies.push(...latest.fileIds.map((fileId): OutMessage => ({ type: 'file', fileId })));
  }
  return { replies };
}

export const myTasksCommand: Command = {
  name: '我的任务',
  readOnly: READ_ONLY_ARGS.task,
  // A liaison's list is one unit's open tasks; a supervisor's is the whole city's.
  light: ['liaison'],
  aliases: ['任务', '待办'],
  roles: ALL_ROLES,
  summary: '查看未办结任务；“任务 T编号”查看详情',
  usage: '我的任务 ｜ 任务 T编号',
  args: 'optional',
  group: '任务',
  handle: async (ctx) => {
    if (!ctx.args) return listOpen(ctx);
    if (!parseTaskRef(ctx.args)) return { replies: [text(L.usage)] };
    return showTask(ctx, ctx.args);
  },
};
