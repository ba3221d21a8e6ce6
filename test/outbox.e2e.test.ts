// Outbound delivery through the fake WeCom API: token refresh, backoff, dead letters, restarts,
// pacing, merging and ordered parts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSY_TEXT } from '../src/app/pipeline.js';
import { markdown, text } from '../src/messages/outbound.js';
import { DUPLICATE_CHECK, enqueue, messagesToItems } from '../src/outbox/queue.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { WecomToken } from '../src/entities/wecom-token.js';
import { helpReply } from '../src/handlers/help.js';
import { Router } from '../src/handlers/router.js';
import type { Command } from '../src/handlers/types.js';
import { startTestBot, type TestBot } from './support/harness.js';

const bots: TestBot[] = [];
afterEach(async () => {
  while (bots.length) await bots.pop()!.close();
});

async function bot(options: Parameters<typeof startTestBot>[0] = {}): Promise<TestBot> {
  const started = await startTestBot(options);
  bots.unshift(started);
  return started;
}

/** Enqueues `count` distinct notices to one member, committed like any handler would. */
async function notices(b: TestBot, to: string, count: number, prefix = 'n'): Promise<void> {
  await b.database.dataSource.transaction((tx) =>
    enqueue(
      tx,
      Array.from({ length: count }, (_, i) =>
        messagesToItems(to, [text(`${prefix} 第${i + 1}条通知`)], {
          keyPrefix: `${prefix}:${i}`,
          source: 'test',
        }),
      ).flat(),
      b.clock.now(),
    ),
  );
}

function rows(b: TestBot) {
  return b.database.dataSource.getRepository(OutboxMessage);
}

const testCommands = (extra: Command[]) => {
  const commands: Command[] = [...extra];
  return new Router({ commands, cardActions: [], events: [], flows: [], files: [], help: helpReply });
};

describe('access token', () => {
  it('is fetched once, cached in the database and shared by a second instance', async () => {
    const first = await bot();
    await first.addPerson('u1');
    await notices(first, 'u1', 3);
    await first.flush();
    expect(first.fake.tokenFetches).toBe(1);
    const stored = await first.database.dataSource.getRepository(WecomToken).find();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.accessToken).toBeTruthy();

    const second = await bot({
      database: first.database,
      fake: first.fake,
      credentials: first.credentials,
      clock: first.clock,
    });
    await notices(second, 'u1', 1, 'second');
    await second.flush();
    expect(first.fake.tokenFetches).toBe(1);
  });

  it('refreshes once on 42001 mid-run and delivers', async () => {
    const b = await bot();
    await b.addPerson('u1');
    await notices(b, 'u1', 1, 'a');
    await b.flush();
    b.fake.expireTokens();
    await notices(b, 'u1', 1, 'b');
    await b.flush();
    expect(b.fake.tokenFetches).toBe(2);
    expect(b.fake.calls.filter((c) => c.errcode === 42001)).toHaveLength(1);
    expect(b.texts('u1')).toEqual(['a 第1条通知', 'b 第1条通知']);
  });

  it('refreshes before expiry (five minutes early)', async () => {
    const b = await bot();
    await b.addPerson('u1');
    await notices(b, 'u1', 1, 'a');
    await b.flush();
    b.clock.advance(7200_000 - 4 * 60_000);
    await notices(b, 'u1', 1, 'b');
    await b.flush();
    expect(b.fake.tokenFetches).toBe(2);
    expect(b.fake.calls.some((c) => c.errcode === 42001)).toBe(false);
  });
});

