// The task dialogs on the flow kit, mid-dialog (issue 17): 延期 answers read-only commands and asks
// about the year like every date step; a supervisor demoted while a 退回 reason waits for 确认
// returns nothing; a liaison moved to another unit mid-reply leaves no draft file behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Person } from '../src/entities/person.js';
import { StoredFile } from '../src/entities/stored-file.js';
import { Task } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { ExtensionRequest } from '../src/entities/extension-request.js';
import { createTasks } from '../src/services/tasks/store.js';
import { sendFile, sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
const db = () => bot.database.dataSource;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  const unit = await bot.addUnit('高青县', 'district');
  await bot.addUnit('沂源县', 'district');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('gq', { name: '高青联络员', unit: '高青县' });
  for (const title of ['首页栏目整改', '留言答复整改', '链接整改']) {
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

async function say(userid: string, content: string): Promise<string> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

describe('延期 on the kit', () => {
  it('answers a read-only command, asks about the year, then files the request', async () => {
    expect(await say('gq', '延期 T1')).toContain('请说明理由');
    expect(await say('gq', '我的任务')).toContain('（正在《申请延期》：请说明申请延期的理由，或回复“取消”）');
    expect(await say('gq', '需要协调技术服务公司改版')).toContain('请输入申请延期至的时间');
    expect(await say('gq', '3月19日')).toContain('是指明年的 2027-03-19（周五） 吗');
    expect(await say('gq', '否')).toContain('请重新输入，写明年份');
    expect(await say('gq', '4月3日')).toContain('已提交延期申请：T1 申请延至 2026-04-03（周五）24时');
    expect(await db().getRepository(ExtensionRequest).countBy({ taskId: 1 })).toBe(1);
  });

  it('refuses a reason with a mobile number, keeping nothing of it', async () => {
    expect(await say('gq', '延期 T2 请联系 13812345678')).toContain('提交未受理');
    expect(await say('gq', '外出培训')).toContain('请输入申请延期至的时间');
    expect(await say('gq', '取消')).toBe('已取消。');
    expect(await db().getRepository(ExtensionRequest).countBy({ taskId: 2 })).toBe(0);
  });
});

describe('who may go on is checked at every step', () => {
  it('a supervisor demoted while a 退回 reason waits for 确认 returns nothing', async () => {
    await say('gq', '办理 T2');
    await say('gq', '已整改。');
    expect(await say('gq', '提交')).toContain('已提交 T2');
    expect(await say('sup', '审核 T2 退回 请致电 0533-2345678 沟通')).toContain('回复“确认”');
    await db().getRepository(Person).update({ userid: 'sup' }, { role: 'liaison' });
    expect(await say('sup', '确认')).toBe('您的角色已变更为联络员，《填写理由》已结束，未保存任何内容。');
    expect((await db().getRepository(Task).findOneByOrFail({ id: 2 })).status).toBe('submitted');
    await db().getRepository(Person).update({ userid: 'sup' }, { role: 'supervisor' });
  });

  it('a liaison moved to another unit mid-reply: the dialog ends and its draft file goes', async () => {
    await say('gq', '办理 T3');
    expect(await sendFile(bot, 'gq', '截图.pdf', Buffer.alloc(100, 0x41))).toContain('附件1个');
    const drafts = () => db().getRepository(StoredFile).countBy({ source: 'upload', owner: 'gq' });
    expect(await drafts()).toBe(1);
    const other = await db().getRepository(Unit).findOneByOrFail({ name: '沂源县' });
    await db().getRepository(Person).update({ userid: 'gq' }, { unitId: other.id });
    expect(await say('gq', '整改完成')).toBe('您所在的单位已变更，《提交办理情况》已结束，未保存任何内容。');
    expect(await drafts()).toBe(0);
  });
});
