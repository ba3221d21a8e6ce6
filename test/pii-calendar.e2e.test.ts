// The personal-information check and the calendar in chat, through encrypted callbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { CalendarYear } from '../src/entities/calendar-year.js';
import { makeDocx } from './support/docx.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-11-27T02:00:00Z' });
  await bot.addPerson('liaison1', { name: '张三', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('admin1', { name: '管理员', role: 'admin', unit: '市大数据局' });
});

afterAll(async () => {
  await bot.close();
});

async function lastText(userid: string, send: () => Promise<unknown>): Promise<string> {
  const before = bot.texts(userid).length;
  const result = (await send()) as { reply?: { content?: string } };
  if (result.reply?.content) return result.reply.content;
  await bot.flush();
  const texts = bot.texts(userid);
  expect(texts.length).toBeGreaterThan(before);
  return texts.at(-1)!;
}

describe('检查', () => {
  it('reports findings in text after the command, masked, with the text ready to publish', async () => {
    const reply = await lastText('liaison1', () =>
      bot.client.sendText('liaison1', '检查 联系人：王某，手机13812345678，电话0533-12345678。'),
    );
    expect(reply).toContain('138****5678');
    expect(reply).not.toContain('13812345678');
    expect(reply).toContain('手机号');
  });

  it('says when nothing is found', async () => {
    const reply = await lastText('liaison1', () =>
      bot.client.sendText('liaison1', '检查 本周完成网站内容更新12条。'),
    );
    expect(reply).toContain('未发现个人信息');
  });

  it('takes the text as the next message', async () => {
    const prompt = await lastText('liaison1', () => bot.client.sendText('liaison1', '检查'));
    expect(prompt).toContain('请发送要检查的文字');
    const reply = await lastText('liaison1', () =>
      bot.client.sendText('liaison1', '身份证号11010519491231002X'),
    );
    expect(reply).toContain('110***********002X');
  });

  it('checks a .docx file sent as the next message', async () => {
    await bot.client.sendText('liaison1', '检查');
    const docx = await makeDocx(['通报', '请联系李四，手机号 139-1234-5678。']);
    const mediaId = bot.fake.storeMedia(docx, '稿件.docx');
    const reply = await lastText('liaison1', () =>
      bot.client.post(bot.client.fileXml('liaison1', mediaId, '稿件.docx')),
    );
    expect(reply).toContain('139****5678');
  });
});

describe('calendar', () => {
  const holidays2027 = JSON.stringify({
    year: 2027,
    days: [
      { name: '元旦', date: '2027-01-01', isOffDay: true },
      { name: '春节', date: '2027-02-06', isOffDay: true },
      { name: '春节', date: '2027-02-20', isOffDay: false },
    ],
  });

  it('answers whether a day is a working day, with the reason', async () => {
    const reply = await lastText('liaison1', () => bot.client.sendText('liaison1', '工作日 2026-02-14'));
    expect(reply).toBe('2026-02-14（周六，春节调休上班）：工作日');
  });

  it('answers 2027 provisionally before the import, and says so', async () => {
    const reply = await lastText('liaison1', () => bot.client.sendText('liaison1', '工作日 2027-01-01'));
    expect(reply).toBe(
      '2027-01-01（周五，元旦，预估）：休息日\n2027 年节假日安排尚未发布：以上按周末和法定节假日推算（不含调休），导入正式安排前仅为预估。',
    );
    const beyond = await lastText('liaison1', () => bot.client.sendText('liaison1', '工作日 2100-01-04'));
    expect(beyond).toContain('2100 年的节假日安排尚未发布或尚未导入');
  });

  it('refuses a calendar file from a liaison', async () => {
    const mediaId = bot.fake.storeMedia(Buffer.from(holidays2027), '2027.json');
    const reply = await lastText('liaison1', () =>
      bot.client.post(bot.client.fileXml('liaison1', mediaId, '2027.json')),
    );
    expect(reply).toBe('该命令仅限管理员使用。');
    expect(await bot.database.dataSource.getRepository(CalendarYear).count()).toBe(0);
  });

  it('rejects a malformed file whole, changing nothing', async () => {
    const bad = JSON.stringify({ year: 2027, days: [{ name: '元旦', date: '2027-02-30', isOffDay: true }] });
    const mediaId = bot.fake.storeMedia(Buffer.from(bad), '2027.json');
    const reply = await lastText('admin1', () =>
      bot.client.post(bot.client.fileXml('admin1', mediaId, '2027.json')),
    );
    expect(reply).toContain('文件未导入');
    expect(await bot.database.dataSource.getRepository(CalendarYear).count()).toBe(0);
  });

  it('imports a year from an admin’s JSON file, audited, and uses it at once', async () => {
    const mediaId = bot.fake.storeMedia(Buffer.from(holidays2027), '2027.json');
    const reply = await lastText('admin1', () =>
      bot.client.post(bot.client.fileXml('admin1', mediaId, '2027.json')),
    );
    expect(reply).toContain('已导入 2027 年节假日安排');
    const audit = await bot.database.dataSource
      .getRepository(AuditLog)
      .findOneByOrFail({ action: 'calendar.import' });
    expect(audit).toMatchObject({ actor: 'admin1', target: 'calendar:2027' });
    const day = await lastText('liaison1', () => bot.client.sendText('liaison1', '工作日 2027-02-20'));
    expect(day).toBe('2027-02-20（周六，春节调休上班）：工作日');
  });
});
