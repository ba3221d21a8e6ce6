// npm run bench:patrol: the site patrol on a 2,000-page fixture across 10 local sites (each its own
// host): pages per second and bytes read, the main thread's event-loop delay p99 while it runs,
// and the second run's requests and bytes with conditional GET (ETag/If-Modified-Since → 304).
// The per-host pause is 0 by default, to measure the bot and not the politeness rule (at one
// request a second a 200-page site takes 200 s, whatever the bot does); BENCH_PATROL_INTERVAL_MS
// sets it. Needs MariaDB (BENCH_PATROL_DATABASE_URL, default
// mysql://root@127.0.0.1:3306/duban_bench_patrol — dropped and recreated). Writes
// bench/patrol-results.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { systemClock } from '../src/clock.js';
import { PatrolFinding, PatrolSite } from '../src/entities/patrol.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { silentLogger } from '../src/logger.js';
import { addToHome, publish } from '../src/sandbox/unit-sites/base.js';
import { html, type FictionalSite } from '../src/sandbox/unit-sites/pages.js';
import { startUnitSites } from '../src/sandbox/unit-sites/server.js';
import { ContentService } from '../src/services/content/service.js';
import { PatrolWorker } from '../src/services/patrol/runner.js';
import { startRun } from '../src/services/patrol/store.js';
import { resetDatabase } from './lib/database.js';
import { ROOT } from './lib/processes.js';

const DATABASE_URL =
  process.env.BENCH_PATROL_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/duban_bench_patrol';
const SITES = 10;
const PAGES_PER_SITE = Number(process.env.BENCH_PATROL_PAGES ?? 200);
const INTERVAL_MS = Number(process.env.BENCH_PATROL_INTERVAL_MS ?? 0);
const COLUMNS = 9;
/** The base columns (工作动态, 通知公告) the home page always shows, and seven more. */
const COLUMN_SLUGS = ['gzdt', 'tzgg', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
const DAY = 86_400_000;

/** A site of `pages` pages: the home page, 9 column pages, the articles they list (1 in 20 leaks). */
function fixtureSite(index: number, pages: number, now: Date): FictionalSite {
  const site: FictionalSite = {
    siteCode: `37039900${String(index).padStart(2, '0')}`,
    name: `压测网站${index}`,
    unitName: `压测单位${index}`,
    pages: new Map(),
  };
  site.pages.set('/robots.txt', { contentType: 'text/plain', body: 'User-agent: *\nDisallow: /internal/\n' });
  const filler =
    '<p>为深入贯彻落实政务公开工作要求，进一步提升政府网站内容保障水平，现将有关事项通知如下。</p>'.repeat(
      40,
    );
  const articles = Math.max(0, pages - 1 - COLUMNS);
  for (let i = 0; i < articles; i++) {
    const leak = i % 20 === 7 ? `<p>联系人手机 1390533${String(1000 + i).slice(-4)}</p>` : '';
    publish(site, COLUMN_SLUGS[i % COLUMNS]!, {
      title: `压测文章${index}-${i}`,
      date: new Date(now.getTime() - (i % 40) * DAY),
      body: `${filler}${leak}`,
    });
  }
  addToHome(
    site,
    Array.from({ length: COLUMNS }, (_, c) => `<a href="/col/c${c}/index.html">栏目${c}</a>`).join(' ') +
      '<a href="/internal/x.html">内部</a>',
  );
  site.pages.set('/internal/x.html', { body: html('内部', '<p>不应被读取</p>') });
  return site;
}

async function main(): Promise<void> {
  const now = systemClock.now();
  const dataSource = await resetDatabase(DATABASE_URL);
  const sites = await startUnitSites(
    Array.from({ length: SITES }, (_, i) => fixtureSite(i + 1, PAGES_PER_SITE, now)),
  );
  const content = new ContentService({ allowPrivateHosts: true, maxThreads: 2 });
  try {
    const websiteIds: number[] = [];
    for (const served of sites.sites) {
      const unit = await dataSource
        .getRepository(Unit)
        .save({ name: served.site.unitName, kind: 'department', parentId: null, active: true });
      const website = await dataSource.getRepository(Website).save({
        name: served.site.name,
        siteCode: served.site.siteCode,
        domain: new URL(served.homeUrl).host,
        homeUrl: served.homeUrl,
        unitId: unit.id,
        status: 'active',
      });
      websiteIds.push(website.id);
    }
    const worker = new PatrolWorker(
      { dataSource, content, clock: systemClock, logger: silentLogger, allowList: [] },
      { perHostIntervalMs: INTERVAL_MS, pagesPerSite: PAGES_PER_SITE, sitesAtOnce: 4 },
    );

    const run = async (label: string) => {
      const patrol = await dataSource.transaction((tx) =>
        startRun(
          tx,
          { requestedBy: 'bench', scope: label, websiteIds, budgetMs: 3_600_000 },
          systemClock.now(),
        ),
      );
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const started = performance.now();
      const outcome = await worker.work();
      const seconds = (performance.now() - started) / 1000;
      loop.disable();
      const rows = await dataSource.getRepository(PatrolSite).findBy({ runId: patrol.id });
      const bytes = rows.reduce((sum, row) => sum + row.bytes, 0);
      return {
        seconds: Math.round(seconds * 100) / 100,
        pages: outcome.pages,
        requests: outcome.requests,
        pagesPerSecond: Math.round((outcome.pages / seconds) * 10) / 10,
        bytes,
        loopP99Ms: Math.round((loop.percentile(99) / 1e6) * 10) / 10,
        loopMaxMs: Math.round((loop.max / 1e6) * 10) / 10,
      };
    };

    const first = await run('bench-1');
    const findings = await dataSource.getRepository(PatrolFinding).count();
    const second = await run('bench-2');
    const excluded = sites.sites.reduce((sum, s) => sum + (s.hits.get('/internal/x.html') ?? 0), 0);
    const results = {
      at: now.toISOString(),
      sites: SITES,
      pagesPerSite: PAGES_PER_SITE,
      perHostIntervalMs: INTERVAL_MS,
      first,
      second,
      findings,
      robotsExcludedRead: excluded,
    };
    writeFileSync(join(ROOT, 'bench', 'patrol-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      `patrol, ${SITES} sites × ${PAGES_PER_SITE} pages: first run ${first.pages} pages in ${first.seconds} s = ` +
        `${first.pagesPerSecond} pages/s, ${(first.bytes / 1024 / 1024).toFixed(1)} MB, event-loop delay p99 ` +
        `${first.loopP99Ms} ms (max ${first.loopMaxMs}); second run ${second.requests} requests, ` +
        `${(second.bytes / 1024).toFixed(0)} KB with bodies, ${second.seconds} s; ${findings} findings; ` +
        `robots-excluded page read ${excluded} times`,
    );
  } finally {
    await content.close();
    await sites.close();
    await dataSource.destroy();
  }
}

await main();