describe('failures', () => {
  it('backs off on 45009 and delivers later', async () => {
    const b = await bot();
    await b.addPerson('u1');
    b.fake.failNext(2, { kind: 'errcode', errcode: 45009 }, '/cgi-bin/message/send');
    await notices(b, 'u1', 1);
    await b.flush();
    expect(b.texts('u1')).toEqual([]);
    const [row] = await rows(b).find();
    expect(row!.status).toBe('pending');
    expect(row!.lastErrcode).toBe(45009);
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(b.clock.now().getTime());
    for (let i = 0; i < 3; i++) {
      b.clock.advance(60_000);
      await b.flush();
    }
    expect(b.texts('u1')).toEqual(['n 第1条通知']);
    expect((await rows(b).findOneByOrFail({ id: row!.id })).attempts).toBe(3);
  });

  it('retries HTTP 5xx and timeouts with the identical request (no double delivery)', async () => {
    const b = await bot({ apiTimeoutMs: 300 });
    await b.addPerson('u1');
    // The first call is processed by "WeCom" but the answer never arrives in time.
    b.fake.failNext(1, { kind: 'delay', ms: 600 }, '/cgi-bin/message/send');
    b.fake.failNext(1, { kind: 'http', status: 502 }, '/cgi-bin/message/send');
    await notices(b, 'u1', 1);
    for (let i = 0; i < 4; i++) {
      await b.flush();
      await new Promise((resolve) => setTimeout(resolve, 400));
      b.clock.advance(30_000);
    }
    expect(b.texts('u1')).toEqual(['n 第1条通知']);
    expect((await rows(b).find())[0]!.status).toBe('sent');
  });

  it('marks 81013 dead at once', async () => {
    const b = await bot();
    await notices(b, 'nobody', 1);
    await b.flush();
    const [row] = await rows(b).find();
    expect(row!.status).toBe('dead');
    expect(row!.lastErrcode).toBe(81013);
    expect(row!.attempts).toBe(1);
    const health = (await (await fetch(`${b.url}/healthz`)).json()) as { outbox: { dead: number } };
    expect(health.outbox.dead).toBe(1);
  });

  it('records invaliduser for the one recipient WeCom rejects and delivers to the rest', async () => {
    const b = await bot();
    await b.addPerson('u1');
    await b.addPerson('u2');
    await b.database.dataSource.transaction((tx) =>
      enqueue(
        tx,
        ['u1', 'u2', 'ghost'].flatMap((to) =>
          messagesToItems(to, [text('同一条通知')], { keyPrefix: 'same', source: 'test' }),
        ),
        b.clock.now(),
      ),
    );
    await b.flush();
    expect(b.fake.calls.filter((c) => c.path === '/cgi-bin/message/send')).toHaveLength(1);
    expect(b.texts('u1')).toEqual(['同一条通知']);
    expect(b.texts('u2')).toEqual(['同一条通知']);
    const ghost = await rows(b).findOneByOrFail({ recipient: 'ghost' });
    expect(ghost.status).toBe('dead');
    expect(ghost.lastError).toContain('invaliduser');
  });

  it('gives up after 8 attempts and marks the row dead', async () => {
    const b = await bot();
    await b.addPerson('u1');
    b.fake.failNext(100, { kind: 'errcode', errcode: -1 }, '/cgi-bin/message/send');
    await notices(b, 'u1', 1);
    for (let i = 0; i < 12; i++) {
      await b.flush();
      b.clock.advance(15 * 60_000);
    }
    const [row] = await rows(b).find();
    expect(row!.status).toBe('dead');
    expect(row!.attempts).toBe(8);
  });

  it('marks configuration errors dead without retrying (60020)', async () => {
    const b = await bot();
    await b.addPerson('u1');
    b.fake.failNext(
      1,
      { kind: 'errcode', errcode: 60020, errmsg: 'not allow to access from your ip' },
      '/cgi-bin/message/send',
    );
    await notices(b, 'u1', 1);
    await b.flush();
    const [row] = await rows(b).find();
    expect(row!.status).toBe('dead');
    expect(row!.lastErrcode).toBe(60020);
  });
});

