// "我为政府网站找错" messages through the bot: registration with deadlines across the 2026 holidays,
// answers with the personal-information gate, the open list, permissions and the batch import.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { GuestbookMessage } from '../src/entities/guestbook-message.js';
import type { Unit } from '../src/entities/unit.js';
import { say, sendFile } from './support/chat.js';
import { addSite, UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
let shuili: Unit;
let zhangdian: Unit;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-02-13T02:00:00Z', ...UNPACED });
  shuili = await bot.addUnit('市水利局', 'department');
  zhangdian = await bot.addUnit('张店区', 'district');
  await bot.addUnit('张店区教育局', 'other', '张店区');
  await bot.addPerson('sl1', { name: '王水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('sl2', { name: '赵水利', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('zd1', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('dbr', { name: '督办员李', role: 'supervisor', unit: '市大数据局' });
  await addSite(bot, '淄博市水利局网站', '3703000012', '市水利局');
  await addSite(bot, '张店区人民政府网站', '3703030001', '张店区');
  await addSite(bot, '张店区教育局网站', '3703030002', '张店区教育局');
});

afterAll(async () => {
  await bot.close();
});

const messages = () => bot.database.dataSource.getRepository(GuestbookMessage);
const latest = async () => (await messages().find({ order: { id: 'DESC' }, take: 1 }))[0]!;

/** Registers a message in three steps and returns the last reply. */
async function register(userid: string, start: string, received: string, summary: string): Promise<string> {
  await say(bot, userid, start);
  const timeReply = await say(bot, userid, received);
  expect(timeReply).toContain('请输入留言内容摘要');
  return say(bot, userid, summary);
}

describe('留言登记: deadlines through the bot', () => {
  it('counts the make-up Saturday and skips the Spring Festival break', async () => {
    bot.clock.set('2026-02-13T02:00:00Z'); // Friday 10:00
    const first = await say(bot, 'sl1', '留言登记');
    // The unit has one site: it is taken without asking.
    expect(first).toContain('网站：淄博市水利局网站（3703000012）');
    expect(first).toContain('请输入收到留言的时间');
    expect(await say(bot, 'sl1', '今天 9:30')).toContain('收到时间：2026-02-13（周五）09:30');
    const done = await say(bot, 'sl1', '首页“政务公开”栏目链接打不开');
    const row = await latest();
    expect(done).toContain(`已登记留言 L${row.id}`);
    expect(done).toContain('办理期限：2026-02-24（周二）24时截止（2026-02-14（周六）0时起算）');
    expect(row.deadline.toISOString()).toBe('2026-02-24T16:00:00.000Z');
    expect(row).toMatchObject({
      status: 'open',
      topUnitId: shuili.id,
      source: 'chat',
      deadlineEstimated: false,
    });
    expect(row.summary).toBe('首页“政务公开”栏目链接打不开');
    // The unit's other liaison hears of it; the one who registered it does not get a copy.
    expect(bot.texts('sl2').at(-1)).toContain(`L${row.id}`);
    expect(bot.texts('sl1').join('\n')).not.toContain('新收到');
  });

  it('starts counting after a message received on the make-up Saturday', async () => {
    bot.clock.set('2026-02-16T01:00:00Z'); // a Spring Festival holiday, 09:00
    const done = await register('sl1', '留言登记', '2026-02-14 11:20', '信息公开年报缺失');
    expect(done).toContain('办理期限：2026-02-25（周三）24时截止（2026-02-24（周二）0时起算）');
    expect((await latest()).receivedAt.toISOString()).toBe('2026-02-14T03:20:00.000Z');
  });

  it('skips National Day, and a supervisor registers for any unit by name', async () => {
    bot.clock.set('2026-10-10T03:00:00Z'); // make-up Saturday, 11:00
    const before = bot.texts('zd1').length;
    const done = await register('dbr', '留言登记 张店区人民政府', '今天 10:40', '办事指南下载失败');
    expect(done).toContain('办理期限：2026-10-13（周二）24时截止（2026-10-12（周一）0时起算）');
    expect((await latest()).topUnitId).toBe(zhangdian.id);
    expect(bot.texts('zd1').slice(before).join('\n')).toContain('新收到“我为政府网站找错”留言 1 条');

    const beforeHoliday = await register('dbr', '留言登记 3703030001', '9月30日 16:00', '领导信息未更新');
    expect(beforeHoliday).toContain('办理期限：2026-10-09（周五）24时截止（2026-10-08（周四）0时起算）');
  });

  it('lets a supervisor pick from the numbered list; a sub-unit’s site belongs to its top unit', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    const list = await say(bot, 'dbr', '留言登记');
    expect(list).toContain('1. 淄博市水利局网站（3703000012）');
    expect(list).toContain('3. 张店区教育局网站（3703030002）');
    const ambiguous = await say(bot, 'dbr', '张店区');
    expect(ambiguous).toContain('有多个网站名称包含“张店区”');
    expect(await say(bot, 'dbr', '3')).toContain('网站：张店区教育局网站（3703030002）');
    await say(bot, 'dbr', '昨天 16:05');
    const done = await say(bot, 'dbr', '招生公告附件无法下载');
    expect(done).toContain('2026-03-23（周一）24时截止（2026-03-20（周五）0时起算）');
    expect((await latest()).topUnitId).toBe(zhangdian.id);
  });

  it('estimates on the provisional calendar (元旦 off by law), marked 预估, when 2027 is not published', async () => {
    bot.clock.set('2026-12-30T02:00:00Z');
    const done = await register('sl1', '留言登记', '今天 9:00', '网站备案号显示错误');
    expect(done).toContain('办理期限：2027-01-04（周一）24时截止（预估）（2026-12-31（周四）0时起算）');
    expect(done).toContain('2027 年节假日安排尚未发布，期限按周末和法定节假日预估');
    const row = await latest();
    expect(row.deadlineEstimated).toBe(true);
    expect(row.deadline.toISOString()).toBe('2027-01-04T16:00:00.000Z');
  });

  it('keeps liaisons to their own unit’s sites', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    const other = await say(bot, 'zd1', '留言登记 3703000012');
    expect(other).toContain('没有找到网站“3703000012”');
    expect(other).not.toContain('淄博市水利局网站');
    expect(other).toContain('张店区教育局网站');
    await say(bot, 'zd1', '取消');
  });

  it('refuses unreadable and future times without losing the step', async () => {
    bot.clock.set('2026-03-20T02:00:00Z'); // 10:00
    await say(bot, 'sl1', '留言登记');
    expect(await say(bot, 'sl1', '下周一')).toContain('请同时写明时刻');
    expect(await say(bot, 'sl1', '下周')).toContain('无法识别时间');
    expect(await say(bot, 'sl1', '今天 11:30')).toContain('晚于当前时间');
    expect(await say(bot, 'sl1', '今天 9:00')).toContain('请输入留言内容摘要');
    await say(bot, 'sl1', '取消');
  });

  it('blocks personal information in the summary and asks to confirm a warning', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    const count = await messages().count();
    await say(bot, 'sl1', '留言登记');
    await say(bot, 'sl1', '今天 8:00');
    const blocked = await say(bot, 'sl1', '网民反映13812345678无法接通');
    expect(blocked).toContain('提交未受理');
    expect(blocked).not.toContain('13812345678');
    expect(await messages().count()).toBe(count);
    const warned = await say(bot, 'sl1', '网民反映咨询电话0533-2345678无人接听');
    expect(warned).toContain('如确认无误、仍需保存，请回复“确认”');
    expect(await messages().count()).toBe(count);
    const stored = await say(bot, 'sl1', '确认');
    const row = await latest();
    expect(stored).toContain(`已登记留言 L${row.id}`);
    expect(row.summaryPii).toEqual([{ kind: 'landline', severity: 'warn', masked: '0533-***5678' }]);
    const audit = await bot.database.dataSource
      .getRepository(AuditLog)
      .findOneByOrFail({ action: 'pii.accept', target: `L${row.id}` });
    expect(audit.detail).not.toContain('2345678');
  });
});

