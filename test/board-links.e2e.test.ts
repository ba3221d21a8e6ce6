// Chat points to the board when it is reachable (PUBLIC_BASE_URL): 进度 and 进度 <单位> end with
// [查看进度看板](…), and so do the supervisors' daily digest and escalation. Behind a public https
// address the session cookie is Secure and WeCom is sent back to the public address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE, STATE_COOKIE } from '../src/board/session.js';
import { planEscalation } from '../src/jobs/escalation.js';
import { computeProgress } from '../src/services/progress/model.js';
import { progressMessages } from '../src/services/progress/views.js';
import { TestBrowser } from './support/board-browser.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { PEOPLE, at, seedDirectory, seedScenario, type Seeded } from './support/progress-seed.js';

const PUBLIC = 'https://bot.example.gov.cn';
let bot: TestBot;
let seeded: Seeded;

beforeAll(async () => {
  bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString(), env: { PUBLIC_BASE_URL: PUBLIC } });
  const units = await seedDirectory(bot.database.dataSource, { withPeople: false });
  for (const [userid, name, role, unit] of PEOPLE) await bot.addPerson(userid, { name, role, unit });
  seeded = await seedScenario(bot.database.dataSource, await bot.runtime.deps.calendar.get(), units);
});

afterAll(async () => {
  await bot?.close();
});

async function say(userid: string, content: string): Promise<string> {
  const before = bot.inbox(userid).length;
  const result = await bot.client.sendText(userid, content);
  await bot.flush();
  return [result.reply?.content ?? '', ...bot.texts(userid).slice(before)].join('\n');
}

describe('links to the board in chat', () => {
  it('进度 ends with the board link, 进度 <单位> with the unit’s page', async () => {
    const all = await say('sup', '进度');
    expect(all.trimEnd().endsWith(`[查看进度看板](${PUBLIC}/board)`)).toBe(true);
    const unit = await say('sup', '进度 张店区');
    expect(unit).toContain(`[查看进度看板](${PUBLIC}/board/unit/${seeded.units['张店区']})`);
    // A liaison's 进度 is their unit's page, which is their board.
    expect(await say('zc', '进度')).toContain(
      `[查看进度看板](${PUBLIC}/board/unit/${seeded.units['淄川区']})`,
    );
  });

  it('leaves the link out when the board has no public address', async () => {
    const model = await computeProgress(bot.database.dataSource.manager, {
      now: bot.clock.now(),
      calendar: await bot.runtime.deps.calendar.get(),
    });
    const without = progressMessages(model).map((message) => JSON.stringify(message));
    expect(without.join('')).not.toContain('查看进度看板');
  });

  it('the supervisors’ digest and escalation carry it', async () => {
    const calendar = await bot.runtime.deps.calendar.get();
    // Tuesday 02-24: 张店区 and 市水利局 are two working days late, so there is an escalation too.
    const messages = await planEscalation(
      bot.database.dataSource.manager,
      calendar,
      at('2026-02-24 10:00'),
      `${PUBLIC}/board`,
    );
    const kinds = new Set(messages.map((message) => message.key.split(':')[0]));
    expect(kinds).toEqual(new Set(['escalation-digest', 'escalate']));
    for (const message of messages) {
      expect(message.message).toMatchObject({ type: 'markdown' });
      expect(JSON.stringify(message.message)).toContain(`[查看进度看板](${PUBLIC}/board)`);
    }
    const plain = await planEscalation(bot.database.dataSource.manager, calendar, at('2026-02-24 10:00'));
    expect(JSON.stringify(plain)).not.toContain('查看进度看板');
  });
});

describe('behind a public https address', () => {
  it('sends WeCom back to the public address and marks the cookies Secure', async () => {
    const browser = new TestBrowser();
    const start = await browser.get(`${bot.url}/board`, { maxRedirects: 0 });
    const url = new URL(start.headers.get('location')!);
    expect(url.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/board/oauth`);
    expect(start.setCookies.find((header) => header.startsWith(`${STATE_COOKIE}=`))).toMatch(/; Secure$/);

    // What the public address forwards to: this bot (the proxy in front keeps the path).
    bot.fake.setBrowserUser('sup');
    const back = await browser.get(url.toString(), { maxRedirects: 0 });
    const callback = new URL(back.headers.get('location')!);
    expect(callback.origin).toBe(PUBLIC);
    const done = await browser.get(`${bot.url}${callback.pathname}${callback.search}`, { maxRedirects: 0 });
    expect(done.status).toBe(302);
    expect(done.setCookies.find((header) => header.startsWith(`${SESSION_COOKIE}=`))).toMatch(
      /; HttpOnly; SameSite=Lax; Secure$/,
    );
  });
});
