// What the board's pages show, gathered in one place from the status model (services/progress/model.ts):
// the overview is `computeProgress` plus the units × batches grid and the case quotas per unit;
// a unit's page is `describeUnits` plus each open task's replies, reviews and extension requests.
// Nothing here counts or colours by itself.
import type { EntityManager } from 'typeorm';
import { EXTENSION_STATUS_LABELS } from '../entities/extension-request.js';
import { REVIEW_DECISION_LABELS } from '../entities/task-review.js';
import { Unit } from '../entities/unit.js';
import type { WorkCalendar } from '../services/calendar/calendar.js';
import { callProgress, recentCalls } from '../services/cases/store.js';
import {
  computeProgress,
  describeUnits,
  type ProgressModel,
  type UnitDetail,
} from '../services/progress/model.js';
import { progressGrid, type ProgressGrid } from '../services/progress/grid.js';
import { repostBoard, type RepostBoardBatch } from '../services/reposts/board.js';
import { storedFileNames, taskHistories } from '../services/tasks/histories.js';
import { personNames } from '../services/tasks/store.js';
import { formatDeadlineMarked } from '../services/calendar/deadline-text.js';

export interface CaseChartUnit {
  unitId: number;
  name: string;
  counted: number;
  quota: number;
}

export interface CaseChart {
  callId: number;
  /** Units that owe cases (quota above 0): those below quota first, largest shortfall first. */
  units: CaseChartUnit[];
}

export interface BoardOverview {
  model: ProgressModel;
  grid: ProgressGrid;
  caseCharts: CaseChart[];
  /** 重要信息转载: one units × items grid per open batch. */
  reposts?: RepostBoardBatch[];
}

export async function boardOverview(
  tx: EntityManager,
  context: { now: Date; calendar: WorkCalendar },
): Promise<BoardOverview> {
  const model = await computeProgress(tx, context);
  const grid = await progressGrid(tx, model, context.calendar);
  const calls = await recentCalls(tx, context.now);
  const caseCharts: CaseChart[] = [];
  for (const progress of model.caseCalls) {
    const call = calls.find((candidate) => candidate.id === progress.callId);
    if (!call) continue;
    // The 案例进度 rows, limited to the units the status model counts (active, owing cases).
    const rows = (await callProgress(tx, call)).filter((row) => row.quota > 0 && row.unit.active);
    caseCharts.push({
      callId: call.id,
      units: rows
        .map((row) => ({ unitId: row.unit.id, name: row.unit.name, counted: row.counted, quota: row.quota }))
        .sort((a, b) => b.quota - b.counted - (a.quota - a.counted)),
    });
  }
  const reposts = await repostBoard(tx, context.calendar, context.now);
  return { model, grid, caseCharts, reposts };
}

export interface HistoryEvent {
  at: Date;
  who: string;
  /** 提交办理情况 / 审核通过 / 审核退回 / 申请延期至 … */
  action: string;
  tone: 'reply' | 'approve' | 'return' | 'extension';
  text: string | null;
  files: string[];
}

export interface UnitPage {
  detail: UnitDetail;
  /** Each open task's events, oldest first. */
  history: Map<number, HistoryEvent[]>;
}

/** A top-level unit's page, or null when there is no such top-level unit. */
export async function unitPage(
  tx: EntityManager,
  context: { now: Date; calendar: WorkCalendar; unitId: number },
): Promise<UnitPage | null> {
  const unit = await tx.getRepository(Unit).findOneBy({ id: context.unitId });
  if (!unit || unit.parentId !== null) return null;
  const [detail] = await describeUnits(tx, {
    now: context.now,
    calendar: context.calendar,
    unitIds: [unit.id],
    lastReplies: true,
  });
  const taskIds = detail!.items.flatMap((item) => (item.taskId === null ? [] : [item.taskId]));
  const histories = await taskHistories(tx, taskIds);
  const all = [...histories.values()];
  const names = await personNames(tx, [
    ...all.flatMap((h) => h.replies.map((reply) => reply.userid)),
    ...all.flatMap((h) => h.reviews.map((review) => review.reviewer)),
    ...all.flatMap((h) =>
      h.extensions.flatMap((e) => [e.requestedBy, ...(e.decidedBy ? [e.decidedBy] : [])]),
    ),
  ]);
  const fileNames = await storedFileNames(
    tx,
    all.flatMap((h) => h.replies.flatMap((reply) => reply.fileIds)),
  );
  const who = (userid: string) => names.get(userid) ?? userid;
  const history = new Map<number, HistoryEvent[]>();
  for (const [taskId, entry] of histories) {
    const events: HistoryEvent[] = [
      ...entry.replies.map((reply): HistoryEvent => ({
        at: reply.submittedAt,
        who: who(reply.userid),
        action: '提交办理情况',
        tone: 'reply',
        text: reply.text,
        files: reply.fileIds.map((id) => fileNames.get(id) ?? `文件${id}`),
      })),
      ...entry.reviews.map((review): HistoryEvent => ({
        at: review.reviewedAt,
        who: who(review.reviewer),
        action: `审核${REVIEW_DECISION_LABELS[review.decision]}`,
        tone: review.decision === 'approve' ? 'approve' : 'return',
        text: review.reason,
        files: [],
      })),
      ...entry.extensions.map((request): HistoryEvent => ({
        at: request.requestedAt,
        who: who(request.requestedBy),
        action:
          `申请延期至 ${formatDeadlineMarked(request.requestedDeadline, request.requestedEstimated)}（${EXTENSION_STATUS_LABELS[request.status]}` +
          `${request.decidedBy ? `，${who(request.decidedBy)}` : ''}${request.decisionReason ? `：${request.decisionReason}` : ''}）`,
        tone: 'extension',
        text: request.reason,
        files: [],
      })),
    ];
    history.set(
      taskId,
      events.sort((a, b) => a.at.getTime() - b.at.getTime()),
    );
  }
  return { detail: detail!, history };
}
