// 重要信息转载 end to end, on local fixture sites: a batch of two items to three units; one unit
// answers with a matching link (已核验), one with a wrong page (标题不符), one is found by
// discovery; 转载进度, 进度 and the board agree; the late unit is red and 催办 reaches it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { RepostAssignment } from '../src/entities/repost-assignment.js';
import { RepostItem } from '../src/entities/repost-item.js';
import { RepostLink } from '../src/entities/repost-link.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { boardOverview } from '../src/board/data.js';
import { overviewPage } from '../src/board/pages.js';
import ExcelJS from 'exceljs';
import { buildProgressExport } from '../src/services/progress/export.js';
import { runDiscovery, takeRequests } from '../src/services/reposts/discovery.js';
import { buttonKey, cardBody, cardsOf, clickButton, exchange, sendText } from './support/chat.js';
import { page, startFixtureSite, type FixtureSite } from './support/fixture-sites.js';
import { startTestBot, type TestBot } from './support/harness.js';

const TITLE_1 = '国务院关于进一步加强政务公开工作的通知';
const TITLE_2 = '国务院办公厅关于优化营商环境若干措施的意见';

let bot: TestBot;
let source: FixtureSite;
let zhangdian: FixtureSite;
let zichuan: FixtureSite;
let boshan: FixtureSite;

async function addSite(unitName: string, site: FixtureSite, code: string): Promise<void> {
  const unit = await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: unitName });
  await bot.database.dataSource.getRepository(Website).save({
    name: `${unitName}人民政府`,
    siteCode: code,
    domain: site.host,
    homeUrl: `${site.base}/`,
    unitId: unit.id,
    status: 'active',
  });
}