describe('留言办结', () => {
  let own: GuestbookMessage;
  let zhangdianMessage: GuestbookMessage;

  beforeAll(async () => {
    own = (await messages().findOneByOrFail({ summary: '首页“政务公开”栏目链接打不开' }))!;
    zhangdianMessage = await messages().findOneByOrFail({ summary: '办事指南下载失败' });
  });

  it('refuses another unit’s liaison and audits it', async () => {
    expect(await say(bot, 'zd1', `留言办结 L${own.id} 已修复`)).toContain('不属于您的单位');
    const denied = await bot.database.dataSource
      .getRepository(AuditLog)
      .findOneBy({ action: 'guestbook.answer', target: `L${own.id}`, result: 'denied' });
    expect(denied).not.toBeNull();
    expect((await messages().findOneByOrFail({ id: own.id })).status).toBe('open');
  });

  it('blocks a phone number, asks to confirm a personal mail address, then closes it', async () => {
    bot.clock.set('2026-02-24T06:00:00Z'); // the deadline day, 14:00
    expect(await say(bot, 'sl1', `留言办结 L${own.id} 已电话联系网民13812345678说明情况`)).toContain(
      '提交未受理',
    );
    expect((await messages().findOneByOrFail({ id: own.id })).status).toBe('open');
    const warn = await say(bot, 'sl1', `留言办结 L${own.id} 已回复至网民邮箱 zhangsan@qq.com`);
    expect(warn).toContain('请回复“确认”');
    expect((await messages().findOneByOrFail({ id: own.id })).status).toBe('open');
    expect(await say(bot, 'sl1', '确认')).toContain(`留言 L${own.id} 已办结，按期办结。`);
    const row = await messages().findOneByOrFail({ id: own.id });
    expect(row).toMatchObject({
      status: 'answered',
      answeredBy: 'sl1',
      answerSummary: '已回复至网民邮箱 zhangsan@qq.com',
    });
    expect(row.answeredAt!.toISOString()).toBe('2026-02-24T06:00:00.000Z');
    expect(row.answerPii).toEqual([{ kind: 'email', severity: 'warn', masked: 'z***@qq.com' }]);
    expect(await say(bot, 'sl2', `留言办结 L${own.id} 再次答复`)).toContain(
      '已于 2026-02-24（周二）14:00 办结',
    );
  });

  it('does not take another command for a revision while an answer waits for 确认', async () => {
    const waiting = await messages().findOneByOrFail({ summary: '网站备案号显示错误' });
    bot.clock.set('2026-12-31T01:00:00Z');
    expect(await say(bot, 'sl1', `留言办结 L${waiting.id} 已邮件回复 zhangsan@qq.com`)).toContain(
      '请回复“确认”',
    );
    const held = await say(bot, 'sl1', '留言列表');
    expect(held).toContain('待办结留言');
    expect(held).toContain('（正在《留言办结》：回复“确认”保存，或发送修改后的内容，或回复“取消”）');
    expect((await messages().findOneByOrFail({ id: waiting.id })).status).toBe('open');
    expect(await say(bot, 'sl1', '取消')).toBe('已取消。');
    expect((await messages().findOneByOrFail({ id: waiting.id })).status).toBe('open');
  });

  it('takes a revised answer sent instead of 确认', async () => {
    const second = await messages().findOneByOrFail({ summary: '信息公开年报缺失' });
    bot.clock.set('2026-02-27T01:00:00Z'); // after its deadline
    expect(await say(bot, 'sl2', `留言办结 L${second.id} 已回复邮箱 zhangsan@qq.com`)).toContain(
      '请回复“确认”',
    );
    expect(await say(bot, 'sl2', `留言办结 L${second.id} 已补充发布2025年年报`)).toContain('逾期办结');
    expect((await messages().findOneByOrFail({ id: second.id })).answerSummary).toBe('已补充发布2025年年报');
  });

  it('lets a supervisor close any unit’s message', async () => {
    bot.clock.set('2026-10-12T02:00:00Z');
    expect(await say(bot, 'dbr', `留言办结 L${zhangdianMessage.id} 已修复下载链接`)).toContain('已办结');
  });

  it('explains a bad reference or a missing answer', async () => {
    expect(await say(bot, 'sl1', '留言办结 X9 答复')).toContain('用法：留言办结 L5 <答复摘要>');
    expect(await say(bot, 'sl1', '留言办结 L9999 答复')).toContain('没有找到留言 L9999');
    const open = await messages().findOneByOrFail({ summary: '网站备案号显示错误' });
    expect(await say(bot, 'sl1', `留言办结 L${open.id}`)).toContain(`请发送留言 L${open.id} 的答复摘要`);
    expect(await say(bot, 'sl1', '取消')).toBe('已取消。');
    expect((await messages().findOneByOrFail({ id: open.id })).status).toBe('open');
  });

  it('asks for the answer when 留言办结 L5 comes without one, and closes with it', async () => {
    await register('sl1', '留言登记', '今天 9:00', '栏目更新不及时');
    const open = await messages().findOneByOrFail({ summary: '栏目更新不及时' });
    expect(await say(bot, 'sl1', `留言办结 L${open.id}`)).toContain(`请发送留言 L${open.id} 的答复摘要`);
    expect(await say(bot, 'sl1', '已更正备案号')).toContain(`留言 L${open.id} 已办结`);
    expect((await messages().findOneByOrFail({ id: open.id })).answerSummary).toBe('已更正备案号');
  });
});

