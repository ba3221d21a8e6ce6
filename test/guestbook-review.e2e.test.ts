// Review of 留言办结 answers (issue: 答复质量不高): the setting (city-wide or per unit, supervisors
// only), quality hints before an answer is sent, the supervisors' card with 通过/退回 (a reason
// asked and sent to the unit), and the clock: review time does not stop it, and a message counts as
// answered on time only if the approved answer was submitted before the deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { GuestbookMessage } from '../src/entities/guestbook-message.js';
import { GuestbookReviewSetting } from '../src/entities/guestbook-review-setting.js';
import { cardBody, cardsOf, click, say } from './support/chat.js';
import { addSite, UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-16T01:00:00Z', ...UNPACED }); // Monday 09:00
  await bot.addUnit('市水利局', 'department');
  await bot.addUnit('张店区', 'district');
  await bot.addPerson('sl1', { name: '王水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('sl2', { name: '赵水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('zd1', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('dbr', { name: '督办员李', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('dbr2', { name: '督办员周', role: 'supervisor', unit: '市大数据局' });
  await addSite(bot, '淄博市水利局网站', '3703000012', '市水利局');
  await addSite(bot, '张店区人民政府网站', '3703030001', '张店区');
});

afterAll(async () => {
  await bot.close();
});

const messages = () => bot.database.dataSource.getRepository(GuestbookMessage);
const audits = () => bot.database.dataSource.getRepository(AuditLog);

async function register(userid: string, summary: string): Promise<GuestbookMessage> {
  await say(bot, userid, '留言登记');
  await say(bot, userid, '今天 9:00');
  await say(bot, userid, summary);
  return (await messages().find({ order: { id: 'DESC' }, take: 1 }))[0]!;
}

const GOOD = '您好，经核实，首页“政务公开”栏目链接已修复，现可正常访问，感谢您的监督。';

describe('留言审核 (the setting)', () => {
  it('is for supervisors, and says how to use it', async () => {
    expect(await say(bot, 'sl1', '留言审核 关闭 市水利局')).toBe('该命令仅限督办人员使用。');
    expect(await say(bot, 'dbr', '留言审核 打开')).toBe('用法：留言审核 开启|关闭 [单位|全市]');
    expect(await say(bot, 'dbr', '留言审核 开启 不存在的局')).toContain('不存在的局');
    expect(await bot.database.dataSource.getRepository(GuestbookReviewSetting).count()).toBe(0);
  });

  it('is stored per unit and city-wide, the unit’s own winning', async () => {
    expect(await say(bot, 'dbr', '留言审核 开启 全市')).toBe(
      '已设置：全市“留言办结”的答复将先提交督办人员审核，通过后办结。',
    );
    expect(await say(bot, 'dbr', '留言审核 关闭 张店区')).toBe(
      '已设置：张店区“留言办结”直接办结，不再审核。',
    );
    const shown = await say(bot, 'dbr', '留言审核');
    expect(shown).toContain('全市：开启');
    expect(shown).toContain('张店区：关闭');
    expect(await audits().countBy({ action: 'guestbook.review.setting' })).toBe(2);
    const details = await audits().find({
      where: { action: 'guestbook.review.setting' },
      order: { id: 'ASC' },
    });
    expect(details.map((audit) => audit.detail)).toEqual(['留言答复先审核', '留言答复直接办结']);
  });

  it('leaves a unit whose review is off closing at once', async () => {
    const message = await register('zd1', '办事指南下载失败');
    expect(await say(bot, 'zd1', `留言办结 L${message.id} 已修复`)).toBe(
      `留言 L${message.id} 已办结，按期办结。`,
    );
    expect(cardsOf(bot, 'dbr')).toHaveLength(0);
  });
});

describe('an answer that goes to review', () => {
  let message: GuestbookMessage;

  beforeAll(async () => {
    bot.clock.set('2026-03-16T01:00:00Z');
    message = await register('sl1', '首页“政务公开”栏目链接打不开');
  });

  it('blocks personal information and shows quality hints before anything is sent', async () => {
    bot.clock.set('2026-03-17T02:00:00Z');
    expect(
      await say(bot, 'sl1', `留言办结 L${message.id} 您好，已电话联系网民13812345678，链接已修复`),
    ).toContain('提交未受理');
    const hints = await say(bot, 'sl1', `留言办结 L${message.id} 好了`);
    expect(hints).toContain(`留言 L${message.id} 的答复将提交督办人员审核，请先看看：`);
    expect(hints).toContain('答复只有 2 个字');
    expect(hints).toContain('建议以“您好”等礼貌用语开头');
    expect(hints).toContain('没有看到处理结果');
    expect(await say(bot, 'sl1', '留言列表')).toContain(
      '（正在《留言办结》：请回复“确认”提交答复，或发送修改后的答复',
    );
    const row = await messages().findOneByOrFail({ id: message.id });
    expect(row).toMatchObject({ status: 'open', reviewStatus: null, answerSummary: null });
    expect(cardsOf(bot, 'dbr')).toHaveLength(0);
  });

  it('sends a revised answer to review: the message stays open, every supervisor gets a card', async () => {
    const sent = await say(bot, 'sl1', GOOD);
    expect(sent).toBe(
      `留言 L${message.id} 的答复已提交督办人员审核，提交时间在办理期限内，审核通过后按期办结。`,
    );
    const row = await messages().findOneByOrFail({ id: message.id });
    expect(row).toMatchObject({
      status: 'open',
      reviewStatus: 'pending',
      answerSummary: GOOD,
      answeredBy: 'sl1',
    });
    expect(row.answeredAt!.toISOString()).toBe('2026-03-17T02:00:00.000Z');
    const card = cardBody(cardsOf(bot, 'dbr').at(-1)!);
    expect(card.main_title.title).toBe(`留言答复审核 L${message.id}`);
    expect(card.button_list.map((button) => button.text)).toEqual(['通过', '退回']);
    expect(cardsOf(bot, 'dbr2')).toHaveLength(1);
    expect(cardsOf(bot, 'sl1')).toHaveLength(0);
    expect(await say(bot, 'sl1', '留言列表')).toContain('答复审核中');
    // 周报 counts it as 办结 only once it is approved.
    expect(await say(bot, 'dbr', '周报')).toContain('网站找错留言：新收到 2 条，办结 1 条');
    expect(await say(bot, 'sl2', `留言办结 L${message.id} ${GOOD}`)).toContain(
      '已于 2026-03-17（周二）10:00 提交审核',
    );
  });

  it('refuses a liaison approving, by command or by a forged click', async () => {
    expect(await say(bot, 'sl1', `审核留言 L${message.id} 通过`)).toBe('该命令仅限督办人员使用。');
    const forged = await bot.client.post(
      bot.client.cardClickXml('sl1', {
        eventKey: `guestbook:approve:${message.id}`,
        taskId: cardBody(cardsOf(bot, 'dbr').at(-1)!).task_id,
        cardType: 'button_interaction',
        responseCode: 'forged',
      }),
    );
    expect(forged.status).toBe(200);
    expect((await messages().findOneByOrFail({ id: message.id })).reviewStatus).toBe('pending');
  });

  it('退回 asks a reason, tells the unit, and the clock runs on', async () => {
    bot.clock.set('2026-03-18T02:00:00Z');
    const card = cardsOf(bot, 'dbr').at(-1)!;
    const asked = await click(bot, 'dbr', card, `guestbook:return:${message.id}`);
    expect(asked.replies).toContain(`请发送退回留言 L${message.id} 答复的理由`);
    expect(await say(bot, 'dbr', '联系电话13812345678')).toContain('提交未受理');
    expect(await say(bot, 'dbr', '请写明修复时间和核实过程')).toBe(
      `已退回留言 L${message.id} 的答复，已通知该单位。`,
    );
    const row = await messages().findOneByOrFail({ id: message.id });
    expect(row).toMatchObject({
      status: 'open',
      reviewStatus: null,
      answerSummary: null,
      answeredAt: null,
      returnReason: '请写明修复时间和核实过程',
      reviewedBy: 'dbr',
    });
    const told = bot.texts('sl1').at(-1)!;
    expect(told).toContain('理由：请写明修复时间和核实过程');
    expect(told).toContain('办理期限仍为 2026-03-18（周三）24时截止');
    expect(bot.texts('sl2').at(-1)).toContain('被退回');
    // The other supervisor's card: nothing waits any more.
    const late = await click(bot, 'dbr2', cardsOf(bot, 'dbr2').at(-1)!, `guestbook:approve:${message.id}`);
    expect(late.replies).toContain('当前没有待审核的答复');
    expect(late.result.reply).toMatchObject({ replaceName: '已处理' });
  });

  it('an answer resubmitted after the deadline is late however soon it is approved', async () => {
    bot.clock.set('2026-03-19T01:00:00Z'); // the day after the deadline
    const sent = await say(bot, 'sl1', `留言办结 L${message.id} ${GOOD}2026年3月18日已修复。`);
    expect(sent).toContain('提交时已逾期（2026-03-18（周三）24时截止）');
    // 退回 without a reason asks for it, as the card's 退回 does (the reason alone was no command).
    expect(await say(bot, 'dbr', `审核留言 L${message.id} 退回`)).toContain(
      `请发送退回留言 L${message.id} 答复的理由`,
    );
    expect(await say(bot, 'dbr', '取消')).toBe('已取消。');
    expect(await say(bot, 'dbr', `审核留言 L${message.id} 通过`)).toBe(
      `已通过留言 L${message.id} 的答复，留言已逾期办结（2026-03-18（周三）24时截止）。`,
    );
    const row = await messages().findOneByOrFail({ id: message.id });
    expect(row).toMatchObject({ status: 'answered', reviewStatus: 'approved', reviewedBy: 'dbr' });
    expect(await say(bot, 'dbr', `审核留言 L${message.id} 退回`)).toContain('当前没有待审核的答复');
    bot.clock.set('2026-03-19T02:00:00Z');
    expect(await say(bot, 'dbr', '周报')).toContain('网站找错留言：新收到 2 条，办结 2 条');
    expect(row.answeredAt!.toISOString()).toBe('2026-03-19T01:00:00.000Z');
    const last = async (action: string) =>
      (await audits().find({ where: { action }, order: { id: 'DESC' }, take: 1 }))[0]?.detail;
    expect(await last('guestbook.submit')).toMatch(/^答复提交审核（已逾期），\d+ 字$/);
    expect(await last('guestbook.approve')).toBe('答复审核通过，逾期办结');
    expect(await last('guestbook.return')).toBe('答复退回');
  });
});

describe('the instant that counts is the approved answer’s submission', () => {
  it('is on time when submitted in time, though approved after the deadline', async () => {
    bot.clock.set('2026-03-23T01:00:00Z'); // Monday 09:00; deadline Wednesday 24:00
    const message = await register('sl1', '信息公开年报缺失');
    bot.clock.set('2026-03-25T09:00:00Z'); // Wednesday 17:00
    await say(bot, 'sl1', `留言办结 L${message.id} 您好，2025年信息公开年报已补充发布，感谢监督。`);
    bot.clock.set('2026-03-26T02:00:00Z'); // Thursday: the deadline has passed
    const card = cardsOf(bot, 'dbr').at(-1)!;
    const approved = await click(bot, 'dbr', card, `guestbook:approve:${message.id}`);
    expect(approved.replies).toContain(`已通过留言 L${message.id} 的答复，留言已按期办结。`);
    expect(approved.result.reply).toMatchObject({ replaceName: '已通过' });
    expect(bot.texts('sl1').at(-1)).toContain('已审核通过，留言已按期办结');
    const row = await messages().findOneByOrFail({ id: message.id });
    expect(row.answeredAt!.toISOString()).toBe('2026-03-25T09:00:00.000Z');
    expect(row.reviewedAt!.toISOString()).toBe('2026-03-26T02:00:00.000Z');
    expect(row.answeredAt!.getTime()).toBeLessThan(row.deadline.getTime());
  });
});
