// New-media account filings through the bot: the dialog, deadlines across the 2026 holidays,
// supervisor cards, confirmation updating the directory, refusals and the account list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountFiling } from '../src/entities/account-filing.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { MediaAccount } from '../src/entities/media-account.js';
import type { Unit } from '../src/entities/unit.js';
import { cardBody, cardsOf, click, say } from './support/chat.js';
import { addAccount, UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
let shuili: Unit;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-02-13T02:00:00Z', ...UNPACED });
  shuili = await bot.addUnit('市水利局', 'department');
  await bot.addUnit('张店区', 'district');
  await bot.addUnit('张店区文旅局', 'other', '张店区');
  await bot.addPerson('sl1', { name: '王水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('zd1', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('dbr', { name: '督办员李', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('dbr2', { name: '督办员周', role: 'supervisor', unit: '市大数据局' });
  await addAccount(bot, 'wechat', '淄博水利', '市水利局');
  await addAccount(bot, 'wechat', '水利普法', '市水利局');
  await addAccount(bot, 'douyin', '张店文旅', '张店区文旅局');
  await addAccount(bot, 'weibo', '张店发布', '张店区');
});

afterAll(async () => {
  await bot.close();
});

const filings = () => bot.database.dataSource.getRepository(AccountFiling);
const accounts = () => bot.database.dataSource.getRepository(MediaAccount);
const latestFiling = async () => (await filings().find({ order: { id: 'DESC' }, take: 1 }))[0]!;

/** Runs the dialog with the given answers; returns the last reply. */
async function dialog(userid: string, answers: string[]): Promise<string> {
  let reply = '';
  for (const answer of answers) reply = await say(bot, userid, answer);
  return reply;
}

describe('账号备案 dialog and confirmation', () => {
  it('files a 开设 across the Spring Festival and creates the account only on confirmation', async () => {
    bot.clock.set('2026-02-13T02:00:00Z');
    expect(await say(bot, 'sl1', '账号备案')).toContain('1. 开设');
    expect(await say(bot, 'sl1', '1')).toContain('请选择平台');
    expect(await say(bot, 'sl1', '4')).toContain('请输入新开设账号的名称');
    expect(await say(bot, 'sl1', '淄博水利')).toContain('请输入开设日期');
    const summary = await say(bot, 'sl1', '昨天');
    expect(summary).toContain('> 开设日期：2026-02-12（周四）');
    expect(summary).toContain('备案期限：2026-02-24（周二）24时截止');
    const done = await say(bot, 'sl1', '确认');
    const filing = await latestFiling();
    expect(done).toContain(`已提交账号备案 F${filing.id}`);
    expect(filing).toMatchObject({
      action: 'open',
      platform: 'douyin',
      accountName: '淄博水利',
      status: 'submitted',
    });
    expect(filing.deadline.toISOString()).toBe('2026-02-24T16:00:00.000Z');
    expect(await accounts().findOneBy({ platform: 'douyin', name: '淄博水利' })).toBeNull();

    // Every supervisor gets a card of their own.
    const [card] = cardsOf(bot, 'dbr');
    const [card2] = cardsOf(bot, 'dbr2');
    expect(cardBody(card!).main_title.title).toBe(`账号备案 F${filing.id}：开设`);
    expect(cardBody(card!).task_id).not.toBe(cardBody(card2!).task_id);
    expect(cardBody(card!).button_list.map((b) => b.key)).toEqual([
      `filing:confirm:${filing.id}`,
      `filing:reject:${filing.id}`,
    ]);

    const confirmed = await click(bot, 'dbr', card!, `filing:confirm:${filing.id}`);
    expect(confirmed.result.reply).toMatchObject({ msgType: 'update_button', replaceName: '已确认备案' });
    expect(confirmed.replies).toContain(
      `已确认账号备案 F${filing.id}：开设 抖音“淄博水利”。账号清单已更新：淄博水利（运行）。`,
    );
    const created = await accounts().findOneByOrFail({ platform: 'douyin', name: '淄博水利' });
    expect(created).toMatchObject({ unitId: shuili.id, status: 'running' });
    expect(await filings().findOneByOrFail({ id: filing.id })).toMatchObject({
      status: 'confirmed',
      decidedBy: 'dbr',
      mediaAccountId: created.id,
    });
    expect(bot.texts('sl1').at(-1)).toContain(
      `账号备案 F${filing.id}（开设 抖音“淄博水利”）已由督办人员确认完成`,
    );

    // The other supervisor's card now answers that it was handled.
    const late = await click(bot, 'dbr2', card2!, `filing:confirm:${filing.id}`);
    expect(late.result.reply).toMatchObject({ msgType: 'update_button', replaceName: '已处理' });
    expect(late.replies).toContain('由 督办员李 处理（已确认）');
  });

  it('renames on a confirmed 变更; due on the National Day make-up Saturday', async () => {
    bot.clock.set('2026-09-30T02:00:00Z');
    const summary = await dialog('zd1', ['账号备案 变更', '微博', '1', '张店区发布', '今天']);
    expect(summary).toContain('> 账号：张店发布 → 张店区发布');
    expect(summary).toContain('备案期限：2026-10-10（周六）24时截止');
    await say(bot, 'zd1', '确认');
    const filing = await latestFiling();
    expect(filing.previousName).toBe('张店发布');
    expect(await accounts().findOneBy({ name: '张店发布' })).not.toBeNull();
    expect(await say(bot, 'dbr', `备案确认 F${filing.id}`)).toContain('账号清单已更新：张店区发布（运行）');
    expect(await accounts().findOneBy({ name: '张店发布' })).toBeNull();
    expect((await accounts().findOneByOrFail({ id: filing.mediaAccountId! })).name).toBe('张店区发布');
  });

  it('requires the closure announcement for 关停, gates it, and a rejection leaves the directory alone', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    const list = await dialog('zd1', ['账号备案', '关停', '抖音']);
    // Accounts of the unit's sub-units are the unit's too.
    expect(list).toContain('1. 张店文旅（运行）');
    expect(await say(bot, 'zd1', '5')).toContain('序号 5 不在列表中');
    expect(await say(bot, 'zd1', '1')).toContain('请输入关停日期');
    expect(await say(bot, 'zd1', '今天')).toContain('请发送向社会发布的关停公告链接或公告全文');
    expect(await say(bot, 'zd1', '咨询请致电13812345678')).toContain('提交未受理');
    const warned = await say(bot, 'zd1', '“张店文旅”抖音号即日起停止更新，咨询电话0533-2345678。');
    expect(warned).toContain('内容中可能含有个人信息');
    expect(warned).toContain('> 关停公告：“张店文旅”抖音号即日起停止更新');
    await say(bot, 'zd1', '确认');
    const filing = await latestFiling();
    expect(filing).toMatchObject({ action: 'close', status: 'submitted' });
    expect(filing.piiAccepted).toEqual([{ kind: 'landline', severity: 'warn', masked: '0533-***5678' }]);

    // Without a reason it asks for one, as the card's 退回 does (the reason alone was no command).
    expect(await say(bot, 'dbr', `备案退回 F${filing.id}`)).toContain(
      `请发送退回账号备案 F${filing.id} 的理由`,
    );
    expect(await say(bot, 'dbr', '公告未说明关停原因')).toContain('已退回');
    expect(await say(bot, 'dbr', `备案退回 F${filing.id}`)).not.toContain('请发送退回');
    expect(await filings().findOneByOrFail({ id: filing.id })).toMatchObject({
      status: 'rejected',
      rejectReason: '公告未说明关停原因',
    });
    expect(bot.texts('zd1').at(-1)).toContain('理由：公告未说明关停原因');
    expect((await accounts().findOneByOrFail({ name: '张店文旅' })).status).toBe('running');
  });

  it('sends back from the card after asking for the reason', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    await dialog('sl1', [
      '账号备案',
      '注销',
      '微信',
      '水利普法',
      '今天',
      'https://example.gov.cn/gg/2.html',
      '确认',
    ]);
    const filing = await latestFiling();
    const card = cardsOf(bot, 'dbr').find((c) =>
      cardBody(c).main_title.title.startsWith(`账号备案 F${filing.id}`),
    )!;
    expect(cardBody(card).main_title.title).toBe(`账号备案 F${filing.id}：注销`);
    const asked = await click(bot, 'dbr', card, `filing:reject:${filing.id}`);
    expect(asked.replies).toContain(`请发送退回账号备案 F${filing.id} 的理由`);
    expect(await say(bot, 'dbr', '公告链接打不开，请联系 0533-2345678')).toContain('请回复“确认”');
    // Asked in a dialog, a plain text sent instead of 确认 is the revised reason.
    expect(await say(bot, 'dbr', '公告链接打不开')).toContain(`已退回账号备案 F${filing.id}`);
    expect((await filings().findOneByOrFail({ id: filing.id })).rejectReason).toBe('公告链接打不开');
  });

  it('adds an account missing from the directory when its 关停 is confirmed', async () => {
    await dialog('sl1', [
      '账号备案',
      '关停',
      '今日头条',
      '淄博水利头条号',
      '今天',
      '该账号已停止更新。',
      '确认',
    ]);
    const filing = await latestFiling();
    expect(filing.mediaAccountId).toBeNull();
    await say(bot, 'dbr', `备案确认 F${filing.id}`);
    expect(await accounts().findOneByOrFail({ platform: 'toutiao', name: '淄博水利头条号' })).toMatchObject({
      unitId: shuili.id,
      status: 'closed',
    });
  });
});