describe('留言列表', () => {
  it('shows a liaison their unit’s open messages, most urgent first, with colours', async () => {
    bot.clock.set('2026-03-25T01:00:00Z');
    const list = await say(bot, 'sl1', '留言列表');
    expect(list).toContain('待办结留言（市水利局');
    expect(list).not.toContain('张店区');
    const refs = [...list.matchAll(/\*\*L(\d+)\*\*/g)].map((m) => Number(m[1]));
    const open = await messages().find({
      where: { status: 'open', topUnitId: shuili.id },
      order: { deadline: 'ASC' },
    });
    expect(refs).toEqual(open.map((m) => m.id));
    expect(list).toContain('🔴逾期</font>');
    expect(list).toContain('2026-03-24（周二）24时截止，已逾期1个工作日');
    expect(list).toMatch(/2027-01-04（周一）24时截止（预估），还剩\d+个工作日\n/);
  });

  it('shows supervisors every unit, or the units they name', async () => {
    const all = await say(bot, 'dbr', '留言列表');
    expect(all).toContain('全部单位');
    expect(all).toContain('市水利局 · ');
    expect(all).toContain('张店区 · ');
    const one = await say(bot, 'dbr', '留言列表 张店区');
    expect(one).toContain('待办结留言（张店区');
    expect(one).not.toContain('水利局网站');
    expect(await say(bot, 'dbr', '留言列表 不存在的局')).toContain('没有找到单位');
  });
});

