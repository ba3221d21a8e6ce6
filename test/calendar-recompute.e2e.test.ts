// Provisional deadlines through the bot on Saturday 2026-12-05, before 2027 is published: a task of
// 20 working days and a guestbook message are 预估; when an admin sends the 2027 schedule, each is
// counted again, updated and audited, and every unit's liaisons get ONE message with all its moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { GuestbookMessage } from '../src/entities/guestbook-message.js';
import { Task } from '../src/entities/task.js';
import { say, sendFile } from './support/chat.js';
import { addSite, UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

/**
 * A fictional 2027 schedule that differs from the provisional calendar at the start of January:
 * 元旦 01-01 to 01-04 off (the provisional calendar only knows 01-01), 春节 as the law fixes it.
 */
const SCHEDULE_2027 = {
  year: 2027,
  days: [
    ...['01', '02', '03', '04'].map((d) => ({ name: '元旦', date: `2027-01-${d}`, isOffDay: true })),
    ...['05', '06', '07', '08'].map((d) => ({ name: '春节', date: `2027-02-${d}`, isOffDay: true })),
  ],
};

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-12-05T02:00:00Z', ...UNPACED });
  await bot.addUnit('市水利局', 'department');
  await bot.addUnit('张店区', 'district');
  await bot.addPerson('sl1', { name: '王水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('sl2', { name: '赵水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('zd1', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('sup', { name: '督办员', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('adm', { name: '管理员', role: 'admin', unit: '市大数据局' });
  await addSite(bot, '淄博市水利局网站', '3703000012', '市水利局');
});

afterAll(async () => {
  await bot.close();
});

const db = () => bot.database.dataSource;

describe('deadlines past the published calendar', () => {
  it('a task of 20 working days is 2027-01-04 24时 (预估), after 19 working days ending 2026-12-31', async () => {
    await say(bot, 'sup', '下发任务');
    await say(bot, 'sup', '落实情况');
    await say(bot, 'sup', '年底网站安全自查');
    await say(bot, 'sup', '请开展年底网站安全自查并报送结果。');
    await say(bot, 'sup', '市水利局、张店区');
    const preview = await say(bot, 'sup', '20个工作日');
    expect(preview).toContain('2027-01-04（周一）24时截止（预估）');
    expect(await say(bot, 'sup', '确认')).toContain('已下发 2 项任务');
    const tasks = await db()
      .getRepository(Task)
      .find({ order: { id: 'ASC' } });
    expect(
      tasks.map((task) => [task.deadline.toISOString(), task.deadlineEstimated, task.deadlineWorkingDays]),
    ).toEqual([
      ['2027-01-04T16:00:00.000Z', true, 20],
      ['2027-01-04T16:00:00.000Z', true, 20],
    ]);
  });

  it('a guestbook message received 2026-12-30 is due 2027-01-04 24时 (预估): 元旦 is off by law', async () => {
    bot.clock.set('2026-12-30T02:00:00Z');
    await say(bot, 'sl1', '留言登记');
    await say(bot, 'sl1', '今天 9:00');
    const done = await say(bot, 'sl1', '网站备案号显示错误');
    expect(done).toContain('办理期限：2027-01-04（周一）24时截止（预估）（2026-12-31（周四）0时起算）');
    expect(await say(bot, 'sl1', '我的任务')).toContain('预估');
    const progress = await say(bot, 'sup', '进度 市水利局');
    expect(progress).toContain('2027-01-04（周一）24时截止（预估）');
  });

  it('importing 2027 moves every provisional deadline, audits each, and tells each unit once', async () => {
    const before = {
      sl1: bot.texts('sl1').length,
      sl2: bot.texts('sl2').length,
      zd1: bot.texts('zd1').length,
    };
    const reply = await sendFile(bot, 'adm', '2027.json', Buffer.from(JSON.stringify(SCHEDULE_2027)));
    expect(reply).toContain('已导入 2027 年节假日安排');
    expect(reply).toContain('重新计算了 3 项预估期限，其中 3 项有变化，已通知 2 个单位的联络员。');

    const tasks = await db()
      .getRepository(Task)
      .find({ order: { id: 'ASC' } });
    for (const task of tasks) {
      expect(task.deadline.toISOString()).toBe('2027-01-05T16:00:00.000Z');
      expect(task.deadlineEstimated).toBe(false);
    }
    const [message] = await db().getRepository(GuestbookMessage).find();
    expect(message!.deadline.toISOString()).toBe('2027-01-05T16:00:00.000Z');
    expect(message!.deadlineEstimated).toBe(false);
    expect(await db().getRepository(AuditLog).countBy({ action: 'deadline.recompute' })).toBe(3);

    // One message per unit, to each of its liaisons, listing all of the unit's moves.
    const shuili = bot.texts('sl1').slice(before.sl1);
    expect(shuili).toHaveLength(1);
    expect(shuili[0]).toContain('**【期限调整】** 2027 年节假日安排已发布并导入');
    expect(shuili[0]).toContain(
      `任务 T${tasks[0]!.id} 年底网站安全自查：2027-01-04（周一）24时 → **2027-01-05（周二）24时**`,
    );
    expect(shuili[0]).toContain(
      `留言 L${message!.id} 网站备案号显示错误：2027-01-04（周一）24时 → **2027-01-05（周二）24时**`,
    );
    expect(bot.texts('sl2').slice(before.sl2)).toEqual(shuili);
    const zhangdian = bot.texts('zd1').slice(before.zd1);
    expect(zhangdian).toHaveLength(1);
    expect(zhangdian[0]).toContain(`任务 T${tasks[1]!.id}`);
    expect(zhangdian[0]).not.toContain('留言');

    // The views no longer say 预估.
    expect(await say(bot, 'sl1', '我的任务')).not.toContain('预估');
  });

  it('importing the same year again moves nothing and tells nobody', async () => {
    const before = bot.texts('sl1').length;
    const reply = await sendFile(bot, 'adm', '2027.json', Buffer.from(JSON.stringify(SCHEDULE_2027)));
    expect(reply).toContain('替换了此前导入的数据');
    expect(reply).not.toContain('重新计算');
    expect(bot.texts('sl1')).toHaveLength(before);
  });
});
