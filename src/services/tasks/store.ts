/**
 * Task state changes and queries, each a plain function of the caller's transaction. A change is
 * made with a conditional update on the status it starts from, so two members acting at once
 * (two supervisors reviewing the same reply) cannot both succeed; every change writes its audit row.
 */
import { In, type EntityManager } from 'typeorm';
import { EXPORT_KEPT_MS, saveFile } from '../../db/files.js';
import { placeholders, selectEntities } from '../../db/rows.js';
import { moveFromStatus } from '../../db/transitions.js';
import { ExtensionRequest } from '../../entities/extension-request.js';
import { Notice } from '../../entities/notice.js';
import { Person } from '../../entities/person.js';
import { Task, TASK_KIND_LABELS, type TaskKind, type TaskStatus } from '../../entities/task.js';
import { TaskReply } from '../../entities/task-reply.js';
import { REVIEW_DECISION_LABELS, TaskReview, type ReviewDecision } from '../../entities/task-review.js';
import { Unit } from '../../entities/unit.js';
import type { AuditEntry } from '../shared/audit.js';
import { supervisors } from '../directory/lookup.js';
import { maskPiiForLog } from '../pii/detector.js';
import type { PiiFindingSummary } from '../pii/report.js';
import { formatIso } from '../calendar/time.js';
import type { TaskRefusal } from './rules.js';
import { taskRef } from './text.js';

export type Audit = (entry: AuditEntry) => Promise<void>;

export type Outcome<T> = ({ ok: true } & T) | { ok: false; refusal: TaskRefusal };

// ---------------------------------------------------------------------------------------------------
// Notices and assignment

export interface NewNotice {
  title: string;
  body: string;
  issuer: string | null;
  issuedOn: string | null;
  sourceFileId: number | null;
}

export async function createNotice(
  tx: EntityManager,
  notice: NewNotice,
  actor: string,
  audit: Audit,
): Promise<Notice> {
  const repo = tx.getRepository(Notice);
  const saved = await repo.save(repo.create({ ...notice, createdBy: actor }));
  await audit({
    actor,
    action: 'notice.create',
    target: `notice:${saved.id}`,
    detail: `通报《${maskPiiForLog(saved.title)}》${saved.sourceFileId ? `（文件 ${saved.sourceFileId}）` : ''}`,
  });
  return saved;
}

export interface NewTasks {
  kind: TaskKind;
  title: string;
  detail: string;
  unitIds: number[];
  deadline: Date;
  deadlineEstimated: boolean;
  /** For "N个工作日": N and the instant counting started (to recompute a provisional deadline). */
  deadlineWorkingDays?: number | null;
  deadlineCountedFrom?: Date | null;
  noticeId: number | null;
}

/** One task per unit, all in the caller's transaction; each creation is audited. */
export async function createTasks(
  tx: EntityManager,
  spec: NewTasks,
  actor: string,
  now: Date,
  audit: Audit,
): Promise<Task[]> {
  const repo = tx.getRepository(Task);
  const unitIds = [...new Set(spec.unitIds)];
  const tasks = await repo.save(
    unitIds.map((unitId) =>
      repo.create({
        kind: spec.kind,
        title: spec.title,
        detail: spec.detail,
        unitId,
        noticeId: spec.noticeId,
        deadline: spec.deadline,
        deadlineEstimated: spec.deadlineEstimated,
        deadlineWorkingDays: spec.deadlineWorkingDays ?? null,
        deadlineCountedFrom: spec.deadlineCountedFrom ?? null,
        status: 'pending',
        createdBy: actor,
        assignedAt: now,
        submittedAt: null,
        doneAt: null,
        returnReason: null,
        returnedAt: null,
      }),
    ),
  );
  // The batch is the first task's id, known only once the rows exist.
  if (tasks.length > 0) {
    const batch = Math.min(...tasks.map((task) => task.id));
    await repo.update({ id: In(tasks.map((task) => task.id)) }, { batch });
    for (const task of tasks) task.batch = batch;
  }
  for (const task of tasks) {
    await audit({
      actor,
      action: 'task.create',
      target: `task:${task.id}`,
      detail:
        `${TASK_KIND_LABELS[task.kind]}《${maskPiiForLog(task.title)}》单位 ${task.unitId}，截止 ${formatIso(task.deadline)}` +
        `${task.deadlineEstimated ? '（预估）' : ''}${task.noticeId ? `，通报 ${task.noticeId}` : ''}`,
    });
  }
  return tasks;
}

