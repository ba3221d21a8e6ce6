// The site patrol's changes, in the `(effects, …, actor)` shape: start a run (巡检 [单位|网站|全部])
// and turn chosen findings into rectification tasks for their units (巡检下发). The reading itself
// is done by PatrolWorker (runner.ts), on the instances that claim the run's sites.
import { In, type EntityManager } from 'typeorm';
import { isMysql } from '../../db/data-source.js';
import { PatrolFinding, PatrolSite, type PatrolRun } from '../../entities/patrol.js';
import type { Task } from '../../entities/task.js';
import { Website } from '../../entities/website.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { workingDaysDeadline } from '../calendar/deadlines.js';
import { findUnitByName, unitIdsUnder, topUnitOf } from '../directory/lookup.js';
import type { Actor, Effects } from '../shared/effects.js';
import { createTasks } from '../tasks/store.js';
import { findingRef, parseFindingRefs, PATROL_LIMITS } from './rules.js';
import {
  findingsOf,
  linkFindingsToTask,
  patrolledSites,
  runningRun,
  startRun,
  type FindingRow,
} from './store.js';
import { rectificationDetail, rectificationTitle, type IssueRefusal } from './views.js';

export interface PatrolSettings {
  exclude: readonly string[];
  budgetMs?: number;
}

/** What 巡检 <target> names: everything, a unit (and its sub-units), or one site. */
export type PatrolTarget =
  | { kind: 'all' }
  | { kind: 'unit'; unitIds: number[]; name: string }
  | { kind: 'site'; website: Website }
  | { kind: 'unknown'; suggestions: string[] };

export async function resolveTarget(tx: EntityManager, text: string): Promise<PatrolTarget> {
  const wanted = text.trim();
  if (!wanted || wanted === '全部') return { kind: 'all' };
  const sites = await tx.getRepository(Website).find({ where: { status: 'active' } });
  const lower = wanted.toLowerCase();
  const exact = sites.find(
    (s) => s.siteCode === wanted || s.name === wanted || s.domain.toLowerCase() === lower,
  );
  if (exact) return { kind: 'site', website: exact };
  // A unit's exact name before a site whose name merely contains it (张店区 → the unit, not its site).
  const found = await findUnitByName(tx, wanted);
  const partialSites = sites.filter((s) => s.name.includes(wanted));
  if (found.unit && (found.unit.name === wanted || partialSites.length !== 1)) {
    const top = await topUnitOf(tx, found.unit.id);
    const unitIds = top && top.id === found.unit.id ? await unitIdsUnder(tx, top.id) : [found.unit.id];
    return { kind: 'unit', unitIds, name: found.unit.name };
  }
  if (partialSites.length === 1) return { kind: 'site', website: partialSites[0]! };
  return { kind: 'unknown', suggestions: found.unit ? [] : found.suggestions };
}

export type StartOutcome =
  | { kind: 'started'; run: PatrolRun; sites: number }
  | { kind: 'busy'; run: PatrolRun; done: number; total: number }
  | { kind: 'no-sites' }
  | { kind: 'unknown'; suggestions: string[] };

/** Starts a patrol of `target` (one run at a time across instances). */
export async function startPatrol(
  effects: Effects,
  target: PatrolTarget,
  settings: PatrolSettings,
  actor: Actor | 'schedule',
): Promise<StartOutcome> {
  const { tx, now } = effects;
  if (target.kind === 'unknown') return target;
  const running = await runningRun(tx);
  if (running) {
    const sites = await tx
      .getRepository(PatrolSite)
      .find({ where: { runId: running.id }, select: { status: true } });
    return {
      kind: 'busy',
      run: running,
      done: sites.filter((site) => site.status === 'done').length,
      total: sites.length,
    };
  }
  const websites = await patrolledSites(
    tx,
    settings.exclude,
    target.kind === 'unit'
      ? { unitIds: target.unitIds }
      : target.kind === 'site'
        ? { websiteIds: [target.website.id] }
        : {},
  );
  if (!websites.length) return { kind: 'no-sites' };
  const scope = target.kind === 'all' ? '全部' : target.kind === 'unit' ? target.name : target.website.name;
  const requestedBy = actor === 'schedule' ? 'schedule' : actor.userid;
  const run = await startRun(
    tx,
    {
      requestedBy,
      scope,
      websiteIds: websites.map((site) => site.id),
      budgetMs: settings.budgetMs ?? PATROL_LIMITS.runBudgetMs,
    },
    now,
  );
  await effects.audit({
    actor: requestedBy,
    action: 'patrol.start',
    target: `patrol:${run.id}`,
    detail: `网站巡检（${scope}，${websites.length} 个网站）`,
  });
  return { kind: 'started', run, sites: websites.length };
}

