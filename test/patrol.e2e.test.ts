// 网站巡检 end to end, on local fixture sites: a leak in a page and in a .docx attachment, a dead
// link, a stale column, a link to a shop, a robots.txt exclusion that must be respected, 304s on the
// second run, 巡检结果, 巡检下发 with the evidence, 已消除 in the task, a site unreachable twice,
// and two instances sharing a patrol (a crashed one's site taken over when its lease runs out).
import { IsNull } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { PatrolFinding, PatrolPage, PatrolRun, PatrolSite } from '../src/entities/patrol.js';
import { Task } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { patrolWeekly } from '../src/jobs/patrol.js';
import { addToHome, publish } from '../src/sandbox/unit-sites/base.js';
import { html, type FictionalSite } from '../src/sandbox/unit-sites/pages.js';
import { startUnitSites, type RunningUnitSites } from '../src/sandbox/unit-sites/server.js';
import { PatrolWorker } from '../src/services/patrol/runner.js';
import { claimSite } from '../src/services/patrol/store.js';
import { cardsOf, say } from './support/chat.js';
import { UNPACED } from './support/duties.js';
import { makeDocx } from './support/docx.js';
import { TestBrowser } from './support/board-browser.js';
import { startTestBot, type TestBot } from './support/harness.js';

const DAY = 86_400_000;
const NOW = '2026-12-07T02:00:00Z'; // a Monday, 10:00 in Shanghai

let bot: TestBot;
let sites: RunningUnitSites;
let gaoqing: FictionalSite;
let zhangdian: FictionalSite;
let shop: RunningUnitSites;
let articlePath = '';
let gaoqingUnitId = 0;

function site(siteCode: string, name: string, unitName: string): FictionalSite {
  return { siteCode, name, unitName, pages: new Map() };
}

beforeAll(async () => {
  bot = await startTestBot({ now: NOW, ...UNPACED });
  const now = bot.clock.now();
  await bot.addUnit('高青县', 'district');
  await bot.addUnit('张店区', 'district');
  await bot.addUnit('桓台县', 'district');
  await bot.addPerson('gq1', { name: '高青联络员', unit: '高青县' });
  await bot.addPerson('dbr', { name: '督办员李', role: 'supervisor', unit: '市大数据局' });

  // Another host, not a government one, that the home page links to (listed, not judged).
  const mall = site('0', '某商城', '');
  mall.pages.set('/', { body: html('商城', '<h1>商城</h1>') });
  mall.pages.set('/robots.txt', { contentType: 'text/plain', body: '' });
  shop = await startUnitSites([mall]);

  gaoqing = site('3703230001', '淄博市高青县人民政府', '高青县');
  gaoqing.pages.set('/robots.txt', {
    contentType: 'text/plain',
    body: 'User-agent: *\nDisallow: /internal/\n',
  });
  gaoqing.pages.set('/internal/staff.html', { body: html('内部', '<p>值班手机 13905330000</p>') });
  for (const [daysAgo, title] of [
    [2, '高青县召开政务公开推进会'],
    [5, '高青县开展网站内容保障检查'],
  ] as const) {
    publish(gaoqing, 'gzdt', {
      title,
      date: new Date(now.getTime() - daysAgo * DAY),
      body: `<p>${title}。</p>`,
    });
  }
  articlePath = publish(gaoqing, 'tzgg', {
    title: '关于公益性岗位拟聘用人员的公示',
    date: new Date(now.getTime() - 3 * DAY),
    body: '<p>王某某，联系电话13905331234。</p><p>附件：<a href="/files/mingdan.docx">名单.docx</a></p>',
  });
  publish(gaoqing, 'tzgg', {
    title: '关于节日值班的通知',
    date: new Date(now.getTime() - 9 * DAY),
    body: '<p>值班。</p>',
  });
  gaoqing.pages.set('/files/mingdan.docx', {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    body: await makeDocx(['拟聘用人员名单', '王某某 身份证号 370302199003077432']),
  });
  gaoqing.pages.set('/col/zcjd/index.html', {
    body: html(
      '政策解读',
      `<h1>政策解读</h1><ul>${[40, 55, 80]
        .map(
          (d, i) =>
            `<li><a href="/art/zcjd-${i}.html">解读${i}</a><span>${new Date(now.getTime() - d * DAY).toISOString().slice(0, 10)}</span></li>`,
        )
        .join('')}</ul>`,
    ),
  });
  for (let i = 0; i < 3; i++)
    gaoqing.pages.set(`/art/zcjd-${i}.html`, { body: html(`解读${i}`, `<p>解读${i}</p>`) });
  addToHome(
    gaoqing,
    '<a href="/col/zcjd/index.html">政策解读</a> <a href="/zt/2019/index.html">2019年专题</a> ' +
      `<a href="/internal/staff.html">内部通讯录</a> <a href="${shop.sites[0]!.homeUrl}">好物商城</a>`,
  );

  zhangdian = site('3703020001', '淄博市张店区人民政府', '张店区');
  zhangdian.pages.set('/robots.txt', { contentType: 'text/plain', body: 'User-agent: *\nAllow: /\n' });
  publish(zhangdian, 'gzdt', {
    title: '张店区工作动态',
    date: new Date(now.getTime() - DAY),
    body: '<p>动态。</p>',
  });
  publish(zhangdian, 'tzgg', {
    title: '张店区通知',
    date: new Date(now.getTime() - DAY),
    body: '<p>通知。</p>',
  });

  sites = await startUnitSites([gaoqing, zhangdian]);
  const websites = bot.database.dataSource.getRepository(Website);
  const unitRows = await bot.database.dataSource.getRepository(Unit).find();
  const units = new Map(unitRows.map((row) => [row.name, row.id]));
  gaoqingUnitId = units.get('高青县')!;
  for (const [served, unit] of [
    [sites.sites[0]!, '高青县'],
    [sites.sites[1]!, '张店区'],
  ] as const) {
    await websites.save(
      websites.create({
        name: served.site.name,
        siteCode: served.site.siteCode,
        domain: new URL(served.homeUrl).host,
        homeUrl: served.homeUrl,
        unitId: units.get(unit)!,
        status: 'active',
      }),
    );
  }
  // A site whose server is gone (a closed port).
  await websites.save(
    websites.create({
      name: '淄博市桓台县人民政府',
      siteCode: '3703210001',
      domain: '127.0.0.1:1',
      homeUrl: 'http://127.0.0.1:1/',
      unitId: units.get('桓台县')!,
      status: 'active',
    }),
  );
});