// ---------------------------------------------------------------------------------------------------
// Replies and reviews

export interface NewReply {
  userid: string;
  text: string;
  fileIds: number[];
  piiFindings: PiiFindingSummary[];
}

/** A liaison's 办理情况: stored, and the task moves from pending to submitted. */
export async function submitReply(
  tx: EntityManager,
  task: Task,
  reply: NewReply,
  now: Date,
  audit: Audit,
): Promise<Outcome<{ task: Task; reply: TaskReply }>> {
  const moved = await moveStatus(tx, task.id, 'pending', { status: 'submitted', submittedAt: now });
  if (!moved) return { ok: false, refusal: await notMovedRefusal(tx, task.id) };
  const repo = tx.getRepository(TaskReply);
  const saved = await repo.save(repo.create({ taskId: task.id, ...reply, submittedAt: now }));
  await audit({
    actor: reply.userid,
    action: 'task.submit',
    target: `task:${task.id}`,
    detail: `提交办理情况 #${saved.id}（文字${[...reply.text].length}字，附件${reply.fileIds.length}个）`,
  });
  return { ok: true, task: await tx.getRepository(Task).findOneByOrFail({ id: task.id }), reply: saved };
}

export async function latestReply(tx: EntityManager, taskId: number): Promise<TaskReply | null> {
  return tx.getRepository(TaskReply).findOne({ where: { taskId }, order: { id: 'DESC' } });
}

/**
 * 通过 closes the task; 退回 puts it back to pending with the reason on the task. `replyId` (from a
 * review card) must be the latest reply: a card for an older submission is stale.
 */
export async function reviewTask(
  tx: EntityManager,
  input: {
    taskId: number;
    replyId?: number;
    decision: ReviewDecision;
    reason: string | null;
    reviewer: string;
  },
  now: Date,
  audit: Audit,
): Promise<Outcome<{ task: Task; review: TaskReview; reply: TaskReply }>> {
  const { taskId, decision, reviewer } = input;
  const ref = taskRef(taskId);
  const reviewable = await reviewableReply(tx, taskId, input.replyId);
  if (!reviewable.ok) return reviewable;
  const { task, reply } = reviewable;
  const reason = input.reason?.trim() || null;
  if (decision === 'return' && !reason) return { ok: false, refusal: { kind: 'reason-missing', ref } };
  const moved =
    decision === 'approve'
      ? await moveStatus(tx, taskId, 'submitted', { status: 'done', doneAt: now })
      : await moveStatus(tx, taskId, 'submitted', {
          status: 'pending',
          returnReason: reason,
          returnedAt: now,
        });
  if (!moved) return { ok: false, refusal: await notReviewableRefusal(tx, task) };
  const repo = tx.getRepository(TaskReview);
  const review = await repo.save(
    repo.create({ taskId, replyId: reply.id, reviewer, decision, reason, reviewedAt: now }),
  );
  await audit({
    actor: reviewer,
    action: decision === 'approve' ? 'task.approve' : 'task.return',
    target: `task:${taskId}`,
    detail: `审核${REVIEW_DECISION_LABELS[decision]}提交 #${reply.id}${reason ? `：${maskPiiForLog(reason)}` : ''}`,
  });
  return { ok: true, task: await tx.getRepository(Task).findOneByOrFail({ id: taskId }), review, reply };
}

/**
 * The reply a review would decide on: the task must be waiting for review, and a card's reply id
 * must be the latest reply (a card for an earlier, already returned submission is stale).
 */