beforeAll(async () => {
  source = await startFixtureSite({
    '/zc/1.html': {
      body: page(
        `${TITLE_1}_中国政府网`,
        `<h1>${TITLE_1}</h1><p>来源：国务院办公厅</p>`,
        '<meta name="ContentSource" content="国务院办公厅">',
      ),
    },
    '/zc/2.html': { body: page(`${TITLE_2}_中国政府网`, `<h1>${TITLE_2}</h1>`) },
  });
  zhangdian = await startFixtureSite({
    '/art/z1.html': { body: page(`【转载】${TITLE_1}_张店区人民政府`, `<h1>转载：${TITLE_1}</h1>`) },
    '/art/z2.html': { body: page(`${TITLE_2}。`, `<h2>${TITLE_2}</h2>`) },
  });
  zichuan = await startFixtureSite({
    '/art/x.html': { body: page('淄川区召开安全生产工作会议', '<h1>淄川区召开安全生产工作会议</h1>') },
    // Unit B's own repost of item 1: used below by another unit as a hostile link.
    '/art/z1.html': { body: page(TITLE_1, `<h1>${TITLE_1}</h1>`) },
  });
  boshan = await startFixtureSite({
    '/': {
      body: page(
        '博山区人民政府',
        '<nav><a href="/col/gzdt/index.html">工作动态</a><a href="/col/zyxx/index.html">转载信息</a></nav>',
      ),
    },
    '/robots.txt': {
      body: 'User-agent: *\nDisallow: /private/\n',
      headers: { 'content-type': 'text/plain' },
    },
    '/col/gzdt/index.html': {
      body: page(
        '工作动态',
        '<ul><li><a href="/art/a.html">博山区召开政务公开推进会</a>2026-03-19</li></ul>',
      ),
    },
    '/col/zyxx/index.html': {
      body: page(
        '转载信息',
        `<ul><li><a href="/art/z1.html">${TITLE_1.slice(0, 12)}...</a>2026-03-20</li><li><a href="/private/z2.html">${TITLE_2}</a></li></ul>`,
      ),
    },
    '/art/z1.html': { body: page(`${TITLE_1}-博山区人民政府`, `<h1>${TITLE_1}</h1>`) },
    '/private/z2.html': { body: page(TITLE_2, `<h1>${TITLE_2}</h1>`) },
  });
  // Friday 2026-03-20, 09:00 in Shanghai.
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  for (const name of ['张店区', '淄川区', '博山区']) await bot.addUnit(name, 'district');
  await bot.addUnit('市大数据局', 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('zd', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zc', { name: '淄川联络员', role: 'liaison', unit: '淄川区' });
  await bot.addPerson('bs', { name: '博山联络员', role: 'liaison', unit: '博山区' });
  await addSite('张店区', zhangdian, '3703030001');
  await addSite('淄川区', zichuan, '3703020001');
  await addSite('博山区', boshan, '3703040001');
});

afterAll(async () => {
  await bot?.close();
  for (const site of [source, zhangdian, zichuan, boshan]) await site?.close();
});

const db = () => bot.database.dataSource;

async function say(userid: string, content: string): Promise<string> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

async function forward(userid: string, url: string, title = ''): Promise<string> {
  bot.clock.advance(60_000);
  const sent = await exchange(bot, userid, () => bot.client.post(bot.client.linkXml(userid, { url, title })));
  return sent.replies.join('\n');
}

/** Discovery as the job runs it, the reader's one-second pauses taken on the test clock. */
function discover(itemIds?: number[]) {
  return runDiscovery(
    {
      dataSource: db(),
      content: bot.runtime.deps.content,
      clock: bot.clock,
      sleep: async (ms) => bot.clock.advance(ms),
    },
    itemIds,
  );
}

describe('转载任务 → 转载 → discovery → status', () => {
  it('a supervisor sends a batch of two items to three units; titles and publisher are read from the pages', async () => {
    expect(await say('sup', '转载任务')).toContain('请发送要转载的文章链接');
    const added = await say('sup', `${source.base}/zc/1.html\n${source.base}/zc/2.html`);
    expect(added).toContain(`1. 《${TITLE_1}》（国务院办公厅）`);
    expect(added).toContain(`2. 《${TITLE_2}》`);
    expect(await say('sup', '好了')).toContain('请输入转载单位');
    expect(await say('sup', '张店区、淄川区、博山区')).toContain('请选择转载渠道');
    expect(await say('sup', '网站')).toContain('请输入截止时间');
    const preview = await say('sup', '1个工作日');
    expect(preview).toContain('请确认转载任务');
    expect(preview).toContain('单位：张店区、淄川区、博山区（3个）');
    expect(preview).toContain('2026-03-23（周一）24时截止');
    const done = await say('sup', '确认');
    expect(done).toContain('已下发 2 条转载任务（3 个单位）：Z1');
    const items = await db()
      .getRepository(RepostItem)
      .find({ order: { id: 'ASC' } });
    expect(items.map((item) => [item.id, item.batch, item.title, item.publisher])).toEqual([
      [1, 1, TITLE_1, '国务院办公厅'],
      [2, 1, TITLE_2, null],
    ]);
    expect(await db().getRepository(RepostAssignment).count()).toBe(6);
    for (const liaison of ['zd', 'zc', 'bs']) {
      const cards = cardsOf(bot, liaison).map(cardBody);
      expect(cards.map((card) => card.main_title.title)).toEqual([
        `Z1 ${TITLE_1}`.slice(0, 36),
        `Z2 ${TITLE_2}`.slice(0, 36),
      ]);
      expect(cards[0]!.button_list.map((button) => button.text)).toEqual(['提交转载链接']);
    }
  });

  it('a liaison’s 我的任务 names the unit’s reposts still to answer', async () => {
    expect(await say('zd', '我的任务')).toContain(
      '另有转载任务 2 项待提交链接：Z1、Z2（发送“转载 Z编号 链接”提交',
    );
  });

  it('张店区 answers through the card button and with 转载 Z2: both 已核验', async () => {
    const card = cardsOf(bot, 'zd')[0]!;
    bot.clock.advance(60_000);
    const clicked = await clickButton(bot, 'zd', card, buttonKey(card, '提交转载链接'));
    expect(clicked.replies.join('\n')).toContain('请发送 Z1');
    const checked = await say('zd', `${zhangdian.base}/art/z1.html`);
    expect(checked).toContain('已核验');
    expect(checked).toContain('已完成转载核验');
    const second = await say('zd', `转载 Z2 ${zhangdian.base}/art/z2.html`);
    expect(second).toContain('已核验');
    expect(await say('zd', `转载 Z2 ${zhangdian.base}/art/z2.html`)).toContain('无需再提交');
    expect(await say('zd', '我的任务')).not.toContain('转载任务');
  });

  it('淄川区 sends a wrong page: 未通过（标题不符）, and stays to do', async () => {
    const checked = await forward('zc', `${zichuan.base}/art/x.html`, '安全生产');
    expect(checked).not.toContain('已核验'); // a link outside a dialog is 检查, not a repost
    const answer = await say('zc', `转载 Z1 ${zichuan.base}/art/x.html`);
    expect(answer).toContain('未通过（标题不符）');
    expect(answer).toContain('尚未通过核验');
    const assignment = await db().getRepository(RepostAssignment).findOneByOrFail({ itemId: 1, unitId: 2 });
    expect(assignment.status).toBe('pending');
  });

  it('博山区 is found by discovery on a list page (robots.txt honoured), and told nothing is needed', async () => {
    const before = bot.inbox('bs').length;
    const results = await discover();
    const z1 = results.find((result) => result.item.id === 1)!;
    expect(z1.found).toEqual(['博山区']);
    expect(boshan.requests).toContain('/robots.txt');
    expect(boshan.requests).toContain('/art/z1.html');
    expect(boshan.requests).not.toContain('/private/z2.html');
    const link = await db().getRepository(RepostLink).findOneByOrFail({ source: 'discovery' });
    expect(link).toMatchObject({ itemId: 1, outcome: 'verified', submittedBy: 'discovery' });
    await bot.flush();
    expect(bot.texts('bs').slice(before).join('\n')).toContain('无需再提交');
  });

  it('转载核查 Z2 asks the job to run for the item now; the request is taken once', async () => {
    const answer = await say('sup', '转载核查 Z2');
    expect(answer).toContain('已安排核查 Z2：2 个单位未完成，其中 2 个登记了网站');
    expect(await say('zd', '转载核查 Z2')).not.toContain('已安排核查');
    expect(await takeRequests(db())).toEqual([{ itemId: 2, by: 'sup' }]);
    expect(await takeRequests(db())).toEqual([]);
    expect(await say('sup', '转载核查 Z99')).toContain('没有找到转载任务 Z99');
  });

  it('a second run asks with the validators: unchanged pages answer 304 and their links are used again', async () => {
    const from = boshan.answers.length;
    // 博山区 still owes Z2, whose repost is in a part of the site robots.txt closes.
    const results = await discover([2]);
    expect(results[0]!.found).toEqual([]);
    const again = boshan.answers.slice(from);
    expect(again).toContainEqual({ path: '/', status: 304 });
    expect(again).toContainEqual({ path: '/col/zyxx/index.html', status: 304 });
    expect(boshan.requests).not.toContain('/private/z2.html');
  });

  it('转载进度 shows the outcomes per unit', async () => {
    const overview = await say('sup', '转载进度');
    expect(overview).toContain('**Z1** ');
    expect(overview).toContain('已核验 2/3');
    expect(overview).toContain('已核验 1/3');
    const z1 = await say('sup', '转载进度 Z1');
    expect(z1).toMatch(/张店区\*\*（联络员提交）/);
    expect(z1).toMatch(/博山区\*\*（自动发现）/);
    expect(z1).toMatch(/淄川区\*\*，最近提交未通过（标题不符）/);
    const unit = await say('zc', '转载进度');
    expect(unit).toContain('淄川区 转载情况');
    expect(unit).not.toContain('张店区');
  });

  it('after the deadline the late units are red in 转载进度, 进度 and 逾期, and 催办 reaches them', async () => {
    // Tuesday 2026-03-24, 10:00 in Shanghai: the deadline (Monday 24:00) has passed.
    bot.clock.set('2026-03-24T02:00:00Z');
    const z2 = await say('sup', '转载进度 Z2');
    expect(z2).toMatch(/🔴逾期<\/font> \*\*淄川区\*\*/);
    expect(z2).toMatch(/🔴逾期<\/font> \*\*博山区\*\*/);
    const unit = await say('sup', '进度 淄川区');
    expect(unit).toContain('Z1');
    expect(unit).toContain('Z2');
    const overdue = await say('sup', '逾期');
    expect(overdue).toContain('淄川区');
    expect(overdue).toContain('博山区');
    expect(overdue).not.toContain('张店区');
    // The board: the same red units, and the batch's grid with the same outcomes.
    const calendar = await bot.runtime.deps.calendar.get();
    const overview = await boardOverview(db().manager, { now: bot.clock.now(), calendar });
    expect(overview.model.red.map((flag) => [flag.unitName, flag.count]).sort()).toEqual([
      ['博山区', 1],
      ['淄川区', 2],
    ]);
    const [batch] = overview.reposts!;
    expect(batch!.rows.map((row) => [row.unitName, row.cells])).toEqual([
      ['淄川区', ['red', 'red']],
      ['博山区', ['done', 'red']],
      ['张店区', ['done', 'done']],
    ]);
    const html = overviewPage(
      overview,
      { userid: 'sup', name: '李督办', role: 'supervisor', topUnit: null },
      'x',
    );
    expect(html).toContain('重要信息转载');
    expect(html).toContain('data-k="repostDone-1">3</b>/6');
    const before = bot.inbox('zc').length;
    const urged = await say('sup', '催办 淄川区');
    expect(urged).toContain('淄川区');
    await bot.flush();
    const sent = bot.inbox('zc').slice(before);
    expect(JSON.stringify(sent)).toContain('Z1');
    // The card and the liaison's 逾期 say how to answer a repost, not only a task.
    expect(JSON.stringify(sent)).toContain('发送“转载 Z编号 链接”提交转载链接。');
    const own = await say('zc', '逾期');
    expect(own).toContain('发送“转载 Z编号 链接”提交转载链接。');
    expect(own).not.toContain('办理 T编号');
    const bsBefore = bot.inbox('bs').length;
    expect(await say('sup', '催办 全部逾期')).toContain('已催办 1 个单位');
    await bot.flush();
    expect(JSON.stringify(bot.inbox('bs').slice(bsBefore))).toContain('Z2');
  });
});

describe('周报 and 导出进度', () => {
  it('the weekly report lists the open items; the export has the URLs and outcomes', async () => {
    const weekly = await say('sup', '周报');
    expect(weekly).toContain('重要信息转载');
    expect(weekly).toContain('**Z2**');
    const exported = await say('sup', '导出进度');
    expect(exported).toContain('转载明细');
    const calendar = await bot.runtime.deps.calendar.get();
    const built = await buildProgressExport(db().manager, { now: bot.clock.now(), calendar });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(built.data as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('转载明细')!;
    const rows: string[] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).join('|')));
    expect(
      rows.some(
        (row) =>
          row.includes(`张店区|${TITLE_1}`) &&
          row.includes(`${zhangdian.base}/art/z1.html|已核验|联络员提交`),
      ),
    ).toBe(true);
    expect(
      rows.some(
        (row) => row.includes('淄川区') && row.includes('逾期') && row.includes('未通过（标题不符）'),
      ),
    ).toBe(true);
    expect(rows.some((row) => row.includes('博山区') && row.includes('已核验|自动发现'))).toBe(true);
  });
});