describe('refusals', () => {
  it('refuses a name already in the directory, and another unit’s account', async () => {
    await dialog('sl1', ['账号备案', '开设', '微信']);
    expect(await say(bot, 'sl1', '淄博水利')).toContain('账号清单中已有微信公众号“淄博水利”（市水利局）');
    await say(bot, 'sl1', '取消');
    await dialog('sl1', ['账号备案', '关停', '抖音']);
    expect(await say(bot, 'sl1', '张店文旅')).toContain('“张店文旅”登记在张店区文旅局名下，不能代为备案');
    await say(bot, 'sl1', '取消');
  });

  it('refuses a future date and a second 关停 of a closed account', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    await dialog('sl1', ['账号备案', '开设', '微博', '淄博水利微博']);
    expect(await say(bot, 'sl1', '2026-03-21')).toContain('日期不能晚于今天');
    await say(bot, 'sl1', '取消');
    await dialog('sl1', ['账号备案', '关停', '今日头条']);
    expect(await say(bot, 'sl1', '淄博水利头条号')).toContain('当前状态为“已关停”');
    await say(bot, 'sl1', '取消');
  });

  it('refuses to confirm a 开设 whose name was taken in the meantime', async () => {
    await dialog('sl1', ['账号备案', '开设', '其他', '淄博政务', '今天', '确认']);
    const first = await latestFiling();
    await dialog('zd1', ['账号备案', '开设', '其他', '淄博政务', '今天', '确认']);
    const second = await latestFiling();
    await say(bot, 'dbr', `备案确认 F${first.id}`);
    const refused = await say(bot, 'dbr', `备案确认 F${second.id}`);
    expect(refused).toContain('账号清单中已有其他“淄博政务”（市水利局），不能确认');
    expect((await filings().findOneByOrFail({ id: second.id })).status).toBe('submitted');
    expect(await accounts().countBy({ platform: 'other', name: '淄博政务' })).toBe(1);
  });

  it('keeps confirmation and marking to supervisors', async () => {
    const filing = await latestFiling();
    expect(await say(bot, 'sl1', `备案确认 F${filing.id}`)).toBe('该命令仅限督办人员使用。');
    expect(await say(bot, 'zd1', `备案退回 F${filing.id} 不行`)).toBe('该命令仅限督办人员使用。');
    expect(await say(bot, 'sl1', '标记整合 淄博水利')).toBe('该命令仅限督办人员使用。');
    const denied = await bot.database.dataSource
      .getRepository(AuditLog)
      .countBy({ actor: 'sl1', action: 'command:备案确认', result: 'denied' });
    expect(denied).toBe(1);
    expect(await say(bot, 'dbr', '备案确认 F999')).toContain('没有找到账号备案 F999');
  });
});