describe('restart and crash', () => {
  it('delivers rows that survived a restart exactly once', async () => {
    const first = await bot();
    await first.addPerson('u1');
    await notices(first, 'u1', 5);
    await first.close({ keepDatabase: true, keepFake: true });
    bots.splice(bots.indexOf(first), 1);
    const second = await bot({
      database: first.database,
      fake: first.fake,
      credentials: first.credentials,
      clock: first.clock,
    });
    await second.flush();
    await second.flush();
    expect(second.texts('u1')).toHaveLength(5);
    await first.database.drop();
    await first.fake.close();
  });

  it('re-sends a batch whose lease expired and WeCom suppresses the copy', async () => {
    const b = await bot();
    await b.addPerson('u1');
    await notices(b, 'u1', 1);
    await b.flush();
    // Simulate a crash after sending but before recording: put the row back to "sending".
    await rows(b).update(
      { status: 'sent' },
      { status: 'sending', leaseUntil: new Date(b.clock.now().getTime() - 1) },
    );
    await b.flush();
    expect(b.texts('u1')).toHaveLength(1);
    expect(b.fake.suppressed).toHaveLength(1);
    expect((await rows(b).find())[0]!.status).toBe('sent');
  });
});

describe('pacing and merging', () => {
  it('never sends a member more than 30 a minute under a burst of 100', async () => {
    const b = await bot();
    await b.addPerson('u1');
    await notices(b, 'u1', 100);
    const minutes: number[] = [];
    for (let minute = 0; minute < 5; minute++) {
      const before = b.inbox('u1').length;
      await b.flush();
      minutes.push(b.inbox('u1').length - before);
      // The dispatcher keeps 5 s of margin on WeCom's window (arrivals lag claims).
      b.clock.advance(66_000);
    }
    expect(minutes).toEqual([30, 30, 30, 10, 0]);
    expect(b.fake.dropped).toHaveLength(0);
    expect(new Set(b.texts('u1')).size).toBe(100);
  });

  it('merges identical content to many members into one call (≤ 1000 recipients each)', async () => {
    const b = await bot();
    const members = Array.from({ length: 1200 }, (_, i) => `m${i}`);
    for (const m of members) b.fake.addMember(m);
    await b.database.dataSource.transaction((tx) =>
      enqueue(
        tx,
        members.flatMap((to) =>
          messagesToItems(to, [text('全体通知')], { keyPrefix: 'all', source: 'test' }),
        ),
        b.clock.now(),
      ),
    );
    await b.flush();
    expect(b.fake.calls.filter((c) => c.path === '/cgi-bin/message/send')).toHaveLength(2);
    expect(b.fake.deliveries).toHaveLength(1200);
  });

  it('delivers a 5000-byte reply as ordered parts within the limit', async () => {
    const lines = Array.from(
      { length: 100 },
      (_, i) => `第${String(i + 1).padStart(3, '0')}行：整改情况说明，逐条列出问题`,
    );
    const long = lines.join('\n');
    expect(Buffer.byteLength(long)).toBeGreaterThan(5000);
    const router = testCommands([
      {
        name: '长回复',
        roles: ['liaison'],
        summary: '',
        args: 'none',
        handle: async () => ({ replies: [markdown(long)] }),
      },
    ]);
    const b = await bot({ router });
    await b.addPerson('u1');
    await b.client.sendText('u1', '长回复');
    for (let i = 0; i < 5; i++) await b.flush();
    const parts = b.texts('u1');
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toBe(long);
  });
});

