// Repost links under the live bot's fetch rules (content.allowPrivateHosts off, as in live mode):
// a link to 127.0.0.1 is refused unless FETCH_ALLOW names it; with it, a redirect from an allowed
// host to another private address is still refused. And a link on a site nobody registered goes to
// the supervisors, who decide it with one click.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepostAssignment } from '../src/entities/repost-assignment.js';
import { RepostItem } from '../src/entities/repost-item.js';
import { RepostLink } from '../src/entities/repost-link.js';
import { MediaAccount } from '../src/entities/media-account.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { buttonKey, cardBody, cardsOf, clickButton, sendText } from './support/chat.js';
import { page, startFixtureSite, type FixtureSite } from './support/fixture-sites.js';
import { startTestBot, type TestBot } from './support/harness.js';

const TITLE = '国务院关于做好2027年元旦春节期间有关工作的通知';

let strict: TestBot;
let allowed: TestBot;
let site: FixtureSite;
let elsewhere: FixtureSite;

async function setUp(bot: TestBot): Promise<void> {
  await bot.addUnit('高青县', 'district');
  await bot.addUnit('市大数据局', 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('gq', { name: '高青联络员', role: 'liaison', unit: '高青县' });
  const unit = await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: '高青县' });
  await bot.database.dataSource.getRepository(Website).save({
    name: '高青县人民政府',
    siteCode: '3703220001',
    domain: site.host,
    homeUrl: `${site.base}/`,
    unitId: unit.id,
    status: 'active',
  });
  // Z1 to 高青县, created as 转载任务 would (the dialog itself is tested in reposts.e2e.test.ts).
  const item = await bot.database.dataSource.getRepository(RepostItem).save({
    batch: 1,
    title: TITLE,
    sourceUrl: 'https://www.gov.cn/zhengce/content/1.htm',
    publisher: '国务院办公厅',
    channels: 'both',
    deadline: new Date('2026-03-23T16:00:00Z'),
    deadlineEstimated: false,
    createdBy: 'sup',
    assignedAt: bot.clock.now(),
    discoveryRequestedAt: null,
    discoveryRequestedBy: null,
  });
  await bot.database.dataSource.getRepository(RepostAssignment).save({
    itemId: item.id,
    unitId: unit.id,
    status: 'pending',
    deadline: item.deadline,
    deadlineEstimated: false,
    doneAt: null,
    doneBy: null,
    checkedAt: null,
  });
}

beforeAll(async () => {
  site = await startFixtureSite({
    '/art/1.html': { body: page(TITLE, `<h1>${TITLE}</h1>`) },
    '/redirect.html': { status: 302, headers: { location: 'http://10.255.255.1/art/1.html' } },
  });
  elsewhere = await startFixtureSite({
    '/s/1.html': {
      body: page(`转载｜${TITLE}`, `<h1>${TITLE}</h1><strong class="profile_nickname">某某发布</strong>`),
    },
    // A WeChat-like article of 高青县's own account.
    '/s/2.html': {
      body: page(TITLE, `<h1>${TITLE}</h1><script>var nickname = "高青发布";</script>`),
    },
  });
  strict = await startTestBot({ now: '2026-03-20T01:00:00Z', content: { allowPrivateHosts: false } });
  allowed = await startTestBot({
    now: '2026-03-20T01:00:00Z',
    content: { allowPrivateHosts: false, allow: ['127.0.0.1'] },
  });
  await setUp(strict);
  await setUp(allowed);
});

afterAll(async () => {
  await strict?.close();
  await allowed?.close();
  await site?.close();
  await elsewhere?.close();
});

async function say(bot: TestBot, userid: string, content: string): Promise<string> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

