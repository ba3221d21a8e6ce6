// 办理 attachments: capped per file, per reply and per member per day; kept only when the reply is
// submitted; 取消 leaves nothing behind; drafts of a dialog never finished go after 24 h.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredFile, StoredFileChunk } from '../src/entities/stored-file.js';
import { TaskReply } from '../src/entities/task-reply.js';
import { housekeeping } from '../src/jobs/housekeeping.js';
import { createTasks } from '../src/services/tasks/store.js';
import { say, sendFile } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
const db = () => bot.database.dataSource;

beforeAll(async () => {
  bot = await startTestBot({
    now: '2026-03-20T01:00:00Z',
    content: {
      sizeLimits: { attachment: 2000 },
      attachmentLimits: { perReplyBytes: 3000, perMemberPerDayBytes: 5000 },
    },
  });
  const unit = await bot.addUnit('张店区', 'district');
  await bot.addPerson('sup', { role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('zd1', { name: '张一', unit: '张店区' });
  for (const title of ['首页栏目更新不及时整改', '留言答复不及时整改']) {
    await db().transaction((tx) =>
      createTasks(
        tx,
        {
          kind: 'rectification',
          title,
          detail: '请整改',
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

const files = () =>
  db()
    .getRepository(StoredFile)
    .find({ order: { id: 'ASC' } });
const bytes = (n: number) => Buffer.alloc(n, 0x41);

describe('取消 leaves nothing behind', () => {
  it('two files then 取消: no stored file, no chunk', async () => {
    await say(bot, 'zd1', '办理 T1');
    expect(await sendFile(bot, 'zd1', '报告一.pdf', bytes(900))).toContain('附件1个');
    expect(await sendFile(bot, 'zd1', '报告二.pdf', bytes(900))).toContain('附件2个');
    expect(await files()).toHaveLength(2);
    expect((await files()).every((file) => file.expiresAt !== null && file.source === 'upload')).toBe(true);
    expect(await say(bot, 'zd1', '取消')).toBe('已取消。');
    expect(await files()).toHaveLength(0);
    expect(await db().getRepository(StoredFileChunk).count()).toBe(0);
  });
});

describe('caps', () => {
  it('per file: a file over the cap is not kept (the download stops at the cap)', async () => {
    await say(bot, 'zd1', '办理 T1');
    expect(await sendFile(bot, 'zd1', '大文件.zip', bytes(2001))).toBe(
      '附件超过 2 KB，未记录。请压缩或拆分后重新发送。',
    );
    expect(await files()).toHaveLength(0);
  });

  it('per reply: the file that would pass the reply’s total is not kept', async () => {
    expect(await sendFile(bot, 'zd1', '一.pdf', bytes(1500))).toContain('附件1个');
    expect(await sendFile(bot, 'zd1', '二.pdf', bytes(1500))).toContain('附件2个');
    expect(await sendFile(bot, 'zd1', '三.pdf', bytes(10))).toBe(
      '本次办理的附件合计将超过 3 KB，这个文件未记录。请回复“提交”，或将材料压缩后再发送。',
    );
    expect(await files()).toHaveLength(2);
  });

  it('submitting keeps the reply’s files (no longer drafts)', async () => {
    await say(bot, 'zd1', '已完成首页栏目更新。');
    expect(await say(bot, 'zd1', '提交')).toContain('已提交 T1 的办理情况（附件2个）');
    const kept = await files();
    expect(kept.map((file) => file.expiresAt)).toEqual([null, null]);
    const [reply] = await db().getRepository(TaskReply).find();
    expect(reply!.fileIds).toEqual(kept.map((file) => file.id));
  });

  it('per member per day: uploads today count, kept or not', async () => {
    await say(bot, 'zd1', '办理 T2');
    expect(await sendFile(bot, 'zd1', '四.pdf', bytes(1500))).toContain('附件1个');
    // Kept 3,000 + this draft 1,500 of 5,000 bytes today (the files cancelled earlier are gone):
    // the next file may have 500 at most.
    expect(await sendFile(bot, 'zd1', '五.pdf', bytes(600))).toBe(
      '您今天上传的附件已达 5 KB 上限，这个文件未记录，请明天再发送。',
    );
    expect(await sendFile(bot, 'zd1', '六.pdf', bytes(500))).toContain('附件2个');
    expect(await sendFile(bot, 'zd1', '七.pdf', bytes(1))).toBe(
      '您今天上传的附件已达 5 KB 上限，这个文件未记录，请明天再发送。',
    );
  });
});

describe('drafts of a dialog never finished', () => {
  it('are removed by housekeeping 24 h after they came; kept files stay', async () => {
    expect((await files()).filter((file) => file.expiresAt !== null)).toHaveLength(2);
    bot.clock.advance(25 * 3_600_000);
    await housekeeping.run(bot.runtime.jobDeps, bot.clock.now(), {
      fireTime: bot.clock.now(),
      catchUp: false,
    });
    const left = await files();
    expect(left).toHaveLength(2);
    expect(left.every((file) => file.expiresAt === null)).toBe(true);
  });
});

describe('the flow kit’s file-collection step, with hostile input', () => {
  const drafts = async () => (await files()).filter((file) => file.expiresAt !== null);

  it('refuses a file over the cap mid-collection and goes on collecting', async () => {
    expect(await say(bot, 'zd1', '办理 T2')).toContain('请发送 T2');
    expect(await say(bot, 'zd1', '已完成留言答复整改。')).toContain('文字1段，附件0个');
    expect(await sendFile(bot, 'zd1', '超大.zip', bytes(2001))).toBe(
      '附件超过 2 KB，未记录。请压缩或拆分后重新发送。',
    );
    expect(await drafts()).toHaveLength(0);
    expect(await sendFile(bot, 'zd1', '截图.pdf', bytes(100))).toContain('文字1段，附件1个');
    expect(await drafts()).toHaveLength(1);
  });

  it('answers a forwarded link with what it takes, storing nothing', async () => {
    const result = await bot.client.post(
      bot.client.linkXml('zd1', { url: 'http://evil.example/login', title: '登录' }),
    );
    await bot.flush();
    expect(result.reply?.content).toBe('只能接收文字、文件或图片。');
    expect(await drafts()).toHaveLength(1);
  });

  it('取消 mid-collection leaves nothing stored', async () => {
    expect(await sendFile(bot, 'zd1', '截图二.pdf', bytes(100))).toContain('附件2个');
    expect(await drafts()).toHaveLength(2);
    expect(await say(bot, 'zd1', '取消')).toBe('已取消。');
    expect(await drafts()).toHaveLength(0);
    expect(await files()).toHaveLength(2);
    expect(await db().getRepository(StoredFileChunk).count()).toBe(2);
  });

  it('leaving the reply for another dialog (是) leaves nothing stored either', async () => {
    await say(bot, 'zd1', '办理 T2');
    expect(await sendFile(bot, 'zd1', '截图三.pdf', bytes(100))).toContain('附件1个');
    expect(await say(bot, 'zd1', '延期 T2')).toContain('要放弃它并执行“延期 T2”吗');
    expect(await say(bot, 'zd1', '是')).toContain('已放弃《提交办理情况》');
    expect(await drafts()).toHaveLength(0);
    expect(await say(bot, 'zd1', '取消')).toBe('已取消。');
  });

  it('stops at the 20th file, and 完成 ends the collection like 提交', async () => {
    await say(bot, 'zd1', '办理 T2');
    await say(bot, 'zd1', '已整改，材料见附件。');
    for (let i = 1; i <= 20; i++) {
      expect(await sendFile(bot, 'zd1', `第${i}页.jpg`, bytes(10))).toContain(`附件${i}个`);
    }
    expect(await sendFile(bot, 'zd1', '第21页.jpg', bytes(10))).toBe(
      '附件已达 20 个，这个文件未记录。请回复“提交”，或将材料合并后再发送。',
    );
    expect(await say(bot, 'zd1', '完成')).toContain('已提交 T2 的办理情况（附件20个）');
    expect(await drafts()).toHaveLength(0);
    const reply = await db().getRepository(TaskReply).findOneByOrFail({ taskId: 2 });
    expect(reply.fileIds).toHaveLength(20);
  });
});
