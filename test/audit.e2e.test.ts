// 审计 [userid|单位] [天数] for admins: who did or tried what, strangers counted once an hour, a
// short chat view and, past a size, a spreadsheet of the whole window.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { AUDIT_CHAT_ROWS } from '../src/services/audit/views.js';
import { sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
const db = () => bot.database.dataSource;

beforeAll(async () => {
  // Friday 2026-03-20, 10:00 in Shanghai.
  bot = await startTestBot({ now: '2026-03-20T02:00:00Z' });
  await bot.addPerson('adm', { name: '王管理', role: 'admin', unit: '市大数据局' });
  await bot.addPerson('zd1', { name: '张一', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zc1', { name: '淄一', role: 'liaison', unit: '淄川区' });
  await bot.addPerson('left', { name: '离职', role: 'liaison', unit: '张店区', active: false });
});

afterAll(async () => {
  await bot.close();
});

async function say(userid: string, content: string): Promise<string> {
  bot.clock.advance(1000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

describe('审计', () => {
  it('is for admins only, and the refusal is audited too', async () => {
    expect(await say('zd1', '审计')).toBe('该命令仅限管理员使用。');
    const row = await db().getRepository(AuditLog).findOneByOrFail({ actor: 'zd1', action: 'command:审计' });
    expect(row.result).toBe('denied');
  });

  it('shows one account: a stranger’s attempts counted in one row per hour', async () => {
    for (let i = 0; i < 4; i++) await say('outsider', '你好');
    const reply = await say('adm', '审计 outsider');
    expect(reply).toContain('**审计记录**（outsider，近 7 天）');
    expect(reply).toContain('共 1 条，其中拒绝 1 条。');
    expect(reply).toContain('outsider <font color="warning">【拒绝】</font>access.refused bot（4 次）');
    expect(reply).toContain('不在通讯录');
  });

  it('shows the people of a unit (a deactivated member included), not others', async () => {
    await say('zd1', '下发任务');
    await say('left', '我的任务');
    await say('zc1', '下发任务');
    const reply = await say('adm', '审计 张店区 30');
    expect(reply).toContain('（张店区，近 30 天）');
    expect(reply).toContain('zd1 <font color="warning">【拒绝】</font>command:下发任务');
    expect(reply).toContain('left <font color="warning">【拒绝】</font>access.refused');
    expect(reply).toContain('账号已停用');
    expect(reply).not.toContain('zc1');
    expect(reply).not.toContain('outsider');
  });

  it('answers a name that is neither a unit nor an account, and days out of range, clearly', async () => {
    expect(await say('adm', '审计 不存在的单位名称')).toContain('（也可写账号 userid）');
    expect(await say('adm', '审计 0')).toBe(
      '天数须为 1–365（审计记录保存 365 天）。用法：审计 [userid|单位] [天数]',
    );
    expect(await say('adm', '审计 zd1 400')).toContain('天数须为 1–365');
  });

  it('keeps the chat view short and sends the whole window as a file past a size', async () => {
    const base = bot.clock.now().getTime();
    await db()
      .getRepository(AuditLog)
      .insert(
        Array.from({ length: 40 }, (_, i) => ({
          at: new Date(base - (i + 1) * 3_600_000),
          actor: 'busy',
          action: 'task.submit',
          target: `task:${i + 1}`,
          result: 'ok',
          detail: `提交办理情况 #${i + 1}`,
        })),
      );
    const before = bot.inbox('adm').length;
    const reply = await say('adm', '审计 busy 3');
    expect(reply).toContain('共 40 条，其中拒绝 0 条。');
    expect(reply.split('\n').filter((line) => line.startsWith('> '))).toHaveLength(AUDIT_CHAT_ROWS);
    expect(reply).toContain(`以上为最近 ${AUDIT_CHAT_ROWS} 条；全部 40 条见下方文件`);
    const file = bot
      .inbox('adm')
      .slice(before)
      .find((delivery) => delivery.msgtype === 'file')!;
    const media = bot.fake.media.get((file.body.file as { media_id: string }).media_id)!;
    expect(media.fileName).toBe('审计记录-busy-2026-03-20.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(media.data as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2 + 40);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '时间',
      '账号',
      '操作',
      '对象',
      '结果',
      '次数',
      '说明',
    ]);
    expect(sheet.getRow(3).getCell(2).value).toBe('busy');
    // A small window has no file.
    const small = bot.inbox('adm').length;
    await say('adm', '审计 outsider');
    expect(
      bot
        .inbox('adm')
        .slice(small)
        .some((delivery) => delivery.msgtype === 'file'),
    ).toBe(false);
  });

  it('audits every look at the audit log', async () => {
    const views = await db().getRepository(AuditLog).findBy({ actor: 'adm', action: 'audit.view' });
    expect(views.map((row) => row.target)).toEqual(expect.arrayContaining(['outsider', '张店区', 'busy']));
  });
});