describe('live fetch rules', () => {
  it('a link to 127.0.0.1 without FETCH_ALLOW is refused, never fetched', async () => {
    const before = site.requests.length;
    const answer = await say(strict, 'gq', `转载 Z1 ${site.base}/art/1.html`);
    expect(answer).toContain('未通过（地址不允许访问）');
    expect(site.requests.length).toBe(before);
  });

  it('with FETCH_ALLOW the same link is read and verified', async () => {
    const answer = await say(allowed, 'gq', `转载 Z1 ${site.base}/redirect.html ${site.base}/art/1.html`);
    // The redirect to a private address outside the allow list is refused; the page itself passes.
    expect(answer).toMatch(/1\. .*未通过（地址不允许访问）/);
    expect(answer).toMatch(/2\. .*已核验/);
    const links = await allowed.database.dataSource.getRepository(RepostLink).find({ order: { id: 'ASC' } });
    expect(links.map((link) => [link.outcome, link.reason])).toEqual([
      ['failed', 'refused'],
      ['verified', null],
    ]);
  });
});

describe('channels', () => {
  it('an item for both channels needs the website and an account of the unit', async () => {
    const dataSource = allowed.database.dataSource;
    const unit = await dataSource.getRepository(Unit).findOneByOrFail({ name: '高青县' });
    await dataSource.getRepository(MediaAccount).save({
      platform: 'wechat',
      name: '高青发布',
      unitId: unit.id,
      status: 'running',
      consolidationCandidate: false,
    });
    // Z1 asks for both: the website link above is verified, but the unit is not done yet.
    const z1 = await dataSource.getRepository(RepostAssignment).findOneByOrFail({ itemId: 1 });
    expect(z1.status).toBe('pending');
    expect(await say(allowed, 'gq', `转载 Z1 ${site.base}/art/1.html`)).toContain(
      '还需提交政务新媒体的转载链接',
    );
    const media = await say(allowed, 'gq', `转载 Z1 ${elsewhere.base}/s/2.html`);
    expect(media).toContain('已核验');
    expect(media).toContain('已完成转载核验');
    const links = await dataSource.getRepository(RepostLink).findBy({ itemId: 1, outcome: 'verified' });
    // The website link sent twice is one link.
    expect(links.map((link) => link.channel).sort()).toEqual(['media', 'website']);
  });
});

describe('待人工确认', () => {
  it('a matching page on a site nobody registered goes to the supervisors; one click decides', async () => {
    const answer = await say(allowed, 'gq', '转载进度');
    expect(answer).toContain('已核验');
    // A fresh item for the manual path.
    const dataSource = allowed.database.dataSource;
    const item = await dataSource.getRepository(RepostItem).save({
      batch: 2,
      title: TITLE,
      sourceUrl: 'https://www.gov.cn/zhengce/content/2.htm',
      publisher: null,
      channels: 'media',
      deadline: new Date('2026-03-23T16:00:00Z'),
      deadlineEstimated: false,
      createdBy: 'sup',
      assignedAt: allowed.clock.now(),
      discoveryRequestedAt: null,
      discoveryRequestedBy: null,
    });
    const unit = await dataSource.getRepository(Unit).findOneByOrFail({ name: '高青县' });
    await dataSource.getRepository(RepostAssignment).save({
      itemId: item.id,
      unitId: unit.id,
      status: 'pending',
      deadline: item.deadline,
      deadlineEstimated: false,
      doneAt: null,
      doneBy: null,
      checkedAt: null,
    });
    const sent = await say(allowed, 'gq', `转载 Z${item.id} ${elsewhere.base}/s/1.html`);
    expect(sent).toContain('待人工确认（网站未登记）');
    expect(sent).toContain('已提交督办人员人工确认');
    const card = cardsOf(allowed, 'sup').at(-1)!;
    expect(cardBody(card).main_title.title).toBe(`Z${item.id} 转载链接待确认`);
    const before = allowed.inbox('gq').length;
    allowed.clock.advance(60_000);
    const clicked = await clickButton(allowed, 'sup', card, buttonKey(card, '确认通过'));
    expect(clicked.replies.join('\n')).toContain('已确认通过');
    const assignment = await dataSource.getRepository(RepostAssignment).findOneByOrFail({ itemId: item.id });
    expect(assignment).toMatchObject({ status: 'done', doneBy: 'sup' });
    expect(allowed.texts('gq').slice(before).join('\n')).toContain('已由督办人员确认通过');
    // A second click changes nothing.
    allowed.clock.advance(60_000);
    const again = await clickButton(allowed, 'sup', card, buttonKey(card, '不通过'));
    expect(again.replies.join('\n')).toContain('该转载链接已处理（已核验');
  });
});