async function workbook(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('留言');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const HEADER = ['序号', '留言编号', '网站名称', '网站标识码', '留言时间', '留言内容'];

describe('import from the platform export', () => {
  it('is for supervisors only', async () => {
    const file = await workbook([HEADER]);
    expect(await sendFile(bot, 'sl1', '留言导出.xlsx', file)).toContain('该命令仅限督办人员使用。');
    expect(await say(bot, 'sl1', '留言导入')).toContain('该命令仅限督办人员使用。');
  });

  it('explains a header that does not match', async () => {
    const csv = Buffer.from('编号,网站,时间,内容\n1,a,2026-03-01 10:00,b\n');
    const reply = await sendFile(bot, 'dbr', '找错留言.csv', csv);
    expect(reply).toContain('表头不符');
    expect(reply).toContain('“留言编号”');
    expect(reply).toContain('“留言时间”');
  });

  it('reports bad rows by line and imports nothing', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    const count = await messages().count();
    const file = await workbook([
      HEADER,
      [1, 'GB-0001', '淄博市水利局网站', '3703000012', '2026-03-18 09:00', '栏目空白'],
      [2, 'GB-0002', '某网站', '3709999999', '2026-03-18 09:00', '链接错误'],
      [3, 'GB-0003', '淄博市水利局网站', '3703000012', '上周', '错别字'],
      [4, '', '淄博市水利局网站', '3703000012', '2026-03-25 09:00', ''],
    ]);
    const reply = await sendFile(bot, 'dbr', '留言导出.xlsx', file);
    expect(reply).toContain('导入未完成：3 行有误，未导入任何留言');
    expect(reply).toContain('第 3 行：网站标识码 3709999999 不在网站目录中');
    expect(reply).toContain('第 4 行：留言时间“上周”无法识别');
    expect(reply).toContain('第 5 行：缺少留言编号；留言时间晚于当前时间；缺少留言内容');
    expect(await messages().count()).toBe(count);
  });

  it('imports new messages, masks personal information, skips and reports duplicates', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    const file = await workbook([
      HEADER,
      [
        1,
        'GB-1001',
        '淄博市水利局网站',
        '3703000012',
        new Date(Date.UTC(2026, 2, 19, 17, 30)),
        '首页图片无法显示',
      ],
      [
        2,
        'GB-1002',
        '张店区教育局网站',
        '3703030002',
        '2026-03-19 08:00',
        '网民13812345678反映招生页面打不开',
      ],
      [3, 'GB-1001', '淄博市水利局网站', '3703000012', '2026-03-19 17:30', '首页图片无法显示'],
      [4, 'GB-1003', '张店区人民政府网站', '', '2026/3/18 9:00', '政策解读链接错误'],
    ]);
    const zdBefore = bot.texts('zd1').length;
    const slBefore = bot.texts('sl2').length;
    const reply = await sendFile(bot, 'dbr', '留言导出.xlsx', file);
    expect(reply).toMatch(/留言导入完成：新增 3 条（L\d+–L\d+），跳过重复 1 条。/);
    expect(reply).toContain('其中 1 条留言内容含个人信息，已脱敏保存。');
    expect(reply).toContain('第 4 行：留言编号 GB-1001（已有 第 2 行）');

    const first = await messages().findOneByOrFail({ platformNo: 'GB-1001' });
    expect(first).toMatchObject({ source: 'import', registeredBy: 'dbr', topUnitId: shuili.id });
    expect(first.receivedAt.toISOString()).toBe('2026-03-19T09:30:00.000Z');
    expect(first.deadline.toISOString()).toBe('2026-03-23T16:00:00.000Z');
    const masked = await messages().findOneByOrFail({ platformNo: 'GB-1002' });
    expect(masked.topUnitId).toBe(zhangdian.id);
    expect(masked.summary).toBe('网民138****5678反映招生页面打不开');
    expect(masked.summaryPii).toEqual([{ kind: 'mobile', severity: 'block', masked: '138****5678' }]);
    const byName = await messages().findOneByOrFail({ platformNo: 'GB-1003' });
    expect(byName.topUnitId).toBe(zhangdian.id);

    // Each unit's liaisons get one notice with their own messages.
    const zdNotice = bot.texts('zd1').slice(zdBefore).join('\n');
    expect(zdNotice).toContain('新收到“我为政府网站找错”留言 2 条');
    expect(zdNotice).toContain(`L${masked.id}`);
    expect(zdNotice).not.toContain('首页图片无法显示');
    expect(bot.texts('sl2').slice(slBefore).join('\n')).toContain(`L${first.id}`);

    // The same file again: everything is a duplicate of what is stored.
    const again = await sendFile(bot, 'dbr', '留言导出.xlsx', file);
    expect(again).toContain('新增 0 条，跳过重复 4 条');
    expect(again).toContain(`第 2 行：留言编号 GB-1001（已有 L${first.id}）`);
    expect(await messages().countBy({ platformNo: 'GB-1001' })).toBe(1);
  });

  it('takes any file name after 留言导入, and leaves other spreadsheets alone', async () => {
    bot.clock.set('2026-03-20T02:00:00Z');
    const csv = Buffer.from(
      '\uFEFF留言编号,网站名称,网站标识码,留言时间,留言内容\r\nGB-2001,淄博市水利局网站,3703000012,2026-03-20 08:15,"联系方式页面""电话""为空"\r\n',
    );
    expect(await sendFile(bot, 'dbr', 'export.csv', csv)).toContain('收到文件，但当前没有需要文件的操作');
    expect(await say(bot, 'dbr', '留言导入')).toContain('请现在发送文件');
    expect(await say(bot, 'dbr', '好的')).toContain('请发送平台导出的留言表');
    const reply = await sendFile(bot, 'dbr', 'export.csv', csv);
    expect(reply).toContain('留言导入完成：新增 1 条');
    expect((await messages().findOneByOrFail({ platformNo: 'GB-2001' })).summary).toBe(
      '联系方式页面"电话"为空',
    );
  });
});