export async function reviewableReply(
  tx: EntityManager,
  taskId: number,
  replyId?: number,
): Promise<Outcome<{ task: Task; reply: TaskReply }>> {
  const ref = taskRef(taskId);
  const task = await tx.getRepository(Task).findOneBy({ id: taskId });
  if (!task) return { ok: false, refusal: { kind: 'task-missing', ref } };
  const reply = await latestReply(tx, taskId);
  if (task.status !== 'submitted' || !reply)
    return { ok: false, refusal: await notReviewableRefusal(tx, task) };
  if (replyId !== undefined && replyId !== reply.id) {
    return { ok: false, refusal: { kind: 'review-stale-card', ref } };
  }
  return { ok: true, task, reply };
}

async function notReviewableRefusal(tx: EntityManager, task: Task): Promise<TaskRefusal> {
  const ref = taskRef(task.id);
  const current = await tx.getRepository(Task).findOneByOrFail({ id: task.id });
  if (current.status === 'done') return { kind: 'review-closed', ref };
  if (current.status === 'pending' && current.returnedAt) return { kind: 'review-returned', ref };
  if (current.status === 'pending') return { kind: 'review-not-submitted', ref };
  return { kind: 'review-changed', ref };
}

// ---------------------------------------------------------------------------------------------------
// Extensions

export async function pendingExtension(tx: EntityManager, taskId: number): Promise<ExtensionRequest | null> {
  return tx
    .getRepository(ExtensionRequest)
    .findOne({ where: { taskId, status: 'pending' }, order: { id: 'DESC' } });
}

export interface NewExtension {
  userid: string;
  reason: string;
  piiFindings: PiiFindingSummary[];
  deadline: Date;
  estimated: boolean;
  /** For "N个工作日" from the request: N (counted from the request time). */
  workingDays?: number | null;
}

/** Whether a task may ask for this new deadline (open, no request pending, later than now's). */
export async function checkExtension(
  tx: EntityManager,
  task: Task,
  deadline: Date | null,
): Promise<Outcome<object>> {
  const ref = taskRef(task.id);
  if (task.status === 'done') return { ok: false, refusal: { kind: 'extension-closed', ref } };
  const open = await pendingExtension(tx, task.id);
  if (open) {
    return { ok: false, refusal: { kind: 'extension-pending', ref, requested: open.requestedDeadline } };
  }
  if (deadline && deadline.getTime() <= task.deadline.getTime()) {
    return { ok: false, refusal: { kind: 'extension-not-later', current: task.deadline } };
  }
  return { ok: true };
}

export async function requestExtension(
  tx: EntityManager,
  task: Task,
  request: NewExtension,
  now: Date,
  audit: Audit,
): Promise<Outcome<{ request: ExtensionRequest }>> {
  const check = await checkExtension(tx, task, request.deadline);
  if (!check.ok) return check;
  const repo = tx.getRepository(ExtensionRequest);
  const saved = await repo.save(
    repo.create({
      taskId: task.id,
      requestedBy: request.userid,
      reason: request.reason,
      piiFindings: request.piiFindings,
      previousDeadline: task.deadline,
      requestedDeadline: request.deadline,
      requestedEstimated: request.estimated,
      requestedWorkingDays: request.workingDays ?? null,
      status: 'pending',
      requestedAt: now,
      decidedBy: null,
      decisionReason: null,
      decidedAt: null,
    }),
  );
  await audit({
    actor: request.userid,
    action: 'task.extension.request',
    target: `task:${task.id}`,
    detail: `申请延期 #${saved.id}：${formatIso(task.deadline)} → ${formatIso(request.deadline)}`,
  });
  return { ok: true, request: saved };
}

export type ExtensionDecision = 'approve' | 'reject';

/**
 * 同意 moves the task's deadline to the requested one; 拒绝 leaves it. Either way the request is
 * closed once; a second decision is refused.
 */
