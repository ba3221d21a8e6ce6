// Light deliveries of several members sharing one transaction on MariaDB (src/app/shared-commit.ts):
// each member gets their own answer, every delivery is stored once, and whatever is different about
// one member (their row or dialog held elsewhere, a retry, a supervisor's heavy list, a stranger)
// takes that member out of the group, never the others' answers.
//
// Groups are made by pausing the one slot: the deliveries sent meanwhile form one group.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataSource, QueryRunner } from 'typeorm';
import type { SharedCommits } from '../src/app/shared-commit.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { UNKNOWN_USER_TEXT } from '../src/handlers/help.js';
import { newMsgId, type CallbackResult } from '../src/sandbox/callback-client.js';
import { say } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { recordPackets } from './support/packets.js';

const UNITS: Record<string, string> = {
  sa: '张店区',
  sb: '淄川区',
  sc: '博山区',
  sd: '临淄区',
  se: '周村区',
  sf: '桓台县',
  sg: '高青县',
  sh: '沂源县',
};
const none = (userid: string) => `${UNITS[userid]}目前没有未办结的任务。`;

describe('light deliveries sharing a commit', () => {
  let bot: TestBot;
  let db: DataSource;
  let shared: SharedCommits<unknown, unknown>;

  beforeAll(async () => {
    bot = await startTestBot({ env: { SHARED_COMMIT_SLOTS: '1' } });
    db = bot.database.dataSource;
    for (const [userid, unit] of Object.entries(UNITS)) {
      await bot.addUnit(unit, 'district');
      await bot.addPerson(userid, { name: `${unit}联络员`, unit });
    }
    await bot.addPerson('sup', { name: '督办员', role: 'supervisor' });
    shared = bot.runtime.inbound.shared as unknown as SharedCommits<unknown, unknown>;
  });
  afterAll(() => bot.close());

  const mysqlOnly = () => bot.database.kind !== 'mysql';
  let before: { groups: number; members: number; failed: number; withdrawn: number };
  beforeEach(() => {
    before = { ...shared?.stats };
  });
  const since = () => ({
    groups: shared.stats.groups - before.groups,
    members: shared.stats.members - before.members,
    failed: shared.stats.failed - before.failed,
    withdrawn: shared.stats.withdrawn - before.withdrawn,
  });

  /** Sends with the slot paused: the deliveries that wait for it (`waiting` of them) form one group. */
  async function inOneGroup(
    send: () => Promise<CallbackResult>[],
    waiting?: number,
  ): Promise<Promise<CallbackResult>[]> {
    const resume = shared.pause();
    const sent = send();
    try {
      await vi.waitFor(() => expect(shared.waiting).toBe(waiting ?? sent.length));
    } finally {
      resume();
    }
    return sent;
  }

  /** A transaction of someone else's holding `sql`'s row locks until `end()`. */
  async function holdRows(sql: string, values: unknown[]): Promise<QueryRunner> {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(sql, values);
    return runner;
  }
  const end = async (runner: QueryRunner) => {
    await runner.commitTransaction();
    await runner.release();
  };

  it('answers each member from their own rows, in one transaction and one commit', async (t) => {
    if (mysqlOnly()) t.skip();
    let results: CallbackResult[] = [];
    const packets = await recordPackets(db, async () => {
      const sent = await inOneGroup(() => [
        bot.client.sendText('sb', '我的任务'),
        bot.client.sendText('sc', '待办'),
        bot.client.post(bot.client.eventXml('sd', 'click', 'cmd:我的任务')),
        bot.client.sendText('se', '帮助'),
      ]);
      results = await Promise.all(sent);
    });
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.slice(0, 3).map((r) => r.reply?.content)).toEqual([none('sb'), none('sc'), none('sd')]);
    // 帮助 is a markdown message: it goes through the outbox.
    await bot.flush();
    expect(bot.texts('se').at(-1)).toContain('我的任务');
    expect(since()).toEqual({ groups: 1, members: 4, failed: 0, withdrawn: 0 });
    // The four members' rows locked in one packet, the lock wait shortened, one COMMIT for all four.
    const locks = packets.filter((p) => (p.match(/FOR UPDATE SKIP LOCKED/g) ?? []).length === 4);
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatch(/^START TRANSACTION\n;\nSET SESSION innodb_lock_wait_timeout = 1\n;\n/);
    expect(packets.filter((p) => /\nCOMMIT$/.test(p))).toHaveLength(1);
    const finishing = packets.filter((p) => p.includes("UPDATE inbound_message SET status = 'done'"));
    expect(finishing.join().match(/UPDATE inbound_message SET status = 'done'/g)).toHaveLength(4);
    expect(finishing.length).toBeLessThanOrEqual(2);
    // The connection's lock wait is the server's again for its next user.
    expect(packets).toContain('SET SESSION innodb_lock_wait_timeout = DEFAULT');
    const rows = await db.getRepository(InboundMessage).find({ where: { fromUser: 'sb' } });
    expect(rows.map((r) => r.status)).toEqual(['done']);
  });

  it('takes out a member whose row another transaction holds; the others are answered at once', async (t) => {
    if (mysqlOnly()) t.skip();
    const runner = await holdRows('SELECT id FROM person WHERE userid = ? FOR UPDATE', ['sc']);
    const [b, c, d] = await inOneGroup(() =>
      ['sb', 'sc', 'sd'].map((userid) => bot.client.sendText(userid, '我的任务')),
    );
    expect((await b!).reply?.content).toBe(none('sb'));
    expect((await d!).reply?.content).toBe(none('sd'));
    let cAnswered = false;
    void c!.then(() => (cAnswered = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cAnswered).toBe(false);
    await end(runner);
    expect((await c!).reply?.content).toBe(none('sc'));
    expect(since()).toEqual({ groups: 1, members: 3, failed: 0, withdrawn: 1 });
    const rows = await db.getRepository(InboundMessage).find({ where: { fromUser: 'sc' } });
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(rows.length);
  });

  it('takes out a member whose dialog another transaction holds, and answers them with it after', async (t) => {
    if (mysqlOnly()) t.skip();
    expect(await say(bot, 'sh', '检查')).toContain('请');
    const runner = await holdRows('SELECT userid FROM conversation_state WHERE userid = ? FOR UPDATE', [
      'sh',
    ]);
    const [h, g] = await inOneGroup(() => [
      bot.client.sendText('sh', '我的任务'),
      bot.client.sendText('sg', '我的任务'),
    ]);
    expect((await g!).reply?.content).toBe(none('sg'));
    await end(runner);
    // Answered aside: the dialog was read, not skipped.
    expect((await h!).reply?.content).toContain('（正在《');
    expect(await say(bot, 'sh', '取消')).toBe('已取消。');
  });

  it('gives a retry of an answered delivery the first answer, without running it again', async (t) => {
    if (mysqlOnly()) t.skip();
    const msgId = newMsgId();
    const first = await bot.client.sendText('sf', '我的任务', msgId);
    before = { ...shared.stats };
    const [retry, other] = await inOneGroup(() => [
      bot.client.sendText('sf', '我的任务', msgId),
      bot.client.sendText('sg', '我的任务'),
    ]);
    expect((await retry!).reply?.content).toBe(first.reply?.content);
    expect((await other!).reply?.content).toBe(none('sg'));
    expect(await db.getRepository(InboundMessage).count({ where: { fromUser: 'sf' } })).toBe(1);
    expect(since()).toEqual({ groups: 1, members: 2, failed: 0, withdrawn: 0 });
  });

  it('runs a retry alone while its first copy is still being handled, and the group goes on', async (t) => {
    if (mysqlOnly()) t.skip();
    // The first copy waits for the member's row (held elsewhere) with its key inserted.
    const runner = await holdRows('SELECT id FROM person WHERE userid = ? FOR UPDATE', ['se']);
    const msgId = newMsgId();
    const firstCopy = bot.client.sendText('se', '我的任务', msgId);
    await vi.waitFor(
      async () => {
        const waiting = await db.query<unknown[]>(
          'SELECT id FROM information_schema.processlist WHERE info LIKE ? AND id <> CONNECTION_ID()',
          ["%WHERE p.userid = 'se' FOR UPDATE"],
        );
        expect(waiting).toHaveLength(1);
      },
      { timeout: 5000 },
    );
    // WeCom's retry and another member's command: the retry does not join (or stall) the group.
    const [other] = await inOneGroup(() => [bot.client.sendText('sg', '我的任务')], 1);
    const retry = bot.client.sendText('se', '我的任务', msgId);
    expect((await other!).reply?.content).toBe(none('sg'));
    await end(runner);
    expect((await firstCopy).reply?.content).toBe(none('se'));
    expect((await retry).status).toBe(200);
    expect(await db.getRepository(InboundMessage).count({ where: { dedupeKey: `msg:${msgId}` } })).toBe(1);
  });

  it('runs a supervisor’s city-wide list alone, and keeps only the supervisor out of groups', async (t) => {
    if (mysqlOnly()) t.skip();
    const [supervisor, liaison] = await inOneGroup(() => [
      bot.client.sendText('sup', '我的任务'),
      bot.client.sendText('sd', '我的任务'),
    ]);
    expect((await supervisor!).reply?.content).toBe('目前没有未办结的任务。');
    expect((await liaison!).reply?.content).toBe(none('sd'));
    // Next time the supervisor runs alone at once, while the liaisons wait to share a group.
    const [alone, ...pair] = await inOneGroup(
      () => ['sup', 'sd', 'sb'].map((userid) => bot.client.sendText(userid, '我的任务')),
      2,
    );
    expect((await alone!).reply?.content).toBe('目前没有未办结的任务。');
    expect((await Promise.all(pair)).map((r) => r.reply?.content)).toEqual([none('sd'), none('sb')]);
    expect(since()).toEqual({ groups: 2, members: 4, failed: 0, withdrawn: 1 });
  });

  it('refuses a stranger as always, with the audit row, and answers the members beside them', async (t) => {
    if (mysqlOnly()) t.skip();
    const audits = await db.getRepository(AuditLog).count();
    const [stranger, member] = await inOneGroup(() => [
      bot.client.sendText('nobody', '帮助'),
      bot.client.sendText('sb', '我的任务'),
    ]);
    expect((await stranger!).reply?.content).toBe(UNKNOWN_USER_TEXT);
    expect((await member!).reply?.content).toBe(none('sb'));
    expect(await db.getRepository(AuditLog).count()).toBe(audits + 1);
    expect(await db.getRepository(InboundMessage).count({ where: { fromUser: 'nobody' } })).toBe(1);
  });

  it('answers a light command inside a dialog aside, and the dialog goes on', async (t) => {
    if (mysqlOnly()) t.skip();
    expect(await say(bot, 'sd', '检查')).toContain('请');
    const [aside] = await inOneGroup(() => [bot.client.sendText('sd', '我的任务')]);
    const reply = (await aside!).reply?.content;
    expect(reply).toContain(none('sd'));
    expect(reply).toContain('（正在《');
    expect(await say(bot, 'sd', '取消')).toBe('已取消。');
  });
});
