// 通报 end to end: the 2023 Q1 notice uploaded as .docx becomes a stored notice and a proposed
// 落实情况 task; the supervisor edits units, deadline and title, and confirms.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { CaseCall } from '../src/entities/case-call.js';
import { Notice } from '../src/entities/notice.js';
import { Task } from '../src/entities/task.js';
import { loadFile } from '../src/db/files.js';
import { sendFileAs, sendText } from './support/chat.js';
import { makeDocx } from './support/docx.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { addDistrictsAndZones } from './support/units.js';

const NOTICE = readFileSync('/work/shared/docs/notice-2023q1.txt', 'utf8');

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  await addDistrictsAndZones(bot);
  await bot.addUnit('市水利局', 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市水利局' });
  await bot.addPerson('zd', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('yy', { name: '沂源联络员', role: 'liaison', unit: '沂源县' });
  await bot.addPerson('gx', { name: '高新联络员', role: 'liaison', unit: '高新区' });
});

afterAll(async () => {
  await bot.close();
});

const db = () => bot.database.dataSource;

/** Sends a text a minute after the last step; returns everything the member got back. */
async function say(userid: string, content: string): Promise<string> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

async function upload(userid: string, fileName: string, data: Buffer): Promise<string> {
  return (await sendFileAs(bot, userid, fileName, data)).replies.join('\n');
}

describe('通报 from an uploaded .docx', () => {
  let docx: Buffer;

  it('is for supervisors only', async () => {
    expect(await say('zd', '通报')).toBe('该命令仅限督办人员使用。');
  });

  it('refuses a format it cannot read and keeps waiting for the file', async () => {
    expect(await say('sup', '通报')).toContain('上传通报的 .docx / .txt 文件');
    expect(await upload('sup', '通报.pdf', Buffer.from('%PDF-1.4 not really'))).toContain('暂不支持 PDF');
    expect(await db().getRepository(Notice).count()).toBe(0);
  });

  it('stores the notice and its file, and proposes the 落实情况 task', async () => {
    docx = await makeDocx(NOTICE.split('\n'));
    const preview = await upload('sup', '通报.docx', docx);
    expect(preview).toContain(
      '已保存通报《淄博市人民政府办公室关于2023年第一季度政府网站和政务新媒体普查情况的通报》',
    );
    expect(preview).toContain('发文单位：淄博市人民政府办公室');
    expect(preview).toContain('日期：2023-03-17（周五）');
    expect(preview).toContain('从正文中找到 5 项需要办理的事项');
    expect(preview).toContain('**1. [落实情况] 报送工作落实情况和《政府网站、政务新媒体典型做法信息表》**');
    expect(preview).toContain('**2. [案例征集] 典型案例征集：挖掘典型做法，营造创新氛围**');
    expect(preview).toContain('**5. [整改] 整改：留言办理有待加强**');
    // 3月21日前 belongs to the notice of 2023-03-17: 2023-03-21, long past, and said so.
    expect(preview).toContain(
      '截止：<font color="warning">2023-03-21（周二）24时，已过（请发送“截止 1 日期”重新设置）</font>',
    );
    expect(preview).toContain('单位：全部单位（12个）');

    const [notice] = await db().getRepository(Notice).find();
    expect(notice).toMatchObject({
      issuer: '淄博市人民政府办公室',
      issuedOn: '2023-03-17',
      createdBy: 'sup',
    });
    expect(notice!.body).toContain('于3月21日前');
    const file = await loadFile(db().manager, notice!.sourceFileId!);
    expect(file.data.equals(docx)).toBe(true);
    expect(await db().getRepository(AuditLog).countBy({ action: 'notice.create' })).toBe(1);
    expect(await db().getRepository(Task).count()).toBe(0);
  });

  it('edits units, deadline and title; unknown units change nothing', async () => {
    // The case call and the rectifications are covered by notice-seed.e2e.test.ts.
    for (const n of [5, 4, 3, 2]) expect(await say('sup', `删除 ${n}`)).toContain(`已删除第 ${n} 项`);
    expect(await say('sup', '单位 1 全部区县、水力局')).toContain('“水力局”：您是否要找 市水利局');
    expect(await say('sup', '单位 1 全部区县')).toContain('单位：全部区县（8个）');
    expect(await say('sup', '确认')).toContain('第 1 项的截止时间未设置或已过');
    expect(await say('sup', '截止 1 3月32日')).toContain('日期“3月32日”不存在');
    // A month-day already past asks about next year instead of rolling silently.
    expect(await say('sup', '截止 1 3月19日')).toContain('3月19日今年已过。是指明年的 2027-03-19（周五） 吗');
    expect(await say('sup', '否')).toContain('请重新输入“截止 1 日期”，写明年份');
    expect(await say('sup', '截止 1 3月19日')).toContain('是指明年');
    expect(await say('sup', '是')).toContain('截止：2027-03-19（周五）24时截止');
    // The question says 也可直接输入其他时间: a bare date answers it, for one item or for all.
    expect(await say('sup', '截止 1 3月19日')).toContain('是指明年');
    expect(await say('sup', '3月26日')).toContain('截止：2026-03-26（周四）24时截止');
    expect(await say('sup', '截止 全部 3月19日')).toContain('是指明年');
    expect(await say('sup', '3月27日')).toContain('已修改全部 1 项的截止时间');
    // …while an edit command typed instead is that command.
    expect(await say('sup', '截止 1 3月19日')).toContain('是指明年');
    expect(await say('sup', '删除 7')).toContain('请写明序号');
    expect(await say('sup', '截止 1 3月25日')).toContain('截止：2026-03-25（周三）24时截止，还剩3个工作日');
    const titled = await say('sup', '标题 1 报送一季度普查整改落实情况');
    expect(titled).toContain('**1. [落实情况] 报送一季度普查整改落实情况**');
    expect(titled).toContain('单位：全部区县（8个）');
    expect(await say('sup', '随便说')).toContain('没有看懂');
    // Too long is refused as 下发任务 refuses it, and the item keeps what it had.
    expect(await say('sup', `标题 1 ${'整改'.repeat(51)}`)).toBe(
      '任务标题不能超过 100 个字（现为 102 个字），请精简后重新发送。',
    );
    expect(await say('sup', `要求 1 ${'要'.repeat(2001)}`)).toContain('任务要求不能超过 2000 个字');
    expect(await say('sup', `新增 ${'新'.repeat(101)}`)).toContain('任务标题不能超过 100 个字');
    expect(await say('sup', '查看')).toContain('**1. [落实情况] 报送一季度普查整改落实情况**');
    expect(await db().getRepository(Task).count()).toBe(0);
  });

  it('确认 creates one task per district, linked to the notice, and sends the cards', async () => {
    const done = await say('sup', '确认');
    expect(done).toContain('已下发 8 项任务');
    const tasks = await db()
      .getRepository(Task)
      .find({ order: { id: 'ASC' } });
    expect(tasks).toHaveLength(8);
    const [notice] = await db().getRepository(Notice).find();
    for (const task of tasks) {
      expect(task).toMatchObject({
        kind: 'report',
        title: '报送一季度普查整改落实情况',
        noticeId: notice!.id,
      });
      expect(task.deadline.toISOString()).toBe('2026-03-25T16:00:00.000Z');
      expect(task.detail).toContain('于3月21日前');
    }
    for (const userid of ['zd', 'yy']) {
      const cards = bot.inbox(userid).filter((d) => d.msgtype === 'template_card');
      expect(cards).toHaveLength(1);
    }
    expect(bot.inbox('gx')).toHaveLength(0);
    expect(await say('zd', '任务 T1')).toContain('来源：通报《淄博市人民政府办公室关于2023年第一季度');
  });
});

