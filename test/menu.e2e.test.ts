// The app menu: created through menu/create, and its clicks run the same handlers as typed commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMenu } from '../src/bot/menu.js';
import { buildMenu } from '../src/handlers/menu.js';
import { silentLogger } from '../src/logger.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
  await bot.addPerson('liaison1', { name: '张三', role: 'liaison', unit: '市水利局' });
});

afterAll(async () => {
  await bot.close();
});

describe('app menu', () => {
  it('is created through the API within WeCom’s limits', async () => {
    expect(
      await ensureMenu(bot.runtime.api, buildMenu('https://bot.example.gov.cn/board'), silentLogger),
    ).toBe(true);
    const menu = bot.fake.menus.get(bot.credentials.agentId);
    expect(menu).toEqual(buildMenu('https://bot.example.gov.cn/board'));
    const names = JSON.stringify(menu);
    for (const name of ['我的任务', '提交案例', '更多', '进度看板', '检查个人信息', '帮助'])
      expect(names).toContain(name);
  });

  it('without a public address of the board, 进度看板 shows 进度 in chat', async () => {
    expect(await ensureMenu(bot.runtime.api, buildMenu(undefined), silentLogger)).toBe(true);
    const menu = bot.fake.menus.get(bot.credentials.agentId) as { button: { sub_button?: unknown[] }[] };
    expect(menu.button[2]!.sub_button![0]).toEqual({ type: 'click', name: '进度看板', key: 'cmd:进度' });
    expect(JSON.stringify(menu)).not.toContain('"view"');
  });

  it('reports failure without throwing', async () => {
    bot.fake.failNext(1, { kind: 'errcode', errcode: 60020 }, '/cgi-bin/menu/create');
    expect(
      await ensureMenu(bot.runtime.api, buildMenu('https://bot.example.gov.cn/board'), silentLogger),
    ).toBe(false);
  });

  it.each([
    ['cmd:帮助', '督办助手'],
    ['cmd:我的任务', '任务'],
    ['cmd:检查', '请发送要检查的文字'],
    ['cmd:进度', '市水利局'],
  ])('a click on %s runs the command', async (key, expected) => {
    const before = bot.texts('liaison1').length;
    const result = await bot.client.sendEvent('liaison1', 'click', key);
    await bot.flush();
    const answer = result.reply?.content ?? bot.texts('liaison1').slice(before).join('\n');
    expect(answer).toContain(expected);
  });

  it('ignores the view event of the board link', async () => {
    const result = await bot.client.sendEvent('liaison1', 'view', 'https://bot.example.gov.cn/board');
    expect(result.status).toBe(200);
    expect(result.body).toBe('');
  });
});