export async function decideExtension(
  tx: EntityManager,
  input: { requestId: number; decision: ExtensionDecision; reason: string | null; decider: string },
  now: Date,
  audit: Audit,
): Promise<Outcome<{ request: ExtensionRequest; task: Task }>> {
  const repo = tx.getRepository(ExtensionRequest);
  const request = await repo.findOneBy({ id: input.requestId });
  if (!request) return { ok: false, refusal: { kind: 'extension-missing' } };
  const ref = taskRef(request.taskId);
  const task = await tx.getRepository(Task).findOneByOrFail({ id: request.taskId });
  if (request.status !== 'pending') {
    return { ok: false, refusal: { kind: 'extension-decided', ref, status: request.status } };
  }
  if (input.decision === 'approve' && task.status === 'done') {
    return { ok: false, refusal: { kind: 'extension-task-done', ref } };
  }
  const reason = input.reason?.trim() || null;
  const status = input.decision === 'approve' ? 'approved' : 'rejected';
  const closed = await moveFromStatus(tx, ExtensionRequest, request, 'pending', {
    status,
    decidedBy: input.decider,
    decisionReason: reason,
    decidedAt: now,
  });
  if (!closed) return { ok: false, refusal: { kind: 'extension-decided', ref, status: null } };
  if (input.decision === 'approve') {
    const moved = {
      deadline: request.requestedDeadline,
      deadlineEstimated: request.requestedEstimated,
      deadlineWorkingDays: request.requestedWorkingDays,
      deadlineCountedFrom: request.requestedWorkingDays === null ? null : request.requestedAt,
    };
    await tx.getRepository(Task).update({ id: task.id }, moved);
    Object.assign(task, moved);
  }
  await audit({
    actor: input.decider,
    action: input.decision === 'approve' ? 'task.extension.approve' : 'task.extension.reject',
    target: `task:${task.id}`,
    detail:
      `延期申请 #${request.id}${input.decision === 'approve' ? '同意' : '拒绝'}` +
      `${input.decision === 'approve' ? `，截止改为 ${formatIso(request.requestedDeadline)}` : ''}` +
      `${reason ? `：${maskPiiForLog(reason)}` : ''}`,
  });
  return { ok: true, request, task };
}

// ---------------------------------------------------------------------------------------------------
// Queries

export async function findTask(tx: EntityManager, id: number): Promise<Task | null> {
  return tx.getRepository(Task).findOneBy({ id });
}

/** Pending and submitted tasks, of some top-level units or of all. */
export async function openTasks(tx: EntityManager, unitIds?: number[]): Promise<Task[]> {
  if (unitIds && unitIds.length === 0) return [];
  // A plain SELECT (src/db/rows.ts): 我的任务 is the command members send most.
  const open: TaskStatus[] = ['pending', 'submitted'];
  const ofUnits = unitIds ? ` AND unit_id IN (${placeholders(unitIds)})` : '';
  return selectEntities(tx, Task, `WHERE status IN (?, ?)${ofUnits} ORDER BY deadline ASC, id ASC`, [
    ...open,
    ...(unitIds ?? []),
  ]);
}

/** Task ids (of those given) that have an extension request waiting for a decision. */
export async function tasksWithPendingExtension(tx: EntityManager, taskIds: number[]): Promise<Set<number>> {
  if (taskIds.length === 0) return new Set();
  const rows = await tx
    .getRepository(ExtensionRequest)
    .find({ select: { taskId: true }, where: { taskId: In(taskIds), status: 'pending' } });
  return new Set(rows.map((row) => row.taskId));
}

export async function unitNames(tx: EntityManager, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const units = await tx
    .getRepository(Unit)
    .find({ select: { id: true, name: true }, where: { id: In(ids) } });
  return new Map(units.map((unit) => [unit.id, unit.name]));
}

export async function personNames(tx: EntityManager, userids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userids)];
  if (unique.length === 0) return new Map();
  const people = await tx
    .getRepository(Person)
    .find({ select: { userid: true, name: true }, where: { userid: In(unique) } });
  return new Map(people.map((person) => [person.userid, person.name]));
}

export interface TaskHistory {
  replies: TaskReply[];
  reviews: TaskReview[];
  extensions: ExtensionRequest[];
}

export async function taskHistory(tx: EntityManager, taskId: number): Promise<TaskHistory> {
  const [replies, reviews, extensions] = await Promise.all([
    tx.getRepository(TaskReply).find({ where: { taskId }, order: { id: 'ASC' } }),
    tx.getRepository(TaskReview).find({ where: { taskId }, order: { id: 'ASC' } }),
    tx.getRepository(ExtensionRequest).find({ where: { taskId }, order: { id: 'ASC' } }),
  ]);
  return { replies, reviews, extensions };
}

