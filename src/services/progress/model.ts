/**
 * The one status model: who is behind, computed once and rendered everywhere (进度, 逾期, 催办,
 * 导出进度, 周报 and the progress board). Counting is set-based SQL (GROUP BY over task,
 * typical_case, guestbook_message and account_filing, never a query per unit); colours and days
 * late come from the calendar through `viewDeadline`, one view per distinct deadline.
 *
 * The rules, in one place:
 * - An item is the unit's move while it is pending (a task 待办 or 已退回, an open guestbook
 *   message, a case call the unit is short on). Its colour is the deadline's: red once the deadline
 *   has passed, yellow when it falls today or on the next working day, green otherwise.
 * - A task submitted and waiting for review is the supervisors' move: it is never red or yellow
 *   against the unit, whenever it was submitted. A late submission (after the deadline) counts as
 *   已提交待审 (then 已办结) like any other, and is counted apart as 逾期提交 with the working days
 *   it was late at submission (the export shows them). A task returned after its deadline is
 *   pending again, so it is red again.
 * - Batches: the tasks created together (one 下发任务, or one task proposed by a notice); batches
 *   of the same notice are shown as the notice. A batch is open while any of its tasks is.
 */
import {
  In,
  LessThanOrEqual,
  type EntityManager,
  type ObjectLiteral,
  type SelectQueryBuilder,
} from 'typeorm';
import { AccountFiling } from '../../entities/account-filing.js';
import { Notice } from '../../entities/notice.js';
import { GuestbookMessage } from '../../entities/guestbook-message.js';
import { Task, type TaskKind, type TaskStatus } from '../../entities/task.js';
import { TaskReply } from '../../entities/task-reply.js';
import { TaskReview } from '../../entities/task-review.js';
import { Unit, type UnitKind } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { asDate } from '../../db/values.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { callQuotas, caseCounts, countsFor, recentCalls } from '../cases/store.js';
import { UNIT_KIND_ORDER, callRef } from '../cases/rules.js';
import { viewDeadline, type DeadlineView } from '../calendar/deadline-text.js';
import type { StatusColour } from '../calendar/deadlines.js';
import { activeTopUnits, liaisonsByTopUnit } from '../directory/lookup.js';
import { clip } from '../shared/duty.js';
import { filingRef, filingSubject } from '../filings/store.js';
import { guestbookRef } from '../guestbook/store.js';
import { openItemSources } from '../open-items/sources.js';
import type { FlagQuery, OpenItem, OpenItemKind, UnitFlagCount } from '../open-items/items.js';
import { reminderHorizon, taskStateLabel } from '../tasks/rules.js';
import { taskRef } from '../tasks/text.js';
import { personNames, tasksWithPendingExtension } from '../tasks/store.js';

// ---------------------------------------------------------------------------------------------------
// The colour rule

/** Whose move an item is: the unit's (liaisons) or the supervisors' (review, confirmation). */
export type Awaiting = 'unit' | 'supervisor';

export interface Standing {
  view: DeadlineView | null;
  /** Null when the item has no deadline or waits for the supervisors (never the unit's delay). */
  colour: StatusColour | null;
}

/** Deadline views by instant: a batch's hundreds of tasks share one deadline, so one view each. */
export class DeadlineViews {
  private readonly cache = new Map<number, DeadlineView>();

  constructor(
    readonly calendar: WorkCalendar,
    readonly now: Date,
  ) {}

  /** `provisional`: the deadline itself is an estimate (the row's deadline_estimated). */
  of(deadline: Date, provisional = false): DeadlineView {
    const key = provisional ? -deadline.getTime() - 1 : deadline.getTime();
    let view = this.cache.get(key);
    if (!view) {
      view = viewDeadline(this.calendar, deadline, this.now, provisional);
      this.cache.set(key, view);
    }
    return view;
  }

  /** An item's colour against its unit (see the rules at the top of this file). */
  standing(deadline: Date | null, awaiting: Awaiting, provisional = false): Standing {
    if (!deadline) return { view: null, colour: null };
    const view = this.of(deadline, provisional);
    return { view, colour: awaiting === 'unit' ? view.colour : null };
  }
}

/** Whose move a task is: pending → the unit, submitted → the supervisors, done → nobody. */
export function taskAwaiting(status: TaskStatus): Awaiting | null {
  if (status === 'pending') return 'unit';
  if (status === 'submitted') return 'supervisor';
  return null;
}

/**
 * Working days a submission came after the deadline (0 when before it): the same count as
 * `viewDeadline` gives for an overdue item, taken at the moment of submission. A submission at the
 * deadline instant or later is late, as an item is overdue from that instant.
 */
export function daysLateAtSubmission(calendar: WorkCalendar, deadline: Date, submittedAt: Date): number {
  if (submittedAt.getTime() < deadline.getTime()) return 0;
  return viewDeadline(calendar, deadline, submittedAt).daysLate;
}

// ---------------------------------------------------------------------------------------------------
// The model

export interface TaskCounts {
  total: number;
  /** 已办结 */
  done: number;
  /** 已提交待审 */
  submitted: number;
  /** 待办 (including 已退回) with the deadline still ahead */
  pending: number;
  /** 逾期: pending with the deadline passed */
  overdue: number;
  /** Submitted (or since approved) after the deadline: already inside submitted/done. */
  lateSubmitted: number;
}

export interface BatchProgress {
  /** `notice:3` or `batch:12` */
  key: string;
  noticeId: number | null;
  /** The notice's title, or the tasks' title. */
  title: string;
  /** The distinct task titles (a notice may give rise to several). */
  taskTitles: string[];
  kinds: TaskKind[];
  /** The batch column values it covers (0 is never among them: see legacyKeys). */
  batchIds: number[];
  /** Older rows without a batch, by their grouping fields (see legacyKeyOf). */
  legacyKeys: string[];
  firstTaskId: number;
  assignedAt: Date;
  createdBy: string;
  earliestDeadline: Date;
  latestDeadline: Date;
  /** The view of the earliest deadline. */
  view: DeadlineView;
  counts: TaskCounts;
}

