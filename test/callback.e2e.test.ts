// The callback as WeCom drives it: URL verification, help, unknown users, retries and hostile input.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { UNKNOWN_USER_TEXT } from '../src/handlers/help.js';
import { newMsgId } from '../src/sandbox/callback-client.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
  await bot.addPerson('zhangsan', { name: '张三', role: 'liaison', unit: '市水利局' });
  await bot.addPerson('lisi', { name: '李四', role: 'supervisor', unit: '市大数据局' });
});

afterAll(async () => {
  await bot.close();
});

async function count(entity: typeof InboundMessage | typeof OutboxMessage): Promise<number> {
  return bot.database.dataSource.getRepository(entity).count();
}

describe('URL verification (GET)', () => {
  it('echoes the decrypted echostr as bare text', async () => {
    const result = await bot.client.verifyUrl('1616140317555161061');
    expect(result.status).toBe(200);
    expect(result.body).toBe('1616140317555161061');
  });

  it('refuses a bad signature', async () => {
    const response = await fetch(
      `${bot.url}/wecom/callback?msg_signature=00&timestamp=1&nonce=2&echostr=abc`,
    );
    expect(response.status).toBe(401);
  });

  it('answers 400 when parameters are missing', async () => {
    const response = await fetch(`${bot.url}/wecom/callback?timestamp=1&nonce=2`);
    expect(response.status).toBe(400);
  });
});

