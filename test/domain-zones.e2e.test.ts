// Domains as the notice means them: each 区县 runs its own zone with its own approvers, the city
// approves the city's zone, 收回 needs a reason and 确认 and tells the holder, the directory's
// websites are in the duplicate check, and a name is reserved atomically (two requests at once:
// one D-number). Every hostile input below is refused, audited where it is a permission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { DomainAllocation } from '../src/entities/domain-allocation.js';
import { Website } from '../src/entities/website.js';
import { requestDomain } from '../src/services/domains/store.js';
import type { Unit } from '../src/entities/unit.js';
import { cardBody, cardsOf, click, say } from './support/chat.js';
import { addSite, UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
let zhangdian: Unit;
let zichuan: Unit;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T02:00:00Z', ...UNPACED });
  await bot.addUnit('市教育局', 'department');
  zhangdian = await bot.addUnit('张店区', 'district');
  await bot.addUnit('张店区教育局', 'other', '张店区');
  zichuan = await bot.addUnit('淄川区', 'district');
  await bot.addPerson('jy1', { name: '教育联络员', role: 'liaison', unit: '市教育局' });
  await bot.addPerson('zd1', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zdjy', { name: '张店教育联络员', role: 'liaison', unit: '张店区教育局' });
  await bot.addPerson('zdsp', { name: '张店审批人', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zc1', { name: '淄川联络员', role: 'liaison', unit: '淄川区' });
  await bot.addPerson('zcsp', { name: '淄川审批人', role: 'liaison', unit: '淄川区' });
  await bot.addPerson('dbr', { name: '督办员李', role: 'supervisor', unit: '市大数据局' });
  const sites = bot.database.dataSource.getRepository(Website);
  const sthj = await addSite(bot, '淄博市生态环境局网站', '3703000031', '市教育局');
  await sites.update({ id: sthj.id }, { domain: 'STHJ.zibo.gov.cn:443' });
  const wsj = await addSite(bot, '淄博市卫生健康委网站', '3703000032', '市教育局');
  await sites.update({ id: wsj.id }, { homeUrl: 'https://wsj.zibo.gov.cn:8443/index.html' });
});

afterAll(async () => {
  await bot.close();
});

const domains = () => bot.database.dataSource.getRepository(DomainAllocation);
const audits = () => bot.database.dataSource.getRepository(AuditLog);
const latest = async () => (await domains().find({ order: { id: 'DESC' }, take: 1 }))[0]!;

describe('zones and approvers (supervisors set them)', () => {
  it('refuses a liaison, a bad zone, the city zone and a member of another unit', async () => {
    expect(await say(bot, 'zd1', '设置域名区 张店区 zhangdian.gov.cn')).toBe('该命令仅限督办人员使用。');
    expect(await say(bot, 'dbr', '设置域名区 张店区 张店.gov.cn')).toContain('不是有效的域名区');
    expect(await say(bot, 'dbr', '设置域名区 张店区 zibo.gov.cn')).toContain('zibo.gov.cn 是市级域名区');
    expect(await say(bot, 'dbr', '设置域名区 张店区 gov.cn')).toBe(
      '域名区 gov.cn 与已有的域名区 zibo.gov.cn 相互包含，域名会归属不清，不能设置。',
    );
    expect(await say(bot, 'dbr', '设置域名区 张店区 zd.zibo.gov.cn')).toContain('相互包含');
    expect(await say(bot, 'dbr', '设置域名审批人 张店区 zcsp')).toContain(
      'zcsp 属于淄川区，不是张店区的人员',
    );
    expect(await say(bot, 'dbr', '设置域名审批人 张店区 nobody')).toBe('没有找到在岗人员 nobody。');
  });

  it('gives each 区县 its zone and approvers', async () => {
    expect(await say(bot, 'dbr', '设置域名区 张店区 *.ZhangDian.gov.cn.')).toContain(
      '已设置：zhangdian.gov.cn 为张店区的域名区（*.zhangdian.gov.cn）',
    );
    expect(await say(bot, 'dbr', '设置域名区 淄川区 zhangdian.gov.cn')).toBe(
      '域名区 zhangdian.gov.cn 已属于张店区。',
    );
    await say(bot, 'dbr', '设置域名区 淄川区 zichuan.gov.cn');
    expect(await say(bot, 'dbr', '设置域名审批人 张店区 zdsp')).toBe(
      '已指定 张店审批人（zdsp）为张店区的域名审批人。',
    );
    expect(await say(bot, 'dbr', '设置域名审批人 张店区 zdsp')).toBe('zdsp 已是张店区的域名审批人。');
    await say(bot, 'dbr', '设置域名审批人 淄川区 zcsp');
    const table = await say(bot, 'zd1', '域名区');
    expect(table).toContain('**zibo.gov.cn**（市级）：督办人员审批');
    expect(table).toContain('**zhangdian.gov.cn**（张店区）：审批人 张店审批人');
    expect(table).toContain('**zichuan.gov.cn**（淄川区）：审批人 淄川审批人');
  });
});

describe('a 区县 allocates its own names', () => {
  let edu: DomainAllocation;

  it('takes a bare label into the unit’s own zone; the card goes to its approvers only', async () => {
    const reply = await say(bot, 'zdjy', '申请域名 Edu 教育局专题网站');
    edu = await latest();
    expect(reply).toBe(`已提交二级域名申请 D${edu.id}：edu.zhangdian.gov.cn，等待张店区域名审批人审批。`);
    expect(edu).toMatchObject({
      subdomain: 'edu',
      zone: 'zhangdian.gov.cn',
      reservedKey: 'edu.zhangdian.gov.cn',
    });
    expect(cardsOf(bot, 'zdsp').map((card) => cardBody(card).main_title.title)).toEqual([
      `域名申请 D${edu.id}：edu.zhangdian.gov.cn`,
    ]);
    expect(cardsOf(bot, 'dbr')).toHaveLength(0);
    expect(cardsOf(bot, 'zcsp')).toHaveLength(0);
  });

  it('refuses another unit asking in the zone, and the same label elsewhere is another name', async () => {
    expect(await say(bot, 'jy1', '申请域名 abc.zhangdian.gov.cn 专题')).toBe(
      'zhangdian.gov.cn 是张店区的域名区，只有张店区的单位可以申请其中的域名。',
    );
    expect(await say(bot, 'jy1', '申请域名 edu.zibo.gov.cn 教育门户')).toMatch(
      /^已提交二级域名申请 D\d+：edu\.zibo\.gov\.cn/,
    );
  });

  it('refuses the city’s supervisor, another 区县’s approver and a liaison, and audits them', async () => {
    const before = await audits().countBy({ target: `D${edu.id}`, result: 'denied' });
    expect(await say(bot, 'dbr', `域名审批 D${edu.id} 同意`)).toBe(
      `域名申请 D${edu.id}（edu.zhangdian.gov.cn）属于张店区的域名区 zhangdian.gov.cn，您不是该域名区的审批人。`,
    );
    expect(await say(bot, 'zcsp', `域名审批 D${edu.id} 同意`)).toContain('您不是该域名区的审批人');
    expect(await say(bot, 'zd1', `域名审批 D${edu.id} 拒绝 不行`)).toContain('您不是该域名区的审批人');
    // A click on a card that was sent to somebody else, forged by another zone's approver.
    const card = cardsOf(bot, 'zdsp').at(-1)!;
    const forged = await bot.client.post(
      bot.client.cardClickXml('zcsp', {
        eventKey: `domain:approve:${edu.id}`,
        taskId: cardBody(card).task_id,
        cardType: 'button_interaction',
        responseCode: 'forged',
      }),
    );
    expect(forged.status).toBe(200);
    await bot.flush();
    expect(bot.texts('zcsp').at(-1) ?? forged.reply?.content).toContain('您不是该域名区的审批人');
    expect((await domains().findOneByOrFail({ id: edu.id })).status).toBe('pending');
    expect(await audits().countBy({ target: `D${edu.id}`, result: 'denied' })).toBe(before + 4);
  });

  it('refuses a 区县 approver deciding a city name', async () => {
    const city = await domains().findOneByOrFail({ subdomain: 'edu', zone: 'zibo.gov.cn' });
    expect(await say(bot, 'zdsp', `域名审批 D${city.id} 同意`)).toBe(
      `域名申请 D${city.id}（edu.zibo.gov.cn）属于市级域名区 zibo.gov.cn，由督办人员审批。`,
    );
    expect(await say(bot, 'dbr', `域名审批 D${city.id} 同意`)).toContain('edu.zibo.gov.cn 已分配');
  });

  it('lets the zone’s approver allocate it from the card', async () => {
    const card = cardsOf(bot, 'zdsp').at(-1)!;
    const clicked = await click(bot, 'zdsp', card, `domain:approve:${edu.id}`);
    expect(clicked.replies).toContain(`已同意域名申请 D${edu.id}：edu.zhangdian.gov.cn 已分配。`);
    expect(await domains().findOneByOrFail({ id: edu.id })).toMatchObject({
      status: 'active',
      decidedBy: 'zdsp',
    });
    expect(bot.texts('zdjy').at(-1)).toContain('edu.zhangdian.gov.cn 已分配，可以使用');
  });
});

describe('收回域名', () => {
  it('refuses without a reason step being answered, and a 区县 name by the city', async () => {
    expect(await say(bot, 'dbr', '收回域名 edu.zhangdian.gov.cn 不用了')).toBe(
      'edu.zhangdian.gov.cn 属于张店区的域名区 zhangdian.gov.cn，您不是该域名区的审批人。',
    );
    expect(await say(bot, 'zcsp', '收回域名 edu.zhangdian.gov.cn 不用了')).toContain(
      '您不是该域名区的审批人',
    );
    expect(await audits().countBy({ action: 'domain.revoke', result: 'denied' })).toBe(2);
  });

  it('asks for the reason, previews, and 否 leaves the name as it is', async () => {
    expect(await say(bot, 'zdsp', '收回域名 EDU')).toContain('请发送收回 edu.zhangdian.gov.cn');
    expect(await say(bot, 'zdsp', '域名列表')).toContain(
      '（正在《收回域名》：请发送收回理由，或回复“取消”）',
    );
    expect(await say(bot, 'zdsp', '联系电话13812345678')).toContain('提交未受理');
    const preview = await say(bot, 'zdsp', '专题网站已整合到区政府门户');
    expect(preview).toContain('**请确认收回二级域名**');
    expect(preview).toContain('使用单位：张店区');
    expect(await say(bot, 'zdsp', '否')).toBe('已放弃收回，edu.zhangdian.gov.cn 未作改变。');
    expect((await domains().findOneByOrFail({ subdomain: 'edu', zone: 'zhangdian.gov.cn' })).status).toBe(
      'active',
    );
  });

  it('takes it back after 确认 and tells the holder why', async () => {
    const before = bot.texts('zdjy').length;
    await say(bot, 'zdsp', '收回域名 edu.zhangdian.gov.cn. 专题网站已整合到区政府门户');
    expect(await say(bot, 'zdsp', '确认')).toMatch(
      /^已收回 edu\.zhangdian\.gov\.cn（D\d+），已通知使用单位。$/,
    );
    const revoked = await domains().findOneByOrFail({ subdomain: 'edu', zone: 'zhangdian.gov.cn' });
    expect(revoked).toMatchObject({ status: 'revoked', reservedKey: null, revokedBy: 'zdsp' });
    const told = bot.texts('zdjy').slice(before).join('\n');
    expect(told).toContain('edu.zhangdian.gov.cn');
    expect(told).toContain('理由：专题网站已整合到区政府门户');
    expect(await say(bot, 'zdsp', '收回域名 edu 再收一次')).toBe(
      'edu.zhangdian.gov.cn 当前未分配，无需收回。',
    );
  });
});

describe('permissions are checked at every step', () => {
  it('refuses 确认 from an approver removed while the preview waited', async () => {
    await say(bot, 'zdjy', '申请域名 news 新闻专题');
    const news = await latest();
    expect(await say(bot, 'zdsp', `域名审批 D${news.id} 同意`)).toContain('news.zhangdian.gov.cn 已分配');
    expect(await say(bot, 'zdsp', '收回域名 news 专题停办')).toContain('**请确认收回二级域名**');
    expect(await say(bot, 'dbr', '取消域名审批人 张店区 zdsp')).toBe(
      '已取消 张店审批人（zdsp）的张店区域名审批人。',
    );
    expect(await say(bot, 'zdsp', '确认')).toBe(
      'news.zhangdian.gov.cn 属于张店区的域名区 zhangdian.gov.cn，您不是该域名区的审批人。',
    );
    expect((await domains().findOneByOrFail({ id: news.id })).status).toBe('active');
    expect(await say(bot, 'dbr', '取消域名审批人 张店区 zdsp')).toBe('zdsp 不是张店区的域名审批人。');
    // Without approvers the 区县's zone takes no requests: nobody could decide them.
    expect(await say(bot, 'zdjy', '申请域名 video 视频专题')).toBe(
      '张店区尚未指定域名审批人（域名区 zhangdian.gov.cn），暂不能申请，请联系督办人员设置。',
    );
    await say(bot, 'dbr', '设置域名审批人 张店区 zdsp');
  });
});

describe('names already in use and odd names', () => {
  it.each([
    ['申请域名 sthj 环境专题', 'sthj.zibo.gov.cn 已由市教育局的网站“淄博市生态环境局网站”（3703000031）使用'],
    [
      '申请域名 WSJ.zibo.gov.cn. 卫健专题',
      'wsj.zibo.gov.cn 已由市教育局的网站“淄博市卫生健康委网站”（3703000032）使用',
    ],
    ['申请域名 教育 专题', '中文或国际化域名'],
    ['申请域名 xn--wcvs22d.zibo.gov.cn 专题', '中文或国际化域名'],
    ['申请域名 a.b.zibo.gov.cn 专题', '只能有一级标签'],
    ['申请域名 jyj.example.com 专题', '只能分配 zibo.gov.cn、zhangdian.gov.cn、zichuan.gov.cn 下的二级域名'],
    ['申请域名 www 门户', 'www 是门户网站或邮件、域名解析等服务保留的名称，不分配给单位'],
    ['申请域名 mail.zhangdian.gov.cn 邮箱', 'mail 是门户网站或邮件、域名解析等服务保留的名称'],
  ])('%s → %s', async (input, words) => {
    const count = await domains().count();
    expect(await say(bot, 'jy1', input)).toContain(words);
    expect(await domains().count()).toBe(count);
  });

  it('a county liaison asking for www (their zone’s portal) is told it is reserved; nothing is created', async () => {
    const count = await domains().count();
    expect(await say(bot, 'zd1', '申请域名 www 张店区门户')).toContain(
      'www 是门户网站或邮件、域名解析等服务保留的名称',
    );
    expect(await domains().count()).toBe(count);
  });

  it('reads upper case and a trailing dot as the same name', async () => {
    await say(bot, 'jy1', '申请域名 KSZX.Zibo.Gov.Cn. 考试中心');
    expect((await latest()).reservedKey).toBe('kszx.zibo.gov.cn');
    expect(await say(bot, 'zd1', '申请域名 kszx.zibo.gov.cn 另一个用途')).toContain(
      'kszx.zibo.gov.cn 已有待审批的申请',
    );
  });
});

describe('a name is reserved atomically', () => {
  it('gives two simultaneous requests for one name one D-number', async () => {
    const [a, b] = await Promise.all([
      bot.client.sendText('jy1', '申请域名 race.zibo.gov.cn 教育专题'),
      bot.client.sendText('zd1', '申请域名 race.zibo.gov.cn 张店专题'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await bot.flush();
    expect(await domains().countBy({ subdomain: 'race', zone: 'zibo.gov.cn' })).toBe(1);
    const answers = [
      a.reply?.content,
      b.reply?.content,
      bot.texts('jy1').at(-1),
      bot.texts('zd1').at(-1),
    ].filter((answer): answer is string => typeof answer === 'string');
    expect(answers.some((answer) => answer.includes('已提交二级域名申请'))).toBe(true);
    expect(answers.some((answer) => answer.includes('race.zibo.gov.cn 已有待审批的申请'))).toBe(true);
  });

  it('lets the unique key decide when both passed the check before either committed', async () => {
    const dataSource = bot.database.dataSource;
    const input = (topUnitId: number) => ({
      label: 'tie',
      zone: 'zibo.gov.cn',
      purpose: '专题',
      websiteId: null,
      unitId: topUnitId,
      topUnitId,
      accepted: [],
    });
    const audit = async () => {};
    const won = await dataSource.transaction((tx) =>
      requestDomain(
        { tx, now: bot.clock.now(), audit },
        { userid: 'zd1', role: 'liaison', topUnitId: zhangdian.id },
        input(zhangdian.id),
      ),
    );
    expect(won.kind).toBe('ok');
    // The second request's check read before the first committed: its first look at the name finds
    // nothing (as it would have then), so only the unique key stands between it and a second D-number.
    const lost = await dataSource.transaction((tx) => {
      let stale = true;
      const staleTx = new Proxy(tx, {
        get(target, prop) {
          if (prop !== 'getRepository') return Reflect.get(target, prop, target) as unknown;
          return (entity: unknown) => {
            const repo = target.getRepository(entity as typeof DomainAllocation);
            if (entity !== DomainAllocation || !stale) return repo;
            return new Proxy(repo, {
              get(r, key) {
                if (key === 'findOneBy' && stale) {
                  stale = false;
                  return async () => null;
                }
                const value = Reflect.get(r, key, r) as unknown;
                return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(r) : value;
              },
            });
          };
        },
      });
      return requestDomain(
        { tx: staleTx, now: bot.clock.now(), audit },
        { userid: 'zc1', role: 'liaison', topUnitId: zichuan.id },
        input(zichuan.id),
      );
    });
    expect(lost).toMatchObject({ kind: 'pending', unitName: '张店区' });
    expect(await domains().countBy({ subdomain: 'tie' })).toBe(1);
  });
});
