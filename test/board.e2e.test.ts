// The progress board end to end: WeCom's OAuth sign-in against the fake (good code, reused,
// expired, wrong state, unknown, non-member and inactive users), the session cookie, who sees what,
// the numbers against the status model for the seeded scenario (make-up Saturday 2026-02-14 10:00),
// the exports behind the session, and escaping.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOARD_CSP,
  EXPIRED_SIGN_IN_TEXT,
  INACTIVE_USER_TEXT,
  NOT_MEMBER_TEXT,
  UNKNOWN_USER_TEXT,
} from '../src/board/routes.js';
import { SESSION_COOKIE, STATE_COOKIE } from '../src/board/session.js';
import request from 'supertest';
import { AuditLog } from '../src/entities/audit-log.js';
import { BoardSession } from '../src/entities/board-session.js';
import { silentLogger } from '../src/logger.js';
import { sendText } from './support/chat.js';
import { Person } from '../src/entities/person.js';
import { Task } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { OTHER_UNIT_TEXT } from '../src/services/shared/permissions.js';
import { computeProgress, describeUnits } from '../src/services/progress/model.js';
import { TASK_SHEET_NAME, UNIT_SHEET_NAME } from '../src/services/progress/export.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { TestBrowser, pageNumbers, type Page } from './support/board-browser.js';
import { PEOPLE, at, seedDirectory, seedScenario, type Seeded } from './support/progress-seed.js';

let bot: TestBot;
let seeded: Seeded;

beforeAll(async () => {
  bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString() });
  const units = await seedDirectory(bot.database.dataSource);
  seeded = await seedScenario(bot.database.dataSource, await bot.runtime.deps.calendar.get(), units);
  for (const [userid, name] of PEOPLE) bot.fake.addMember(userid, name);
  await bot.addPerson('gone', { name: '已停用', role: 'supervisor', unit: '市大数据局', active: false });
});

afterAll(async () => {
  await bot?.close();
});

/** Signs in as `userid` through WeCom's redirect and returns the browser (with its session) and the last page. */
async function signIn(userid: string, path = '/board'): Promise<{ browser: TestBrowser; page: Page }> {
  bot.fake.setBrowserUser(userid);
  const browser = new TestBrowser();
  const page = await browser.get(`${bot.url}${path}`);
  return { browser, page };
}

/** Starts a sign-in and stops at the fake's redirect back: the callback URL with code and state. */
async function codeFor(
  userid: string,
  browser = new TestBrowser(),
): Promise<{ browser: TestBrowser; callback: URL }> {
  bot.fake.setBrowserUser(userid);
  const start = await browser.get(`${bot.url}/board`, { maxRedirects: 1 });
  expect(start.status).toBe(302);
  return { browser, callback: new URL(start.headers.get('location')!) };
}

const audits = (action: string) =>
  bot.database.dataSource.getRepository(AuditLog).find({ where: { action }, order: { id: 'ASC' } });