describe('hostile answers', () => {
  it('a link on another unit’s site is 非本单位网站 even with the right title', async () => {
    bot.clock.set('2026-03-20T03:00:00Z');
    const [item] = await db()
      .getRepository(RepostItem)
      .find({ where: { id: 2 } });
    expect(item).toBeDefined();
    const answer = await say('zc', `转载 Z2 ${zhangdian.base}/art/z2.html`);
    expect(answer).toContain('未通过（非本单位网站）');
  });

  it('a huge page is refused unread beyond the cap', async () => {
    zichuan.pages.set('/huge.html', { body: Buffer.alloc(3 * 1024 * 1024, 0x61) });
    const answer = await say('zc', `转载 Z2 ${zichuan.base}/huge.html`);
    expect(answer).toContain('未通过（页面过大）');
  });

  it('转载 for a Z-number another unit must repost is refused and audited', async () => {
    // Z3: only 张店区.
    await say('sup', '转载任务');
    await say('sup', `${source.base}/zc/2.html`);
    await say('sup', '好了');
    await say('sup', '张店区');
    await say('sup', '网站');
    await say('sup', '3个工作日');
    expect(await say('sup', '确认')).toContain('Z3');
    const answer = await say('zc', `转载 Z3 ${zichuan.base}/art/z1.html`);
    expect(answer).toContain('Z3 不是本单位的转载任务');
    expect(await db().getRepository(RepostLink).countBy({ itemId: 3 })).toBe(0);
    const audit = await db().getRepository(AuditLog).findOneBy({ action: 'repost.submit', result: 'denied' });
    expect(audit).not.toBeNull();
  });
});