describe('账号清单 and 标记整合', () => {
  it('shows a liaison their unit’s accounts by platform with status', async () => {
    const list = await say(bot, 'sl1', '账号清单');
    expect(list).toContain('**市水利局 政务新媒体账号');
    expect(list).toContain('**微信公众号**（2）');
    expect(list).toContain('> 淄博水利 · 运行');
    expect(list).toContain('> 淄博水利头条号 · <font color="comment">已关停</font>');
    expect(list).not.toContain('张店');
  });

  it('summarises every unit for supervisors, with a per-unit detail', async () => {
    const overview = await say(bot, 'dbr', '账号清单');
    expect(overview).toContain('> 市水利局：运行 4 · 已关停 1');
    expect(overview).toContain('> 张店区：运行 2');
    const detail = await say(bot, 'dbr', '账号清单 张店区');
    expect(detail).toContain('> 张店文旅 · 运行');
    expect(detail).toContain('**待确认的备案**');
  });

  it('marks and unmarks consolidation candidates, asking for the platform when names repeat', async () => {
    expect(await say(bot, 'dbr', '标记整合 淄博水利')).toContain('请注明平台，如：标记整合 抖音 淄博水利');
    expect(await say(bot, 'dbr', '标记整合 抖音 淄博水利')).toBe('已将抖音“淄博水利”标记为拟整合。');
    expect(await say(bot, 'dbr', '标记整合 抖音 淄博水利')).toBe('抖音“淄博水利”已是拟整合账号。');
    const overview = await say(bot, 'dbr', '账号清单');
    expect(overview).toContain('**拟整合账号（1 个）**');
    expect(overview).toContain('> 市水利局 · 抖音“淄博水利”');
    expect(await say(bot, 'sl1', '账号清单')).toContain(
      '> 淄博水利 · 运行 · <font color="warning">拟整合</font>',
    );
    expect(await say(bot, 'dbr', '取消整合 抖音 淄博水利')).toBe('已取消抖音“淄博水利”的拟整合标记。');
    expect(
      (await accounts().findOneByOrFail({ platform: 'douyin', name: '淄博水利' })).consolidationCandidate,
    ).toBe(false);
    expect(await say(bot, 'dbr', '标记整合 不存在的号')).toContain('账号清单中没有名为“不存在的号”的账号');
    const audits = await bot.database.dataSource
      .getRepository(AuditLog)
      .countBy({ action: 'media.mark-consolidation', actor: 'dbr' });
    expect(audits).toBe(1);
  });
});