describe('signing in with WeCom OAuth2', () => {
  it('redirects to the documented authorize URL with a state bound to a short-lived cookie', async () => {
    const browser = new TestBrowser();
    const page = await browser.get(`${bot.url}/board`, { maxRedirects: 0 });
    expect(page.status).toBe(302);
    const location = page.headers.get('location')!;
    expect(location.startsWith(`${bot.fake.url}/connect/oauth2/authorize?`)).toBe(true);
    expect(location.endsWith('#wechat_redirect')).toBe(true);
    const url = new URL(location);
    expect([...url.searchParams.keys()]).toEqual([
      'appid',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
      'agentid',
    ]);
    expect(url.searchParams.get('appid')).toBe(bot.credentials.corpId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${bot.url}/board/oauth`);
    expect(location).toContain(`redirect_uri=${encodeURIComponent(`${bot.url}/board/oauth`)}`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')).toBe('snsapi_base');
    expect(url.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
    expect(url.searchParams.get('agentid')).toBe(String(bot.credentials.agentId));
    const cookie = page.setCookies.find((header) => header.startsWith(`${STATE_COOKIE}=`))!;
    expect(cookie).toMatch(/; Path=\/board; Max-Age=600; HttpOnly; SameSite=Lax$/);
    // No session yet, and nothing secret in the link.
    expect(page.setCookies.some((header) => header.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
  });

  it('a good code gives an 8-hour HttpOnly session and lands on the page asked for', async () => {
    const { browser, page } = await signIn('sup');
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${bot.url}/board`);
    expect(page.body).toContain('督办进度看板');
    expect(page.body).toContain('李督办（督办员）');
    const oauthHop = page.hops.find((hop) => hop.url.startsWith(`${bot.url}/board/oauth?`))!;
    expect(oauthHop.status).toBe(302);
    expect(oauthHop.headers.get('location')).toBe('/board');
    const session = oauthHop.setCookies.find((header) => header.startsWith(`${SESSION_COOKIE}=`))!;
    expect(session).toMatch(/; Path=\/board; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    expect(session).not.toContain('Secure');
    // The state cookie is spent.
    expect(browser.cookie(bot.url, STATE_COOKIE)).toBeUndefined();
    expect((await audits('board.sign-in')).at(-1)).toMatchObject({ actor: 'sup', result: 'ok' });
    // Signed in, the next page needs no trip to WeCom.
    const again = await browser.get(`${bot.url}/board`, { maxRedirects: 0 });
    expect(again.status).toBe(200);
  });

  it('returns to a deep link after signing in', async () => {
    const unitId = seeded.units['淄川区']!;
    const { page } = await signIn('sup', `/board/unit/${unitId}`);
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${bot.url}/board/unit/${unitId}`);
    expect(page.body).toContain('淄川区');
  });

  it('refuses a code used before (40029 from WeCom): no session', async () => {
    const first = await codeFor('sup');
    const code = first.callback.searchParams.get('code')!;
    const done = await first.browser.get(first.callback.toString());
    expect(done.status).toBe(200);

    const second = await codeFor('sup');
    const replay = new URL(second.callback);
    replay.searchParams.set('code', code);
    const refused = await second.browser.get(replay.toString());
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(EXPIRED_SIGN_IN_TEXT);
    expect(second.browser.cookie(bot.url, SESSION_COOKIE)).toBeUndefined();
    expect(bot.fake.calls.filter((call) => call.path === '/cgi-bin/auth/getuserinfo').at(-1)?.errcode).toBe(
      40029,
    );
  });

  it('refuses a code older than five minutes', async () => {
    const { browser, callback } = await codeFor('sup');
    bot.clock.advance(5 * 60_000 + 1000);
    const refused = await browser.get(callback.toString());
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(EXPIRED_SIGN_IN_TEXT);
    expect(browser.cookie(bot.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses a wrong or missing state (another browser’s sign-in), without spending the code', async () => {
    const { browser, callback } = await codeFor('sup');
    const forged = new URL(callback);
    forged.searchParams.set('state', '0'.repeat(32));
    const refused = await browser.get(forged.toString());
    expect(refused.status).toBe(400);
    expect(browser.cookie(bot.url, SESSION_COOKIE)).toBeUndefined();
    // Someone else's browser (no state cookie at all) with the right URL is refused too.
    const stranger = await new TestBrowser().get(callback.toString());
    expect(stranger.status).toBe(400);
    expect(stranger.body).toContain('重新登录');
  });

  it('refuses a WeCom member who is not in the directory, and audits it', async () => {
    bot.fake.addMember('visitor', '访客');
    const { browser, page } = await signIn('visitor');
    expect(page.status).toBe(403);
    expect(page.body).toContain(UNKNOWN_USER_TEXT);
    expect(browser.cookie(bot.url, SESSION_COOKIE)).toBeUndefined();
    expect((await audits('board.sign-in')).at(-1)).toMatchObject({ actor: 'visitor', result: 'denied' });
  });

  it('refuses someone who is not a member of the corp (WeCom gives an openid, no userid)', async () => {
    const { browser, page } = await signIn('outsider');
    expect(page.status).toBe(403);
    expect(page.body).toContain(NOT_MEMBER_TEXT);
    expect(browser.cookie(bot.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('refuses an inactive member', async () => {
    bot.fake.addMember('gone', '已停用');
    const { browser, page } = await signIn('gone');
    expect(page.status).toBe(403);
    expect(page.body).toContain(INACTIVE_USER_TEXT);
    expect(browser.cookie(bot.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('ends a session when the member is deactivated, when it expires, or when it was tampered with', async () => {
    await bot.addPerson('temp', { name: '临时督办', role: 'supervisor', unit: '市大数据局' });
    const { browser } = await signIn('temp');
    await bot.database.dataSource.getRepository(Person).update({ userid: 'temp' }, { active: false });
    const refused = await browser.get(`${bot.url}/board`, { maxRedirects: 0 });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain(INACTIVE_USER_TEXT);
    expect(browser.cookie(bot.url, SESSION_COOKIE)).toBeUndefined();

    const { browser: sup } = await signIn('sup');
    const value = sup.cookie(bot.url, SESSION_COOKIE)!;
    const [body, mac] = value.split('.');
    const forged = Buffer.from(JSON.stringify({ t: 'guessed', e: Date.parse('2030-01-01') })).toString(
      'base64url',
    );
    sup.setCookie(bot.url, SESSION_COOKIE, `${forged}.${mac}`);
    expect((await sup.get(`${bot.url}/board`, { maxRedirects: 0 })).status).toBe(302);

    sup.setCookie(bot.url, SESSION_COOKIE, `${body}.${mac}`);
    expect((await sup.get(`${bot.url}/board`, { maxRedirects: 0 })).status).toBe(200);
    bot.clock.advance(8 * 3_600_000);
    const expired = await sup.get(`${bot.url}/board`, { maxRedirects: 0 });
    expect(expired.status).toBe(302);
    expect(expired.headers.get('location')).toContain('/connect/oauth2/authorize?');
    bot.clock.set(at('2026-02-14 10:00'));
  });
});

describe('sessions that can be ended', () => {
  const sessionsOf = (userid: string) =>
    bot.database.dataSource.getRepository(BoardSession).countBy({ userid });

  it('keeps only a hash of the token in the database', async () => {
    const { browser } = await signIn('adm');
    const value = browser.cookie(bot.url, SESSION_COOKIE)!;
    const token = (JSON.parse(Buffer.from(value.split('.')[0]!, 'base64url').toString()) as { t: string }).t;
    const rows = await bot.database.dataSource.getRepository(BoardSession).findBy({ userid: 'adm' });
    expect(rows.map((row) => row.tokenHash)).toContain(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('logout ends every session of the person: a copied cookie and another browser are dead', async () => {
    await bot.addPerson('sup2', { name: '赵督办', role: 'supervisor', unit: '市大数据局' });
    const { browser: phone } = await signIn('sup2');
    const { browser: desktop } = await signIn('sup2');
    const copied = new TestBrowser();
    copied.setCookie(bot.url, SESSION_COOKIE, phone.cookie(bot.url, SESSION_COOKIE)!);
    expect((await copied.get(`${bot.url}/board`, { maxRedirects: 0 })).status).toBe(200);
    expect(await sessionsOf('sup2')).toBe(2);

    // A link (GET) cannot sign anyone out: another site could make the browser follow it.
    const linked = await phone.get(`${bot.url}/board/logout`, { maxRedirects: 0 });
    expect(linked.status).toBe(405);
    expect(await sessionsOf('sup2')).toBe(2);
    const out = await phone.post(`${bot.url}/board/logout`);
    expect(out.status).toBe(200);
    expect(out.body).toContain('所有设备上的登录均已结束');
    expect(await sessionsOf('sup2')).toBe(0);
    for (const browser of [copied, desktop]) {
      const page = await browser.get(`${bot.url}/board`, { maxRedirects: 0 });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toContain('/connect/oauth2/authorize?');
    }
    expect((await audits('board.sign-out')).at(-1)).toMatchObject({ actor: 'sup2', detail: '2 个会话' });
  });

  it('deactivation by 停用 ends the sessions at once; reactivating does not revive the cookie', async () => {
    await bot.addPerson('temp2', { name: '临时二', role: 'liaison', unit: '淄川区' });
    const { browser } = await signIn('temp2');
    const cookie = browser.cookie(bot.url, SESSION_COOKIE)!;
    await sendText(bot, 'adm', '停用 temp2');
    await sendText(bot, 'adm', '确认');
    expect(await sessionsOf('temp2')).toBe(0);
    await bot.database.dataSource.getRepository(Person).update({ userid: 'temp2' }, { active: true });
    const copied = new TestBrowser();
    copied.setCookie(bot.url, SESSION_COOKIE, cookie);
    expect((await copied.get(`${bot.url}/board`, { maxRedirects: 0 })).status).toBe(302);
  });

  it('a change of role ends the sessions opened with the old one', async () => {
    await bot.addPerson('temp3', { name: '临时三', role: 'supervisor', unit: '市大数据局' });
    const { browser } = await signIn('temp3');
    expect((await browser.get(`${bot.url}/board`, { maxRedirects: 0 })).body).toContain('督办进度看板');
    // Changed behind the bot's back (a database edit): the role on the session no longer holds.
    await bot.database.dataSource.getRepository(Person).update({ userid: 'temp3' }, { role: 'liaison' });
    const page = await browser.get(`${bot.url}/board`, { maxRedirects: 0 });
    expect(page.status).toBe(302);
    expect(await sessionsOf('temp3')).toBe(0);
    expect((await audits('board.session-end')).at(-1)).toMatchObject({ actor: 'temp3' });
  });

  it('set-liaison moving a supervisor ends their sessions in the same transaction', async () => {
    await bot.addPerson('temp4', { name: '临时四', role: 'supervisor', unit: '市大数据局' });
    await signIn('temp4');
    expect(await sessionsOf('temp4')).toBe(1);
    await sendText(bot, 'adm', '设置联络员 淄川区 temp4 临时四');
    await sendText(bot, 'adm', '确认');
    expect(
      (await bot.database.dataSource.getRepository(Person).findOneByOrFail({ userid: 'temp4' })).role,
    ).toBe('liaison');
    expect(await sessionsOf('temp4')).toBe(0);
  });
});

describe('behind a proxy', () => {
  it('ignores X-Forwarded-Host and -Proto without TRUST_PROXY: the sign-in returns to the bot itself', async () => {
    const page = await new TestBrowser().get(`${bot.url}/board`, {
      maxRedirects: 0,
      headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
    });
    const redirect = new URL(page.headers.get('location')!).searchParams.get('redirect_uri')!;
    expect(redirect).toBe(`${bot.url}/board/oauth`);
  });

  it('with PUBLIC_BASE_URL the redirect is always that address, whatever the request says', async () => {
    const other = await startTestBot({
      database: bot.database,
      clock: bot.clock,
      env: { PUBLIC_BASE_URL: 'https://bot.example.gov.cn', TRUST_PROXY: '1' },
    });
    try {
      const page = await new TestBrowser().get(`${other.url}/board`, {
        maxRedirects: 0,
        headers: { 'X-Forwarded-Host': 'evil.example' },
      });
      const redirect = new URL(page.headers.get('location')!).searchParams.get('redirect_uri')!;
      expect(redirect).toBe('https://bot.example.gov.cn/board/oauth');
    } finally {
      await other.close();
    }
  });

  it('trusts X-Forwarded-For only as far as TRUST_PROXY says', async () => {
    const { createApp } = await import('../src/app.js');
    const ipOf = async (trustProxy: number) => {
      const app = createApp({
        dataSource: bot.database.dataSource,
        logger: silentLogger,
        mode: 'sandbox',
        trustProxy,
        callback: async () => {},
        routes: [
          async (ctx) => {
            ctx.body = ctx.ip;
          },
        ],
      });
      const response = await request(app.callback()).get('/ip').set('X-Forwarded-For', '6.6.6.6, 10.0.0.2');
      return response.text;
    };
    expect(await ipOf(0)).not.toContain('6.6.6.6');
    expect(await ipOf(0)).not.toContain('10.0.0.2');
    // One proxy: the address it saw (the last one), never what the client wrote before it.
    expect(await ipOf(1)).toBe('10.0.0.2');
  });
});

describe('who sees what', () => {
  it('a liaison’s board is their own unit (a sub-unit’s liaison too); any other unit is refused', async () => {
    const own = seeded.units['张店区']!;
    for (const userid of ['zd1', 'zd2']) {
      const { browser, page } = await signIn(userid);
      expect(page.status).toBe(200);
      expect(page.body).toContain('张店区 · 督办进度');
      expect(page.body).not.toContain('单位 × 批次');
      expect(page.body).not.toContain('/board/export/');
      expect((await browser.get(`${bot.url}/board/unit/${own}`)).status).toBe(200);
      const other = await browser.get(`${bot.url}/board/unit/${seeded.units['淄川区']!}`);
      expect(other.status).toBe(403);
      expect(other.body).toContain(OTHER_UNIT_TEXT);
      expect(other.body).not.toContain('栏目链接打不开');
    }
    expect((await audits('board.view')).at(-1)).toMatchObject({
      actor: 'zd2',
      target: `unit:${seeded.units['淄川区']}`,
      result: 'denied',
    });
  });

  it('a liaison cannot download the exports', async () => {
    const { browser } = await signIn('zc');
    const progress = await browser.get(`${bot.url}/board/export/progress.xlsx`);
    expect(progress.status).toBe(403);
    expect(progress.headers.get('content-type')).toContain('text/html');
    expect((await browser.get(`${bot.url}/board/export/cases/${seeded.callId}.xlsx`)).status).toBe(403);
  });

  it('supervisors and admins see the overview and every unit', async () => {
    for (const userid of ['sup', 'adm']) {
      const { browser, page } = await signIn(userid);
      expect(page.body).toContain('单位 × 批次');
      for (const unitId of Object.values(seeded.units).filter(
        (id) => id !== seeded.units['张店区大数据中心'],
      )) {
        expect((await browser.get(`${bot.url}/board/unit/${unitId}`)).status).toBe(200);
      }
      // A sub-unit has no page of its own (its items roll up to its top-level unit).
      expect((await browser.get(`${bot.url}/board/unit/${seeded.units['张店区大数据中心']!}`)).status).toBe(
        404,
      );
    }
  });
});

describe('the numbers', () => {
  let page: Page;
  let browser: TestBrowser;
  beforeAll(async () => {
    ({ browser, page } = await signIn('sup'));
  });

  it('are those of the status model (what 进度 says)', async () => {
    const model = await computeProgress(bot.database.dataSource.manager, {
      now: bot.clock.now(),
      calendar: await bot.runtime.deps.calendar.get(),
    });
    const shown = pageNumbers(page.body);
    expect(shown).toMatchObject({
      batches: model.batches.length,
      total: model.totals.total,
      done: model.totals.done,
      submitted: model.totals.submitted,
      pending: model.totals.pending,
      overdue: model.totals.overdue,
      lateSubmitted: model.totals.lateSubmitted,
      redUnits: model.red.length,
      redItems: model.red.reduce((sum, flag) => sum + flag.count, 0),
      yellowUnits: model.yellow.length,
      yellowItems: model.yellow.reduce((sum, flag) => sum + flag.count, 0),
      guestbookRed: model.guestbook.red,
      guestbookYellow: model.guestbook.yellow,
      filingsRed: model.filings.red,
      filingsYellow: model.filings.yellow,
      [`caseMet-${seeded.callId}`]: model.caseCalls[0]!.met,
      [`caseOwing-${seeded.callId}`]: model.caseCalls[0]!.owing,
    });
    // And by hand (test/progress.test.ts): 13 tasks in 4 batches, 2 overdue; 3 red units, 4 yellow.
    expect(shown).toMatchObject({ batches: 4, total: 13, overdue: 2, redUnits: 3, yellowUnits: 4 });
    // The overdue list, with the working days late, in the model's order.
    const late = [...page.body.matchAll(/data-unit="(\d+)" data-days-late="(\d+)">([^<]+)</g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
      m[3],
    ]);
    expect(late.slice(0, 3)).toEqual(
      model.red.map((flag) => [flag.unitId, flag.view.daysLate, flag.view.remaining]),
    );
    expect(late.slice(0, 3).map(([, days]) => days)).toEqual([2, 1, 1]);
  });

  it('colour the units × batches grid by the same rules, red units first', () => {
    const grid = page.body.slice(page.body.indexOf('id="grid-body"'), page.body.indexOf('</tbody>'));
    const rows = [
      ...grid.matchAll(
        /<tr data-colour="(\w+)"><th><a href="\/board\/unit\/(\d+)">([^<]+)<\/a><\/th>(.*?)<\/tr>/g,
      ),
    ].map((m) => [m[3], m[1], [...m[4]!.matchAll(/class="c-(\w)"/g)].map((c) => c[1]).join('')]);
    // Columns: 首页信息更新不及时整改 (02-13), 信息公开自查 (02-14 18:00), the notice (02-24/25), 旧任务 (02-25).
    expect(rows).toEqual([
      ['张店区', 'red', 'rnyn'],
      ['市水利局', 'red', 'rgnn'],
      ['博山区', 'yellow', 'gyng'],
      ['淄川区', 'yellow', 'gnyn'],
      ['高新区', 'green', 'gnng'],
    ]);
  });

  it('embed the chart data: batches and the case quotas per unit', () => {
    const json = /<script id="board-data" type="application\/json">(.*?)<\/script>/s.exec(page.body)![1]!;
    const data = JSON.parse(json) as {
      batches: { n: number; done: number; submitted: number; pending: number; overdue: number }[];
      cases: { id: number; units: [string, number, number][] }[];
      gridRest: unknown[];
    };
    expect(data.batches.map((b) => [b.n, b.done, b.submitted, b.pending, b.overdue])).toEqual([
      [1, 1, 2, 0, 2],
      [2, 1, 0, 1, 0],
      [3, 0, 0, 4, 0],
      [4, 0, 0, 2, 0],
    ]);
    expect(data.cases).toEqual([
      {
        id: seeded.callId,
        units: [
          ['淄川区', 0, 1],
          ['博山区', 0, 1],
          ['高新区', 0, 1],
          ['张店区', 1, 1],
        ],
      },
    ]);
    expect(data.gridRest).toEqual([]);
  });

  it('show a unit’s every open item with its replies and reviews, as 进度 <单位> does', async () => {
    const unitId = seeded.units['市水利局']!;
    const unit = await browser.get(`${bot.url}/board/unit/${unitId}`);
    const [detail] = await describeUnits(bot.database.dataSource.manager, {
      now: bot.clock.now(),
      calendar: await bot.runtime.deps.calendar.get(),
      unitIds: [unitId],
    });
    const refs = [...unit.body.matchAll(/<li class="item" data-ref="([^"]+)" data-colour="(\w+)">/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(refs).toEqual(detail!.items.map((item) => [item.ref, item.colour ?? 'none']));
    expect(pageNumbers(unit.body)).toMatchObject({
      open: detail!.items.length,
      red: detail!.items.filter((item) => item.colour === 'red').length,
      yellow: detail!.items.filter((item) => item.colour === 'yellow').length,
    });
    // The returned task: the reply, then the return with its reason.
    expect(unit.body).toContain(`T${seeded.tasks['A-市水利局']}`);
    expect(unit.body).toMatch(
      /水利联络员 <span class="">提交办理情况<\/span>\s*<blockquote>整改中。<\/blockquote>/,
    );
    expect(unit.body).toMatch(
      /李督办 <span class="warn">审核退回<\/span>\s*<blockquote>材料不全<\/blockquote>/,
    );
    expect(unit.body).toContain('联络员：水利联络员');
    expect(unit.body).toContain(`/board/export/progress.xlsx?unit=${unitId}`);
  });
});

describe('exports', () => {
  it('need a session: without one the download sends the browser to sign in', async () => {
    const anonymous = await new TestBrowser().get(`${bot.url}/board/export/progress.xlsx`, {
      maxRedirects: 0,
    });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toContain('/connect/oauth2/authorize?');
    expect(anonymous.headers.get('content-type') ?? '').not.toContain('spreadsheet');
    // After signing in, the browser comes back to the download itself.
    const { page } = await signIn('sup', '/board/export/progress.xlsx');
    expect(page.url).toBe(`${bot.url}/board/export/progress.xlsx`);
    expect(page.status).toBe(200);
  });

  it('serve 导出进度 and 导出案例 as the chat builds them', async () => {
    const { browser } = await signIn('sup');
    const progress = await browser.get(`${bot.url}/board/export/progress.xlsx`);
    expect(progress.status).toBe(200);
    expect(progress.headers.get('content-type')).toContain('spreadsheetml');
    expect(progress.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('督办进度-20260214.xlsx')}`,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(progress.bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual([TASK_SHEET_NAME, UNIT_SHEET_NAME]);
    // Title and header rows, then one row per task of the open batches.
    expect(book.getWorksheet(TASK_SHEET_NAME)!.actualRowCount).toBe(2 + 13);

    const one = await browser.get(`${bot.url}/board/export/progress.xlsx?unit=${seeded.units['张店区']}`);
    const single = new ExcelJS.Workbook();
    await single.xlsx.load(one.bytes as unknown as ArrayBuffer);
    expect(single.getWorksheet(TASK_SHEET_NAME)!.actualRowCount).toBe(2 + 3);

    const cases = await browser.get(`${bot.url}/board/export/cases/${seeded.callId}.xlsx`);
    expect(cases.status).toBe(200);
    expect(cases.bytes.subarray(0, 2).toString()).toBe('PK');
    expect((await browser.get(`${bot.url}/board/export/cases/999999.xlsx`)).status).toBe(404);
    expect((await audits('progress.export')).at(-1)).toMatchObject({ actor: 'sup', result: 'ok' });
  });
});

describe('pages are safe', () => {
  it('render a unit named <script> as text, and allow only our own scripts', async () => {
    const units = bot.database.dataSource.getRepository(Unit);
    const evil = await units.save(
      units.create({ name: '<script>alert(1)</script>', kind: 'department', parentId: null, active: true }),
    );
    const tasks = bot.database.dataSource.getRepository(Task);
    await tasks.save(
      tasks.create({
        kind: 'custom',
        title: '"><img src=x onerror=alert(2)>',
        detail: 'x',
        unitId: evil.id,
        noticeId: null,
        batch: 0,
        deadline: at('2026-02-13 18:00'),
        deadlineEstimated: false,
        status: 'pending',
        createdBy: 'sup',
        assignedAt: at('2026-02-10 09:00'),
        submittedAt: null,
        doneAt: null,
        returnReason: null,
        returnedAt: null,
      }),
    );
    const { browser, page } = await signIn('sup');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page.body).not.toContain('<img');
    const unit = await browser.get(`${bot.url}/board/unit/${evil.id}`);
    expect(unit.body).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; · 督办进度</title>');
    expect(unit.body).not.toContain('<script>alert(1)');

    // Only the one inline script, allowed by its hash; every other script comes from our own origin.
    expect(page.headers.get('content-security-policy')).toBe(BOARD_CSP);
    const inline = [...page.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const hash = createHash('sha256').update(inline[0]!, 'utf8').digest('base64');
    expect(BOARD_CSP).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect([...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1])).toEqual([
      expect.stringMatching(/^\/board\/static\/echarts\.min\.js\?v=\d+\.\d+\.\d+$/),
    ]);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    await tasks.delete({ unitId: evil.id });
    await units.delete({ id: evil.id });
  });

  it('serve ECharts locally, compressed and cached for a year, without a session', async () => {
    const response = await fetch(`${bot.url}/board/static/echarts.min.js?v=6`, {
      headers: { 'accept-encoding': 'br' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toContain('javascript');
    const text = await response.text();
    expect(text.length).toBeGreaterThan(500_000);
    expect(text).toContain('echarts');
    const etag = response.headers.get('etag')!;
    const again = await fetch(`${bot.url}/board/static/echarts.min.js?v=6`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('answers only GET and HEAD', async () => {
    const response = await fetch(`${bot.url}/board`, { method: 'POST' });
    expect(response.status).toBe(405);
  });
});