export type IssueOutcome =
  { ok: true; tasks: Task[]; rows: FindingRow[] } | { ok: false; refusal: IssueRefusal };

/** Working days a unit has to rectify what the patrol found. */
export const RECTIFICATION_WORKING_DAYS = 5;

/**
 * 巡检下发: one rectification task per unit (and site) for the chosen open findings, with the
 * evidence in its 要求; each finding remembers its task, so 任务 T12 shows when it is gone.
 */
export async function issueFindings(
  effects: Effects,
  refs: string,
  calendar: WorkCalendar,
  actor: Actor,
): Promise<IssueOutcome> {
  const { tx, now } = effects;
  const parsed = parseFindingRefs(refs);
  if (parsed.invalid.length) return { ok: false, refusal: { reason: 'invalid', tokens: parsed.invalid } };
  if (!parsed.ids.length) return { ok: false, refusal: { reason: 'usage' } };
  // Locked: two supervisors issuing the same finding at once make one task, not two.
  // (The embedded SQLite has no row locks; it runs one transaction at a time anyway.)
  const locked = await tx.getRepository(PatrolFinding).find({
    where: { id: In(parsed.ids) },
    ...(isMysql(tx.connection) ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  const known = new Set(locked.map((finding) => finding.id));
  // All or nothing; a refusal names the ones that could go on their own.
  const rest = locked
    .filter((finding) => !finding.resolvedAt && !finding.taskId)
    .map((finding) => finding.id)
    .sort((a, b) => a - b);
  const unknown = parsed.ids.filter((id) => !known.has(id));
  if (unknown.length) return { ok: false, refusal: { reason: 'unknown', ids: unknown, rest } };
  const resolved = locked.filter((finding) => finding.resolvedAt);
  if (resolved.length)
    return { ok: false, refusal: { reason: 'resolved', ids: resolved.map((f) => f.id), rest } };
  const issued = locked.filter((finding) => finding.taskId);
  if (issued.length) {
    return {
      ok: false,
      refusal: {
        reason: 'issued',
        ids: issued.map((finding) => finding.id),
        taskIds: [...new Set(issued.map((finding) => finding.taskId!))],
        rest,
      },
    };
  }
  const rows = await findingsOf(tx, { ids: parsed.ids });
  const deadline = workingDaysDeadline(calendar, now, RECTIFICATION_WORKING_DAYS);
  const bySite = new Map<number, FindingRow[]>();
  for (const row of rows)
    bySite.set(row.finding.websiteId, [...(bySite.get(row.finding.websiteId) ?? []), row]);
  const tasks: Task[] = [];
  for (const siteRows of bySite.values()) {
    const [task] = await createTasks(
      tx,
      {
        kind: 'rectification',
        title: rectificationTitle(siteRows[0]!.siteName),
        detail: rectificationDetail(siteRows, now),
        unitIds: [siteRows[0]!.finding.unitId],
        deadline: deadline.deadline,
        deadlineEstimated: deadline.provisionalYears.length > 0,
        deadlineWorkingDays: RECTIFICATION_WORKING_DAYS,
        deadlineCountedFrom: now,
        noticeId: null,
      },
      actor.userid,
      now,
      effects.audit,
    );
    await linkFindingsToTask(
      tx,
      siteRows.map((row) => row.finding.id),
      task!.id,
    );
    for (const row of siteRows) row.finding.taskId = task!.id;
    await effects.audit({
      actor: actor.userid,
      action: 'patrol.issue',
      target: `task:${task!.id}`,
      detail: `巡检问题 ${siteRows.map((row) => findingRef(row.finding.id)).join('、')} 下发`,
    });
    tasks.push(task!);
  }
  return { ok: true, tasks, rows };
}

/** The findings a task was made from (任务 T12 shows whether each is gone). */
export async function findingsOfTask(tx: EntityManager, taskId: number): Promise<PatrolFinding[]> {
  return tx.getRepository(PatrolFinding).find({ where: { taskId }, order: { id: 'ASC' } });
}
