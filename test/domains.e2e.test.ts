// Second-level domains through the bot: request, supervisor cards, approval and refusal, no
// double allocation (at request, at approval, and in the database), revocation and the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDuplicateKeyError } from '../src/db/errors.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { DomainAllocation } from '../src/entities/domain-allocation.js';
import type { Unit } from '../src/entities/unit.js';
import { cardBody, cardsOf, click, say } from './support/chat.js';
import { addSite, UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
let jiaoyu: Unit;
let zhangdian: Unit;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T02:00:00Z', ...UNPACED });
  jiaoyu = await bot.addUnit('市教育局', 'department');
  zhangdian = await bot.addUnit('张店区', 'district');
  await bot.addPerson('jy1', { name: '教育联络员', role: 'liaison', unit: '市教育局' });
  await bot.addPerson('zd1', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('dbr', { name: '督办员李', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('dbr2', { name: '督办员周', role: 'supervisor', unit: '市大数据局' });
  await addSite(bot, '淄博市教育局网站', '3703000020', '市教育局');
});

afterAll(async () => {
  await bot.close();
});

const domains = () => bot.database.dataSource.getRepository(DomainAllocation);
const audits = () => bot.database.dataSource.getRepository(AuditLog);
const latest = async () => (await domains().find({ order: { id: 'DESC' }, take: 1 }))[0]!;

describe('申请域名', () => {
  it.each([
    ['申请域名 JY_J 门户', '只能由小写字母、数字和连字符'],
    ['申请域名 jyj', '请写明域名用途'],
    ['申请域名 jyj.example.com 门户', '只能分配 zibo.gov.cn 下的二级域名'],
    ['申请域名 -jyj 门户', '不能以连字符（-）开头或结尾'],
    ['申请域名 jyj 3703030001 门户', '网站标识码 3703030001 不是您单位的网站'],
  ])('%s → %s', async (input, message) => {
    expect(await say(bot, 'jy1', input)).toContain(message);
    expect(await domains().count()).toBe(0);
  });

  it('records the request, sends every supervisor a card, and a click allocates it', async () => {
    const reply = await say(bot, 'jy1', '申请域名 JYJ.zibo.gov.cn 3703000020 教育局门户网站');
    const request = await latest();
    expect(reply).toBe(`已提交二级域名申请 D${request.id}：jyj.zibo.gov.cn，等待督办人员审批。`);
    expect(request).toMatchObject({
      subdomain: 'jyj',
      status: 'pending',
      zone: 'zibo.gov.cn',
      reservedKey: 'jyj.zibo.gov.cn',
      topUnitId: jiaoyu.id,
      purpose: '教育局门户网站',
      requestedBy: 'jy1',
    });
    expect(request.websiteId).not.toBeNull();
    const card = cardsOf(bot, 'dbr').at(-1)!;
    expect(cardBody(card).main_title.title).toBe(`域名申请 D${request.id}：jyj.zibo.gov.cn`);
    expect(cardsOf(bot, 'dbr2')).toHaveLength(1);

    const clicked = await click(bot, 'dbr', card, `domain:approve:${request.id}`);
    expect(clicked.result.reply).toMatchObject({ msgType: 'update_button', replaceName: '已同意' });
    expect(clicked.replies).toContain(`已同意域名申请 D${request.id}：jyj.zibo.gov.cn 已分配。`);
    const allocated = await domains().findOneByOrFail({ id: request.id });
    expect(allocated).toMatchObject({ status: 'active', reservedKey: 'jyj.zibo.gov.cn', decidedBy: 'dbr' });
    expect(allocated.allocatedAt!.toISOString()).toBe('2026-03-20T02:00:00.000Z');
    expect(bot.texts('jy1').at(-1)).toContain('jyj.zibo.gov.cn 已分配，可以使用');
    const actions = (await audits().find({ where: { target: `D${request.id}` }, order: { id: 'ASC' } })).map(
      (row) => `${row.action}:${row.result}`,
    );
    expect(actions).toEqual(['domain.request:ok', 'domain.approve:ok']);
    const details = (await audits().find({ where: { target: `D${request.id}` }, order: { id: 'ASC' } })).map(
      (row) => row.detail,
    );
    expect(details).toEqual(['申请 jyj.zibo.gov.cn', '分配 jyj.zibo.gov.cn']);
  });
});

describe('no subdomain is allocated twice', () => {
  it('refuses a request for a subdomain in use, and audits the refusal', async () => {
    const count = await domains().count();
    expect(await say(bot, 'zd1', '申请域名 jyj 张店区教育专题')).toMatch(
      /^jyj\.zibo\.gov\.cn 已分配给市教育局（D\d+），不能重复分配。$/,
    );
    expect(await domains().count()).toBe(count);
    expect(
      await audits().countBy({
        target: 'domain:jyj.zibo.gov.cn',
        action: 'domain.request',
        result: 'denied',
      }),
    ).toBe(1);
    const refused = await audits().findOneByOrFail({ target: 'domain:jyj.zibo.gov.cn', result: 'denied' });
    expect(refused.detail).toMatch(/^jyj\.zibo\.gov\.cn 已分配（D\d+），不能重复申请$/);
  });

  it('refuses a second request while one is waiting', async () => {
    await say(bot, 'zd1', '申请域名 zdjy 张店区教育专题');
    const waiting = await latest();
    expect(await say(bot, 'jy1', '申请域名 zdjy 另一个用途')).toContain(
      `zdjy.zibo.gov.cn 已有待审批的申请（D${waiting.id}，张店区），请等待审批结果。`,
    );
  });

  it('refuses at approval time, and the database refuses it as well', async () => {
    // A request for jyj from before names were reserved at request time (an older row, no key).
    const stale = await domains().save(
      domains().create({
        subdomain: 'jyj',
        reservedKey: null,
        unitId: zhangdian.id,
        topUnitId: zhangdian.id,
        websiteId: null,
        purpose: '旧申请',
        status: 'pending',
        requestedBy: 'zd1',
        requestedAt: bot.clock.now(),
      }),
    );
    const refused = await say(bot, 'dbr', `域名审批 D${stale.id} 同意`);
    expect(refused).toMatch(/jyj\.zibo\.gov\.cn 已分配给市教育局（D\d+），不能重复分配。/);
    expect((await domains().findOneByOrFail({ id: stale.id })).status).toBe('pending');
    expect(
      await audits().countBy({ target: `D${stale.id}`, action: 'domain.approve', result: 'denied' }),
    ).toBe(1);

    const error = await domains()
      .update({ id: stale.id }, { status: 'active', reservedKey: 'jyj.zibo.gov.cn' })
      .then(() => null)
      .catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);

    // Without a reason it asks for one, as the card's 拒绝 does (the reason alone was no command).
    expect(await say(bot, 'dbr', `域名审批 D${stale.id} 拒绝`)).toContain(
      `请发送拒绝域名申请 D${stale.id}（jyj.zibo.gov.cn）的理由`,
    );
    expect(await say(bot, 'dbr', '与已分配域名重复')).toContain('已拒绝');
    expect(await domains().findOneByOrFail({ id: stale.id })).toMatchObject({
      status: 'rejected',
      decisionNote: '与已分配域名重复',
    });
    expect(bot.texts('zd1').at(-1)).toContain('理由：与已分配域名重复');
  });

  it('asks for the reason after 拒绝 on the card; the other card then reads 已处理', async () => {
    const waiting = await domains().findOneByOrFail({ subdomain: 'zdjy', status: 'pending' });
    const mine = cardsOf(bot, 'dbr').find((c) =>
      cardBody(c).main_title.title.startsWith(`域名申请 D${waiting.id}`),
    )!;
    const asked = await click(bot, 'dbr', mine, `domain:reject:${waiting.id}`);
    expect(asked.replies).toContain(`请发送拒绝域名申请 D${waiting.id}（zdjy.zibo.gov.cn）的理由`);
    expect(await say(bot, 'dbr', '请使用区政府门户栏目')).toContain(`已拒绝域名申请 D${waiting.id}`);
    const theirs = cardsOf(bot, 'dbr2').find((c) =>
      cardBody(c).main_title.title.startsWith(`域名申请 D${waiting.id}`),
    )!;
    const late = await click(bot, 'dbr2', theirs, `domain:approve:${waiting.id}`);
    expect(late.result.reply).toMatchObject({ replaceName: '已处理' });
    expect(late.replies).toContain('由 督办员李 处理（已拒绝）');
    expect((await domains().findOneByOrFail({ id: waiting.id })).status).toBe('rejected');
  });

  it('frees a subdomain when it is taken back', async () => {
    bot.clock.set('2026-03-23T02:00:00Z');
    const preview = await say(bot, 'dbr', '收回域名 jyj.zibo.gov.cn 网站已整合');
    expect(preview).toContain('**请确认收回二级域名**');
    expect(preview).toContain('理由：网站已整合');
    expect(preview).toContain('回复“确认”收回；回复“取消”放弃。');
    expect(await domains().countBy({ subdomain: 'jyj', status: 'revoked' })).toBe(0);
    expect(await say(bot, 'dbr', '确认')).toMatch(/^已收回 jyj\.zibo\.gov\.cn（D\d+），已通知使用单位。$/);
    const revoked = await domains().findOneByOrFail({ subdomain: 'jyj', status: 'revoked' });
    expect(revoked).toMatchObject({ reservedKey: null, revokedBy: 'dbr', revokeReason: '网站已整合' });
    expect(bot.texts('jy1').at(-1)).toContain('已由督办员李收回。\n理由：网站已整合');
    expect(await say(bot, 'dbr', '收回域名 jyj')).toBe('jyj.zibo.gov.cn 当前未分配，无需收回。');
    // By its D-number too (it was read as the name d12.zibo.gov.cn).
    expect(await say(bot, 'dbr', `收回域名 D${revoked.id}`)).toBe('jyj.zibo.gov.cn 当前未分配，无需收回。');
    expect(await say(bot, 'dbr', '收回域名 D9999')).toContain('D9999');

    await say(bot, 'zd1', '申请域名 jyj 张店区教育专题');
    const again = await latest();
    expect(await say(bot, 'dbr', `域名审批 D${again.id} 同意`)).toContain('已分配');
    expect(await say(bot, 'dbr', `收回域名 d${again.id} 测试`)).toContain('**请确认收回二级域名**');
    expect(await say(bot, 'dbr', '取消')).toBe('已取消。');
    expect(await domains().countBy({ subdomain: 'jyj' })).toBe(3);
    expect(await domains().countBy({ reservedKey: 'jyj.zibo.gov.cn' })).toBe(1);
  });
});

describe('personal information and permissions', () => {
  it('gates the purpose', async () => {
    expect(await say(bot, 'jy1', '申请域名 zsb 招生咨询13812345678')).toContain('提交未受理');
    expect(await domains().countBy({ subdomain: 'zsb' })).toBe(0);
    expect(await say(bot, 'jy1', '申请域名 zsb 招生咨询，电话0533-2345678')).toContain('请回复“确认”');
    expect(await domains().countBy({ subdomain: 'zsb' })).toBe(0);
    // A read-only command is answered and the confirmation waits, with how to change the text.
    const aside = await say(bot, 'jy1', '域名列表');
    expect(aside).toContain('市教育局暂无在用或待审批的二级域名。');
    expect(aside).toContain('（正在《申请域名》：回复“确认”保存，或发送修改后的内容，或回复“取消”）');
    expect(await say(bot, 'jy1', '确认')).toContain('已提交二级域名申请');
    expect((await domains().findOneByOrFail({ subdomain: 'zsb' })).piiAccepted).toEqual([
      { kind: 'landline', severity: 'warn', masked: '0533-***5678' },
    ]);
  });

  it('reads a retyped command as the revision', async () => {
    expect(await say(bot, 'jy1', '申请域名 kszx 考试中心，邮箱 zhangsan@qq.com')).toContain('请回复“确认”');
    expect(await say(bot, 'jy1', '申请域名 kszx 3703000020 考试中心专题')).toContain('已提交二级域名申请');
    expect((await domains().findOneByOrFail({ subdomain: 'kszx' })).purpose).toBe('考试中心专题');
  });

  it('keeps approval and revocation of city names to supervisors', async () => {
    const pending = await domains().findOneByOrFail({ subdomain: 'zsb' });
    expect(await say(bot, 'jy1', `域名审批 D${pending.id} 同意`)).toBe(
      `域名申请 D${pending.id}（zsb.zibo.gov.cn）属于市级域名区 zibo.gov.cn，由督办人员审批。`,
    );
    expect((await domains().findOneByOrFail({ id: pending.id })).status).toBe('pending');
    expect(
      await audits().countBy({ target: `D${pending.id}`, action: 'domain.approve', result: 'denied' }),
    ).toBe(1);
    expect(await say(bot, 'zd1', '收回域名 jyj 不用了')).toBe(
      'jyj.zibo.gov.cn 属于市级域名区 zibo.gov.cn，由督办人员审批。',
    );
    expect((await domains().findOneByOrFail({ subdomain: 'jyj', status: 'active' })).topUnitId).toBe(
      zhangdian.id,
    );
    expect(await say(bot, 'dbr', '域名审批 D999 同意')).toBe('没有找到域名申请 D999。');
    expect(await say(bot, 'dbr', '域名审批 D1 可以')).toContain('用法：域名审批 D4 同意|拒绝 <理由>');
  });
});

describe('card clicks while another dialog is open', () => {
  it('asks before 拒绝 opens its reason dialog; 同意 acts at once and the dialog goes on', async () => {
    await say(bot, 'jy1', '申请域名 mid 专题');
    const request = await latest();
    const card = cardsOf(bot, 'dbr').at(-1)!;
    expect(await say(bot, 'dbr', '下发任务')).toContain('请选择任务类型');
    const asked = await click(bot, 'dbr', card, `domain:reject:${request.id}`);
    expect(asked.replies).toContain(
      '您正在《下发任务》，尚未完成。要放弃它并处理刚才点击的“拒绝”吗？回复“是”放弃并继续，回复“否”回到《下发任务》。',
    );
    expect(await say(bot, 'dbr', '否')).toContain('好的，继续《下发任务》。');
    expect((await domains().findOneByOrFail({ id: request.id })).status).toBe('pending');
    const approved = await click(bot, 'dbr', card, `domain:approve:${request.id}`);
    expect(approved.replies).toContain(`已同意域名申请 D${request.id}：mid.zibo.gov.cn 已分配。`);
    expect(approved.replies).toContain('（正在《下发任务》');
    expect((await domains().findOneByOrFail({ id: request.id })).status).toBe('active');
    expect(await say(bot, 'dbr', '取消')).toBe('已取消。');
  });
});

describe('域名列表', () => {
  it('shows a liaison their unit’s domains in use and waiting', async () => {
    const list = await say(bot, 'jy1', '域名列表');
    expect(list).toContain('二级域名（市教育局');
    expect(list).toContain('**zsb.zibo.gov.cn** <font color="warning">待审批</font>');
    expect(list).not.toContain('jyj.zibo.gov.cn');
  });

  it('shows supervisors every unit, and everything with 全部', async () => {
    const list = await say(bot, 'dbr', '域名列表');
    expect(list).toContain('**jyj.zibo.gov.cn** <font color="info">在用</font>');
    expect(list).toContain('张店区 · 张店区教育专题，2026-03-23（周一）分配');
    expect(list).not.toContain('已收回');
    const all = await say(bot, 'dbr', '域名列表 全部');
    expect(all).toContain('<font color="comment">已收回</font>');
    expect(all).toContain('<font color="comment">已拒绝</font>');
  });
});
