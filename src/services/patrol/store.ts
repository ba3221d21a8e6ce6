// The site patrol's rows: runs, the sites of a run claimed as units of work (FOR UPDATE SKIP LOCKED
// with a lease, like the outbox: two instances share a run, and a crashed instance's site is taken
// over when its lease runs out), the page cache for conditional GET, and the findings kept per site
// across runs (same site, kind and URL = same finding; not seen again where looked for = 已消除).
import { In, IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { isMysql } from '../../db/data-source.js';
import {
  PatrolFinding,
  PatrolPage,
  PatrolRun,
  PatrolSite,
  type PatrolFindingKind,
} from '../../entities/patrol.js';
import { Unit } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { topUnitIndex } from '../directory/lookup.js';
import { maskPiiForLog } from '../pii/detector.js';
import type { CachedPage, CrawlResult } from './crawl.js';
import { clipTo, urlKey, type Observation } from './rules.js';

// ---------------------------------------------------------------------------------------------
// Runs and claims

/** Sites a patrol reads: active ones, minus those excluded by 标识码 (PATROL_EXCLUDE). */
export async function patrolledSites(
  tx: EntityManager,
  exclude: readonly string[],
  filter: { unitIds?: number[]; websiteIds?: number[] } = {},
): Promise<Website[]> {
  const sites = await tx.getRepository(Website).find({
    where: {
      status: 'active',
      ...(filter.unitIds ? { unitId: In(filter.unitIds) } : {}),
      ...(filter.websiteIds ? { id: In(filter.websiteIds) } : {}),
    },
    order: { id: 'ASC' },
  });
  const excluded = new Set(exclude);
  return sites.filter((site) => !excluded.has(site.siteCode));
}

/** A run already under way (one at a time: a second 巡检 is told to wait). */
export async function runningRun(tx: EntityManager): Promise<PatrolRun | null> {
  return tx.getRepository(PatrolRun).findOne({ where: { status: 'running' }, order: { id: 'DESC' } });
}

export async function startRun(
  tx: EntityManager,
  spec: { requestedBy: string; scope: string; websiteIds: number[]; budgetMs: number },
  now: Date,
): Promise<PatrolRun> {
  const runs = tx.getRepository(PatrolRun);
  const run = await runs.save(
    runs.create({
      requestedBy: spec.requestedBy,
      scope: clipTo(spec.scope, 100),
      status: 'running',
      startedAt: now,
      deadline: new Date(now.getTime() + spec.budgetMs),
      finishedAt: null,
    }),
  );
  if (spec.websiteIds.length) {
    await tx.getRepository(PatrolSite).insert(
      spec.websiteIds.map((websiteId) => ({
        runId: run.id,
        websiteId,
        status: 'pending' as const,
        leaseOwner: null,
        leaseUntil: null,
        attempts: 0,
      })),
    );
  }
  return run;
}

export interface Claim {
  site: PatrolSite;
  run: PatrolRun;
  website: Website;
}

/**
 * Claims one site of a running run: a pending one, or one whose lease ran out (its instance
 * crashed or stalled). A site claimed `maxAttempts` times already is finished unread instead.
 */
export async function claimSite(
  dataSource: DataSource,
  owner: string,
  now: Date,
  options: { leaseMs: number; maxAttempts: number; finished?: PatrolRun[] },
): Promise<Claim | null> {
  const mysql = isMysql(dataSource);
  for (;;) {
    const outcome = await dataSource.transaction(async (tx) => {
      let query = tx
        .getRepository(PatrolSite)
        .createQueryBuilder('s')
        .innerJoin(PatrolRun, 'r', 'r.id = s.run_id')
        .where("r.status = 'running'")
        .andWhere("(s.status = 'pending' OR (s.status = 'claimed' AND s.lease_until < :now))", { now })
        .orderBy('s.id')
        .limit(1);
      if (mysql) query = query.setLock('pessimistic_write').setOnLocked('skip_locked');
      const site = await query.getOne();
      if (!site) return null;
      const run = await tx.getRepository(PatrolRun).findOneByOrFail({ id: site.runId });
      // Past the run's time budget, or given up after crashes: finished unread.
      if (site.attempts >= options.maxAttempts || run.deadline.getTime() <= now.getTime()) {
        await tx
          .getRepository(PatrolSite)
          .update(site.id, { status: 'done', truncated: true, leaseOwner: null, finishedAt: now });
        const finished = await completeRun(tx, run, now);
        if (finished) options.finished?.push(finished);
        return 'given-up' as const;
      }
      const leaseUntil = new Date(now.getTime() + options.leaseMs);
      await tx
        .getRepository(PatrolSite)
        .update(site.id, { status: 'claimed', leaseOwner: owner, leaseUntil, attempts: site.attempts + 1 });
      Object.assign(site, { status: 'claimed', leaseOwner: owner, leaseUntil, attempts: site.attempts + 1 });
      const website = await tx.getRepository(Website).findOneBy({ id: site.websiteId });
      if (!website) {
        await tx.getRepository(PatrolSite).update(site.id, { status: 'done', finishedAt: now });
        const finished = await completeRun(tx, run, now);
        if (finished) options.finished?.push(finished);
        return 'given-up' as const;
      }
      return { site, run, website };
    });
    if (outcome !== 'given-up') return outcome;
  }
}

/** Marks the run done when none of its sites is left; the run when this call did it. */
async function completeRun(tx: EntityManager, run: PatrolRun, now: Date): Promise<PatrolRun | null> {
  const open = await tx.getRepository(PatrolSite).count({ where: { runId: run.id, status: Not('done') } });
  if (open > 0) return null;
  const done = await tx
    .getRepository(PatrolRun)
    .update({ id: run.id, status: 'running' }, { status: 'done', finishedAt: now });
  return (done.affected ?? 0) > 0 ? { ...run, status: 'done', finishedAt: now } : null;
}

/** Extends a claim; false when the site was taken over meanwhile (the caller stops). */
export async function renewLease(
  dataSource: DataSource,
  site: PatrolSite,
  owner: string,
  until: Date,
): Promise<boolean> {
  const result = await dataSource
    .getRepository(PatrolSite)
    .update({ id: site.id, leaseOwner: owner, status: 'claimed' }, { leaseUntil: until });
  return (result.affected ?? 0) > 0;
}

export async function pageCache(tx: EntityManager, websiteId: number): Promise<Map<string, CachedPage>> {
  const rows = await tx.getRepository(PatrolPage).find({ where: { websiteId } });
  return new Map(
    rows.map((row) => [row.url, { etag: row.etag, lastModified: row.lastModified, summary: row.summary }]),
  );
}

/** Whether the site's last finished patrol before this run found it unreachable. */
async function unreachableLastTime(tx: EntityManager, websiteId: number, runId: number): Promise<boolean> {
  const previous = await tx.getRepository(PatrolSite).findOne({
    where: { websiteId, status: 'done', runId: Not(runId), finishedAt: Not(IsNull()) },
    order: { runId: 'DESC' },
  });
  return previous?.unreachable ?? false;
}

export interface SiteOutcome {
  /** Findings new this run. */
  found: number;
  resolved: number;
  /** The run this site completed, when it was the last one (the caller tells who asked). */
  finishedRun: PatrolRun | null;
}

class LostLease extends Error {}

/**
 * Stores what one site's patrol saw, in one transaction: the page cache, findings new or seen
 * again, findings resolved (only where this run looked), the unreachable finding on the second
 * run in a row, and the site's row, finished only by the instance that still holds it.
 */
export async function finishSite(
  dataSource: DataSource,
  claim: Claim,
  crawl: CrawlResult,
  stats: { requests: number },
  owner: string,
  now: Date,
): Promise<SiteOutcome | null> {
  try {
    return await dataSource.transaction(async (tx) => {
      const { site, run, website } = claim;
      const finished = await tx.getRepository(PatrolSite).update(
        { id: site.id, leaseOwner: owner, status: 'claimed' },
        {
          status: 'done',
          leaseOwner: null,
          pages: crawl.pages,
          requests: stats.requests,
          bytes: Math.min(crawl.bytes, 2_000_000_000),
          unreachable: !crawl.reachable,
          truncated: crawl.truncated,
          finishedAt: now,
        },
      );
      if ((finished.affected ?? 0) === 0) throw new LostLease();

      await savePages(tx, website.id, crawl, now);
      const observations = [...crawl.observations];
      if (!crawl.reachable && (await unreachableLastTime(tx, website.id, run.id))) {
        observations.push({
          kind: 'unreachable',
          url: crawl.homeUrl,
          pageUrl: null,
          detail: crawl.homeFailure ?? '',
          snippet: '连续两次巡检无法访问',
        });
      }
      // Findings belong to the top-level unit, as tasks do.
      const topUnitId = (await topUnitIndex(tx)).get(website.unitId) ?? website.unitId;
      const found = await recordObservations(tx, website, topUnitId, run.id, observations, now);
      if (crawl.unchanged.length) {
        await tx.getRepository(PatrolFinding).update(
          {
            websiteId: website.id,
            kind: 'pii',
            urlKey: In(crawl.unchanged.map(urlKey)),
            resolvedAt: IsNull(),
          },
          { lastSeenAt: now, lastRunId: run.id },
        );
      }
      const resolved = await resolveMissing(tx, website.id, run.id, crawl, now);
      return { found, resolved, finishedRun: await completeRun(tx, run, now) };
    });
  } catch (error) {
    if (error instanceof LostLease) return null;
    throw error;
  }
}

async function savePages(tx: EntityManager, websiteId: number, crawl: CrawlResult, now: Date): Promise<void> {
  const repo = tx.getRepository(PatrolPage);
  for (const update of crawl.pageUpdates) {
    const key = urlKey(update.url);
    const values = {
      url: clipTo(update.url, 1000),
      etag: update.etag ? clipTo(update.etag, 200) : null,
      lastModified: update.lastModified ? clipTo(update.lastModified, 100) : null,
      summary: update.summary,
      readAt: now,
    };
    const existing = await repo.findOne({ where: { websiteId, urlKey: key }, select: { id: true } });
    if (existing) await repo.update(existing.id, values);
    else await repo.insert({ websiteId, urlKey: key, ...values });
  }
}

async function recordObservations(
  tx: EntityManager,
  website: Website,
  topUnitId: number,
  runId: number,
  observations: readonly Observation[],
  now: Date,
): Promise<number> {
  const repo = tx.getRepository(PatrolFinding);
  let found = 0;
  for (const observation of observations) {
    const key = urlKey(observation.url);
    const fields = {
      pageUrl: observation.pageUrl ? clipTo(observation.pageUrl, 1000) : null,
      // Link texts and titles come from the site: masked too, so no raw number is ever stored.
      detail: clipTo(maskPiiForLog(observation.detail), 300),
      snippet: clipTo(maskPiiForLog(observation.snippet), 500),
      lastSeenAt: now,
      lastRunId: runId,
      resolvedAt: null,
      unitId: topUnitId,
    };
    const existing = await repo.findOne({
      where: { websiteId: website.id, kind: observation.kind, urlKey: key },
    });
    if (existing) {
      // Seen again (or back after it was resolved: open again, same number).
      if (existing.resolvedAt) found++;
      await repo.update(existing.id, fields);
    } else {
      found++;
      await repo.insert({
        websiteId: website.id,
        kind: observation.kind,
        urlKey: key,
        url: clipTo(observation.url, 1000),
        firstSeenAt: now,
        taskId: null,
        ...fields,
      });
    }
  }
  return found;
}

/** Open findings not seen this run where this run looked: 已消除. */
async function resolveMissing(
  tx: EntityManager,
  websiteId: number,
  runId: number,
  crawl: CrawlResult,
  now: Date,
): Promise<number> {
  const repo = tx.getRepository(PatrolFinding);
  const open = await repo.find({ where: { websiteId, resolvedAt: IsNull(), lastRunId: Not(runId) } });
  const assessed = new Set(crawl.assessed);
  // A site that moved (a new address or port in the directory): what was found at the old one is gone.
  const home = hostOf(crawl.siteUrl);
  const moved = (url: string | null) => url !== null && hostOf(url) !== home;
  const gone = open.filter((finding) => {
    if (finding.kind === 'unreachable') return crawl.reachable || moved(finding.url);
    if (!crawl.reachable) return false;
    if (finding.kind === 'pii' || finding.kind === 'stale')
      return assessed.has(finding.url) || moved(finding.url);
    return finding.pageUrl !== null && (assessed.has(finding.pageUrl) || moved(finding.pageUrl));
  });
  if (gone.length) await repo.update({ id: In(gone.map((finding) => finding.id)) }, { resolvedAt: now });
  return gone.length;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Reading findings

export interface FindingRow {
  finding: PatrolFinding;
  siteName: string;
  unitName: string;
}

export async function findingsOf(
  tx: EntityManager,
  filter: { unitIds?: number[]; websiteId?: number; open?: boolean; ids?: number[]; taskId?: number },
): Promise<FindingRow[]> {
  const findings = await tx.getRepository(PatrolFinding).find({
    where: {
      ...(filter.unitIds ? { unitId: In(filter.unitIds) } : {}),
      ...(filter.websiteId !== undefined ? { websiteId: filter.websiteId } : {}),
      ...(filter.open ? { resolvedAt: IsNull() } : {}),
      ...(filter.ids ? { id: In(filter.ids) } : {}),
      ...(filter.taskId !== undefined ? { taskId: filter.taskId } : {}),
    },
    order: { unitId: 'ASC', websiteId: 'ASC', id: 'ASC' },
  });
  const siteIds = [...new Set(findings.map((finding) => finding.websiteId))];
  const unitIds = [...new Set(findings.map((finding) => finding.unitId))];
  const [sites, units] = await Promise.all([
    siteIds.length ? tx.getRepository(Website).findBy({ id: In(siteIds) }) : [],
    unitIds.length ? tx.getRepository(Unit).findBy({ id: In(unitIds) }) : [],
  ]);
  const siteNames = new Map(sites.map((site) => [site.id, site.name]));
  const unitNames = new Map(units.map((unit) => [unit.id, unit.name]));
  return findings.map((finding) => ({
    finding,
    siteName: siteNames.get(finding.websiteId) ?? '',
    unitName: unitNames.get(finding.unitId) ?? '',
  }));
}

/** Open findings per unit (进度, 周报, the board). */
export async function openFindingCounts(tx: EntityManager, unitIds?: number[]): Promise<Map<number, number>> {
  const query = tx
    .getRepository(PatrolFinding)
    .createQueryBuilder('f')
    .select('f.unit_id', 'unitId')
    .addSelect('COUNT(*)', 'count')
    .where('f.resolved_at IS NULL')
    .groupBy('f.unit_id');
  if (unitIds) {
    if (!unitIds.length) return new Map();
    query.andWhere('f.unit_id IN (:...unitIds)', { unitIds });
  }
  const rows = await query.getRawMany<{ unitId: number | string; count: number | string }>();
  return new Map(rows.map((row) => [Number(row.unitId), Number(row.count)]));
}

export async function linkFindingsToTask(tx: EntityManager, ids: number[], taskId: number): Promise<void> {
  await tx.getRepository(PatrolFinding).update({ id: In(ids) }, { taskId });
}

export async function latestRun(tx: EntityManager): Promise<PatrolRun | null> {
  return tx.getRepository(PatrolRun).findOne({ where: {}, order: { id: 'DESC' } });
}

export async function runTotals(
  tx: EntityManager,
  runId: number,
): Promise<{
  sites: number;
  pages: number;
  requests: number;
  bytes: number;
  unreachable: number;
  truncated: number;
}> {
  const sites = await tx.getRepository(PatrolSite).find({ where: { runId } });
  return {
    sites: sites.length,
    pages: sites.reduce((sum, site) => sum + site.pages, 0),
    requests: sites.reduce((sum, site) => sum + site.requests, 0),
    bytes: sites.reduce((sum, site) => sum + site.bytes, 0),
    unreachable: sites.filter((site) => site.unreachable).length,
    truncated: sites.filter((site) => site.truncated).length,
  };
}

export type { PatrolFindingKind };

// ---------------------------------------------------------------------------------------------
// The board: a unit's sites and one site's page

export interface SiteSummary {
  websiteId: number;
  name: string;
  homeUrl: string;
  open: number;
}

/** The sites of these units (any level) with their open findings, most first. */
export async function siteSummaries(tx: EntityManager, unitIds: number[]): Promise<SiteSummary[]> {
  if (!unitIds.length) return [];
  const sites = await tx.getRepository(Website).find({ where: { unitId: In(unitIds), status: 'active' } });
  if (!sites.length) return [];
  const rows = await tx
    .getRepository(PatrolFinding)
    .createQueryBuilder('f')
    .select('f.website_id', 'websiteId')
    .addSelect('COUNT(*)', 'count')
    .where('f.resolved_at IS NULL')
    .andWhere('f.website_id IN (:...ids)', { ids: sites.map((site) => site.id) })
    .groupBy('f.website_id')
    .getRawMany<{ websiteId: number | string; count: number | string }>();
  const counts = new Map(rows.map((row) => [Number(row.websiteId), Number(row.count)]));
  return sites
    .map((site) => ({
      websiteId: site.id,
      name: site.name,
      homeUrl: site.homeUrl ?? `https://${site.domain}/`,
      open: counts.get(site.id) ?? 0,
    }))
    .sort((a, b) => b.open - a.open || a.websiteId - b.websiteId);
}

export interface SiteReport {
  website: Website;
  /** The top-level unit it belongs to (who may see the page). */
  topUnitId: number;
  unitName: string;
  open: PatrolFinding[];
  /** Resolved in the last 30 days, newest first. */
  resolved: PatrolFinding[];
  /** The site's last finished patrol. */
  last: PatrolSite | null;
}

const RESOLVED_SHOWN_MS = 30 * 86_400_000;

export async function siteReport(
  tx: EntityManager,
  websiteId: number,
  now: Date,
): Promise<SiteReport | null> {
  const website = await tx.getRepository(Website).findOneBy({ id: websiteId });
  if (!website) return null;
  const top = await topUnitOfId(tx, website.unitId);
  const findings = await tx.getRepository(PatrolFinding).find({ where: { websiteId }, order: { id: 'ASC' } });
  const since = now.getTime() - RESOLVED_SHOWN_MS;
  const last = await tx.getRepository(PatrolSite).findOne({
    where: { websiteId, status: 'done' },
    order: { runId: 'DESC' },
  });
  return {
    website,
    topUnitId: top?.id ?? website.unitId,
    unitName: top?.name ?? '',
    open: findings.filter((finding) => !finding.resolvedAt),
    resolved: findings
      .filter((finding) => finding.resolvedAt && finding.resolvedAt.getTime() >= since)
      .sort((a, b) => b.resolvedAt!.getTime() - a.resolvedAt!.getTime()),
    last,
  };
}

async function topUnitOfId(tx: EntityManager, unitId: number): Promise<Unit | null> {
  const top = (await topUnitIndex(tx)).get(unitId) ?? unitId;
  return tx.getRepository(Unit).findOneBy({ id: top });
}