/** A unit on the red (overdue) or yellow (due today or next working day) list. */
export interface UnitFlag {
  unitId: number;
  unitName: string;
  unitKind: UnitKind;
  colour: 'red' | 'yellow';
  /** Items of this colour, by kind (every open-item source; see sources.ts). */
  byKind: Partial<Record<OpenItemKind, number>>;
  /** byKind's task, guestbook and case-call counts. */
  tasks: number;
  guestbook: number;
  caseCalls: number;
  count: number;
  /** Red: the most overdue deadline (its view has the most days late); yellow: the soonest. */
  deadline: Date;
  view: DeadlineView;
}

export interface CaseCallShortUnit {
  unitId: number;
  unitName: string;
  counted: number;
  quota: number;
}

export interface CaseCallProgress {
  callId: number;
  ref: string;
  title: string;
  deadline: Date;
  deadlineEstimated: boolean;
  view: DeadlineView;
  /** Units owing cases (quota above 0), and those that met it. */
  owing: number;
  met: number;
  /** Cases that count (submitted + accepted) in the scope. */
  counted: number;
  /** Units below quota: by kind (区县, 功能区, 市直部门, 其他), largest shortfall first. */
  short: CaseCallShortUnit[];
  /** When the call was closed (its shortfall then is final), or null while it is open. */
  closedAt: Date | null;
}

export interface AtRiskItem {
  kind: 'guestbook' | 'filing';
  id: number;
  ref: string;
  unitId: number;
  unitName: string;
  title: string;
  deadline: Date;
  estimated: boolean;
  view: DeadlineView;
  colour: 'red' | 'yellow';
}

export interface AtRiskList {
  red: number;
  yellow: number;
  /** The most urgent first, at most AT_RISK_ITEM_LIMIT of them (red + yellow says how many in all). */
  items: AtRiskItem[];
}

export interface LastReply {
  at: Date;
  userid: string;
  name: string;
  text: string;
}

export interface DetailItem {
  kind: OpenItemKind;
  ref: string;
  /** For tasks: the task id (cards, 催办 T12). */
  taskId: number | null;
  title: string;
  /** 待办 / 已退回 / 已提交待审 / 已提交2/5 / 待确认备案 … */
  state: string;
  deadline: Date | null;
  estimated: boolean;
  view: DeadlineView | null;
  colour: StatusColour | null;
  awaiting: Awaiting;
  /** Tasks, when asked for: the latest 办理情况. */
  lastReply: LastReply | null;
}

export interface UnitDetail {
  unitId: number;
  unitName: string;
  unitKind: UnitKind;
  liaisons: { userid: string; name: string }[];
  /** Every open item: the unit's red, yellow, green, then those waiting for the supervisors. */
  items: DetailItem[];
}

export interface Activity {
  from: Date;
  to: Date;
  tasksAssigned: number;
  batchesAssigned: number;
  /** 办理情况 submitted (a resubmission counts again). */
  replies: number;
  approved: number;
  returned: number;
  guestbookReceived: number;
  guestbookAnswered: number;
  filingsSubmitted: number;
  filingsConfirmed: number;
}

export interface ProgressModel {
  now: Date;
  /** The top-level units it is limited to, or null for every unit. */
  scope: number[] | null;
  /** Open batches, earliest deadline first. */
  batches: BatchProgress[];
  /** The sum over open batches. */
  totals: TaskCounts;
  /** Units with overdue items, most days late first. */
  red: UnitFlag[];
  /** Units with items due today or by the next working day, soonest first. */
  yellow: UnitFlag[];
  caseCalls: CaseCallProgress[];
  guestbook: AtRiskList;
  filings: AtRiskList;
  /** The units asked for in `detailUnitIds`, in that order. */
  details: UnitDetail[];
  /** What happened since `since` (周报), or null. */
  activity: Activity | null;
}

export interface ProgressQuery {
  now: Date;
  calendar: WorkCalendar;
  /** Only these top-level units (a liaison's view); every unit when omitted. */
  topUnitIds?: number[];
  /** Top-level units to describe item by item (进度 <单位>, 催办). */
  detailUnitIds?: number[];
  /** With the detail: each open task's latest reply. */
  lastReplies?: boolean;
  /** Count the activity from this instant to now (周报). */
  since?: Date;
}

export const AT_RISK_ITEM_LIMIT = 100;

const emptyCounts = (): TaskCounts => ({
  total: 0,
  done: 0,
  submitted: 0,
  pending: 0,
  overdue: 0,
  lateSubmitted: 0,
});

/** Everything the status views need, for the scope asked; plain data. */
export async function computeProgress(tx: EntityManager, query: ProgressQuery): Promise<ProgressModel> {
  const views = new DeadlineViews(query.calendar, query.now);
  const scope = query.topUnitIds ? [...new Set(query.topUnitIds)] : null;
  const model: ProgressModel = {
    now: query.now,
    scope,
    batches: [],
    totals: emptyCounts(),
    red: [],
    yellow: [],
    caseCalls: [],
    guestbook: { red: 0, yellow: 0, items: [] },
    filings: { red: 0, yellow: 0, items: [] },
    details: [],
    activity: null,
  };
  if (scope && scope.length === 0) return model;
  const units = await unitDirectory(tx);
  model.batches = await batchProgress(tx, views, scope);
  model.totals = sumCounts(model.batches.map((batch) => batch.counts));
  model.caseCalls = await caseCallProgress(tx, views, scope, units);
  const flags = await unitFlags(tx, views, scope, units);
  model.red = flags.red;
  model.yellow = flags.yellow;
  model.guestbook = await guestbookAtRisk(tx, views, scope, units);
  model.filings = await filingsAtRisk(tx, views, scope, units);
  if (query.detailUnitIds?.length) {
    const wanted = query.detailUnitIds.filter((id) => !scope || scope.includes(id));
    model.details = await unitDetails(tx, views, wanted, units, Boolean(query.lastReplies));
  }
  if (query.since) model.activity = await activity(tx, scope, query.since, query.now);
  return model;
}

/**
 * Only the per-unit detail (what 催办 sends and 进度 <单位> shows), without the lists: the same
 * items and colours as `computeProgress(…, { detailUnitIds })` gives.
 */
export async function describeUnits(
  tx: EntityManager,
  query: { now: Date; calendar: WorkCalendar; unitIds: number[]; lastReplies?: boolean },
): Promise<UnitDetail[]> {
  const views = new DeadlineViews(query.calendar, query.now);
  return unitDetails(tx, views, query.unitIds, await unitDirectory(tx), Boolean(query.lastReplies));
}

