// Poison deliveries: a delivery whose handling crashed twice is never run a third time on its own
// (files, images and links, which are recorded before they are handled: a message handled in one
// transaction leaves nothing behind when the process dies, and WeCom sends it again); one whose
// handler threw, or whose content killed a parse worker, is quarantined at once. The member is told
// once; admins list, retry or drop them, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSY_TEXT } from '../src/app/pipeline.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { FEATURES, buildRouter } from '../src/handlers/index.js';
import type { Command } from '../src/handlers/types.js';
import { text } from '../src/messages/outbound.js';
import { say, sendFile } from './support/chat.js';
import { makeSlowPiiDocx } from './support/heavy.js';
import { startTestBot, type TestBot } from './support/harness.js';

let runs = 0;
let mode: 'crash' | 'throw' | 'work' = 'crash';

/**
 * A handler that, in `crash` mode, ends its run the way a process crash does: nothing committed,
 * nothing marked (the pipeline takes the connection error as an interruption it witnessed, but the
 * process that saw it is then replaced, as a crashed process is).
 */
const poison: Command = {
  name: '毒消息',
  roles: ['liaison'],
  summary: '',
  args: 'none',
  handle: async () => {
    runs++;
    if (mode === 'crash')
      throw Object.assign(new Error('Connection lost: The server closed the connection.'), {
        code: 'PROTOCOL_CONNECTION_LOST',
      });
    if (mode === 'throw') throw new Error('boom');
    return { replies: [text('处理完成')] };
  },
};

/** The same poison as a forwarded link (recorded first, then handled). */
const POISON_LINK = 'https://poison.example.gov.cn/a.html';

// First, so that its link route is tried before 检查's (which takes every forwarded link).
const router = buildRouter([
  {
    name: 'test',
    commands: [poison],
    files: [
      {
        accepts: (kind, name) => kind === 'link' && name === POISON_LINK,
        roles: ['liaison'],
        handle: poison.handle,
      },
    ],
  },
  ...FEATURES,
]);
/** A quarantined delivery keeps its body (sealed) only with a key: retries need it. */
const SEALED = { INBOUND_SEAL_KEY: 'a-sealing-key-of-thirty-two-chars-0' };

let first: TestBot;
const restarts: TestBot[] = [];

/** The same database, WeCom and clock, a new process: nothing in memory survives. */
async function restart(): Promise<TestBot> {
  const next = await startTestBot({
    database: first.database,
    fake: first.fake,
    credentials: first.credentials,
    clock: first.clock,
    router,
    env: SEALED,
  });
  restarts.push(next);
  return next;
}

beforeAll(async () => {
  first = await startTestBot({ router, env: SEALED });
  await first.addPerson('liaison1', { name: '王联络', unit: '市水利局' });
  await first.addPerson('admin1', { name: '管理员', role: 'admin' });
});

afterAll(async () => {
  for (const bot of restarts) await bot.close();
  await first.close();
});

async function row(id: number): Promise<InboundMessage> {
  return first.database.dataSource.getRepository(InboundMessage).findOneByOrFail({ id });
}

async function latestId(): Promise<number> {
  const [latest] = await first.database.dataSource
    .getRepository(InboundMessage)
    .find({ order: { id: 'DESC' }, take: 1 });
  return latest!.id;
}