describe('messages (POST)', () => {
  it('answers 帮助 with the command list for the asker’s role', async () => {
    const result = await bot.client.sendText('zhangsan', '帮助');
    expect(result.status).toBe(200);
    // The list is markdown, so it comes through the outbox rather than as a passive reply.
    expect(result.body).toBe('');
    await bot.flush();
    const [help] = bot.texts('zhangsan').slice(-1);
    expect(help).toContain('督办助手');
    expect(help).toContain('帮助');
  });

  it('fits the whole list of a supervisor’s commands in one message, and explains one on request', async () => {
    const before = bot.texts('lisi').length;
    await bot.client.sendText('lisi', '帮助');
    await bot.flush();
    const help = bot.texts('lisi').slice(before);
    expect(help).toHaveLength(1);
    expect(Buffer.byteLength(help[0]!)).toBeLessThanOrEqual(2048);
    expect(help[0]).toContain('下发任务');
    const detail = await bot.client.sendText('lisi', '帮助 下发任务');
    expect(detail.reply?.content).toContain('下发任务');
    const hidden = await bot.client.sendText('zhangsan', '帮助 下发任务');
    await bot.flush();
    expect(hidden.reply?.content ?? bot.texts('zhangsan').at(-1)).toContain('没有可用的指令「下发任务」');
  });

  it('answers unknown text with the command list and a note', async () => {
    await bot.client.sendText('lisi', '随便说点什么');
    await bot.flush();
    const last = bot.texts('lisi').at(-1)!;
    expect(last).toContain('没有识别到指令「随便说点什么」');
    expect(last).toContain('督办员');
  });

  it('normalises full-width input (ｈｅｌｐ)', async () => {
    const before = bot.texts('lisi').length;
    await bot.client.sendText('lisi', '  ｈｅｌｐ ');
    await bot.flush();
    expect(bot.texts('lisi').length).toBe(before + 1);
    expect(bot.texts('lisi').at(-1)).not.toContain('没有识别到指令');
  });

  it('wakes the outbox only after a commit that queued messages', async () => {
    const kick = vi.spyOn(bot.runtime.outbox, 'kick');
    try {
      // A one-line answer rides on the HTTP response: nothing queued, no claim pass.
      const passive = await bot.client.sendText('lisi', '帮助 下发任务');
      expect(passive.reply?.content).toContain('下发任务');
      expect(kick).not.toHaveBeenCalled();
      // The command list is markdown, so it is queued and the dispatcher is woken.
      const queued = await bot.client.sendText('lisi', '帮助');
      expect(queued.body).toBe('');
      expect(kick).toHaveBeenCalledTimes(1);
    } finally {
      kick.mockRestore();
    }
    await bot.flush();
  });

  it('gives an unknown user exactly one polite line and nothing else', async () => {
    const outboxBefore = await count(OutboxMessage);
    const result = await bot.client.sendText('stranger', '我的任务');
    expect(result.status).toBe(200);
    expect(result.reply).toEqual({ msgType: 'text', content: UNKNOWN_USER_TEXT, replaceName: undefined });
    await bot.flush();
    expect(bot.inbox('stranger')).toHaveLength(0);
    expect(await count(OutboxMessage)).toBe(outboxBefore);
  });

  it('treats a deactivated person as unknown', async () => {
    await bot.addPerson('gone', { name: '王五', active: false, unit: '市水利局' });
    const result = await bot.client.sendText('gone', '帮助');
    expect(result.reply?.content).toBe(UNKNOWN_USER_TEXT);
  });

  it('handles a retried MsgId once (three sequential copies)', async () => {
    const xml = bot.client.textXml('zhangsan', '帮助', newMsgId());
    const before = bot.texts('zhangsan').length;
    for (let i = 0; i < 3; i++) {
      const result = await bot.client.post(xml);
      expect(result.status).toBe(200);
    }
    await bot.flush();
    expect(bot.texts('zhangsan').length).toBe(before + 1);
  });

  it('handles ten concurrent copies of one MsgId once', async () => {
    const msgId = newMsgId();
    const xml = bot.client.textXml('lisi', '帮助', msgId);
    const before = bot.texts('lisi').length;
    const results = await Promise.all(Array.from({ length: 10 }, () => bot.client.post(xml)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    await bot.flush();
    expect(bot.texts('lisi').length).toBe(before + 1);
    const rows = await bot.database.dataSource
      .getRepository(InboundMessage)
      .countBy({ dedupeKey: `msg:${msgId}` });
    expect(rows).toBe(1);
  });

  it('keeps a 64-bit MsgId exactly', async () => {
    const msgId = '9223372036854775807';
    await bot.client.sendText('lisi', '帮助', msgId);
    const row = await bot.database.dataSource
      .getRepository(InboundMessage)
      .findOneByOrFail({ dedupeKey: `msg:${msgId}` });
    // The key holds the id exactly; the body itself is dropped once handled (src/app/retention.ts).
    expect(row).toMatchObject({ status: 'done', xml: null });
  });

  it('dedupes events on the whole XML, not on sender and second', async () => {
    const before = await count(InboundMessage);
    // Two different menu clicks in the same second are two deliveries.
    await bot.client.sendEvent('lisi', 'click', 'menu:a');
    await bot.client.sendEvent('lisi', 'click', 'menu:b');
    const xml = bot.client.eventXml('lisi', 'click', 'menu:a');
    await bot.client.post(xml);
    expect(await count(InboundMessage)).toBe(before + 2);
  });
});

describe('hostile input: right status, nothing stored, still serving', () => {
  const cases: [string, (b: TestBot) => ReturnType<TestBot['client']['post']> | Promise<Response>, number][] =
    [
      [
        'forged signature',
        (b) => b.client.post(b.client.textXml('zhangsan', '帮助'), { signature: 'f'.repeat(40) }),
        401,
      ],
      [
        'wrong receive-id',
        (b) => b.client.post(b.client.textXml('zhangsan', '帮助'), { receiveId: 'wwsomeoneelse' }),
        401,
      ],
      [
        'stale timestamp',
        (b) =>
          b.client.post(b.client.textXml('zhangsan', '帮助'), {
            timestamp: String(Math.floor(b.clock.now().getTime() / 1000) - 301),
          }),
        401,
      ],
      [
        'oversize body',
        (b) =>
          fetch(`${b.url}/wecom/callback?msg_signature=a&timestamp=1&nonce=1`, {
            method: 'POST',
            body: `<xml><Encrypt><![CDATA[${'A'.repeat(70 * 1024)}]]></Encrypt></xml>`,
          }),
        413,
      ],
      [
        'garbage XML',
        (b) =>
          fetch(`${b.url}/wecom/callback?msg_signature=a&timestamp=1&nonce=1`, {
            method: 'POST',
            body: '<xml><Encrypt>',
          }),
        400,
      ],
      [
        'XML with a DTD',
        (b) =>
          fetch(`${b.url}/wecom/callback?msg_signature=a&timestamp=1&nonce=1`, {
            method: 'POST',
            body: '<!DOCTYPE xml [<!ENTITY a "aaaaaaaa">]><xml><Encrypt>&a;</Encrypt></xml>',
          }),
        400,
      ],
      [
        'missing parameters',
        (b) => fetch(`${b.url}/wecom/callback`, { method: 'POST', body: '<xml><Encrypt>x</Encrypt></xml>' }),
        400,
      ],
    ];

  it.each(cases)('%s', async (_name, send, status) => {
    const inboundBefore = await count(InboundMessage);
    const outboxBefore = await count(OutboxMessage);
    const response = await send(bot);
    expect(response.status).toBe(status);
    expect(await count(InboundMessage)).toBe(inboundBefore);
    expect(await count(OutboxMessage)).toBe(outboxBefore);
    // …and the next real message is still served.
    const ok = await bot.client.sendText('lisi', '帮助');
    expect(ok.status).toBe(200);
  });

  it('refuses a body that decrypts to garbage under a valid signature (400)', async () => {
    const { computeSignature } = await import('../src/bot/crypto.js');
    const timestamp = String(Math.floor(bot.clock.now().getTime() / 1000));
    const encrypted = Buffer.alloc(64, 7).toString('base64');
    const signature = computeSignature(bot.credentials.token, timestamp, '1', encrypted);
    const response = await fetch(
      `${bot.url}/wecom/callback?msg_signature=${signature}&timestamp=${timestamp}&nonce=1`,
      { method: 'POST', body: `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>` },
    );
    expect(response.status).toBe(400);
  });
});

describe('health', () => {
  it('reports the database, outbox counts and mode', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      db: string;
      outbox: { pending: number; dead: number };
      mode: string;
    };
    expect(body.db).toBe('ok');
    expect(body.mode).toBe('sandbox');
    expect(typeof body.outbox.pending).toBe('number');
    expect(typeof body.outbox.dead).toBe('number');
  });
});
