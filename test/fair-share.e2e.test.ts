// Fair share: a member over the rate limit is refused politely (once a minute) while everyone
// else is served; and one message cannot make the bot do unbounded work (3,000 unknown unit names
// get one short answer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberRateLimiter, RATE_LIMITED_TEXT, type RateDecision } from '../src/app/rate-limit.js';
import { ManualClock } from '../src/clock.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { resolveUnitNames, unknownUnitsText } from '../src/services/directory/lookup.js';
import { say } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

describe('MemberRateLimiter', () => {
  it.each<[string, [number, string][], RateDecision[]]>([
    [
      'a burst of 3 then the sustained rate (6 a minute: one every 10 s)',
      [
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [1_000, 'a'],
        [10_000, 'a'],
        [10_000, 'a'],
      ],
      ['allow', 'allow', 'allow', 'refuse-and-tell', 'refuse', 'allow', 'refuse'],
    ],
    [
      'told again a minute after the last time',
      [
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [59_000, 'a'],
        [59_000, 'a'],
        [59_000, 'a'],
        [59_000, 'a'],
        [60_000, 'a'],
      ],
      ['allow', 'allow', 'allow', 'refuse-and-tell', 'allow', 'allow', 'allow', 'refuse', 'refuse-and-tell'],
    ],
    [
      'members are counted apart',
      [
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [0, 'b'],
        [0, 'b'],
      ],
      ['allow', 'allow', 'allow', 'refuse-and-tell', 'allow', 'allow'],
    ],
  ])('%s', (_name, calls, expected) => {
    const clock = new ManualClock('2026-03-20T01:00:00Z');
    const start = clock.now().getTime();
    const limiter = new MemberRateLimiter({ perMinute: 6, burst: 3 }, clock);
    const decisions = calls.map(([at, member]) => {
      clock.set(new Date(start + at));
      return limiter.check(member);
    });
    expect(decisions).toEqual(expected);
  });

  it('is off at 0 a minute', () => {
    const limiter = new MemberRateLimiter(
      { perMinute: 0, burst: 1 },
      new ManualClock('2026-03-20T01:00:00Z'),
    );
    expect(Array.from({ length: 100 }, () => limiter.check('a')).every((d) => d === 'allow')).toBe(true);
  });
});

describe('a runaway member', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ env: { MEMBER_RATE_PER_MINUTE: '6', MEMBER_RATE_BURST: '3' } });
    await bot.addPerson('runaway');
    await bot.addPerson('other');
  });
  afterAll(() => bot.close());

  it('is told once, its further messages are recorded but not handled, and others are served', async () => {
    const answers: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++)
      answers.push((await bot.client.sendText('runaway', '工作日 2026-10-08')).reply?.content);
    expect(answers.slice(0, 3).every((a) => a?.includes('工作日'))).toBe(true);
    expect(answers.slice(3)).toEqual([RATE_LIMITED_TEXT, undefined, undefined]);
    expect(await say(bot, 'other', '工作日 2026-10-08')).toContain('工作日');
    const rows = await bot.database.dataSource
      .getRepository(InboundMessage)
      .find({ where: { fromUser: 'runaway' }, order: { id: 'ASC' } });
    expect(rows.map((row) => row.status)).toEqual([
      'done',
      'done',
      'done',
      'throttled',
      'throttled',
      'throttled',
    ]);
    await bot.flush();
    expect(bot.texts('runaway')).toEqual([]);
  });

  it('a WeCom retry of a refused message gets the same answer and no second row', async () => {
    bot.clock.advance(60_000);
    for (let i = 0; i < 6; i++) await bot.client.sendText('runaway', '帮助');
    const xml = bot.client.textXml('runaway', '帮助');
    const first = await bot.client.post(xml);
    const retry = await bot.client.post(xml);
    expect(retry.reply?.content).toBe(first.reply?.content);
  });

  it('is served again once the minute has passed', async () => {
    bot.clock.advance(120_000);
    expect(await say(bot, 'runaway', '工作日 2026-10-08')).toContain('工作日');
  });
});

describe('bounded work per message', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
    await bot.addUnit('张店区', 'district');
    await bot.addPerson('sup', { role: 'supervisor', unit: '市大数据局' });
  });
  afterAll(() => bot.close());

  it('3,000 unknown unit names: ten explained with suggestions, the rest counted, in one short text', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `不存在的单位${i}`).join('、');
    const resolved = await resolveUnitNames(bot.database.dataSource.manager, names);
    expect(resolved.unknown).toHaveLength(10);
    expect(resolved.moreUnknown).toBe(2990);
    const answer = unknownUnitsText(resolved, '请改正后重新输入全部单位。');
    expect(answer).toContain('另有 2990 个名称也没有找到。');
    expect(Buffer.byteLength(answer)).toBeLessThanOrEqual(2048);
  });

  it('as many names as fit one callback (1,500) in a 下发任务 step: one answer, not dozens of messages', async () => {
    await say(bot, 'sup', '下发任务');
    await say(bot, 'sup', '1');
    await say(bot, 'sup', '首页信息更新不及时整改');
    await say(bot, 'sup', '请整改。');
    const names = Array.from({ length: 1500 }, (_, i) => `u${i}`).join(',');
    const before = await bot.database.dataSource.getRepository(OutboxMessage).count();
    const answer = await say(bot, 'sup', names);
    expect(answer).toContain('没有找到这些单位：');
    expect(answer).toContain('另有 1490 个名称也没有找到。');
    expect(answer.split('\n').filter((line) => line.startsWith('“'))).toHaveLength(10);
    expect(Buffer.byteLength(answer)).toBeLessThanOrEqual(2048);
    expect((await bot.database.dataSource.getRepository(OutboxMessage).count()) - before).toBeLessThanOrEqual(
      1,
    );
    // The dialog goes on: the right names are still accepted.
    expect(await say(bot, 'sup', '张店区')).toContain('请输入截止时间');
  });
});
