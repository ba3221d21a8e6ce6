// Which of a unit's tasks its 落实情况 document covers (导出本单位): the batches the status model
// counts as open for the unit (model.ts, one definition for every view), or the batch of one task
// the unit names; each with its tasks' replies, dates and attachments' names.
import { In, type EntityManager } from 'typeorm';
import { Notice } from '../../entities/notice.js';
import { Task, type TaskKind } from '../../entities/task.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { batchKeyOf, computeProgress, legacyKeyOf } from '../progress/model.js';
import { storedFileNames, taskHistories } from '../tasks/histories.js';
import { taskStateLabel } from '../tasks/rules.js';
import { personNames } from '../tasks/store.js';
import { taskRef } from '../tasks/text.js';

export interface ReportReply {
  at: Date;
  name: string;
  text: string;
  files: string[];
}

export interface ReportTask {
  id: number;
  ref: string;
  kind: TaskKind;
  title: string;
  deadline: Date;
  deadlineEstimated: boolean;
  /** 待办 / 已退回 / 已提交待审 / 已办结 */
  state: string;
  doneAt: Date | null;
  replies: ReportReply[];
}

export interface ReportGroup {
  /** batchKeyOf: `notice:3` or `batch:12` */
  key: string;
  /** The notice's title, or the tasks' title. */
  title: string;
  noticeId: number | null;
  tasks: ReportTask[];
}

/** Every open batch the unit has tasks in, or the batch of one of its tasks (T12). */
export type ReportSelection = { kind: 'open' } | { kind: 'task'; taskId: number };

export type ReportChoice =
  | { kind: 'ok'; groups: ReportGroup[] }
  /** The unit has no task at all. */
  | { kind: 'none' }
  /** No such task of this unit (another unit's task is not told apart from a missing one). */
  | { kind: 'not-found'; taskId: number };

const byTaskId = (a: Task, b: Task) => a.id - b.id;

/** The key a task's batch has in the status model. */
function keyOf(task: Task): string {
  return batchKeyOf({ noticeId: task.noticeId, firstTaskId: task.batch || task.id });
}

export async function unitReportGroups(
  tx: EntityManager,
  unitId: number,
  selection: ReportSelection,
  context: { now: Date; calendar: WorkCalendar },
): Promise<ReportChoice> {
  const tasks = (await tx.getRepository(Task).find({ where: { unitId } })).sort(byTaskId);
  let chosen: Task[][];
  if (selection.kind === 'task') {
    const task = tasks.find((candidate) => candidate.id === selection.taskId);
    if (!task) return { kind: 'not-found', taskId: selection.taskId };
    chosen = [tasks.filter((candidate) => keyOf(candidate) === keyOf(task))];
  } else {
    if (tasks.length === 0) return { kind: 'none' };
    const model = await computeProgress(tx, { ...context, topUnitIds: [unitId] });
    chosen = model.batches.map((batch) =>
      tasks.filter((task) =>
        task.batch ? batch.batchIds.includes(task.batch) : batch.legacyKeys.includes(legacyKeyOf(task)),
      ),
    );
    chosen = chosen.filter((group) => group.length > 0);
    if (chosen.length === 0) {
      // Nothing open: the unit's most recent batch, for a report after the last approval.
      const latest = tasks.reduce((a, b) => (b.assignedAt >= a.assignedAt ? b : a));
      chosen = [tasks.filter((task) => keyOf(task) === keyOf(latest))];
    }
  }
  return { kind: 'ok', groups: await describeGroups(tx, chosen) };
}

async function describeGroups(tx: EntityManager, chosen: Task[][]): Promise<ReportGroup[]> {
  const all = chosen.flat();
  const histories = await taskHistories(
    tx,
    all.map((task) => task.id),
  );
  const replies = [...histories.values()].flatMap((history) => history.replies);
  const [names, files] = await Promise.all([
    personNames(
      tx,
      replies.map((reply) => reply.userid),
    ),
    storedFileNames(
      tx,
      replies.flatMap((reply) => reply.fileIds),
    ),
  ]);
  const noticeIds = [...new Set(all.flatMap((task) => (task.noticeId === null ? [] : [task.noticeId])))];
  const notices = noticeIds.length
    ? await tx.getRepository(Notice).find({ select: { id: true, title: true }, where: { id: In(noticeIds) } })
    : [];
  const noticeTitle = new Map(notices.map((notice) => [notice.id, notice.title]));
  return chosen.map((group) => {
    const first = group[0]!;
    return {
      key: keyOf(first),
      title: first.noticeId !== null ? (noticeTitle.get(first.noticeId) ?? first.title) : first.title,
      noticeId: first.noticeId,
      tasks: group.map((task) => ({
        id: task.id,
        ref: taskRef(task.id),
        kind: task.kind,
        title: task.title,
        deadline: task.deadline,
        deadlineEstimated: task.deadlineEstimated,
        state: taskStateLabel(task),
        doneAt: task.doneAt,
        replies: (histories.get(task.id)?.replies ?? []).map((reply) => ({
          at: reply.submittedAt,
          name: names.get(reply.userid) ?? reply.userid,
          text: reply.text,
          files: reply.fileIds.map((id) => files.get(id) ?? `文件${id}`),
        })),
      })),
    };
  });
}
