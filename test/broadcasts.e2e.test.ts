// Scheduled notices and group robots, created in chat and sent by the job with a fixed clock.
import { memberText } from '../src/messages/member-text.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broadcast } from '../src/entities/broadcast.js';
import { GroupRobot } from '../src/entities/group-robot.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { housekeeping } from '../src/jobs/housekeeping.js';
import { runDueBroadcasts } from '../src/jobs/broadcasts.js';
import { parseSchedule } from '../src/services/broadcasts/store.js';
import { SCHEDULE_EXAMPLES } from '../src/services/broadcasts/views.js';
import { scheduleProblem } from '../src/handlers/broadcasts/views.js';
import { parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { webhookKeyOf } from '../src/handlers/broadcasts/index.js';
import { startTestBot, type TestBot } from './support/harness.js';

const at = (text: string) => parseShanghaiDateTime(text);

describe('parseSchedule', () => {
  const now = at('2026-03-20 10:00');
  it.each([
    ['2026-12-01 09:00', { kind: 'once', text: '2026-12-01 09:00' }],
    ['12月1日9:00', { kind: 'once', text: '2026-12-01 09:00' }],
    [
      '3月1日 9点',
      { problem: { kind: 'ask-next-year', typed: '3月1日', date: '2027-03-01', ask: '2027-03-01 09:00' } },
    ],
    ['下周一9:00', { kind: 'once', text: '2026-03-23 09:00' }],
    ['明天9:00', { kind: 'once', text: '2026-03-21 09:00' }],
    ['今天15:30', { kind: 'once', text: '2026-03-20 15:30' }],
    [
      '每个工作日9:00',
      { kind: 'recurring', cron: '0 9 * * *', workingDaysOnly: true, text: '每个工作日 09:00' },
    ],
    ['每天 8:30', { kind: 'recurring', cron: '30 8 * * *', workingDaysOnly: false, text: '每天 08:30' }],
    ['每周一9:00', { kind: 'recurring', cron: '0 9 * * 1', workingDaysOnly: false, text: '每周一 09:00' }],
    ['每周日 18:00', { kind: 'recurring', cron: '0 18 * * 0', text: '每周日 18:00' }],
    ['每周天 18:00', { kind: 'recurring', cron: '0 18 * * 0', text: '每周日 18:00' }],
    ['每月1日9:00', { kind: 'recurring', cron: '0 9 1 * *', text: '每月1日 09:00' }],
  ])('%s', (input, expected) => {
    expect(parseSchedule(input, now)).toMatchObject(expected);
  });

  it.each(['今天9:00', '2026-02-01 09:00', '每月31日9:00', '下周', '25:00', '每天'])(
    'refuses %s',
    (input) => {
      expect(parseSchedule(input, now)).toHaveProperty('problem');
    },
  );

  it.each([
    [
      '3月1日 9点',
      '3月1日今年已过。是指明年的 2027-03-01（周一） 吗？请回复“是”或“否”（也可直接输入其他时间）。',
    ],
    ['今天9:00', '这个时间已经过去了，请给一个将来的时间。'],
    ['每月31日9:00', '每月的日期请写 1–28 日（避免有的月份没有这一天）。'],
    ['每天', `看不懂这个时间。请写成：${SCHEDULE_EXAMPLES}。`],
  ])('words the refusal of %s', (input, said) => {
    const read = parseSchedule(input, now);
    expect('problem' in read && scheduleProblem(read.problem)).toBe(said);
  });
});

describe('webhook keys', () => {
  it.each([
    [
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
      '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
    ],
    ['693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa', '693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa'],
    ['not a key!', undefined],
    ['https://example.com/hook', undefined],
  ])('%s', (input, key) => {
    expect(webhookKeyOf(input)).toBe(key);
  });
});

describe('scheduled notices in chat', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ now: '2026-10-09T01:00:00Z' }); // Friday 2026-10-09 09:00
    await bot.addUnit('甲区', 'district');
    await bot.addUnit('乙局', 'department');
    await bot.addPerson('sup', { name: '督办员', role: 'supervisor', unit: '市大数据局' });
    await bot.addPerson('la', { name: '甲', unit: '甲区' });
    await bot.addPerson('lb', { name: '乙', unit: '乙局' });
  });

  afterAll(async () => {
    await bot.close();
  });

  async function say(userid: string, message: string): Promise<string> {
    const before = bot.texts(userid).length;
    const result = await bot.client.sendText(userid, message);
    if (result.reply?.content) return result.reply.content;
    await bot.flush();
    return bot.texts(userid).slice(before).join('\n');
  }

  async function deliverAt(time: string): Promise<void> {
    bot.clock.set(at(time));
    await runDueBroadcasts(bot.runtime.jobDeps, bot.clock.now());
    bot.clock.advance(6 * 60_000);
    await bot.flush();
  }

  it('refuses a liaison', async () => {
    expect(await say('la', '定时通知')).toBe('该命令仅限督办人员使用。');
  });

  it('creates a recurring working-day notice through the conversation', async () => {
    expect(await say('sup', '定时通知')).toContain('请发送通知内容');
    expect(await say('sup', '请各单位今日17:00前报送整改进展。')).toContain('发给谁');
    expect(await say('sup', '不存在的局')).toContain('没有找到这些单位');
    expect(await say('sup', '群机器人 没有这个群')).toBe(
      '没有名为“没有这个群”的群机器人。发送“群机器人列表”查看。',
    );
    expect(await say('sup', '区县、市直部门')).toContain('什么时候发送');
    expect(await say('sup', '下周吧')).toContain('看不懂这个时间');
    const preview = await say('sup', '每个工作日9:00');
    expect(preview).toContain('每个工作日 09:00');
    expect(preview).toContain('> 对象：全部区县、市直部门的联络员（当前 2 人）');
    expect(await say('sup', '确认')).toContain(
      '已创建定时通知 #1（每个工作日 09:00，全部区县、市直部门的联络员）',
    );
    const broadcast = await bot.database.dataSource.getRepository(Broadcast).findOneByOrFail({ id: 1 });
    expect(broadcast).toMatchObject({ cron: '0 9 * * *', workingDaysOnly: true, status: 'active' });
  });

  it('sends on a make-up Saturday and a working day, not on a Sunday, once per day', async () => {
    await deliverAt('2026-10-10 09:00'); // 国庆节调休上班
    expect(bot.texts('la')).toEqual(['请各单位今日17:00前报送整改进展。']);
    expect(bot.texts('lb')).toHaveLength(1);
    await deliverAt('2026-10-10 09:05'); // same day again: nothing more
    await deliverAt('2026-10-11 09:00'); // Sunday
    expect(bot.texts('la')).toHaveLength(1);
    await deliverAt('2026-10-12 09:00');
    expect(bot.texts('la')).toHaveLength(2);
  });

  it('after downtime sends a missed occurrence of today once', async () => {
    // Down from 08:50 to 11:20 on Tuesday.
    await deliverAt('2026-10-13 08:50');
    const before = bot.texts('la').length;
    await deliverAt('2026-10-13 11:20');
    expect(bot.texts('la').length).toBe(before + 1);
  });

  it('shows progress in 通知列表 and cancels with 取消通知', async () => {
    const list = await say('sup', '通知列表');
    expect(list).toContain('#1');
    expect(list).toMatch(/已发送 \d+，待发送 0，失败 0/);
    expect(await say('sup', '取消通知 1')).toContain('已取消通知 #1');
    await deliverAt('2026-10-14 09:00');
    expect(bot.texts('la').filter((t) => t.includes('报送整改进展'))).toHaveLength(3);
    expect(await say('sup', '取消通知 1')).toContain('已取消');
  });

  it('sends a one-off notice at its time, late after downtime, and only once', async () => {
    await say('sup', '定时通知');
    await say('sup', '周五下午召开联络员会议。');
    await say('sup', '甲区');
    await say('sup', '2026-10-16 14:00');
    expect(await say('sup', '确认')).toContain('已创建定时通知 #2');
    await deliverAt('2026-10-16 13:59');
    expect(bot.texts('la').at(-1)).not.toBe('周五下午召开联络员会议。');
    await deliverAt('2026-10-16 15:30');
    expect(bot.texts('la').at(-1)).toBe('周五下午召开联络员会议。');
    expect(bot.texts('lb').at(-1)).not.toBe('周五下午召开联络员会议。');
    await deliverAt('2026-10-16 15:31');
    expect(bot.texts('la').filter((t) => t === '周五下午召开联络员会议。')).toHaveLength(1);
  });

  it('通知列表 counts what was sent after housekeeping purges the sent messages', async () => {
    const before = await say('sup', '通知列表');
    const counts = (list: string) =>
      [...list.matchAll(/#(\d+).*?已发送 (\d+)，待发送 (\d+)，失败 (\d+)/gs)].map((m) => m.slice(1));
    expect(counts(before).find(([id]) => id === '1')).toEqual(['1', '6', '0', '0']);
    // 90 days later the outbox rows are gone; the history is not. (Rows carry the database's own
    // creation time, so "later" is counted from the real clock.)
    bot.clock.set(new Date(Date.now() + 91 * 86_400_000));
    await housekeeping.run(bot.runtime.jobDeps, bot.clock.now(), {
      fireTime: bot.clock.now(),
      catchUp: false,
    });
    const sentRows = await bot.database.dataSource
      .getRepository(OutboxMessage)
      .countBy({ source: 'broadcast:1' });
    expect(sentRows).toBe(0);
    expect(counts(await say('sup', '通知列表'))).toEqual(counts(before));
    bot.clock.set(at('2026-10-16 16:00'));
  });

  it('广播 sends to every liaison now after confirmation', async () => {
    expect(await say('sup', '广播 今天下午系统维护。')).toContain('将立即发送给全部 2 名联络员');
    expect(await say('sup', '确认')).toContain('已开始发送给 2 名联络员');
    bot.clock.advance(6 * 60_000);
    await bot.flush();
    expect(bot.texts('la').at(-1)).toBe('今天下午系统维护。');
    expect(bot.texts('lb').at(-1)).toBe('今天下午系统维护。');
  });
});