afterAll(async () => {
  await sites.close();
  await shop.close();
  await bot.close();
});

const repo = <T extends object>(entity: new () => T) => bot.database.dataSource.getRepository(entity);

/** This instance's patrol worker, with no pause between requests (the reader's pacing has its own tests). */
function worker(owner = 'instance-a'): PatrolWorker {
  const deps = bot.runtime.jobDeps;
  return new PatrolWorker(
    {
      dataSource: deps.dataSource,
      content: deps.content,
      clock: deps.clock,
      logger: deps.logger,
      allowList: [],
      onOutbox: () => deps.outbox.kick(),
    },
    { perHostIntervalMs: 0, sitesAtOnce: 2 },
    {},
    owner,
  );
}

async function open(kind: string) {
  return repo(PatrolFinding).find({ where: { kind: kind as PatrolFinding['kind'] }, order: { id: 'ASC' } });
}

describe('巡检', () => {
  it('is for supervisors; a liaison is told so', async () => {
    expect(await say(bot, 'gq1', '巡检')).not.toContain('已开始网站巡检');
    expect(await repo(PatrolRun).count()).toBe(0);
  });

  it('says who it does not know', async () => {
    expect(await say(bot, 'dbr', '巡检 不存在的单位')).toContain('不存在的单位');
    expect(await repo(PatrolRun).count()).toBe(0);
  });

  it('starts a run of every site, and a second one waits for it', async () => {
    expect(await say(bot, 'dbr', '巡检')).toContain('已开始网站巡检（全部，3 个网站）');
    expect(await say(bot, 'dbr', '巡检 高青县')).toContain('正在进行，已完成 0/3 个网站');
    expect(await repo(PatrolSite).count()).toBe(3);
  });

  it('reads the sites and finds the leaks, the dead link, the stale column and the shop link', async () => {
    const outcome = await worker().work();
    await bot.flush();
    expect(outcome.sites).toBe(3);
    expect(outcome.finishedRuns).toHaveLength(1);
    const base = sites.sites[0]!.homeUrl.replace(/\/$/, '');

    const pii = await open('pii');
    expect(pii.map((f) => f.url).sort()).toEqual(
      [`${base}${articlePath}`, `${base}/files/mingdan.docx`].sort(),
    );
    const page = pii.find((f) => f.url.endsWith(articlePath))!;
    expect(page.detail).toBe('手机号（1 处）');
    expect(page.snippet).toMatch(/联系电话139[*\u200b]+1234/);
    expect(page.snippet).not.toContain('13905331234');
    const docx = pii.find((f) => f.url.endsWith('.docx'))!;
    expect(docx.detail).toContain('身份证号');
    expect(docx.snippet).not.toContain('370302199003077432');
    expect(docx.pageUrl).toBe(`${base}${articlePath}`);

    const dead = await open('dead-link');
    expect(dead.map((f) => [f.url, f.detail, f.pageUrl])).toEqual([
      [`${base}/zt/2019/index.html`, 'HTTP 404', `${base}/`],
    ]);
    const stale = await open('stale');
    expect(stale.map((f) => [f.url, f.detail])).toEqual([[`${base}/col/zcjd/index.html`, '2026-10-28']]);
    const external = await open('external');
    expect(external.map((f) => [f.url, f.detail])).toEqual([[shop.sites[0]!.homeUrl, '好物商城']]);

    // robots.txt said no: the page with the leak behind /internal/ was never asked for.
    expect(sites.sites[0]!.hits.get('/internal/staff.html')).toBeUndefined();
    expect(sites.sites[0]!.hits.get('/robots.txt')).toBe(1);
    // The fresh columns are not stale; the clean site has nothing; the closed port is not yet a finding.
    expect(await repo(PatrolFinding).count()).toBe(5);
    const unreachable = await repo(PatrolSite).findOneByOrFail({ websiteId: 3 });
    expect(unreachable).toMatchObject({ status: 'done', unreachable: true });

    expect(bot.texts('dbr').at(-1)).toContain('网站巡检完成');
    expect(bot.texts('dbr').at(-1)).toContain('新发现问题 5 项，未消除共 5 项');
    expect(await repo(PatrolRun).findOneByOrFail({ id: 1 })).toMatchObject({ status: 'done' });
  });

  it('lists open findings with masked snippets; a liaison sees their own unit', async () => {
    const list = await say(bot, 'dbr', '巡检结果');
    expect(list).toContain('未消除 5 项');
    expect(list).toContain('高青县 · 淄博市高青县人民政府');
    expect(list).toMatch(/X\d+ 个人信息：手机号（1 处）/);
    expect(list).toMatch(/X\d+ 死链（HTTP 404）：“2019年专题”/);
    expect(list).toMatch(/X\d+ 栏目不更新：政策解读，最新 2026-10-28（40 天前）/);
    expect(list).not.toContain('13905331234');
    expect(await say(bot, 'dbr', '巡检结果 张店区')).toContain('张店区暂无未消除的巡检问题');
    expect(await say(bot, 'gq1', '巡检结果')).toContain('巡检结果 · 高青县');
  });
});

