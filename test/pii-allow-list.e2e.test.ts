// The office's own published numbers (PII_ALLOW_LIST) are not personal information anywhere a
// member submits text: 检查, and a rectification reply alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '../src/services/shared/audit.js';
import { createTasks } from '../src/services/tasks/store.js';
import { say } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

const HOTLINE = '0533-3186000';
let bot: TestBot;
let taskId: number;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-16T02:00:00Z', env: { PII_ALLOW_LIST: HOTLINE } });
  const unit = await bot.addUnit('高青县', 'district');
  await bot.addPerson('liaison', { name: '联络员', unit: '高青县' });
  await bot.addPerson('sup', { name: '督办员', role: 'supervisor', unit: '市大数据局' });
  const [task] = await bot.database.dataSource.transaction((tx) =>
    createTasks(
      tx,
      {
        kind: 'rectification',
        title: '留言办理整改',
        detail: '请整改',
        unitIds: [unit.id],
        deadline: new Date('2026-03-20T16:00:00Z'),
        deadlineEstimated: false,
        noticeId: null,
      },
      'sup',
      bot.clock.now(),
      (entry) => writeAudit(tx, bot.clock.now(), entry),
    ),
  );
  taskId = task!.id;
});

afterAll(async () => {
  await bot.close();
});

describe('the office’s own numbers', () => {
  it('are not findings in 检查', async () => {
    expect(await say(bot, 'liaison', `检查 咨询电话：${HOTLINE}。`)).toContain('未发现个人信息');
  });

  it('do not hold up a rectification reply', async () => {
    await say(bot, 'liaison', `办理 T${taskId}`);
    await say(bot, 'liaison', `已在网站公布咨询电话 ${HOTLINE}，留言均已答复。`);
    const submitted = await say(bot, 'liaison', '提交');
    expect(submitted).not.toContain('个人信息');
    expect(submitted).toContain('已提交');
  });
});