/** The task's supervisors: whoever assigned it (if still active) and every active supervisor, once each. */
export async function taskSupervisors(tx: EntityManager, task: Pick<Task, 'createdBy'>): Promise<Person[]> {
  const all = await supervisors(tx);
  if (all.some((person) => person.userid === task.createdBy)) return all;
  const creator = await tx.getRepository(Person).findOneBy({ userid: task.createdBy, active: true });
  return creator ? [creator, ...all] : all;
}

// ---------------------------------------------------------------------------------------------------

async function moveStatus(
  tx: EntityManager,
  taskId: number,
  from: TaskStatus,
  changes: Partial<Pick<Task, 'status' | 'submittedAt' | 'doneAt' | 'returnReason' | 'returnedAt'>>,
): Promise<boolean> {
  const result = await tx
    .createQueryBuilder()
    .update(Task)
    .set(changes)
    .where('id = :id AND status = :from', { id: taskId, from })
    .execute();
  return (result.affected ?? 0) > 0;
}

async function notMovedRefusal(tx: EntityManager, taskId: number): Promise<TaskRefusal> {
  const ref = taskRef(taskId);
  const current = await tx.getRepository(Task).findOneBy({ id: taskId });
  if (!current) return { kind: 'task-missing', ref };
  if (current.status === 'done') return { kind: 'submit-closed', ref };
  return { kind: 'submit-waiting', ref };
}

/** A reply's text as a file to send (too long for messages): kept like an export, a few days. */
export async function saveReplyTextFile(
  tx: EntityManager,
  file: { fileName: string; data: Buffer },
  owner: string,
  now: Date,
): Promise<number> {
  const stored = await saveFile(tx, {
    fileName: file.fileName,
    contentType: 'text/plain; charset=utf-8',
    data: file.data,
    owner,
    expiresAt: new Date(now.getTime() + EXPORT_KEPT_MS),
  });
  return stored.id;
}

/** What 导出进度 shows of a task's latest reply and review: the reply's text, the reviewer's name. */
export interface ReplyFacts {
  replyText: string;
  reviewer: string;
}

/** Task ids per query of latestReplyFacts (within SQLite's bound-variable limit; 100k rows, 50 rounds). */
const FACTS_CHUNK = 2000;

/** The latest reply text and latest reviewer (by name) of each task, read in chunks. */
export async function latestReplyFacts(
  tx: EntityManager,
  taskIds: readonly number[],
): Promise<Map<number, ReplyFacts>> {
  const facts = new Map<number, ReplyFacts>();
  const reviewers = new Map<number, string>();
  for (let i = 0; i < taskIds.length; i += FACTS_CHUNK) {
    const chunk = taskIds.slice(i, i + FACTS_CHUNK);
    const latest = async (entity: typeof TaskReply | typeof TaskReview) =>
      (
        await tx
          .getRepository(entity)
          .createQueryBuilder('x')
          .select('MAX(x.id)', 'id')
          .where('x.taskId IN (:...chunk)', { chunk })
          .groupBy('x.taskId')
          .getRawMany<{ id: unknown }>()
      ).map((row) => Number(row.id));
    const replyIds = await latest(TaskReply);
    const reviewIds = await latest(TaskReview);
    const replies = replyIds.length
      ? await tx
          .getRepository(TaskReply)
          .find({ select: { taskId: true, text: true }, where: { id: In(replyIds) } })
      : [];
    const reviews = reviewIds.length
      ? await tx
          .getRepository(TaskReview)
          .find({ select: { taskId: true, reviewer: true }, where: { id: In(reviewIds) } })
      : [];
    for (const reply of replies) facts.set(reply.taskId, { replyText: reply.text, reviewer: '' });
    for (const review of reviews) reviewers.set(review.taskId, review.reviewer);
  }
  const names = await personNames(tx, [...new Set(reviewers.values())]);
  for (const [taskId, userid] of reviewers) {
    const reviewer = names.get(userid) ?? userid;
    const fact = facts.get(taskId);
    if (fact) fact.reviewer = reviewer;
    else facts.set(taskId, { replyText: '', reviewer });
  }
  return facts;
}
