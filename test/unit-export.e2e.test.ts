// 导出本单位 end to end, on the seeded status scenario (test/support/progress-seed.ts) at Saturday
// 2026-02-14 10:00: a liaison gets their unit's 落实情况 (.docx: replies per task with dates, the
// contact line, 单位（盖章） and 日期) and its own 典型做法信息表 (.xlsx with C-numbers) as WeCom files,
// never another unit's; the files are read back (mammoth for Word, exceljs for Excel).
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { Task } from '../src/entities/task.js';
import type { Delivery } from '../src/sandbox/fake-wecom.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { PEOPLE, at, seedDirectory, seedScenario, submit, type Seeded } from './support/progress-seed.js';

let bot: TestBot;
let seeded: Seeded;

beforeAll(async () => {
  bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString() });
  const units = await seedDirectory(bot.database.dataSource, { withPeople: false });
  for (const [userid, name, role, unit] of PEOPLE) await bot.addPerson(userid, { name, role, unit });
  await bot.addPerson('nounit', { name: '无单位', role: 'liaison' });
  seeded = await seedScenario(bot.database.dataSource, await bot.runtime.jobDeps.calendar.get(), units);
  await bot.database.dataSource.transaction(async (tx) => {
    const task = await tx.getRepository(Task).findOneByOrFail({ id: seeded.tasks['N1-张店区']! });
    await submit(
      tx,
      task,
      'zd1',
      '一、已对照通报逐项整改。\n二、首页栏目已更新，信息发布审核制度已修订。',
      at('2026-02-13 09:30'),
    );
  });
});

afterAll(async () => {
  await bot?.close();
});

interface Sent {
  texts: string[];
  files: { name: string; data: Buffer }[];
}

async function say(userid: string, content: string): Promise<Sent> {
  const before = bot.inbox(userid).length;
  const result = await bot.client.sendText(userid, content);
  expect(result.status).toBe(200);
  await bot.flush();
  const deliveries: Delivery[] = bot.inbox(userid).slice(before);
  return {
    texts: [result.reply?.content ?? '', ...bot.texts(userid).slice(before)].filter(
      (line) => line && line !== '[file]',
    ),
    files: deliveries
      .filter((delivery) => delivery.msgtype === 'file')
      .map((delivery) => {
        const media = bot.fake.media.get((delivery.body.file as { media_id: string }).media_id)!;
        return { name: media.fileName, data: Buffer.from(media.data) };
      }),
  };
}