describe('巡检下发', () => {
  it.each([
    ['巡检下发 X9999', '没有这些巡检问题：X9999'],
    ['巡检下发 hello', '无法识别：hello'],
  ])('%s → %s', async (input, expected) => {
    expect(await say(bot, 'dbr', input)).toContain(expected);
  });

  it('makes one rectification task for the unit with the evidence, and the liaison gets it', async () => {
    const [page, docx] = await open('pii');
    const [dead] = await open('dead-link');
    const answer = await say(bot, 'dbr', `巡检下发 X${page!.id} X${docx!.id}，X${dead!.id}`);
    expect(answer).toMatch(/巡检问题已下发 1 项任务：T\d+ 高青县/);
    const task = (await repo(Task).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    expect(task).toMatchObject({ kind: 'rectification', title: '网站巡检问题整改：淄博市高青县人民政府' });
    expect(task.detail).toContain(`X${page!.id} 个人信息：手机号（1 处）`);
    expect(task.detail).toMatch(/联系电话139[*\u200b]+1234/);
    expect(task.detail).not.toContain('13905331234');
    expect(cardsOf(bot, 'gq1')).toHaveLength(1);
    expect((await repo(PatrolFinding).findOneByOrFail({ id: page!.id })).taskId).toBe(task.id);
    expect(await say(bot, 'dbr', `巡检下发 X${page!.id}`)).toContain(
      `这些问题已下发过：X${page!.id}（T${task.id}）`,
    );
    // All or nothing, and the answer names what could go on its own.
    const [stale] = await open('stale');
    const mixed = await say(bot, 'dbr', `巡检下发 X${page!.id} X${stale!.id}`);
    expect(mixed).toContain(`本次未下发任何问题；其余问题请重新发送：巡检下发 X${stale!.id}`);
    expect((await repo(PatrolFinding).findOneByOrFail({ id: stale!.id })).taskId).toBeNull();
    expect(await repo(AuditLog).countBy({ action: 'patrol.issue' })).toBe(1);
  });
});

describe('the second run', () => {
  it('asks with validators and gets 304s, resolves what was fixed, keeps what was not, and the task shows it', async () => {
    const firstRun = await repo(PatrolSite).findOneByOrFail({ runId: 1, websiteId: 1 });
    // The unit takes the number off the page and restores the special; the docx stays.
    const page = gaoqing.pages.get(articlePath)!;
    gaoqing.pages.set(articlePath, {
      ...page,
      body: String(page.body).replace('联系电话13905331234', '联系电话请咨询办公室'),
      lastModified: bot.clock.now(),
    });
    gaoqing.pages.set('/zt/2019/index.html', { body: html('2019年专题', '<p>专题</p>') });
    bot.clock.advance(7 * DAY);
    expect(await say(bot, 'dbr', '巡检')).toContain('已开始网站巡检');
    await worker().work();
    await bot.flush();

    const second = await repo(PatrolSite).findOneByOrFail({ runId: 2, websiteId: 1 });
    expect(second.requests).toBe(firstRun.requests);
    // Only the changed article and the restored special came with a body.
    expect(second.bytes).toBeLessThan(firstRun.bytes / 2);
    expect(await repo(PatrolPage).countBy({ websiteId: 1 })).toBeGreaterThan(5);

    const findings = await repo(PatrolFinding).find({ order: { id: 'ASC' } });
    const byUrl = (suffix: string, kind: string) =>
      findings.find((f) => f.kind === kind && f.url.endsWith(suffix))!;
    expect(byUrl(articlePath, 'pii').resolvedAt).not.toBeNull();
    expect(byUrl('/zt/2019/index.html', 'dead-link').resolvedAt).not.toBeNull();
    const docx = byUrl('.docx', 'pii');
    expect(docx.resolvedAt).toBeNull();
    expect(docx.lastSeenAt.getTime()).toBe(bot.clock.now().getTime());
    expect(docx.firstSeenAt.toISOString()).toBe('2026-12-07T02:00:00.000Z');
    expect(byUrl('/col/zcjd/index.html', 'stale').resolvedAt).toBeNull();

    // The closed port again: now a finding.
    const unreachable = await open('unreachable');
    expect(unreachable.map((f) => f.url)).toEqual(['http://127.0.0.1:1/']);

    const task = (await repo(Task).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    const detail = await say(bot, 'dbr', `任务 T${task.id}`);
    expect(detail).toContain('巡检问题**（已消除 2/3）');
    expect(detail).toContain(`X${docx.id} 个人信息 <font color="warning">未消除</font>`);
  });

  it('refuses to issue a finding that is gone, and liaisons may not issue at all', async () => {
    const [page] = await open('pii');
    expect(await say(bot, 'dbr', `巡检下发 X${page!.id}`)).toContain(
      `这些问题已消除，无需下发：X${page!.id}`,
    );
    const tasks = await repo(Task).count();
    expect(await say(bot, 'gq1', `巡检下发 X${page!.id}`)).not.toContain('已下发');
    expect(await repo(Task).count()).toBe(tasks);
    // A liaison asking about another unit sees their own.
    const own = await say(bot, 'gq1', '巡检结果 张店区');
    expect(own).toContain('巡检结果 · 高青县');
    // Not told to issue what they cannot.
    expect(own).not.toContain('巡检下发');
    expect(own).toContain('下次巡检未再发现的问题自动消除');
  });

  it('counts open findings per unit in 巡检结果', async () => {
    expect(await say(bot, 'dbr', '巡检结果')).toContain('未消除 4 项');
  });
});

describe('进度, 周报 and the board', () => {
  it('show open findings per unit', async () => {
    expect(await say(bot, 'dbr', '进度')).toMatch(
      /网站巡检未消除问题\*\* 4 项\n> 高青县 3 项\n> 桓台县 1 项/,
    );
    expect(await say(bot, 'dbr', '进度 高青县')).toContain('网站巡检未消除问题 3 项');
    expect(await say(bot, 'dbr', '周报')).toContain('网站巡检未消除问题** 4 项');
  });

  it('has a page per site, for its unit and the supervisors only', async () => {
    bot.fake.setBrowserUser('dbr');
    const browser = new TestBrowser();
    const overview = await browser.get(`${bot.url}/board`);
    expect(overview.body).toContain('网站巡检未消除问题');
    const unit = await browser.get(`${bot.url}/board/unit/${gaoqingUnitId}`);
    expect(unit.body).toContain('href="/board/site/1"');
    expect(unit.body).toContain('未消除 3 项');
    const page = await browser.get(`${bot.url}/board/site/1`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('未消除问题 <small>3 项</small>');
    expect(page.body).toContain('近 30 天已消除');
    expect(page.body).not.toContain('13905331234');
    expect(page.body).not.toContain('370302199003077432');

    await bot.addPerson('zd1', { name: '张店联络员', unit: '张店区' });
    bot.fake.setBrowserUser('zd1');
    const other = new TestBrowser();
    expect((await other.get(`${bot.url}/board/site/1`)).status).toBe(403);
    expect((await other.get(`${bot.url}/board/site/2`)).status).toBe(200);
    expect((await other.get(`${bot.url}/board/site/999`)).status).toBe(404);
  });
});

describe('two instances', () => {
  it('share a run, and a crashed instance’s site is taken over when its lease runs out', async () => {
    bot.clock.advance(DAY);
    expect(await say(bot, 'dbr', '巡检')).toContain('已开始网站巡检');
    const run = (await repo(PatrolRun).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    // Instance A claims a site and dies.
    const claimed = await claimSite(bot.database.dataSource, 'crashed', bot.clock.now(), {
      leaseMs: 600_000,
      maxAttempts: 2,
    });
    expect(claimed?.run.id).toBe(run.id);
    // Instance B takes the other sites, not the leased one.
    const b = await worker('instance-b').work();
    expect(b.sites).toBe(2);
    expect(b.finishedRuns).toEqual([]);
    expect(await repo(PatrolSite).findOneByOrFail({ id: claimed!.site.id })).toMatchObject({
      status: 'claimed',
      leaseOwner: 'crashed',
    });
    // Ten minutes on, the lease has run out: B takes the site over and the run ends.
    bot.clock.advance(600_001);
    const again = await worker('instance-b').work();
    expect(again).toMatchObject({ sites: 1, finishedRuns: [run.id] });
    expect(await repo(PatrolSite).findOneByOrFail({ id: claimed!.site.id })).toMatchObject({
      status: 'done',
      attempts: 2,
    });
  });

  it('forgets what was found at a site’s old address when it moves', async () => {
    const moved = await startUnitSites([gaoqing]);
    try {
      const homeUrl = moved.sites[0]!.homeUrl;
      await repo(Website).update({ id: 1 }, { homeUrl, domain: new URL(homeUrl).host });
      bot.clock.advance(DAY);
      expect(await say(bot, 'dbr', '巡检 淄博市高青县人民政府')).toContain(
        '已开始网站巡检（淄博市高青县人民政府，1 个网站）',
      );
      await worker().work();
      const open = await repo(PatrolFinding).find({ where: { websiteId: 1, resolvedAt: IsNull() } });
      expect(open.length).toBeGreaterThan(0);
      expect(
        open.every((finding) => finding.url.startsWith(homeUrl) || finding.pageUrl?.startsWith(homeUrl)),
      ).toBe(true);
    } finally {
      await moved.close();
    }
  });

  it('finishes a run past its time budget without reading, and says so', async () => {
    bot.clock.advance(DAY);
    expect(await say(bot, 'dbr', '巡检')).toContain('已开始网站巡检');
    const run = (await repo(PatrolRun).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    bot.clock.advance(3 * 3_600_000 + 1);
    const outcome = await worker().work();
    expect(outcome).toMatchObject({ sites: 0, finishedRuns: [run.id] });
    expect(await repo(PatrolSite).countBy({ runId: run.id, truncated: true })).toBe(3);
    await bot.flush();
    expect(bot.texts('dbr').at(-1)).toContain('3 个网站因页面上限或时间上限未读完');
  });
});

describe('the weekly patrol', () => {
  it('starts on the first working day of the week only, and tells every supervisor when it ends', async () => {
    const deps = bot.runtime.jobDeps;
    const tuesday = new Date('2026-12-22T01:00:00Z');
    const fire = { fireTime: tuesday, catchUp: false };
    expect(await patrolWeekly.run(deps, tuesday, fire)).toBe('not the patrol day');
    const monday = new Date('2026-12-21T01:00:00Z');
    bot.clock.set(monday);
    expect(await patrolWeekly.run(deps, monday, { fireTime: monday, catchUp: false })).toMatch(
      /^patrol \d+: 3 sites$/,
    );
    const run = (await repo(PatrolRun).find({ order: { id: 'DESC' }, take: 1 }))[0]!;
    expect(run).toMatchObject({ requestedBy: 'schedule', scope: '全部', status: 'running' });
    await worker().work();
    await bot.flush();
    expect(bot.texts('dbr').at(-1)).toContain('网站巡检完成');
  });
});
