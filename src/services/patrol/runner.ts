// Works the sites of running patrols on this instance: claims a site (store.ts), crawls it
// (crawl.ts) with the polite reader all its lanes share (one request a second per host, whichever
// site links to it), renews its lease as it goes, stores what it saw, and when
// the run's last site is done, tells whoever asked (the supervisor, or every supervisor for the
// weekly run). A few sites at once; another instance does the same with the others.
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock.js';
import { isMysql } from '../../db/data-source.js';
import type { PatrolRun } from '../../entities/patrol.js';
import { enqueue, messagesToItems } from '../../outbox/queue.js';
import type { ContentService } from '../content/service.js';
import { createSiteReader, type SiteReader, type SiteReaderOptions } from '../content/site-reader.js';
import { supervisors } from '../directory/lookup.js';
import { siteHomeUrls } from '../directory/sheets.js';
import { crawlSite } from './crawl.js';
import type { PatrolFormat, PatrolPageResult } from './page-check.js';
import { PATROL_LIMITS, type PatrolLimits } from './rules.js';
import { claimSite, finishSite, findingsOf, pageCache, renewLease, runTotals, type Claim } from './store.js';
import { runFinishedMessage } from './views.js';

export interface PatrolWorkerDeps {
  dataSource: DataSource;
  content: ContentService;
  clock: Clock;
  logger: Logger;
  /** PII_ALLOW_LIST: the office's own numbers. */
  allowList: readonly string[];
  /** Told when outbox rows were written (the dispatcher sends them). */
  onOutbox?: () => void;
}

export interface PatrolWorkOutcome {
  sites: number;
  pages: number;
  requests: number;
  finishedRuns: number[];
}

const SIZE_KIND: Record<PatrolFormat, 'page' | 'docx' | 'xlsx' | 'pdf'> = {
  html: 'page',
  docx: 'docx',
  xlsx: 'xlsx',
  pdf: 'pdf',
};

/** Times a page is offered to a busy content pool before it is left unread. */
const BUSY_RETRIES = 20;

export class PatrolWorker {
  readonly limits: PatrolLimits;

  constructor(
    private readonly deps: PatrolWorkerDeps,
    limits: Partial<PatrolLimits> = {},
    private readonly readerOptions: SiteReaderOptions & { sleep?: (ms: number) => Promise<void> } = {},
    readonly owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
  ) {
    this.limits = { ...PATROL_LIMITS, ...limits };
  }

  /** Claims and reads sites until none is left to claim; `sitesAtOnce` at a time. */
  async work(): Promise<PatrolWorkOutcome> {
    const outcome: PatrolWorkOutcome = { sites: 0, pages: 0, requests: 0, finishedRuns: [] };
    const { content, clock } = this.deps;
    const reader = createSiteReader(
      { fetcher: content, clock, sleep: this.readerOptions.sleep },
      {
        perHostIntervalMs: this.limits.perHostIntervalMs,
        maxBytes: this.limits.pageMaxBytes,
        ...this.readerOptions,
      },
    );
    const lane = async () => {
      for (;;) {
        let claim: Claim | null;
        try {
          const finished: PatrolRun[] = [];
          claim = await claimSite(this.deps.dataSource, this.owner, this.deps.clock.now(), {
            ...this.limits,
            finished,
          });
          for (const run of finished) {
            outcome.finishedRuns.push(run.id);
            await this.announce(run);
          }
        } catch (error) {
          // The database is unwell: the next run of the job tries again.
          this.deps.logger.warn({ err: error }, 'patrol could not claim a site');
          return;
        }
        if (!claim) return;
        try {
          await this.patrol(claim, reader, outcome);
        } catch (error) {
          // The lease runs out and the site is claimed again (at most maxAttempts times).
          this.deps.logger.error({ err: error, site: claim.website.siteCode }, 'patrol of a site failed');
        }
      }
    };
    // The embedded SQLite (sandbox) has one connection: one transaction at a time, so one site at a time.
    const lanes = isMysql(this.deps.dataSource) ? this.limits.sitesAtOnce : 1;
    await Promise.all(Array.from({ length: lanes }, lane));
    outcome.requests = reader.requests;
    return outcome;
  }

  private async patrol(claim: Claim, reader: SiteReader, outcome: PatrolWorkOutcome): Promise<void> {
    const { dataSource, clock } = this.deps;
    const cache = await pageCache(dataSource.manager, claim.website.id);
    let lost = false;
    let renewedAt = clock.now().getTime();
    const crawl = await crawlSite(
      {
        reader,
        check: (bytes, format, url) => this.check(bytes, format, url),
        outOfTime: () => lost || clock.now().getTime() >= claim.run.deadline.getTime(),
        // The lease is renewed when a third of it has gone by.
        progress: async () => {
          const now = clock.now().getTime();
          if (now - renewedAt < this.limits.leaseMs / 3) return;
          renewedAt = now;
          if (!(await renewLease(dataSource, claim.site, this.owner, new Date(now + this.limits.leaseMs))))
            lost = true;
        },
      },
      { homeUrls: siteHomeUrls(claim.website), cache, limits: this.limits, now: clock.now() },
    );
    if (lost) return;
    const stored = await finishSite(
      dataSource,
      claim,
      crawl,
      { requests: crawl.requests },
      this.owner,
      clock.now(),
    );
    if (!stored) return;
    outcome.sites++;
    outcome.pages += crawl.pages;
    if (stored.finishedRun) {
      outcome.finishedRuns.push(stored.finishedRun.id);
      await this.announce(stored.finishedRun);
    }
  }

  private async check(bytes: Buffer, format: PatrolFormat, url: string): Promise<PatrolPageResult | null> {
    // The pool turns jobs away when its short queue is full (members' files come first): the patrol
    // waits and asks again rather than skip the page.
    for (let attempt = 1; ; attempt++) {
      const parsed = await this.deps.content.parse(
        'patrol-page',
        bytes,
        { format, url, allowList: this.deps.allowList },
        SIZE_KIND[format],
      );
      if (parsed.ok) return parsed.value;
      if (parsed.refusal.reason !== 'busy' || attempt >= BUSY_RETRIES) return null;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }

  /** The run is over: its totals and open findings to who asked (every supervisor for the weekly one). */
  private async announce(run: PatrolRun): Promise<void> {
    const { dataSource, clock } = this.deps;
    const now = clock.now();
    await dataSource.transaction(async (tx) => {
      const totals = await runTotals(tx, run.id);
      const findings = await findingsOf(tx, { open: true });
      const fresh = findings.filter((row) => row.finding.firstSeenAt >= run.startedAt).length;
      const message = runFinishedMessage(run, totals, { open: findings.length, fresh });
      const recipients =
        run.requestedBy === 'schedule'
          ? (await supervisors(tx)).map((person) => person.userid)
          : [run.requestedBy];
      const items = recipients.flatMap((userid) =>
        messagesToItems(userid, [message], { keyPrefix: `patrol:${run.id}:done`, source: 'patrol' }),
      );
      await enqueue(tx, items, now);
    });
    this.deps.onOutbox?.();
  }
}