export function sumCounts(list: readonly TaskCounts[]): TaskCounts {
  const total = emptyCounts();
  for (const counts of list) {
    for (const key of Object.keys(total) as (keyof TaskCounts)[]) total[key] += counts[key];
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------
// Units

interface UnitInfo {
  id: number;
  name: string;
  kind: UnitKind;
}

/** Every unit by id (a thousand rows at most; names and kinds for every list). */
class UnitDirectory {
  constructor(private readonly byId: Map<number, UnitInfo>) {}

  name(id: number): string {
    return this.byId.get(id)?.name ?? `单位${id}`;
  }

  kind(id: number): UnitKind {
    return this.byId.get(id)?.kind ?? 'other';
  }

  /** 区县, 功能区, 市直部门, 其他, then by id (the order the directory was set up in). */
  rank(id: number): [number, number] {
    return [UNIT_KIND_ORDER.indexOf(this.kind(id)), id];
  }

  compare(a: number, b: number): number {
    const [ka, ia] = this.rank(a);
    const [kb, ib] = this.rank(b);
    return ka - kb || ia - ib;
  }
}

async function unitDirectory(tx: EntityManager): Promise<UnitDirectory> {
  const units = await tx.getRepository(Unit).find({
    select: { id: true, name: true, kind: true },
  });
  return new UnitDirectory(new Map(units.map((unit) => [unit.id, unit])));
}

function inScope<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  column: string,
  scope: number[] | null,
): SelectQueryBuilder<T> {
  return scope ? qb.andWhere(`${column} IN (:...scope)`, { scope }) : qb;
}

// ---------------------------------------------------------------------------------------------------
// Batches

/** The grouping of a task written before batches were recorded. */
export function legacyKeyOf(task: {
  noticeId: number | null;
  kind: string;
  title: string;
  createdBy: string;
  assignedAt: Date;
}): string {
  return JSON.stringify([task.noticeId, task.kind, task.title, task.createdBy, task.assignedAt.getTime()]);
}

/** The four disjoint counts and the late submissions, as SQL sums (the rules at the top). */
function selectCounts<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  now: Date,
  openOnly: boolean,
): SelectQueryBuilder<T> {
  const counted = qb
    .addSelect('COUNT(*)', 'total')
    .addSelect("SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END)", 'done')
    .addSelect("SUM(CASE WHEN t.status = 'submitted' THEN 1 ELSE 0 END)", 'submitted')
    .addSelect("SUM(CASE WHEN t.status = 'pending' AND t.deadline > :now THEN 1 ELSE 0 END)", 'pending')
    .addSelect("SUM(CASE WHEN t.status = 'pending' AND t.deadline <= :now THEN 1 ELSE 0 END)", 'overdue')
    .addSelect(
      "SUM(CASE WHEN t.status <> 'pending' AND t.submitted_at >= t.deadline THEN 1 ELSE 0 END)",
      'lateSubmitted',
    )
    .addSelect('MIN(t.deadline)', 'earliest')
    .addSelect('MAX(t.deadline)', 'latest')
    .addSelect('MAX(t.deadline_estimated)', 'estimated')
    .setParameter('now', now);
  return openOnly ? counted.having(OPEN_HAVING) : counted;
}

/** A batch is open while any of its tasks is not 已办结. */
const OPEN_HAVING = "SUM(CASE WHEN t.status <> 'done' THEN 1 ELSE 0 END) > 0";

/**
 * The one batch key: the tasks of one notice are one batch (whatever number of 下发 gave rise to
 * them), other tasks are grouped by their batch (or, for rows from before batches were recorded,
 * by the first task of their legacy group). 进度, 周报, 导出进度 and the board all count these.
 */
export function batchKeyOf(batch: { noticeId: number | null; firstTaskId: number }): string {
  return batch.noticeId !== null ? `notice:${batch.noticeId}` : `batch:${batch.firstTaskId}`;
}

type CountRow = Record<keyof TaskCounts | 'earliest' | 'latest' | 'estimated', unknown>;

function countsOf(row: CountRow): TaskCounts {
  return {
    total: Number(row.total),
    done: Number(row.done),
    submitted: Number(row.submitted),
    pending: Number(row.pending),
    overdue: Number(row.overdue),
    lateSubmitted: Number(row.lateSubmitted),
  };
}

interface RawBatch {
  batchId: number;
  legacyKey: string | null;
  firstTaskId: number;
  noticeId: number | null;
  kind: TaskKind;
  title: string;
  createdBy: string;
  assignedAt: Date;
  earliest: Date;
  latest: Date;
  /** Some task of the batch has a provisional (预估) deadline. */
  estimated: boolean;
  counts: TaskCounts;
}

/**
 * Open batches, earliest deadline first. Whether a batch is open is decided over all of its tasks,
 * whatever the scope: a unit's view (导出进度 高青县) lists the open batches it has tasks in, with
 * its own counts, even when its own tasks there are all 已办结.
 */
