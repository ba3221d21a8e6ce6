// `duban chat` as an evaluator uses it, through its input stream, against the real bot and the fake
// WeCom: a task card arrives and is clicked by its number, a multi-line reply is pasted, the card
// greys when the reply is submitted, a returned task's card shows the reason, a bare number typed
// later is text (not a click on an old card), `#N` always clicks, times are Beijing time, and
// /quit or the end of input finishes the console.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { TaskReply } from '../src/entities/task-reply.js';
import { buttonKey, cardsOf } from './support/chat.js';
import { openConsole, type ConsoleDriver } from './support/console.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  // Friday 2026-03-20, 09:00 in Shanghai (01:00 UTC).
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  await bot.addUnit('张店区', 'district');
  await bot.addUnit('市大数据局', 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('zd1', { name: '张一', role: 'liaison', unit: '张店区' });
  // Messages go out as they are committed, as in `npm start`.
  bot.runtime.outbox.start(100);
});

afterAll(async () => {
  await bot.close();
});

/** A member's text, a minute after the last step; the outbox loop delivers what it causes. */
async function say(userid: string, content: string): Promise<void> {
  bot.clock.advance(60_000);
  expect((await bot.client.sendText(userid, content)).status).toBe(200);
}

async function assignTask(title: string): Promise<void> {
  for (const step of ['下发任务', '1', title, '请整改并报送整改情况。', '张店区', '3月27日前', '确认']) {
    await say('sup', step);
  }
}

describe('the chat console', () => {
  let chat: ConsoleDriver;

  beforeAll(() => {
    chat = openConsole(bot, 'zd1');
  });

  it('greets in Chinese and says the times are Beijing time', async () => {
    await chat.waitFor('以 zd1 的身份与督办助手对话');
    expect(chat.output()).toContain('时间为北京时间');
    expect(chat.output()).toContain('/paste');
  });

  it('shows a card that arrives with every field and numbered buttons, at Beijing time', async () => {
    await assignTask('首页栏目更新不及时整改');
    const shown = await chat.waitFor('（输入 1 或 2 或 3 点击；之后请输入 #编号）');
    // The bot's clock says 01:07 UTC: 09:07 in Shanghai.
    expect(shown).toMatch(/\[09:0\d\] 督办助手\n┌ 督办助手 · T1 首页栏目更新不及时整改/);
    expect(shown).toContain('│ 请整改并报送整改情况。');
    expect(shown).toContain('│ 责任单位  张店区');
    expect(shown).toContain('│ 截止时间  2026-03-27（周五）24时');
    expect(shown).toContain('│ [1] 提交办理情况  [2] 申请延期  [3] 查看详情');
  });

  it('clicks the card that just arrived when its button number is typed', async () => {
    const from = chat.mark();
    chat.type('1');
    expect(await chat.waitFor('督办助手（被动回复）', from)).toContain(
      '请发送 T1「首页栏目更新不及时整改」的办理情况',
    );
  });

  it('sends a pasted multi-line reply as one message, every line kept', async () => {
    const lines = [
      '已完成整改：',
      '',
      '一、“工作动态”栏目已更新至今日；',
      `二、${'已建立栏目更新台账，'.repeat(200)}`,
    ];
    let from = chat.mark();
    chat.type('/paste');
    await chat.waitFor('粘贴模式', from);
    from = chat.mark();
    for (const line of lines) chat.type(line);
    chat.type('.');
    expect(await chat.waitFor('已记录（文字1段', from)).not.toContain('粘贴内容为空');
    from = chat.mark();
    chat.type('提交');
    await chat.waitFor('已提交 T1 的办理情况', from);
    const reply = await bot.database.dataSource.getRepository(TaskReply).findOneByOrFail({ taskId: 1 });
    expect(reply.text).toBe(lines.join('\n'));
  });

  it('shows the card greyed with the new button text once the reply is submitted', async () => {
    const updated = await chat.waitFor('卡片已更新');
    expect(updated).toContain('│ 〔已提交〕（已更新，不可点击）');
  });

  it('sends a bare number as text once something else was shown or typed', async () => {
    const from = chat.mark();
    chat.type('1');
    expect(await chat.waitFor('督办助手', from)).toContain('没有识别到指令「1」');
    // Sent as a text message, not a card click (the body itself is dropped once handled).
    const typed = await bot.database.dataSource
      .getRepository(InboundMessage)
      .find({ order: { id: 'DESC' }, take: 1 });
    expect(typed[0]).toMatchObject({ msgType: 'text', event: null, status: 'done' });
  });

  it('#N clicks an old card, and says plainly when that card can no longer be clicked', async () => {
    const from = chat.mark();
    chat.type('#1');
    expect(await chat.waitFor('无法点击', from)).toContain('无法点击：该卡片已更新，按钮不能再点击。');
  });

  it("shows a returned task's card with the reason quoted, numbered after the earlier buttons", async () => {
    const review = await vi.waitFor(() => {
      const card = cardsOf(bot, 'sup')[0];
      if (!card) throw new Error('the supervisor has no review card yet');
      return card;
    });
    bot.clock.advance(60_000);
    const key = buttonKey(review, '退回');
    const clicked = bot.fake.click('sup', review.msgid, key);
    await bot.client.post(bot.client.cardClickXml('sup', { eventKey: key, ...clicked }));
    await say('sup', '附件缺少整改前后截图。\n请补充后重新提交。');
    const shown = await chat.waitFor('（输入 4 或 5 或 6 点击');
    expect(shown).toContain('│ 办理情况被退回，请修改后重新提交');
    expect(shown).toContain('│ ▎退回理由\n│ ▎附件缺少整改前后截图。\n│ ▎请补充后重新提交。');
    expect(shown).toContain('│ [4] 提交办理情况  [5] 申请延期  [6] 查看详情');
  });

  it('sends a number typed after a text reply as text, even with a fresh-looking card above', async () => {
    let from = chat.mark();
    chat.type('账号备案');
    await chat.waitFor('请选择', from);
    from = chat.mark();
    chat.type('1');
    const answer = await chat.waitFor('备案事项：开设', from);
    expect(answer).not.toContain('无法点击');
    expect(answer).not.toContain('请发送 T1');
    from = chat.mark();
    chat.type('取消');
    await chat.waitFor('已取消', from);
  });

  it('ends on /quit', async () => {
    chat.type('/quit');
    await expect(chat.done).resolves.toBeUndefined();
  });
});

describe('the end of input', () => {
  it('ends the console like Ctrl-D, saying a half-typed paste was not sent', async () => {
    const chat = openConsole(bot, 'sup');
    await chat.waitFor('以 sup 的身份');
    chat.type('/paste');
    chat.type('这一段还没有发送');
    chat.end();
    await chat.done;
    expect(chat.output()).toContain('未发送的多行内容已放弃（1 行）。');
  });
});