async function wordText(data: Buffer): Promise<string[]> {
  const { value } = await mammoth.extractRawText({ buffer: data });
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

async function infoRows(data: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('典型做法信息表')!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('导出本单位', () => {
  it('gives a liaison the 落实情况 of the unit’s open batches and its own 信息表, as files', async () => {
    const sent = await say('zd1', '导出本单位');
    expect(sent.texts).toEqual([
      '张店区落实情况（“首页信息更新不及时整改”、《关于网站普查问题整改的通报》，3 项任务）见下方文件，打印盖章后通过协同办公系统报送。',
      `张店区典型做法信息表（征集${seeded.callId}《2026年第一季度典型案例》，1 个案例）见下方文件，加盖单位公章后随落实情况报送。`,
    ]);
    expect(sent.files.map((file) => file.name)).toEqual([
      '落实情况-张店区-20260214.docx',
      `典型案例信息表-征集${seeded.callId}-张店区-20260214.xlsx`,
    ]);
    const lines = await wordText(sent.files[0]!.data);
    const a = seeded.tasks['A-张店区']!;
    const n1 = seeded.tasks['N1-张店区']!;
    const n2 = seeded.tasks['N2-张店区']!;
    expect(lines).toEqual([
      '张店区督办事项落实情况报告',
      '一、“首页信息更新不及时整改”',
      `（一）首页信息更新不及时整改（T${a}，整改，截止 2026-02-13（周五）24时，待办）`,
      '尚未报送办理情况。',
      '二、《关于网站普查问题整改的通报》',
      `（一）落实情况报送（T${n1}，落实情况，截止 2026-02-24（周二）24时，已提交待审）`,
      '2026-02-13 09:30 张一报送：',
      '一、已对照通报逐项整改。',
      '二、首页栏目已更新，信息发布审核制度已修订。',
      `（二）栏目整改（T${n2}，整改，截止 2026-02-25（周三）24时，待办）`,
      '尚未报送办理情况。',
      '联系人：　　　　　　联系电话：',
      '单位（盖章）：张店区',
      '日期：　　　　年　　月　　日',
    ]);
    const rows = await infoRows(sent.files[1]!.data);
    expect(rows[0]![0]).toBe('政府网站、政务新媒体典型做法信息表');
    // Title, header and 张店区's one case: nobody else's.
    expect(rows).toHaveLength(3);
    expect(rows[2]![1]).toBe('张店区');
    expect(String(rows[2]!.at(-1))).toMatch(/^C\d+$/);
    const audits = await bot.database.dataSource.getRepository(AuditLog).findBy({ action: 'unit.export' });
    expect(audits.map((row) => [row.actor, row.result])).toEqual([['zd1', 'ok']]);
  });

  it('gives a sub-unit’s liaison their top-level unit’s documents', async () => {
    const sent = await say('zd2', '导出本单位');
    expect(sent.files.map((file) => file.name)).toEqual([
      '落实情况-张店区-20260214.docx',
      `典型案例信息表-征集${seeded.callId}-张店区-20260214.xlsx`,
    ]);
  });

  it('T编号 gives that task’s batch only, closed batches included', async () => {
    const d = seeded.tasks['D-张店区']!;
    const sent = await say('zd1', `导出本单位 T${d}`);
    expect(sent.files.map((file) => file.name)).toEqual(['落实情况-张店区-20260214.docx']);
    const lines = await wordText(sent.files[0]!.data);
    expect(lines[0]).toBe('张店区关于“已完成的批次”落实情况的报告');
    expect(lines[1]).toMatch(new RegExp(`^（一）已完成的批次（T${d}，.*已办结（2026-02-04 10:00））$`));
    expect(lines).toContain('2026-02-04 09:00 张一报送：');
    expect(lines).toContain('已报送。');
    expect(lines.at(-2)).toBe('单位（盖章）：张店区');
  });

  it('reads full-width references, and is answered in the middle of a dialog', async () => {
    const d = seeded.tasks['D-张店区']!;
    const wide = [...`T${d}`].map((char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0)).join('');
    expect((await say('zd1', `导出本单位 ${wide}`)).files.map((file) => file.name)).toEqual([
      '落实情况-张店区-20260214.docx',
    ]);
    const a = seeded.tasks['A-张店区']!;
    expect((await say('zd1', `办理 T${a}`)).texts.join('\n')).toContain(`请发送 T${a}`);
    const aside = await say('zd1', '导出本单位');
    expect(aside.files).toHaveLength(2);
    expect(aside.texts.join('\n')).toContain('（正在《提交办理情况》');
    expect((await say('zd1', '取消')).texts.join('\n')).toContain('已取消');
  });

  it('征集N gives the 信息表 only', async () => {
    const sent = await say('zd1', `导出本单位 征集${seeded.callId}`);
    expect(sent.files.map((file) => file.name)).toEqual([
      `典型案例信息表-征集${seeded.callId}-张店区-20260214.xlsx`,
    ]);
  });

  it('never shows another unit’s task, and says how to use it', async () => {
    const other = seeded.tasks['A-淄川区']!;
    expect((await say('zd1', `导出本单位 T${other}`)).texts).toEqual([
      `本单位没有任务 T${other}。发送“我的任务”查看本单位的任务。`,
    ]);
    expect((await say('zd1', '导出本单位 T999999999')).texts).toEqual([
      '本单位没有任务 T999999999。发送“我的任务”查看本单位的任务。',
    ]);
    expect((await say('zd1', '导出本单位 征集99')).texts).toEqual(['没有找到征集99。']);
    const usage = '用法：导出本单位 [征集N|T编号]（不带参数时导出未办结任务的落实情况和当前征集的信息表）';
    expect((await say('zd1', '导出本单位 淄川区')).texts).toEqual([usage]);
    expect((await say('zd1', '导出本单位 征集')).texts).toEqual([usage]);
    expect((await say('nounit', '导出本单位')).texts).toEqual([
      '您尚未关联单位，无法导出本单位材料。请联系管理员。',
    ]);
  });
});