async function batchProgress(
  tx: EntityManager,
  views: DeadlineViews,
  scope: number[] | null,
): Promise<BatchProgress[]> {
  const raw: RawBatch[] = [];
  let grouped = await selectCounts(
    inScope(
      tx.createQueryBuilder().select('t.batch', 'batch').from(Task, 't').where('t.batch <> 0'),
      't.unit_id',
      scope,
    ).groupBy('t.batch'),
    views.now,
    !scope,
  ).getRawMany<CountRow & { batch: unknown }>();
  if (scope) {
    const open = await openBatchIds(
      tx,
      grouped.map((row) => Number(row.batch)),
    );
    grouped = grouped.filter((row) => open.has(Number(row.batch)));
  }
  const firstIds = grouped.map((row) => Number(row.batch));
  const firsts = new Map<number, Task>();
  for (let i = 0; i < firstIds.length; i += 1000) {
    const rows = await tx.getRepository(Task).find({
      select: { id: true, noticeId: true, kind: true, title: true, createdBy: true, assignedAt: true },
      where: { id: In(firstIds.slice(i, i + 1000)) },
    });
    for (const row of rows) firsts.set(row.id, row);
  }
  for (const row of grouped) {
    const first = firsts.get(Number(row.batch));
    if (!first) continue;
    raw.push({
      batchId: first.id,
      legacyKey: null,
      firstTaskId: first.id,
      noticeId: first.noticeId,
      kind: first.kind,
      title: first.title,
      createdBy: first.createdBy,
      assignedAt: first.assignedAt,
      earliest: asDate(row.earliest),
      latest: asDate(row.latest),
      estimated: Boolean(Number(row.estimated)),
      counts: countsOf(row),
    });
  }
  // Rows written before batches were recorded: grouped by the fields one assignment shares.
  const legacy = await selectCounts(
    inScope(
      tx
        .createQueryBuilder()
        .select('MIN(t.id)', 'firstId')
        .addSelect('t.notice_id', 'noticeId')
        .addSelect('t.kind', 'kind')
        .addSelect('t.title', 'title')
        .addSelect('t.created_by', 'createdBy')
        .addSelect('t.assigned_at', 'assignedAt')
        .from(Task, 't')
        .where('t.batch = 0'),
      't.unit_id',
      scope,
    )
      .groupBy('t.notice_id')
      .addGroupBy('t.kind')
      .addGroupBy('t.title')
      .addGroupBy('t.created_by')
      .addGroupBy('t.assigned_at'),
    views.now,
    !scope,
  ).getRawMany<
    CountRow & Record<'firstId' | 'noticeId' | 'kind' | 'title' | 'createdBy' | 'assignedAt', unknown>
  >();
  const openLegacy = scope && legacy.length > 0 ? await openLegacyKeys(tx) : null;
  for (const row of legacy) {
    const fields = {
      noticeId: row.noticeId === null ? null : Number(row.noticeId),
      kind: String(row.kind) as TaskKind,
      title: String(row.title),
      createdBy: String(row.createdBy),
      assignedAt: asDate(row.assignedAt),
    };
    if (openLegacy && !openLegacy.has(legacyKeyOf(fields))) continue;
    raw.push({
      batchId: 0,
      legacyKey: legacyKeyOf(fields),
      firstTaskId: Number(row.firstId),
      ...fields,
      earliest: asDate(row.earliest),
      latest: asDate(row.latest),
      estimated: Boolean(Number(row.estimated)),
      counts: countsOf(row),
    });
  }

  const noticeIds = [
    ...new Set(raw.map((batch) => batch.noticeId).filter((id): id is number => id !== null)),
  ];
  const notices = noticeIds.length
    ? await tx.getRepository(Notice).find({ select: { id: true, title: true }, where: { id: In(noticeIds) } })
    : [];
  const noticeTitle = new Map(notices.map((notice) => [notice.id, notice.title]));

  const merged = new Map<string, BatchProgress>();
  for (const batch of raw.sort((a, b) => a.firstTaskId - b.firstTaskId)) {
    const key = batchKeyOf(batch);
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, {
        key,
        noticeId: batch.noticeId,
        title: batch.noticeId !== null ? (noticeTitle.get(batch.noticeId) ?? batch.title) : batch.title,
        taskTitles: [batch.title],
        kinds: [batch.kind],
        batchIds: batch.batchId ? [batch.batchId] : [],
        legacyKeys: batch.legacyKey ? [batch.legacyKey] : [],
        firstTaskId: batch.firstTaskId,
        assignedAt: batch.assignedAt,
        createdBy: batch.createdBy,
        earliestDeadline: batch.earliest,
        latestDeadline: batch.latest,
        view: views.of(batch.earliest, batch.estimated),
        counts: batch.counts,
      });
      continue;
    }
    if (!existing.taskTitles.includes(batch.title)) existing.taskTitles.push(batch.title);
    if (!existing.kinds.includes(batch.kind)) existing.kinds.push(batch.kind);
    if (batch.batchId) existing.batchIds.push(batch.batchId);
    if (batch.legacyKey) existing.legacyKeys.push(batch.legacyKey);
    if (batch.earliest < existing.earliestDeadline) {
      existing.earliestDeadline = batch.earliest;
      existing.view = views.of(batch.earliest, batch.estimated);
    }
    if (batch.latest > existing.latestDeadline) existing.latestDeadline = batch.latest;
    existing.counts = sumCounts([existing.counts, batch.counts]);
  }
  return [...merged.values()].sort(
    (a, b) => a.earliestDeadline.getTime() - b.earliestDeadline.getTime() || a.firstTaskId - b.firstTaskId,
  );
}

/** Of these batch ids, those with a task not 已办结 (in any unit). */
async function openBatchIds(tx: EntityManager, batchIds: number[]): Promise<Set<number>> {
  const open = new Set<number>();
  for (let i = 0; i < batchIds.length; i += 1000) {
    const rows = await tx
      .createQueryBuilder()
      .select('t.batch', 'batch')
      .from(Task, 't')
      .where('t.batch IN (:...chunk)', { chunk: batchIds.slice(i, i + 1000) })
      .groupBy('t.batch')
      .having(OPEN_HAVING)
      .getRawMany<{ batch: unknown }>();
    for (const row of rows) open.add(Number(row.batch));
  }
  return open;
}

