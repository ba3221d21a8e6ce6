// The board in a real browser: Debian's Chromium driven by playwright-core, at WeCom's in-app size
// (375×812). It signs in through the OAuth redirect (the fake WeCom sends the browser back), the
// grid and both charts render with no console error (a CSP violation would be one), nothing is
// loaded from anywhere but the bot and the fake, and a drill-down click works. Screenshots go to
// test/artifacts/ (ignored by git) for a person to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRID_FIRST_ROWS } from '../src/board/pages.js';
import { Task } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { seedLargeDirectory } from './support/board-seed.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { PEOPLE, at, seedDirectory, seedScenario, type Seeded } from './support/progress-seed.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** What WeCom's Android client says it is (the board must not depend on it, but looks as it would). */
const WECOM_USER_AGENT =
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 ' +
  'Mobile Safari/537.36 wxwork/4.1.22 MicroMessenger/7.0.1 NetType/WIFI Language/zh';

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's package (apt-get install -y chromium); .ci/run does this.`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Watched {
  context: BrowserContext;
  page: Page;
  errors: string[];
  requests: string[];
}

async function phone(): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    userAgent: WECOM_USER_AGENT,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
  page.on('request', (request) => requests.push(request.url()));
  return { context, page, errors, requests };
}

/** How many pixels of a canvas are painted (not fully transparent). */
function paintedPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (canvas) => {
    // (The test files have no DOM typings: the canvas as far as this function uses it.)
    const element = canvas as unknown as {
      width: number;
      height: number;
      getContext(
        type: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const context = element.getContext('2d');
    if (!context || element.width === 0 || element.height === 0) return 0;
    const { data } = context.getImageData(0, 0, element.width, element.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });
}

/** The page's width as laid out: more than the viewport means sideways scrolling. */
const pageWidth = (page: Page): Promise<number> =>
  page.evaluate<number>('document.documentElement.scrollWidth');

describe('the seeded scenario on a phone', { timeout: 60_000 }, () => {
  let bot: TestBot;
  let seeded: Seeded;

  beforeAll(async () => {
    bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString() });
    const units = await seedDirectory(bot.database.dataSource);
    seeded = await seedScenario(bot.database.dataSource, await bot.runtime.deps.calendar.get(), units);
    for (const [userid, name] of PEOPLE) bot.fake.addMember(userid, name);
  });

  afterAll(async () => {
    await bot?.close();
  });

  it('a supervisor signs in through WeCom, sees the grid and both charts, and drills down', async () => {
    bot.fake.setBrowserUser('sup');
    const { context, page, errors, requests } = await phone();
    const response = await page.goto(`${bot.url}/board`);
    expect(response?.status()).toBe(200);
    // (The browser keeps WeCom's #wechat_redirect through the redirects back, as it does in WeCom.)
    expect(page.url().replace(/#.*$/, '')).toBe(`${bot.url}/board`);
    // The way in went through WeCom's authorize page and back through /board/oauth.
    expect(requests.some((url) => url.startsWith(`${bot.fake.url}/connect/oauth2/authorize?`))).toBe(true);
    expect(requests.some((url) => url.startsWith(`${bot.url}/board/oauth?code=`))).toBe(true);

    await page.waitForSelector('#batch-chart canvas');
    await page.waitForSelector(`#case-chart-${seeded.callId} canvas`);
    expect(await paintedPixels(page, '#batch-chart canvas')).toBeGreaterThan(2000);
    expect(await paintedPixels(page, `#case-chart-${seeded.callId} canvas`)).toBeGreaterThan(2000);
    // (Expressions as text: the test files have no DOM typings.)
    const charts = await page.evaluate<{ id: string; width: number; height: number }[]>(
      `Array.from(document.querySelectorAll('.chart'), (e) => ({ id: e.id, width: e.clientWidth, height: e.clientHeight }))`,
    );
    expect(charts.map((chart) => chart.id)).toEqual(['batch-chart', `case-chart-${seeded.callId}`]);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(300);
      expect(chart.width).toBeLessThanOrEqual(375);
      expect(chart.height).toBeGreaterThanOrEqual(120);
    }

    const rows = await page.evaluate<[string, string][]>(
      `Array.from(document.querySelectorAll('#grid-body tr'), (tr) => [
        tr.querySelector('a').textContent,
        Array.from(tr.querySelectorAll('td'), (td) => td.className.replace('c-', '')).join(''),
      ])`,
    );
    expect(rows).toEqual([
      ['张店区', 'rnyn'],
      ['市水利局', 'rgnn'],
      ['博山区', 'gyng'],
      ['淄川区', 'gnyn'],
      ['高新区', 'gnng'],
    ]);
    // The page fits the phone: nothing wider than the screen but the grid's own scroller.
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${ARTIFACTS}/board-overview.png`, fullPage: true });

    // A tap on a bar shows ECharts' tooltip with the whole title (styled inline: allowed by the CSP).
    await page.locator('#batch-chart').scrollIntoViewIfNeeded();
    const box = (await page.locator('#batch-chart').boundingBox())!;
    await page.touchscreen.tap(box.x + box.width * 0.6, box.y + 60);
    // (ECharts puts its tooltip next to the chart's own element.)
    const tooltip = page.locator('#batch-chart > div:nth-child(2)');
    await tooltip.waitFor({ state: 'visible' });
    await expect(tooltip.textContent()).resolves.toContain('首页信息更新不及时整改');
    await page.screenshot({ path: `${ARTIFACTS}/board-tooltip.png` });

    await Promise.all([page.waitForURL(/\/board\/unit\/\d+$/), page.click('#grid-body tr:first-child a')]);
    expect(page.url()).toBe(`${bot.url}/board/unit/${seeded.units['张店区']}`);
    await expect(page.locator('header h1').textContent()).resolves.toContain('张店区');
    expect(await page.locator('#items li.item').count()).toBeGreaterThan(0);
    expect(await page.locator('#items li.item').first().getAttribute('data-colour')).toBe('red');
    await page.screenshot({ path: `${ARTIFACTS}/board-unit.png`, fullPage: true });

    expect(errors).toEqual([]);
    const foreign = requests.filter((url) => !url.startsWith(bot.url) && !url.startsWith(bot.fake.url!));
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('a liaison’s board is their own unit, with its history', async () => {
    bot.fake.setBrowserUser('sl');
    const { context, page, errors } = await phone();
    await page.goto(`${bot.url}/board`);
    expect(page.url().replace(/#.*$/, '')).toBe(`${bot.url}/board`);
    await expect(page.locator('header h1').textContent()).resolves.toContain('市水利局');
    await expect(page.locator('.history').first().textContent()).resolves.toContain('材料不全');
    expect(await page.locator('a[href^="/board/export/"]').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/board-liaison.png`, fullPage: true });
    const other = await page.goto(`${bot.url}/board/unit/${seeded.units['淄川区']}`);
    expect(other?.status()).toBe(403);
    // The refusal page itself logs a 403 for the document; nothing else may fail.
    expect(errors.filter((error) => !error.includes('403'))).toEqual([]);
    await context.close();
  });
  it('shows hostile names as text: nothing they contain runs, in the page or in a tooltip', async () => {
    const units = bot.database.dataSource.getRepository(Unit);
    const evil = await units.save(
      units.create({
        name: '<img src=x onerror=alert(1)>',
        kind: 'department',
        parentId: null,
        active: true,
      }),
    );
    const tasks = bot.database.dataSource.getRepository(Task);
    await tasks.save(
      tasks.create({
        kind: 'custom',
        title: '<script>alert(2)</script>',
        detail: 'x',
        unitId: evil.id,
        noticeId: null,
        batch: 0,
        deadline: at('2026-02-13 18:00'),
        deadlineEstimated: false,
        status: 'pending',
        createdBy: 'sup',
        assignedAt: at('2026-02-12 09:00'),
        submittedAt: null,
        doneAt: null,
        returnReason: null,
        returnedAt: null,
      }),
    );
    bot.fake.setBrowserUser('sup');
    const { context, page, errors } = await phone();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${bot.url}/board`);
    await page.waitForSelector('#batch-chart canvas');
    await expect(page.locator('#grid-body a', { hasText: '<img src=x' }).count()).resolves.toBe(1);
    // Tap every bar of the batch chart: each tooltip shows a title, escaped by ECharts.
    await page.locator('#batch-chart').scrollIntoViewIfNeeded();
    const box = (await page.locator('#batch-chart').boundingBox())!;
    const shown = new Set<string>();
    for (let y = box.y + 40; y < box.y + box.height - 10; y += 12) {
      await page.touchscreen.tap(box.x + box.width * 0.7, y);
      shown.add((await page.locator('#batch-chart > div:nth-child(2)').textContent()) ?? '');
    }
    expect([...shown].some((text) => text.includes('<script>alert(2)</script>'))).toBe(true);
    await Promise.all([
      page.waitForURL(/\/board\/unit\/\d+$/),
      page.click(`a[href="/board/unit/${evil.id}"]`),
    ]);
    await expect(page.locator('#items .title').first().textContent()).resolves.toContain(
      '<script>alert(2)</script>',
    );
    expect(await page.evaluate<number>(`document.querySelectorAll('img').length`)).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
    await tasks.delete({ unitId: evil.id });
    await units.delete({ id: evil.id });
  });
});

describe('a thousand units on a phone', { timeout: 60_000 }, () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString() });
    await seedLargeDirectory(bot.database.dataSource, 1000);
    await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
    bot.fake.setBrowserUser('sup');
  }, 120_000);

  afterAll(async () => {
    await bot?.close();
  });

  it('starts with the red units and shows all on request', async () => {
    const { context, page, errors } = await phone();
    await page.goto(`${bot.url}/board`);
    await page.waitForSelector('#batch-chart canvas');
    expect(await page.locator('#grid-body tr').count()).toBe(GRID_FIRST_ROWS);
    await page.screenshot({ path: `${ARTIFACTS}/board-1000-units.png` });
    await page.locator('#grid').screenshot({ path: `${ARTIFACTS}/board-1000-units-grid.png` });
    await page.click('#grid-all');
    expect(await page.locator('#grid-body tr').count()).toBe(1000);
    expect(await page.locator('#grid-all').count()).toBe(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
    await context.close();
  });
});