describe('the dialog and the answer, other ways', () => {
  it('sources forwarded or unreadable, 全部, 两者, 24小时内, 修改 截止, then 取消 creates nothing', async () => {
    const before = await db().getRepository(RepostItem).count();
    await say('sup', '转载任务');
    expect(await forward('sup', `${source.base}/zc/2.html`, '转发的标题')).toContain('1. 《转发的标题》');
    const unreadable = await say('sup', `${source.base}/missing.html`);
    expect(unreadable).toContain('未能读取第 2 条文章的标题');
    expect(await say('sup', '关于做好某项工作的通知｜省政府办公厅')).toContain(
      '2. 《关于做好某项工作的通知》（省政府办公厅）',
    );
    await say('sup', '好了');
    expect(await say('sup', '全部')).toContain('请选择转载渠道');
    expect(await say('sup', '两者')).toContain('请输入截止时间');
    const preview = await say('sup', '24小时内');
    expect(preview).toContain('单位：全部单位（4个）');
    expect(preview).toContain('渠道：网站和政务新媒体');
    // The forwarded article is Z2's, still open: said before 确认.
    expect(preview).toContain('已有未完成的转载任务：Z2《');
    expect(preview).toContain('网站已登记的单位还会自动核查');
    expect(await say('sup', '修改 渠道')).toContain('请选择转载渠道');
    // Discovery reads websites only: a new-media item promises no automatic check.
    expect(await say('sup', '政务新媒体')).toContain('政务新媒体不自动核查，由联络员提交链接');
    expect(await say('sup', '修改 截止')).toContain('请输入截止时间');
    expect(await say('sup', '2个工作日')).toContain('请确认转载任务');
    expect(await say('sup', '取消')).not.toContain('已下发');
    expect(await db().getRepository(RepostItem).count()).toBe(before);
  });

  it('a liaison clicks the card and forwards the article: 已核验, and the card’s button greys', async () => {
    bot.clock.set('2026-03-20T05:00:00Z');
    const card = cardsOf(bot, 'zc')[0]!;
    bot.clock.advance(60_000);
    const clicked = await clickButton(bot, 'zc', card, buttonKey(card, '提交转载链接'));
    expect(clicked.replies.join('\n')).toContain('请发送 Z1');
    expect(await say('zc', '好的')).toContain('没有找到链接');
    expect(await forward('zc', `${zichuan.base}/art/z1.html`, TITLE_1)).toContain('已核验');
    expect(bot.inbox('zc').find((d) => d.msgid === card.msgid)!.replaceName).toBe('已核验');
    expect(await say('zc', '转载 Z1')).toContain('无需再提交');
  });

  it('reads five links of one message and names the rest; 转载 without a Z-number shows the usage', async () => {
    const urls = Array.from({ length: 7 }, (_, i) => `${zichuan.base}/none-${i}.html`);
    const answer = await say('zc', `转载 Z2 ${urls.join(' ')}`);
    expect(answer.match(/页面无法访问/g)).toHaveLength(5);
    expect(answer).toContain('其余 2 条未读取');
    expect(await say('zc', '转载 http://a.example/1.html')).toContain('用法：转载 Z3 链接');
    expect(await say('sup', '转载 Z2 http://a.example/1.html')).not.toContain('核验结果');
  });

  it('an item of both channels: a site found once is not searched again, nor its liaisons told again', async () => {
    await say('sup', '转载任务');
    await say('sup', `${source.base}/zc/1.html`);
    await say('sup', '好了');
    await say('sup', '博山区');
    await say('sup', '两者');
    await say('sup', '2个工作日');
    expect(await say('sup', '确认')).toContain('已下发 1 条转载任务');
    const item = await db()
      .getRepository(RepostItem)
      .findOneOrFail({ where: {}, order: { id: 'DESC' } });
    const first = await discover([item.id]);
    expect(first[0]).toMatchObject({ found: ['博山区'], missing: [] });
    await bot.flush();
    const told = bot.texts('bs').length;
    const links = await db().getRepository(RepostLink).countBy({ itemId: item.id });
    const again = await discover([item.id]);
    expect(again[0]).toMatchObject({ found: [], missing: [] });
    await bot.flush();
    expect(bot.texts('bs')).toHaveLength(told);
    expect(await db().getRepository(RepostLink).countBy({ itemId: item.id })).toBe(links);
  });

  it('转载核查 reads nothing for an item only for 政务新媒体, or with every unit done, and says why', async () => {
    const assign = async (unit: string, channel: string) => {
      await say('sup', '转载任务');
      await say('sup', `${source.base}/zc/1.html`);
      await say('sup', '好了');
      await say('sup', unit);
      await say('sup', channel);
      await say('sup', '2个工作日');
      expect(await say('sup', '确认')).toContain('已下发 1 条转载任务');
      return db()
        .getRepository(RepostItem)
        .findOneOrFail({ where: {}, order: { id: 'DESC' } });
    };
    await takeRequests(db());
    const media = await assign('张店区', '政务新媒体');
    expect(await say('sup', `转载核查 Z${media.id}`)).toContain(
      `Z${media.id} 只需在政务新媒体转载，自动核查只读网站`,
    );
    const site = await assign('张店区', '网站');
    expect(await say('zd', `转载 Z${site.id} ${zhangdian.base}/art/z1.html`)).toContain('已核验');
    expect(await say('sup', `转载核查 Z${site.id}`)).toContain(`Z${site.id} 没有待核查的单位`);
    expect(await takeRequests(db())).toEqual([]);
  });

  it('转载进度 says which channel of an item of both is verified and what the other lacks', async () => {
    const item = await db()
      .getRepository(RepostItem)
      .findOneOrFail({ where: { channels: 'both' }, order: { id: 'DESC' } });
    expect(await say('sup', `转载进度 Z${item.id}`)).toMatch(/博山区\*\*，网站已核验，政务新媒体未提交/);
    expect(await say('sup', '转载进度')).toContain(
      `Z${item.id}** ${TITLE_1}：已核验 0/1（另有 1 个单位已完成一个渠道）`,
    );
    await say('bs', `转载 Z${item.id} ${boshan.base}/none.html`);
    expect(await say('bs', '转载进度')).toContain('网站已核验；最近提交未通过（页面无法访问）');
  });
});

describe('a link sent again', () => {
  it('the same link sent again is one link, checked again in place; once the page is fixed it is 已核验', async () => {
    const url = `${zichuan.base}/art/x.html`;
    const rows = () => db().getRepository(RepostLink).findBy({ url, itemId: 2 });
    expect(await say('zc', `转载 Z2 ${url}`)).toContain('未通过（标题不符）');
    expect(await rows()).toHaveLength(1);
    const wrong = zichuan.pages.get('/art/x.html');
    zichuan.pages.set('/art/x.html', zhangdian.pages.get('/art/z2.html')!);
    try {
      expect(await say('zc', `转载 Z2 ${url}`)).toContain('已核验');
      const [row] = await rows();
      expect((await rows()).length).toBe(1);
      expect(row!.outcome).toBe('verified');
      // Sent once more after it was verified: kept as it is, not checked or stored again.
      zichuan.pages.set('/art/x.html', wrong!);
      expect(await say('zc', `转载 Z2 ${url}`)).toContain('无需再提交');
      expect((await rows()).map((r) => r.outcome)).toEqual(['verified']);
    } finally {
      zichuan.pages.set('/art/x.html', wrong!);
    }
  });
});
