// 分管: 设置分管 / 分管情况 / 取消分管 as an admin types them, and the refusals.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { say } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  await bot.addUnit('市大数据局', 'department');
  await bot.addUnit('市教育局', 'department');
  await bot.addPerson('adm', { name: '周管理', role: 'admin', unit: '市大数据局' });
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('jy', { name: '教育联络员', role: 'liaison', unit: '市教育局' });
});

afterAll(async () => {
  await bot.close();
});

it('sets, lists and removes an assignment', async () => {
  expect(await say(bot, 'sup', '分管情况')).toBe('尚未设置分管；逾期升级督办发给全部督办员。');
  expect(await say(bot, 'adm', '设置分管 市教育局 sup')).toBe('已设置：李督办分管市教育局。');
  expect(await say(bot, 'adm', '设置分管 市教育局 sup')).toBe('李督办已分管市教育局。');
  expect(await say(bot, 'sup', '分管情况')).toBe('分管情况：\n· 李督办：市教育局');
  expect(await say(bot, 'adm', '取消分管 市教育局 sup')).toBe('已取消：李督办不再分管市教育局。');
  expect(await say(bot, 'adm', '取消分管 市教育局 sup')).toBe('李督办并未分管市教育局。');
});

it('refuses a liaison as the supervisor and a malformed command', async () => {
  expect(await say(bot, 'adm', '设置分管 市教育局 jy')).toBe('“jy”不是在用的督办员或管理员账号。');
  expect(await say(bot, 'adm', '设置分管 市教育局')).toBe('用法：设置分管 <单位> <userid>');
});