describe('when a scheduled notice really runs and leaves (Saturday 2026-12-05)', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ now: '2026-12-05T02:00:00Z' }); // Saturday 10:00
    await bot.addUnit('甲区', 'district');
    await bot.addPerson('sup', { name: '督办员', role: 'supervisor', unit: '市大数据局' });
    await bot.addPerson('la', { name: '甲', unit: '甲区' });
  });

  afterAll(async () => {
    await bot.close();
  });

  async function say(userid: string, message: string): Promise<string> {
    const before = bot.texts(userid).length;
    const result = await bot.client.sendText(userid, message);
    if (result.reply?.content) return result.reply.content;
    await bot.flush();
    return bot.texts(userid).slice(before).join('\n');
  }

  it('previews 每个工作日9:00 as Monday 2026-12-07 09:00, leaving 09:01–09:02, and says why', async () => {
    await say('sup', '定时通知');
    await say('sup', '请报送本周整改进展。');
    await say('sup', '全部联络员');
    const preview = await say('sup', '每个工作日9:00');
    expect(preview).toContain(
      '下次发送：2026-12-07（周一）09:00，约 09:01–09:02 发出（企业微信建议避开整点和半点发送，整点、半点的通知顺延到下一分钟内发出）',
    );
    expect(await say('sup', '确认')).toContain('下次发送：2026-12-07（周一）09:00');
    expect(await say('sup', '通知列表')).toContain('下次 2026-12-07（周一）09:00');
  });

  it('a time past :00/:30 leaves in its own minute; 2月30日 and 12月1日 are caught', async () => {
    await say('sup', '定时通知');
    await say('sup', '下午三点开会。');
    await say('sup', '全部联络员');
    expect(await say('sup', '2月30日9:00')).toBe('日期“2月30日”不存在，请检查。');
    expect(await say('sup', '12月1日9:07')).toContain('12月1日今年已过。是指明年的 2027-12-01（周三） 吗');
    expect(await say('sup', '否')).toContain('请重新输入，写明年份');
    const preview = await say('sup', '下周一9:07');
    expect(preview).toContain(
      '下次发送：2026-12-07（周一）09:07，约 09:07 发出（每分钟检查一次，到点后 1 分钟内发出）',
    );
    expect(await say('sup', '确认')).toContain('已创建定时通知 #2');
  });

  it('on Monday: the 09:00 notice waits for 09:01–09:02, the 09:07 one leaves at 09:07', async () => {
    bot.clock.set(at('2026-12-07 09:00'));
    await runDueBroadcasts(bot.runtime.jobDeps, bot.clock.now());
    await bot.flush();
    expect(bot.texts('la')).toEqual([]);
    const rows = await bot.database.dataSource
      .getRepository(OutboxMessage)
      .find({ where: { source: 'broadcast:1' } });
    expect(rows).toHaveLength(1);
    const wait = rows[0]!.nextAttemptAt.getTime() - at('2026-12-07 09:00').getTime();
    expect(wait).toBeGreaterThanOrEqual(60_000);
    expect(wait).toBeLessThan(120_000);
    bot.clock.set(at('2026-12-07 09:02'));
    await bot.flush();
    expect(bot.texts('la')).toEqual(['请报送本周整改进展。']);
    bot.clock.set(at('2026-12-07 09:07'));
    await runDueBroadcasts(bot.runtime.jobDeps, bot.clock.now());
    await bot.flush();
    expect(bot.texts('la')).toEqual(['请报送本周整改进展。', '下午三点开会。']);
  });
});