describe('a delivery that crashes its handler', () => {
  let id: number;

  it('is run once more after the first crash', async () => {
    mode = 'crash';
    runs = 0;
    const link = first.client.linkXml('liaison1', { url: POISON_LINK, title: '毒链接' });
    expect((await first.client.post(link)).status).toBe(200);
    id = await latestId();
    expect(runs).toBe(1);
    expect((await row(id)).status).toBe('received');
    const second = await restart();
    first.clock.advance(61_000);
    expect(await second.runtime.inbound.recoverStuck()).toBe(1);
    expect(runs).toBe(2);
    expect(await row(id)).toMatchObject({ status: 'received', attempts: 2 });
  });

  it('after the second crash is quarantined, never run a third time on its own, and the member is told once', async () => {
    const third = await restart();
    first.clock.advance(61_000);
    await third.runtime.inbound.recoverStuck();
    expect(runs).toBe(2);
    expect(await row(id)).toMatchObject({ status: 'quarantined', error: 'crash' });
    // Kept for an admin's retry, but never raw: sealed under INBOUND_SEAL_KEY.
    const kept = (await row(id)).xml!;
    expect(kept.startsWith('sealed:v1:')).toBe(true);
    expect(kept).not.toContain('毒消息');
    first.clock.advance(61_000);
    await third.runtime.inbound.recoverStuck();
    const fourth = await restart();
    first.clock.advance(61_000);
    await fourth.runtime.inbound.recoverStuck();
    expect(runs).toBe(2);
    await third.flush();
    const told = first.texts('liaison1').filter((t) => t.includes('未能处理，已转交管理员'));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('链接“毒链接”');
  });

  it('is listed for admins with its reason, also from 发送失败', async () => {
    const list = await say(first, 'admin1', '隔离消息');
    expect(list).toContain(`#${id} 王联络`);
    expect(list).toContain('链接“毒链接”');
    expect(list).toContain('原因：处理时程序中断（两次）');
    expect(await say(first, 'admin1', '发送失败')).toContain('另有 1 条隔离的消息，发送“隔离消息”查看。');
  });

  it('is not for liaisons', async () => {
    expect(await say(first, 'liaison1', '隔离消息')).not.toContain('#');
  });

  it('runs again when an admin retries it (audited), once the cause is fixed', async () => {
    mode = 'work';
    expect(await say(first, 'admin1', `重试隔离 ${id}`)).toBe('已重新排队 1 条隔离消息，1 分钟内重新处理。');
    const sweeper = restarts.at(-1)!;
    await sweeper.runtime.inbound.recoverStuck();
    expect(runs).toBe(3);
    expect((await row(id)).status).toBe('done');
    await sweeper.flush();
    expect(first.texts('liaison1')).toContain('处理完成');
    const audit = await first.database.dataSource
      .getRepository(AuditLog)
      .findOneByOrFail({ action: 'inbound.retry' });
    expect(audit).toMatchObject({ actor: 'admin1', target: `inbound:${id}` });
    expect(await say(first, 'admin1', `重试隔离 ${id}`)).toBe('这些编号不是隔离中的消息。');
  });
});

describe('a delivery whose handler throws', () => {
  it('is quarantined at once; the member is told once; an admin drops it (audited)', async () => {
    mode = 'throw';
    const before = first.texts('liaison1').length;
    await first.client.sendText('liaison1', '毒消息');
    await first.flush();
    const id = await latestId();
    expect(await row(id)).toMatchObject({ status: 'quarantined' });
    expect((await row(id)).error).toContain('boom');
    expect(first.texts('liaison1').slice(before)).toEqual([BUSY_TEXT]);
    expect(await say(first, 'admin1', '隔离消息')).toContain('原因：处理出错');
    expect(await say(first, 'admin1', `丢弃隔离 #${id}`)).toBe('已丢弃 1 条隔离消息，不再处理。');
    expect((await row(id)).status).toBe('dropped');
    expect(
      await first.database.dataSource.getRepository(AuditLog).findOneByOrFail({ action: 'inbound.drop' }),
    ).toMatchObject({ actor: 'admin1', target: `inbound:${id}` });
    expect(await say(first, 'admin1', '丢弃隔离 abc')).toContain('用法：重试隔离 <编号>');
  });
});

describe('a delivery whose content kills a parse worker', () => {
  let bot: TestBot;
  beforeAll(async () => {
    // Memory to spare, so that the time limit is what stops the parse on any machine.
    bot = await startTestBot({ content: { timeMs: 1000, memoryMb: 512 }, env: SEALED });
    await bot.addPerson('liaison2', { unit: '市公安局' });
  });
  afterAll(() => bot.close());

  it('gets one clear answer and is quarantined; the dialog stays open for another file', async () => {
    await say(bot, 'liaison2', '检查');
    const answer = await sendFile(bot, 'liaison2', '稿件.docx', await makeSlowPiiDocx());
    expect(answer).toBe('文件内容过于复杂（解析超过 1 秒），请拆分后重新发送。');
    const [latest] = await bot.database.dataSource
      .getRepository(InboundMessage)
      .find({ order: { id: 'DESC' }, take: 1 });
    expect(latest).toMatchObject({ status: 'quarantined', error: 'content time' });
    // Still in 检查: a text is checked as usual.
    expect(await say(bot, 'liaison2', '联系电话13812345678')).toContain('手机号');
  });
});