describe('通报 from text', () => {
  it('proposes from the text, and lets the supervisor delete, add and date tasks', async () => {
    const preview = await say(
      'sup',
      '通报 关于开展政府网站自查的通知\n各区县：请于4月10日前完成自查整改，并将整改报告报送市大数据局。\n市大数据局\n2026年3月19日',
    );
    expect(preview).toContain('发文单位：市大数据局');
    expect(preview).toContain('[整改] 报送整改报告');
    expect(preview).toContain('2026-04-10（周五）24时截止');
    expect(await say('sup', '删除 1')).toContain('已删除第 1 项');
    expect(await say('sup', '确认')).toContain('没有要下发的任务');
    expect(await say('sup', '新增 政府网站自查')).toContain('已新增第 1 项，请设置截止时间');
    expect(await say('sup', '确认')).toContain('第 1 项的截止时间未设置或已过');
    expect(await say('sup', '单位 张店区')).toContain('单位：张店区（1个）');
    expect(await say('sup', '截止 5个工作日')).toContain('2026-03-27（周五）24时截止');
    const before = await db().getRepository(Task).count();
    expect(await say('sup', '确认')).toContain('已下发 1 项任务');
    const created = await db()
      .getRepository(Task)
      .find({ order: { id: 'DESC' }, take: 1 });
    expect(created[0]).toMatchObject({ title: '政府网站自查', kind: 'custom' });
    expect(await db().getRepository(Task).count()).toBe(before + 1);
    expect(await db().getRepository(Notice).count()).toBe(2);
  });
});

describe('通报 with a typical-case requirement', () => {
  it('opens a case call linked to the notice instead of one task per unit', async () => {
    // Too little typed with the command: it asks for the full text and takes it as the next message.
    expect(await say('sup', '通报 请各单位整改')).toContain('通报内容太短');
    const preview = await say(
      'sup',
      '关于征集政府网站典型做法的通知\n各区县、各部门：请于4月15日前将典型案例报送市大数据局，每个案例150字以内。\n市大数据局\n2026年3月19日',
    );
    expect(preview).toContain('[案例征集]');
    expect(preview).toContain(
      '单位：按配额征集（区县5 功能区5 市直部门1，每个案例150字以内），确认后发起案例征集',
    );
    const tasksBefore = await db().getRepository(Task).count();
    const inbox = { zd: bot.inbox('zd').length, gx: bot.inbox('gx').length };
    const done = await say('sup', '确认');
    expect(done).toMatch(/已发起征集\d+《.+》，已向 \d+ 个单位的 3 名联络员发送通知。/);
    expect(await db().getRepository(Task).count()).toBe(tasksBefore);
    const notice = await db()
      .getRepository(Notice)
      .findOneByOrFail({ title: '关于征集政府网站典型做法的通知' });
    const call = await db().getRepository(CaseCall).findOneByOrFail({ noticeId: notice.id });
    expect(call).toMatchObject({
      status: 'open',
      quotaDistrict: 5,
      quotaZone: 5,
      quotaDepartment: 1,
      maxLength: 150,
    });
    expect(call.deadline.toISOString()).toBe('2026-04-15T16:00:00.000Z');
    // Each liaison gets the call's card with the unit's quota.
    for (const userid of ['zd', 'gx'] as const) {
      const cards = bot
        .inbox(userid)
        .slice(inbox[userid])
        .filter((d) => d.msgtype === 'template_card');
      expect(cards).toHaveLength(1);
    }
    expect(await say('sup', '案例进度')).toContain(call.title);
  });
});