describe('group robots', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ now: '2026-10-09T01:00:00Z' });
    await bot.addPerson('sup', { name: '督办员', role: 'supervisor', unit: '市大数据局' });
  });

  afterAll(async () => {
    await bot.close();
  });

  it('registers a robot and delivers a scheduled notice to its webhook', async () => {
    await bot.client.sendText(
      'sup',
      '添加群机器人 联络员群 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd1234-0000-1111-2222-333344445555',
    );
    const robot = await bot.database.dataSource
      .getRepository(GroupRobot)
      .findOneByOrFail({ name: '联络员群' });
    expect(robot.webhookKey).toBe('abcd1234-0000-1111-2222-333344445555');
    for (const line of [
      '定时通知',
      '**提醒**：本周五前完成自查。',
      '群机器人 联络员群',
      '2026-10-09 10:07',
    ]) {
      await bot.client.sendText('sup', line);
    }
    const created = await bot.client.sendText('sup', '确认');
    await bot.flush();
    expect([created.reply?.content ?? '', ...bot.texts('sup')].join('\n')).toContain(
      '已创建定时通知 #1（2026-10-09 10:07，群机器人“联络员群”）',
    );
    // Not a :00/:30 minute: it leaves at once.
    bot.clock.set(at('2026-10-09 10:07'));
    await runDueBroadcasts(bot.runtime.jobDeps, bot.clock.now());
    await bot.flush();
    expect(bot.fake.robotMessages).toHaveLength(1);
    expect(bot.fake.robotMessages[0]).toMatchObject({
      key: 'abcd1234-0000-1111-2222-333344445555',
      // What the supervisor typed reads as typed: no markup of theirs reaches the group (memberText).
      body: { msgtype: 'markdown', markdown: { content: memberText('**提醒**：本周五前完成自查。') } },
    });
    expect(bot.fake.robotMessages[0]!.body).not.toMatchObject({
      markdown: { content: '**提醒**：本周五前完成自查。' },
    });
  });

  it('keeps a robot under 20 messages a minute', async () => {
    for (let i = 0; i < 25; i++) {
      await bot.database.dataSource.getRepository(Broadcast).insert({
        content: `第${i}条`,
        audience: { kind: 'robot', robotId: 1 },
        runAt: bot.clock.now(),
        cron: null,
        workingDaysOnly: false,
        scheduleText: '立即',
        status: 'active',
        createdBy: 'sup',
        lastRunAt: null,
        runCount: 0,
        checkedThrough: bot.clock.now(),
      });
    }
    const before = bot.fake.robotMessages.length;
    await runDueBroadcasts(bot.runtime.jobDeps, bot.clock.now());
    await bot.flush();
    // One robot message was sent a moment ago in the same minute.
    expect(bot.fake.robotMessages.length - before).toBe(19);
    expect(bot.fake.calls.filter((c) => c.errcode === 45009)).toHaveLength(0);
    bot.clock.advance(66_000); // WeCom's minute plus the dispatcher's 5 s margin
    await bot.flush();
    expect(bot.fake.robotMessages.length - before).toBe(25);
  });
});
