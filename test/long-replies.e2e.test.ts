// Long replies (issue 20): 任务 T1 shows the whole 落实情况 reply — in messages of at most WeCom's
// 2,048 bytes each, or past six of them as a .txt file — and 导出进度 carries the reply text and
// the reviewer. Hostile input: a 3,600-character reply with member markdown and a fake link.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../src/db/files.js';
import { StoredFile } from '../src/entities/stored-file.js';
import { MAX_CONTENT_BYTES } from '../src/messages/outbound.js';
import { TASK_COLUMNS, TASK_SHEET_NAME } from '../src/services/progress/export.js';
import { createTasks } from '../src/services/tasks/store.js';
import { sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
const db = () => bot.database.dataSource;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  const unit = await bot.addUnit('高青县', 'district');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('gq', { name: '高青联络员', unit: '高青县' });
  for (const title of ['一季度普查整改落实情况', '留言办理整改']) {
    await db().transaction((tx) =>
      createTasks(
        tx,
        {
          kind: 'report',
          title,
          detail: '请报送落实情况',
          unitIds: [unit.id],
          deadline: new Date('2026-03-27T16:00:00Z'),
          deadlineEstimated: false,
          noticeId: null,
        },
        'sup',
        bot.clock.now(),
        async () => undefined,
      ),
    );
  }
});

afterAll(() => bot.close());

async function say(userid: string, content: string): Promise<string[]> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies;
}

const ZWSP = /\u200B/g;

/** A paragraph of `chars` characters: sentences of plain Chinese with the hostile bits inside. */
function paragraph(n: number, chars: number): string {
  const hostile = `第${n}段：**已整改**，详见[整改报告](http://evil.example/login)，<font color="info">已办结</font>。`;
  const filler = '按照通报要求，我单位对照问题逐项整改，建立台账并明确责任人和完成时限。';
  let text = hostile;
  while ([...text].length < chars) text += filler;
  return [...text].slice(0, chars).join('');
}

/** Sends a reply of several messages and submits it; returns the text as stored. */
async function submitReply(ref: string, paragraphs: string[]): Promise<string> {
  expect((await say('gq', `办理 ${ref}`)).join('\n')).toContain(`请发送 ${ref}`);
  for (const piece of paragraphs) expect((await say('gq', piece)).join('\n')).toContain('已记录');
  expect((await say('gq', '提交')).join('\n')).toContain(`已提交 ${ref} 的办理情况`);
  return paragraphs.join('\n');
}

describe('a 3,600-character reply', () => {
  let stored = '';

  it('is shown whole over several messages, each within the cap, nothing of it live', async () => {
    stored = await submitReply(
      'T1',
      [1, 2, 3, 4, 5, 6].map((n) => paragraph(n, 600)),
    );
    expect([...stored].length).toBe(3605);
    const replies = await say('sup', '任务 T1');
    const [detail, ...parts] = replies;
    expect(detail).toContain('（共 3605 字，全文见下）');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(6);
    parts.forEach((part, i) => {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
      expect(part.split('\n')[0]).toBe(
        `**T1 办理情况全文（${i + 1}/${parts.length}）**\u3000高青联络员 2026-03-20（周五）09:08 提交`,
      );
      // The member's markup is shown as typed, never as a link, a colour or bold.
      expect(part).not.toContain('](http');
      expect(part).not.toContain('<font');
      expect(part).not.toContain('**已整改**');
    });
    // Every character arrives, in order (parts may cut a paragraph where a sentence ends).
    const body = parts.map((part) => part.split('\n').slice(1).join('\n').replace(ZWSP, '')).join('');
    expect(body.replace(/\n/g, '')).toBe(stored.replace(/\n/g, ''));
  });

  it('is shown to the unit’s liaison too', async () => {
    const replies = await say('gq', '任务 T1');
    expect(replies.length).toBeGreaterThan(2);
    expect(replies[1]).toContain('T1 办理情况全文');
  });

  it('is in 导出进度 whole, with the reviewer once reviewed', async () => {
    expect((await say('sup', '审核 T1 退回 请补充截图')).join('\n')).toContain('已退回 T1');
    await say('sup', '导出进度');
    const file = await db().getRepository(StoredFile).findOneByOrFail({ fileName: '督办进度-20260320.xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await loadFile(db().manager, file.id)).data as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet(TASK_SHEET_NAME)!;
    const row = sheet.getRow(3);
    expect(row.getCell(2).value).toBe('T1');
    expect(row.getCell(TASK_COLUMNS.length - 1).value).toBe('李督办');
    expect(row.getCell(TASK_COLUMNS.length).value).toBe(stored);
  });
});

describe('a reply past six messages', () => {
  it('is sent as a .txt file with the whole text', async () => {
    const stored = await submitReply(
      'T2',
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => paragraph(n, 1000)),
    );
    const before = bot.inbox('sup').length;
    const replies = await say('sup', '任务 T2');
    expect(replies).toContain('T2 的办理情况共 9008 字，全文以文件发送。');
    expect(
      bot
        .inbox('sup')
        .slice(before)
        .filter((d) => d.msgtype === 'file'),
    ).toHaveLength(1);
    const file = await db()
      .getRepository(StoredFile)
      .findOneByOrFail({ fileName: 'T2-办理情况-20260320.txt' });
    const { data } = await loadFile(db().manager, file.id);
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const content = data.subarray(3).toString('utf8');
    expect(content.startsWith('T2 留言办理整改\r\n办理情况（')).toBe(true);
    expect(content).toContain(stored.replace(/\n/g, '\r\n'));
    // An export: removed after a few days.
    expect(file.expiresAt).not.toBeNull();
  });
});

describe('a return reason pasted whole', () => {
  it('is refused past 1,000 characters and asked again; a short one returns the reply', async () => {
    const long = '请补充材料。'.repeat(200);
    const refused = (await say('sup', `审核 T2 退回 ${long}`)).join('\n');
    expect(refused).toBe('理由不能超过 1000 个字（现为 1200 个字），请精简后重新发送。');
    expect((await say('sup', '任务 T2')).join('\n')).toContain(
      '（正在《填写理由》：请输入理由（文字），或回复“取消”）',
    );
    expect((await say('sup', '请补充整改前后截图。')).join('\n')).toContain('已退回 T2（高青县）');
  });
});

describe('提交 typed again while a warned reply waits for 确认', () => {
  it('is not taken as the new text; 确认 submits the text warned about', async () => {
    await say('gq', '办理 T1');
    await say('gq', '已补充截图，咨询电话 0533-2345678');
    expect((await say('gq', '提交')).join('\n')).toContain('回复“确认”');
    expect((await say('gq', '提交')).join('\n')).toBe('请回复“确认”提交，或重新发送办理情况文字。');
    expect((await say('gq', '完成')).join('\n')).toBe('请回复“确认”提交，或重新发送办理情况文字。');
    expect((await say('gq', '确认')).join('\n')).toContain('已提交 T1 的办理情况');
    const detail = (await say('sup', '任务 T1')).join('\n');
    expect(detail).toContain('已补充截图，咨询电话');
  });
});