/** The legacy keys (rows from before batches were recorded) with a task not 已办结. */
async function openLegacyKeys(tx: EntityManager): Promise<Set<string>> {
  const rows = await tx
    .createQueryBuilder()
    .select('t.notice_id', 'noticeId')
    .addSelect('t.kind', 'kind')
    .addSelect('t.title', 'title')
    .addSelect('t.created_by', 'createdBy')
    .addSelect('t.assigned_at', 'assignedAt')
    .from(Task, 't')
    .where("t.batch = 0 AND t.status <> 'done'")
    .groupBy('t.notice_id')
    .addGroupBy('t.kind')
    .addGroupBy('t.title')
    .addGroupBy('t.created_by')
    .addGroupBy('t.assigned_at')
    .getRawMany<Record<'noticeId' | 'kind' | 'title' | 'createdBy' | 'assignedAt', unknown>>();
  return new Set(
    rows.map((row) =>
      legacyKeyOf({
        noticeId: row.noticeId === null ? null : Number(row.noticeId),
        kind: String(row.kind),
        title: String(row.title),
        createdBy: String(row.createdBy),
        assignedAt: asDate(row.assignedAt),
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------
// Red and yellow units

interface FlagDraft {
  byKind: Partial<Record<OpenItemKind, number>>;
  deadline: Date;
}

/**
 * Red and yellow units from every open-item source (sources.ts): a source's own grouped counts
 * when it has them (tasks, guestbook messages), else its listed items that await the unit.
 */
async function unitFlags(
  tx: EntityManager,
  views: DeadlineViews,
  scope: number[] | null,
  units: UnitDirectory,
): Promise<{ red: UnitFlag[]; yellow: UnitFlag[] }> {
  const red = new Map<number, FlagDraft>();
  const yellow = new Map<number, FlagDraft>();
  // Red keeps the most overdue deadline, yellow the soonest: the earliest instant either way.
  const add = (count: UnitFlagCount, kind: OpenItemKind) => {
    const target = count.colour === 'red' ? red : yellow;
    const draft = target.get(count.topUnitId) ?? { byKind: {}, deadline: count.deadline };
    draft.byKind[kind] = (draft.byKind[kind] ?? 0) + count.count;
    if (count.deadline < draft.deadline) draft.deadline = count.deadline;
    target.set(count.topUnitId, draft);
  };
  const query: FlagQuery = {
    now: views.now,
    calendar: views.calendar,
    ...(scope ? { topUnitIds: scope } : {}),
    horizon: reminderHorizon(views.calendar, views.now),
    colourOf: (deadline) => views.of(deadline).colour,
  };
  for (const source of openItemSources) {
    const counts = source.flagCounts
      ? await source.flagCounts(tx, query)
      : flagCountsOf(await source.list(tx, query), views);
    for (const count of counts) add(count, source.kind);
  }
  const finish = (drafts: Map<number, FlagDraft>, colour: 'red' | 'yellow'): UnitFlag[] =>
    [...drafts].map(([unitId, draft]) => ({
      unitId,
      unitName: units.name(unitId),
      unitKind: units.kind(unitId),
      colour,
      byKind: draft.byKind,
      tasks: draft.byKind.task ?? 0,
      guestbook: draft.byKind.guestbook ?? 0,
      caseCalls: draft.byKind['case-call'] ?? 0,
      count: Object.values(draft.byKind).reduce((sum, n) => sum + (n ?? 0), 0),
      deadline: draft.deadline,
      view: views.of(draft.deadline),
    }));
  return {
    red: finish(red, 'red').sort(
      (a, b) =>
        b.view.daysLate - a.view.daysLate ||
        a.deadline.getTime() - b.deadline.getTime() ||
        b.count - a.count ||
        units.compare(a.unitId, b.unitId),
    ),
    yellow: finish(yellow, 'yellow').sort(
      (a, b) =>
        a.deadline.getTime() - b.deadline.getTime() || b.count - a.count || units.compare(a.unitId, b.unitId),
    ),
  };
}

/** A source's listed items as red and yellow counts: those that await the unit and have a deadline. */
export function flagCountsOf(items: readonly OpenItem[], views: DeadlineViews): UnitFlagCount[] {
  const result: UnitFlagCount[] = [];
  for (const item of items) {
    if (item.awaiting !== 'unit' || !item.deadline) continue;
    const colour = views.of(item.deadline).colour;
    if (colour === 'green') continue;
    result.push({ topUnitId: item.topUnitId, colour, count: 1, deadline: item.deadline });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Case calls

async function caseCallProgress(
  tx: EntityManager,
  views: DeadlineViews,
  scope: number[] | null,
  units: UnitDirectory,
): Promise<CaseCallProgress[]> {
  // Open calls, and those closed lately with their final shortfall (history, not a live flag).
  const calls = await recentCalls(tx, views.now);
  if (calls.length === 0) return [];
  const tops = (await activeTopUnits(tx)).filter((unit) => !scope || scope.includes(unit.id));
  const counts = await caseCounts(
    tx,
    calls.map((call) => call.id),
    scope ?? undefined,
  );
  return calls.map((call) => {
    const quotas = callQuotas(call);
    const short: CaseCallShortUnit[] = [];
    let owing = 0;
    let counted = 0;
    for (const unit of tops) {
      const quota = quotas[unit.kind];
      const unitCounted = countsFor(counts, call.id, unit.id).counted;
      counted += unitCounted;
      if (quota <= 0) continue;
      owing++;
      if (unitCounted < quota) {
        short.push({ unitId: unit.id, unitName: unit.name, counted: unitCounted, quota });
      }
    }
    short.sort(
      (a, b) =>
        units.rank(a.unitId)[0] - units.rank(b.unitId)[0] ||
        b.quota - b.counted - (a.quota - a.counted) ||
        a.unitId - b.unitId,
    );
    return {
      callId: call.id,
      ref: callRef(call.id),
      title: call.title,
      deadline: call.deadline,
      deadlineEstimated: call.deadlineEstimated,
      view: views.of(call.deadline, call.deadlineEstimated),
      owing,
      met: owing - short.length,
      counted,
      short,
      closedAt: call.status === 'closed' ? call.closedAt : null,
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Guestbook messages and filings at risk

async function atRiskCounts(
  tx: EntityManager,
  views: DeadlineViews,
  entity: typeof GuestbookMessage | typeof AccountFiling,
  openStatus: string,
  scope: number[] | null,
): Promise<{ red: number; yellow: number }> {
  const horizon = reminderHorizon(views.calendar, views.now);
  const rows = await inScope(
    tx
      .createQueryBuilder()
      .select('x.deadline', 'deadline')
      .addSelect('COUNT(*)', 'n')
      .from(entity, 'x')
      .where('x.status = :open AND x.deadline <= :horizon', { open: openStatus, horizon }),
    'x.top_unit_id',
    scope,
  )
    .groupBy('x.deadline')
    .getRawMany<{ deadline: unknown; n: unknown }>();
  const result = { red: 0, yellow: 0 };
  for (const row of rows) {
    const colour = views.of(asDate(row.deadline)).colour;
    if (colour === 'red') result.red += Number(row.n);
    if (colour === 'yellow') result.yellow += Number(row.n);
  }
  return result;
}

function byUrgency(a: AtRiskItem, b: AtRiskItem): number {
  return (
    Number(a.colour === 'yellow') - Number(b.colour === 'yellow') ||
    a.deadline.getTime() - b.deadline.getTime() ||
    a.id - b.id
  );
}

async function guestbookAtRisk(
  tx: EntityManager,
  views: DeadlineViews,
  scope: number[] | null,
  units: UnitDirectory,
): Promise<AtRiskList> {
  const counts = await atRiskCounts(tx, views, GuestbookMessage, 'open', scope);
  if (counts.red + counts.yellow === 0) return { ...counts, items: [] };
  const horizon = reminderHorizon(views.calendar, views.now);
  const candidates = await tx.getRepository(GuestbookMessage).find({
    select: {
      id: true,
      topUnitId: true,
      websiteId: true,
      summary: true,
      deadline: true,
      deadlineEstimated: true,
    },
    where: {
      status: 'open',
      deadline: LessThanOrEqual(horizon),
      ...(scope ? { topUnitId: In(scope) } : {}),
    },
    order: { deadline: 'ASC', id: 'ASC' },
    take: AT_RISK_ITEM_LIMIT,
  });
  const siteIds = [...new Set(candidates.map((message) => message.websiteId))];
  const sites = siteIds.length
    ? await tx.getRepository(Website).find({ select: { id: true, name: true }, where: { id: In(siteIds) } })
    : [];
  const siteName = new Map(sites.map((site) => [site.id, site.name]));
  const items: AtRiskItem[] = [];
  for (const message of candidates) {
    const view = views.of(message.deadline, message.deadlineEstimated);
    if (view.colour === 'green') continue;
    items.push({
      kind: 'guestbook',
      id: message.id,
      ref: guestbookRef(message.id),
      unitId: message.topUnitId,
      unitName: units.name(message.topUnitId),
      title: `${siteName.get(message.websiteId) ?? '网站'}：${clip(message.summary, 30)}`,
      deadline: message.deadline,
      estimated: message.deadlineEstimated,
      view,
      colour: view.colour,
    });
  }
  return { ...counts, items: items.sort(byUrgency).slice(0, AT_RISK_ITEM_LIMIT) };
}

async function filingsAtRisk(
  tx: EntityManager,
  views: DeadlineViews,
  scope: number[] | null,
  units: UnitDirectory,
): Promise<AtRiskList> {
  const counts = await atRiskCounts(tx, views, AccountFiling, 'submitted', scope);
  if (counts.red + counts.yellow === 0) return { ...counts, items: [] };
  const horizon = reminderHorizon(views.calendar, views.now);
  const filings = await tx.getRepository(AccountFiling).find({
    where: {
      status: 'submitted',
      deadline: LessThanOrEqual(horizon),
      ...(scope ? { topUnitId: In(scope) } : {}),
    },
    order: { deadline: 'ASC', id: 'ASC' },
    take: AT_RISK_ITEM_LIMIT,
  });
  const items: AtRiskItem[] = [];
  for (const filing of filings) {
    const view = views.of(filing.deadline, filing.deadlineEstimated);
    if (view.colour === 'green') continue;
    items.push({
      kind: 'filing',
      id: filing.id,
      ref: filingRef(filing.id),
      unitId: filing.topUnitId,
      unitName: units.name(filing.topUnitId),
      title: filingSubject(filing),
      deadline: filing.deadline,
      estimated: filing.deadlineEstimated,
      view,
      colour: view.colour,
    });
  }
  return { ...counts, items: items.sort(byUrgency).slice(0, AT_RISK_ITEM_LIMIT) };
}

// ---------------------------------------------------------------------------------------------------
// Per-unit detail

const COLOUR_RANK: Record<StatusColour, number> = { red: 0, yellow: 1, green: 2 };

/** The unit's red, yellow, green items (most days late, then soonest), then those waiting for review. */
export function compareDetailItems(a: DetailItem, b: DetailItem): number {
  const rank = (item: DetailItem) => (item.colour ? COLOUR_RANK[item.colour] : item.deadline ? 3 : 4);
  return (
    rank(a) - rank(b) ||
    (b.view?.daysLate ?? 0) - (a.view?.daysLate ?? 0) ||
    (a.deadline?.getTime() ?? 0) - (b.deadline?.getTime() ?? 0) ||
    a.ref.localeCompare(b.ref, 'en', { numeric: true })
  );
}

async function unitDetails(
  tx: EntityManager,
  views: DeadlineViews,
  unitIds: number[],
  units: UnitDirectory,
  withReplies: boolean,
): Promise<UnitDetail[]> {
  const ids = [...new Set(unitIds)];
  if (ids.length === 0) return [];
  const tasks = await tx.getRepository(Task).find({
    select: {
      id: true,
      unitId: true,
      title: true,
      status: true,
      deadline: true,
      deadlineEstimated: true,
      returnedAt: true,
    },
    where: { unitId: In(ids), status: In(['pending', 'submitted'] satisfies TaskStatus[]) },
    order: { deadline: 'ASC', id: 'ASC' },
  });
  const [extensions, replies, liaisons] = await Promise.all([
    tasksWithPendingExtension(
      tx,
      tasks.map((task) => task.id),
    ),
    withReplies
      ? latestReplies(
          tx,
          tasks.map((task) => task.id),
        )
      : Promise.resolve(new Map<number, LastReply>()),
    liaisonsByTopUnit(tx, ids),
  ]);
  const items = new Map<number, DetailItem[]>(ids.map((id) => [id, []]));
  for (const task of tasks) {
    const awaiting = taskAwaiting(task.status) ?? 'unit';
    const { view, colour } = views.standing(task.deadline, awaiting, task.deadlineEstimated);
    const state = taskStateLabel(task);
    items.get(task.unitId)?.push({
      kind: 'task',
      ref: taskRef(task.id),
      taskId: task.id,
      title: task.title,
      state: extensions.has(task.id) ? `${state}（延期申请中）` : state,
      deadline: task.deadline,
      estimated: task.deadlineEstimated,
      view,
      colour,
      awaiting,
      lastReply: replies.get(task.id) ?? null,
    });
  }
  // Guestbook messages, case calls, filings and domain requests, as their features list them.
  for (const source of openItemSources.filter((candidate) => candidate.kind !== 'task')) {
    const open = await source.list(tx, { now: views.now, calendar: views.calendar, topUnitIds: ids });
    for (const item of open) {
      const { view, colour } = views.standing(item.deadline, item.awaiting, item.deadlineEstimated);
      items.get(item.topUnitId)?.push({
        kind: item.kind,
        ref: item.ref,
        taskId: null,
        title: item.title,
        state: item.state,
        deadline: item.deadline,
        estimated: item.deadlineEstimated ?? false,
        view,
        colour,
        awaiting: item.awaiting,
        lastReply: null,
      });
    }
  }
  return ids.map((unitId) => ({
    unitId,
    unitName: units.name(unitId),
    unitKind: units.kind(unitId),
    liaisons: (liaisons.get(unitId) ?? []).map((person) => ({ userid: person.userid, name: person.name })),
    items: (items.get(unitId) ?? []).sort(compareDetailItems),
  }));
}

/** Each task's latest reply, in two queries whatever the number of tasks. */
async function latestReplies(tx: EntityManager, taskIds: number[]): Promise<Map<number, LastReply>> {
  const result = new Map<number, LastReply>();
  for (let i = 0; i < taskIds.length; i += 1000) {
    const chunk = taskIds.slice(i, i + 1000);
    const latest = await tx
      .createQueryBuilder()
      .select('MAX(r.id)', 'id')
      .from(TaskReply, 'r')
      .where('r.task_id IN (:...chunk)', { chunk })
      .groupBy('r.task_id')
      .getRawMany<{ id: unknown }>();
    const replyIds = latest.map((row) => Number(row.id));
    if (replyIds.length === 0) continue;
    const replies = await tx.getRepository(TaskReply).find({
      select: { id: true, taskId: true, userid: true, text: true, submittedAt: true },
      where: { id: In(replyIds) },
    });
    const names = await personNames(
      tx,
      replies.map((reply) => reply.userid),
    );
    for (const reply of replies) {
      result.set(reply.taskId, {
        at: reply.submittedAt,
        userid: reply.userid,
        name: names.get(reply.userid) ?? reply.userid,
        text: reply.text,
      });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Activity over a period (周报)

async function activity(tx: EntityManager, scope: number[] | null, from: Date, to: Date): Promise<Activity> {
  const window = { from, to };
  const count = async <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<number> =>
    Number((await qb.getRawOne<{ n: unknown }>())?.n ?? 0);
  const taskScope = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>) => inScope(qb, 't.unit_id', scope);
  // Batches as 进度 counts them (batchKeyOf): a notice's tasks are one batch.
  const assignedGroups = await taskScope(
    tx
      .createQueryBuilder()
      .select('COUNT(*)', 'n')
      .addSelect('MIN(t.id)', 'firstId')
      .addSelect('t.batch', 'batch')
      .addSelect('t.notice_id', 'noticeId')
      .from(Task, 't')
      .where('t.assigned_at >= :from AND t.assigned_at < :to', window),
  )
    .groupBy('t.notice_id')
    .addGroupBy('t.batch')
    .addGroupBy('t.kind')
    .addGroupBy('t.title')
    .addGroupBy('t.created_by')
    .addGroupBy('t.assigned_at')
    .getRawMany<{ n: unknown; firstId: unknown; batch: unknown; noticeId: unknown }>();
  const assignedBatches = new Set(
    assignedGroups.map((row) =>
      batchKeyOf({
        noticeId: row.noticeId === null ? null : Number(row.noticeId),
        firstTaskId: Number(row.batch) || Number(row.firstId),
      }),
    ),
  );
  const replies = await count(
    taskScope(
      tx
        .createQueryBuilder()
        .select('COUNT(*)', 'n')
        .from(TaskReply, 'r')
        .innerJoin(Task, 't', 't.id = r.task_id')
        .where('r.submitted_at >= :from AND r.submitted_at < :to', window),
    ),
  );
  const reviews = await taskScope(
    tx
      .createQueryBuilder()
      .select("SUM(CASE WHEN v.decision = 'approve' THEN 1 ELSE 0 END)", 'approved')
      .addSelect("SUM(CASE WHEN v.decision = 'return' THEN 1 ELSE 0 END)", 'returned')
      .from(TaskReview, 'v')
      .innerJoin(Task, 't', 't.id = v.task_id')
      .where('v.reviewed_at >= :from AND v.reviewed_at < :to', window),
  ).getRawOne<{ approved: unknown; returned: unknown }>();
  const guestbook = await inScope(
    tx
      .createQueryBuilder()
      .select('SUM(CASE WHEN g.received_at >= :from AND g.received_at < :to THEN 1 ELSE 0 END)', 'received')
      .addSelect(
        // An answer waiting for review (status still open) is not counted until it is approved.
        "SUM(CASE WHEN g.status = 'answered' AND g.answered_at >= :from AND g.answered_at < :to THEN 1 ELSE 0 END)",
        'answered',
      )
      .from(GuestbookMessage, 'g')
      .where('(g.received_at >= :from OR g.answered_at >= :from)', window),
    'g.top_unit_id',
    scope,
  ).getRawOne<{ received: unknown; answered: unknown }>();
  const filings = await inScope(
    tx
      .createQueryBuilder()
      .select(
        'SUM(CASE WHEN f.submitted_at >= :from AND f.submitted_at < :to THEN 1 ELSE 0 END)',
        'submitted',
      )
      .addSelect(
        "SUM(CASE WHEN f.status = 'confirmed' AND f.decided_at >= :from AND f.decided_at < :to THEN 1 ELSE 0 END)",
        'confirmed',
      )
      .from(AccountFiling, 'f')
      .where('(f.submitted_at >= :from OR f.decided_at >= :from)', window),
    'f.top_unit_id',
    scope,
  ).getRawOne<{ submitted: unknown; confirmed: unknown }>();
  return {
    from,
    to,
    tasksAssigned: assignedGroups.reduce((sum, row) => sum + Number(row.n), 0),
    batchesAssigned: assignedBatches.size,
    replies,
    approved: Number(reviews?.approved ?? 0),
    returned: Number(reviews?.returned ?? 0),
    guestbookReceived: Number(guestbook?.received ?? 0),
    guestbookAnswered: Number(guestbook?.answered ?? 0),
    filingsSubmitted: Number(filings?.submitted ?? 0),
    filingsConfirmed: Number(filings?.confirmed ?? 0),
  };
}

// ---------------------------------------------------------------------------------------------------
// Task by task (导出进度)

export interface ProgressTaskRow {
  id: number;
  ref: string;
  unitId: number;
  unitName: string;
  unitKind: UnitKind;
  kind: TaskKind;
  title: string;
  deadline: Date;
  deadlineEstimated: boolean;
  status: TaskStatus;
  /** 待办 / 已退回 / 已提交待审 / 已办结 */
  state: string;
  /** The task's colour against its unit; green once it is submitted or done. */
  colour: StatusColour;
  submittedAt: Date | null;
  /** When the current state was decided: approved (doneAt) or returned (returnedAt, while pending). */
  reviewedAt: Date | null;
  /** Pending: working days overdue now; submitted or done: working days late at submission. */
  daysLate: number;
  lateSubmission: boolean;
}

export interface UnitTaskSummary {
  unitId: number;
  unitName: string;
  unitKind: UnitKind;
  counts: TaskCounts;
  /** Pending tasks due today or by the next working day. */
  yellow: number;
  /** The most working days any of its tasks is (or was, at submission) late. */
  maxDaysLate: number;
  colour: StatusColour;
}

interface RawTaskRow {
  id: unknown;
  unitId: unknown;
  noticeId: unknown;
  kind: unknown;
  title: unknown;
  createdBy: unknown;
  assignedAt: unknown;
  deadline: unknown;
  deadlineEstimated: unknown;
  status: unknown;
  submittedAt: unknown;
  doneAt: unknown;
  returnedAt: unknown;
  batch: unknown;
}

/**
 * Every task of the model's open batches, one row each, with the same colour and days late as
 * the lists: by unit (区县, 功能区, 市直部门, 其他), then deadline. Reads plain columns, not entities.
 */
export async function progressTaskRows(
  tx: EntityManager,
  model: ProgressModel,
  calendar: WorkCalendar,
): Promise<ProgressTaskRow[]> {
  const views = new DeadlineViews(calendar, model.now);
  const units = await unitDirectory(tx);
  const batchIds = model.batches.flatMap((batch) => batch.batchIds);
  const legacyKeys = new Set(model.batches.flatMap((batch) => batch.legacyKeys));
  const select = () =>
    inScope(
      tx
        .createQueryBuilder()
        .select('t.id', 'id')
        .addSelect('t.unit_id', 'unitId')
        .addSelect('t.notice_id', 'noticeId')
        .addSelect('t.kind', 'kind')
        .addSelect('t.title', 'title')
        .addSelect('t.created_by', 'createdBy')
        .addSelect('t.assigned_at', 'assignedAt')
        .addSelect('t.deadline', 'deadline')
        .addSelect('t.deadline_estimated', 'deadlineEstimated')
        .addSelect('t.status', 'status')
        .addSelect('t.submitted_at', 'submittedAt')
        .addSelect('t.done_at', 'doneAt')
        .addSelect('t.returned_at', 'returnedAt')
        .addSelect('t.batch', 'batch')
        .from(Task, 't'),
      't.unit_id',
      model.scope,
    );
  const raw: RawTaskRow[] = [];
  for (let i = 0; i < batchIds.length; i += 500) {
    const chunk = batchIds.slice(i, i + 500);
    raw.push(...(await select().andWhere('t.batch IN (:...chunk)', { chunk }).getRawMany<RawTaskRow>()));
  }
  if (legacyKeys.size > 0) {
    const legacy = await select().andWhere('t.batch = 0').getRawMany<RawTaskRow>();
    raw.push(
      ...legacy.filter((row) =>
        legacyKeys.has(
          legacyKeyOf({
            noticeId: row.noticeId === null ? null : Number(row.noticeId),
            kind: String(row.kind),
            title: String(row.title),
            createdBy: String(row.createdBy),
            assignedAt: asDate(row.assignedAt),
          }),
        ),
      ),
    );
  }
  const rows = raw.map((row): ProgressTaskRow => {
    const status = String(row.status) as TaskStatus;
    const deadline = asDate(row.deadline);
    const submittedAt = row.submittedAt === null ? null : asDate(row.submittedAt);
    const returnedAt = row.returnedAt === null ? null : asDate(row.returnedAt);
    const unitId = Number(row.unitId);
    const standing = views.standing(
      deadline,
      taskAwaiting(status) ?? 'supervisor',
      Boolean(Number(row.deadlineEstimated)),
    );
    const daysLate =
      status === 'pending'
        ? (standing.view?.daysLate ?? 0)
        : submittedAt
          ? daysLateAtSubmission(calendar, deadline, submittedAt)
          : 0;
    return {
      id: Number(row.id),
      ref: taskRef(Number(row.id)),
      unitId,
      unitName: units.name(unitId),
      unitKind: units.kind(unitId),
      kind: String(row.kind) as TaskKind,
      title: String(row.title),
      deadline,
      deadlineEstimated: Boolean(Number(row.deadlineEstimated)),
      status,
      state: taskStateLabel({ status, returnedAt }),
      colour: standing.colour ?? 'green',
      submittedAt,
      reviewedAt:
        status === 'done'
          ? row.doneAt === null
            ? null
            : asDate(row.doneAt)
          : status === 'pending'
            ? returnedAt
            : null,
      daysLate,
      lateSubmission: status !== 'pending' && submittedAt !== null && submittedAt >= deadline,
    };
  });
  return rows.sort(
    (a, b) => units.compare(a.unitId, b.unitId) || a.deadline.getTime() - b.deadline.getTime() || a.id - b.id,
  );
}

/** Per unit, from the rows: counts, how many are yellow, the most days late, and the unit's colour. */
export function summariseByUnit(rows: readonly ProgressTaskRow[]): UnitTaskSummary[] {
  const byUnit = new Map<number, UnitTaskSummary>();
  for (const row of rows) {
    let summary = byUnit.get(row.unitId);
    if (!summary) {
      summary = {
        unitId: row.unitId,
        unitName: row.unitName,
        unitKind: row.unitKind,
        counts: emptyCounts(),
        yellow: 0,
        maxDaysLate: 0,
        colour: 'green',
      };
      byUnit.set(row.unitId, summary);
    }
    const counts = summary.counts;
    counts.total++;
    if (row.status === 'done') counts.done++;
    else if (row.status === 'submitted') counts.submitted++;
    else if (row.colour === 'red') counts.overdue++;
    else counts.pending++;
    if (row.lateSubmission) counts.lateSubmitted++;
    if (row.colour === 'yellow') summary.yellow++;
    summary.maxDaysLate = Math.max(summary.maxDaysLate, row.daysLate);
  }
  for (const summary of byUnit.values()) {
    summary.colour = summary.counts.overdue > 0 ? 'red' : summary.yellow > 0 ? 'yellow' : 'green';
  }
  // Rows come ordered by unit already; keep that order.
  return [...byUnit.values()];
}
