// The one date reader in the dialogs, on Saturday 2026-12-05 10:00 (Shanghai), through encrypted
// callbacks: a month-day already past asks (是/否) in 下发任务, 延期 and 留言登记 instead of moving
// the year silently; 明天 is a deadline in a case call as in a task; impossible dates say so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseCall } from '../src/entities/case-call.js';
import { GuestbookMessage } from '../src/entities/guestbook-message.js';
import { Task } from '../src/entities/task.js';
import { say } from './support/chat.js';
import { addSite, UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-12-05T02:00:00Z', ...UNPACED });
  await bot.addUnit('市水利局', 'department');
  await bot.addUnit('张店区', 'district');
  await bot.addPerson('sl1', { name: '王水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('zd1', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('sup', { name: '督办员', role: 'supervisor', unit: '市大数据局' });
  await addSite(bot, '淄博市水利局网站', '3703000012', '市水利局');
});

afterAll(async () => {
  await bot.close();
});

const db = () => bot.database.dataSource;

describe('the examples a dialog shows', () => {
  it('are accepted when typed as shown: no example is a date already past', async () => {
    await say(bot, 'sup', '下发任务');
    await say(bot, 'sup', '整改');
    await say(bot, 'sup', '示例日期');
    await say(bot, 'sup', '请整改。');
    await say(bot, 'sup', '市水利局');
    const hint = await say(bot, 'sup', '随便');
    const dated = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2})/.exec(hint)?.[1];
    expect(dated).toBe('2027-01-04 18:00');
    expect(await say(bot, 'sup', dated!)).toContain('截止：2027-01-04（周一）18:00');
    expect(await say(bot, 'sup', '取消')).toContain('已取消');
  });
});

describe('a deadline typed on a rest day', () => {
  const preview = async (deadline: string) => {
    await say(bot, 'sup', '下发任务');
    await say(bot, 'sup', '整改');
    await say(bot, 'sup', '周末截止测试');
    await say(bot, 'sup', '请整改。');
    await say(bot, 'sup', '市水利局');
    const shown = await say(bot, 'sup', deadline);
    await say(bot, 'sup', '取消');
    return shown;
  };

  it.each([
    ['12月13日', '截止日 2026-12-13（周日） 是休息日；如需顺延，可改为 2026-12-14（周一）'],
    ['2026-12-12 18:00', '截止日 2026-12-12（周六） 是休息日；如需顺延，可改为 2026-12-14（周一）'],
    ['2027-01-01', '截止日 2027-01-01（周五） 是休息日，元旦'],
  ])('%s is said in the preview, with the next working day, and not moved', async (typed, warning) => {
    const shown = await preview(typed);
    expect(shown).toContain(warning);
    expect(shown).toContain('截止：');
  });

  it.each(['12月14日', '5个工作日', '24小时内'])('%s gets no rest-day line', async (typed) => {
    expect(await preview(typed)).not.toContain('休息日');
  });
});

describe('下发任务 on 2026-12-05', () => {
  it('12月1日 asks whether next year is meant; 否 asks again, 是 takes 2027-12-01', async () => {
    await say(bot, 'sup', '下发任务');
    await say(bot, 'sup', '整改');
    await say(bot, 'sup', '栏目更新整改');
    await say(bot, 'sup', '请整改并报送。');
    expect(await say(bot, 'sup', '市水利局')).toContain('请输入截止时间');
    expect(await say(bot, 'sup', '2月30日')).toBe('日期“2月30日”不存在，请检查。');
    const asked = await say(bot, 'sup', '12月1日');
    expect(asked).toBe(
      '12月1日今年已过。是指明年的 2027-12-01（周三） 吗？请回复“是”或“否”（也可直接输入其他时间）。',
    );
    // The example is a weekday a month ahead, never a date already past.
    expect(await say(bot, 'sup', '否')).toBe('好的，请重新输入，写明年份（如 2027-01-04）。');
    expect(await say(bot, 'sup', '12月1日')).toContain('是指明年');
    const preview = await say(bot, 'sup', '是');
    expect(preview).toContain('截止：2027-12-01（周三）24时截止');
    expect(await say(bot, 'sup', '确认')).toContain('已下发 1 项任务');
    const [task] = await db().getRepository(Task).find();
    expect(task!.deadline.toISOString()).toBe('2027-12-01T16:00:00.000Z');
  });

  it('another answer to the question is read as a new deadline (下周一9:00)', async () => {
    await say(bot, 'sup', '下发任务');
    await say(bot, 'sup', '整改');
    await say(bot, 'sup', '第二项整改');
    await say(bot, 'sup', '请整改。');
    await say(bot, 'sup', '张店区');
    expect(await say(bot, 'sup', '12-01')).toContain('是指明年');
    expect(await say(bot, 'sup', '下周一9:00')).toContain('截止：2026-12-07（周一）09:00截止');
    await say(bot, 'sup', '取消');
  });
});

describe('延期 and 发起案例征集', () => {
  it('a liaison asks for an extension to 12月1日: the question, then 是', async () => {
    const [task] = await db().getRepository(Task).find();
    await say(bot, 'sl1', `延期 T${task!.id} 需要协调第三方`);
    expect(await say(bot, 'sl1', '12月1日')).toContain('12月1日今年已过。是指明年的 2027-12-01');
    expect(await say(bot, 'sl1', '12月2日')).toContain('是指明年的 2027-12-02');
    expect(await say(bot, 'sl1', '是')).toContain('申请延至 2027-12-02（周四）24时');
  });

  it('明天 is a legitimate case-call deadline, as it is for a task', async () => {
    await say(bot, 'sup', '发起案例征集');
    await say(bot, 'sup', '2026年第四季度典型案例');
    expect(await say(bot, 'sup', '明天')).toContain('截止：2026-12-06（周日）24时');
    await say(bot, 'sup', '默认');
    await say(bot, 'sup', '确认');
    const [call] = await db().getRepository(CaseCall).find();
    expect(call!.deadline.toISOString()).toBe('2026-12-06T16:00:00.000Z');
  });
});

describe('留言登记: a month-day still ahead this year asks about last year', () => {
  it('12月25日 9:00 → 是指去年的 2025-12-25 吗 → 是', async () => {
    await say(bot, 'sl1', '留言登记');
    expect(await say(bot, 'sl1', '2月30日9:00')).toBe('日期“2月30日”不存在，请检查。');
    expect(await say(bot, 'sl1', '12月25日 9:00')).toContain(
      '12月25日今年还没到。是指去年的 2025-12-25（周四） 吗',
    );
    expect(await say(bot, 'sl1', '是')).toContain('收到时间：2025-12-25（周四）09:00');
    await say(bot, 'sl1', '网站链接失效');
    const [message] = await db().getRepository(GuestbookMessage).find();
    expect(message!.receivedAt.toISOString()).toBe('2025-12-25T01:00:00.000Z');
  });
});