describe('handler failure', () => {
  it('answers 200, quarantines the inbound row and apologises through the outbox', async () => {
    const router = testCommands([
      {
        name: '出错',
        roles: ['liaison'],
        summary: '',
        args: 'none',
        handle: async () => {
          throw new Error('boom');
        },
      },
    ]);
    const b = await bot({ router });
    await b.addPerson('u1');
    const result = await b.client.sendText('u1', '出错');
    expect(result.status).toBe(200);
    await b.flush();
    expect(b.texts('u1')).toEqual([BUSY_TEXT]);
    const [row] = await b.database.dataSource.getRepository(InboundMessage).find();
    expect(row!.status).toBe('quarantined');
    expect(row!.error).toContain('boom');
  });

  it('rolls back the handler’s writes when it fails', async () => {
    const router = testCommands([
      {
        name: '半途而废',
        roles: ['liaison'],
        summary: '',
        args: 'none',
        handle: async (ctx) => {
          await enqueue(
            ctx.tx,
            messagesToItems('u1', [text('不应发出')], { keyPrefix: 'x', source: 'test' }),
            ctx.now,
          );
          throw new Error('after write');
        },
      },
    ]);
    const b = await bot({ router });
    await b.addPerson('u1');
    await b.client.sendText('u1', '半途而废');
    await b.flush();
    expect(b.texts('u1')).toEqual([BUSY_TEXT]);
  });

  it('answers 503 when the delivery cannot be recorded (database down), so WeCom retries', async () => {
    const b = await bot();
    await b.addPerson('u1');
    // A text: its one transaction cannot even begin.
    const xml = b.client.textXml('u1', '帮助');
    const down = () =>
      Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }),
      );
    const transaction = vi.spyOn(b.runtime.dataSource, 'transaction').mockImplementationOnce(down);
    const first = await b.client.post(xml);
    expect(first.status).toBe(503);
    transaction.mockRestore();
    const retry = await b.client.post(xml);
    expect(retry.status).toBe(200);
    await b.flush();
    expect([retry.reply?.content, ...b.texts('u1')].filter(Boolean)).toHaveLength(1);
    // A file is recorded first: the insert itself fails.
    const repo = b.runtime.dataSource.getRepository(InboundMessage);
    const insert = vi.spyOn(repo, 'insert').mockImplementationOnce(down);
    const file = b.client.fileXml('u1', 'media_missing', '材料.docx');
    expect((await b.client.post(file)).status).toBe(503);
    insert.mockRestore();
    expect((await b.client.post(file)).status).toBe(200);
    expect(await repo.countBy({ msgType: 'file' })).toBe(1);
  });
});

describe('database trouble while handling', () => {
  const lostMidway = (calls: number) => {
    if (calls === 1)
      throw Object.assign(new Error('Connection lost: The server closed the connection.'), {
        code: 'PROTOCOL_CONNECTION_LOST',
      });
  };

  it('answers a text 503 when the database goes away mid-way: nothing kept, WeCom sends it again', async () => {
    let calls = 0;
    const router = testCommands([
      {
        name: '查询',
        roles: ['liaison'],
        summary: '',
        args: 'none',
        handle: async () => {
          lostMidway(++calls);
          return { replies: [text('查询结果')] };
        },
      },
    ]);
    const b = await bot({ router });
    await b.addPerson('u1');
    const xml = b.client.textXml('u1', '查询');
    expect((await b.client.post(xml)).status).toBe(503);
    expect(await b.database.dataSource.getRepository(InboundMessage).count()).toBe(0);
    const retry = await b.client.post(xml);
    expect(retry.status).toBe(200);
    expect(retry.reply?.content).toBe('查询结果');
    expect((await b.database.dataSource.getRepository(InboundMessage).find())[0]!.status).toBe('done');
  });

  it('leaves a recorded file for the recovery sweep when the database goes away mid-way', async () => {
    let calls = 0;
    const router = new Router({
      commands: [],
      cardActions: [],
      events: [],
      flows: [],
      files: [
        {
          accepts: (kind) => kind === 'file',
          roles: ['liaison'],
          handle: async () => {
            lostMidway(++calls);
            // A short text would be a passive reply; the sweep has no HTTP response to put it in.
            return { replies: [text('文件已收到')] };
          },
        },
      ],
      help: helpReply,
    });
    const b = await bot({ router });
    await b.addPerson('u1');
    const result = await b.client.post(b.client.fileXml('u1', 'media_1', '材料.docx'));
    expect(result.status).toBe(200);
    await b.flush();
    expect(b.texts('u1')).toEqual([]);
    const [row] = await b.database.dataSource.getRepository(InboundMessage).find();
    expect(row!.status).toBe('received');
    b.clock.advance(61_000);
    expect(await b.runtime.inbound.recoverStuck()).toBe(1);
    await b.flush();
    expect(b.texts('u1')).toEqual(['文件已收到']);
    expect((await b.database.dataSource.getRepository(InboundMessage).find())[0]!.status).toBe('done');
  });

  it('the sweep does not run again a delivery whose slow first run is still going', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A forwarded link is recorded first, then read: the sweep sees the row while the read goes on.
    const router = new Router({
      commands: [],
      cardActions: [],
      events: [],
      flows: [],
      files: [
        {
          accepts: (kind) => kind === 'link',
          roles: ['liaison'],
          handle: async () => {
            calls++;
            if (calls === 1) await gate; // e.g. a page being read
            return { replies: [text('慢查询结果')] };
          },
        },
      ],
      help: helpReply,
    });
    const b = await bot({ router, env: { INBOUND_RECOVERY_S: '5' } });
    await b.addPerson('u2');
    const first = b.client.post(b.client.linkXml('u2', { url: 'https://www.zibo.gov.cn/a.html' }));
    // The first run holds u2's row; the sweep, past its threshold, picks the row up meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 200));
    b.clock.advance(6_000);
    const sweep = b.runtime.inbound.recoverStuck();
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const result = await first;
    await sweep;
    await b.flush();
    expect(calls).toBe(1);
    expect([result.reply?.content, ...b.texts('u2')].filter(Boolean)).toEqual(['慢查询结果']);
  });

  it('gives a retried delivery the same passive reply, with no second effect', async () => {
    let calls = 0;
    const router = testCommands([
      {
        name: '计数',
        roles: ['liaison'],
        summary: '',
        args: 'none',
        handle: async () => ({ replies: [text(`第${++calls}次`)] }),
      },
    ]);
    const b = await bot({ router });
    await b.addPerson('u1');
    const xml = b.client.textXml('u1', '计数');
    const first = await b.client.post(xml);
    const retry = await b.client.post(xml);
    expect(first.reply?.content).toBe('第1次');
    expect(retry.reply?.content).toBe('第1次');
    expect(calls).toBe(1);
  });
});

describe('replies', () => {
  it('a new answer to the same question is delivered; a re-send of one answer is not', () => {
    expect(DUPLICATE_CHECK.reply('in:1')).not.toBe(DUPLICATE_CHECK.reply('in:2'));
    expect(DUPLICATE_CHECK.reply('in:1')).toBe(DUPLICATE_CHECK.reply('in:1'));
    for (const id of [1, 2, 3, 100, 9999]) {
      const interval = DUPLICATE_CHECK.reply(`in:${id}`);
      expect(interval).toBeGreaterThanOrEqual(60);
      expect(interval).toBeLessThan(300);
    }
  });
});

describe('dead letters for admins', () => {
  it('lists messages that failed for good and sends them again on request', async () => {
    const b = await bot();
    await b.addPerson('admin1', { role: 'admin', unit: '市大数据局' });
    await b.addPerson('u1');
    b.fake.failNext(
      1,
      { kind: 'errcode', errcode: 60020, errmsg: 'not allow to access from your ip' },
      '/cgi-bin/message/send',
    );
    await notices(b, 'u1', 1, '整改');
    await b.flush();
    const list = await b.client.sendText('admin1', '发送失败');
    await b.flush();
    const shown = list.reply?.content ?? b.texts('admin1').at(-1)!;
    expect(shown).toContain('共 1 条');
    expect(shown).toContain('u1');
    expect(shown).toContain('60020');
    const [row] = await rows(b).findBy({ recipient: 'u1' });
    const retry = await b.client.sendText('admin1', `重发 ${row!.id}`);
    expect(retry.reply?.content).toBe('已重新排队 1 条消息，将按频率限制依次发送。');
    await b.flush();
    expect(b.texts('u1')).toEqual(['整改 第1条通知']);
    expect((await b.client.sendText('u1', '发送失败')).reply?.content).toBe('该命令仅限管理员使用。');
  });
});
