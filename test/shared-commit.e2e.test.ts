// Light deliveries of several members sharing one transaction on MariaDB (src/app/shared-commit.ts):
// each member gets their own answer, every delivery is stored once, and whatever goes wrong for
// one member (their row held elsewhere, a retry, a supervisor's heavy list, a stranger) costs the
// others only a second run, never their answer.
//
// With one slot, a group is held open by a delivery whose dedupe key another transaction has just
// inserted (a copy in flight): the deliveries sent meanwhile wait, and form the next group.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataSource } from 'typeorm';
import type { SharedCommits } from '../src/app/shared-commit.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { UNKNOWN_USER_TEXT } from '../src/handlers/help.js';
import { newMsgId, type CallbackResult } from '../src/sandbox/callback-client.js';
import { say } from './support/chat.js';
import { recordPackets } from './support/packets.js';
import { startTestBot, type TestBot } from './support/harness.js';

const LIAISONS = ['sa', 'sb', 'sc', 'sd', 'se', 'sf', 'sg'] as const;
const UNITS: Record<string, string> = {
  sa: '张店区',
  sb: '淄川区',
  sc: '博山区',
  sd: '临淄区',
  se: '周村区',
  sf: '桓台县',
  sg: '高青县',
};

describe('light deliveries sharing a commit', () => {
  let bot: TestBot;
  let db: DataSource;
  let shared: SharedCommits<unknown, unknown>;

  beforeAll(async () => {
    bot = await startTestBot({ env: { SHARED_COMMIT_SLOTS: '1' } });
    db = bot.database.dataSource;
    for (const userid of LIAISONS) {
      await bot.addUnit(UNITS[userid]!, 'district');
      await bot.addPerson(userid, { name: `${UNITS[userid]}联络员`, unit: UNITS[userid] });
    }
    await bot.addPerson('sup', { name: '督办员', role: 'supervisor' });
    shared = bot.runtime.inbound.shared as unknown as SharedCommits<unknown, unknown>;
  });
  afterAll(() => bot.close());

  const mysqlOnly = () => bot.database.kind !== 'mysql';
  let before: { groups: number; members: number; failed: number };
  beforeEach(() => {
    before = { ...shared?.stats };
  });
  const since = () => ({
    groups: shared.stats.groups - before.groups,
    members: shared.stats.members - before.members,
    failed: shared.stats.failed - before.failed,
  });

  /**
   * Holds the one slot with a delivery from `userid` whose dedupe key another transaction has
   * inserted; `open()` lets it go on. The deliveries sent meanwhile wait for the slot.
   */
  async function holdSlot(userid: string) {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const msgId = newMsgId();
    await runner.query(
      'INSERT INTO inbound_message (dedupe_key, from_user, msg_type, status, attempts, received_at) ' +
        'VALUES (?, ?, ?, ?, 1, ?)',
      [`msg:${msgId}`, userid, 'text', 'received', '2026-03-20 01:00:00'],
    );
    const started = shared.stats.groups;
    const holder = bot.client.sendText(userid, '我的任务', msgId);
    await vi.waitFor(() => expect(shared.stats.groups).toBe(started + 1));
    return {
      holder,
      open: async () => {
        await runner.rollbackTransaction();
        await runner.release();
      },
    };
  }

  /** Sends while the slot is held, then lets the held group go; the waiting ones form one group. */
  async function inOneGroup(send: () => Promise<CallbackResult>[]): Promise<CallbackResult[]> {
    const slot = await holdSlot('sa');
    const sent = send();
    await vi.waitFor(() => expect(shared.waiting).toBe(sent.length));
    await slot.open();
    expect((await slot.holder).reply?.content).toBe('张店区目前没有未办结的任务。');
    return Promise.all(sent);
  }

  it('answers each member from their own rows, in one transaction and one commit', async (t) => {
    if (mysqlOnly()) t.skip();
    let results: CallbackResult[] = [];
    const packets = await recordPackets(db, async () => {
      results = await inOneGroup(() => [
        bot.client.sendText('sb', '我的任务'),
        bot.client.sendText('sc', '待办'),
        bot.client.post(bot.client.eventXml('sd', 'click', 'cmd:我的任务')),
        bot.client.sendText('se', '帮助'),
      ]);
    });
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results[0]!.reply?.content).toBe('淄川区目前没有未办结的任务。');
    expect(results[1]!.reply?.content).toBe('博山区目前没有未办结的任务。');
    expect(results[2]!.reply?.content).toBe('临淄区目前没有未办结的任务。');
    // 帮助 is a markdown message: it goes through the outbox.
    await bot.flush();
    expect(bot.texts('se').at(-1)).toContain('我的任务');
    expect(since()).toEqual({ groups: 2, members: 5, failed: 0 });
    // The four members' rows locked in one packet, and one COMMIT for all four.
    const locks = packets.filter((p) => (p.match(/FOR UPDATE SKIP LOCKED/g) ?? []).length === 4);
    expect(locks).toHaveLength(1);
    expect(packets.filter((p) => /\nCOMMIT$/.test(p))).toHaveLength(2);
    const finishing = packets.filter((p) => p.includes("UPDATE inbound_message SET status = 'done'"));
    expect(finishing.join().match(/UPDATE inbound_message SET status = 'done'/g)).toHaveLength(5);
    expect(finishing.length).toBeLessThanOrEqual(3);
    const rows = await db.getRepository(InboundMessage).find({ where: { fromUser: 'sb' } });
    expect(rows.map((r) => r.status)).toEqual(['done']);
  });

  it('does not hold the others up for a member whose row another transaction holds', async (t) => {
    if (mysqlOnly()) t.skip();
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('SELECT id FROM person WHERE userid = ? FOR UPDATE', ['sc']);
    const slot = await holdSlot('sa');
    const [b, c, d] = ['sb', 'sc', 'sd'].map((userid) => bot.client.sendText(userid, '我的任务'));
    await vi.waitFor(() => expect(shared.waiting).toBe(3));
    await slot.open();
    await slot.holder;
    // sc's row is still held: sb and sd are answered all the same.
    expect((await b!).reply?.content).toBe('淄川区目前没有未办结的任务。');
    expect((await d!).reply?.content).toBe('临淄区目前没有未办结的任务。');
    let cAnswered = false;
    void c!.then(() => (cAnswered = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cAnswered).toBe(false);
    await runner.commitTransaction();
    await runner.release();
    expect((await c!).reply?.content).toBe('博山区目前没有未办结的任务。');
    expect(since().failed).toBe(1);
    const rows = await db.getRepository(InboundMessage).find({ where: { fromUser: 'sc' } });
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(rows.length);
  });

  it('gives a retry of an answered delivery the first answer, without running it again', async (t) => {
    if (mysqlOnly()) t.skip();
    const msgId = newMsgId();
    const first = await bot.client.sendText('sf', '我的任务', msgId);
    const [retry, other] = await inOneGroup(() => [
      bot.client.sendText('sf', '我的任务', msgId),
      bot.client.sendText('sg', '我的任务'),
    ]);
    expect(retry!.reply?.content).toBe(first.reply?.content);
    expect(other!.reply?.content).toBe('高青县目前没有未办结的任务。');
    expect(await db.getRepository(InboundMessage).count({ where: { fromUser: 'sf' } })).toBe(1);
    // Which member met the key is not known: both run alone for a while.
    expect(since().failed).toBe(1);
  });

  it('runs a supervisor’s city-wide list alone, and keeps only the supervisor out of groups', async (t) => {
    if (mysqlOnly()) t.skip();
    const [supervisor, liaison] = await inOneGroup(() => [
      bot.client.sendText('sup', '我的任务'),
      bot.client.sendText('se', '我的任务'),
    ]);
    expect(supervisor!.reply?.content).toBe('目前没有未办结的任务。');
    expect(liaison!.reply?.content).toBe('周村区目前没有未办结的任务。');
    expect(since()).toMatchObject({ failed: 1 });
    // Next time the supervisor runs alone at once, while the liaisons wait to share a group.
    const slot = await holdSlot('sa');
    const alone = bot.client.sendText('sup', '我的任务');
    const pair = ['se', 'sd'].map((userid) => bot.client.sendText(userid, '我的任务'));
    expect((await alone).reply?.content).toBe('目前没有未办结的任务。');
    await vi.waitFor(() => expect(shared.waiting).toBe(2));
    await slot.open();
    await slot.holder;
    expect((await Promise.all(pair)).map((r) => r.reply?.content)).toEqual([
      '周村区目前没有未办结的任务。',
      '临淄区目前没有未办结的任务。',
    ]);
    expect(since()).toMatchObject({ failed: 1 });
  });

  it('refuses a stranger as always, with the audit row, and answers the members beside them', async (t) => {
    if (mysqlOnly()) t.skip();
    const audits = await db.getRepository(AuditLog).count();
    const [stranger, member] = await inOneGroup(() => [
      bot.client.sendText('nobody', '帮助'),
      bot.client.sendText('sb', '我的任务'),
    ]);
    expect(stranger!.reply?.content).toBe(UNKNOWN_USER_TEXT);
    expect(member!.reply?.content).toBe('淄川区目前没有未办结的任务。');
    expect(await db.getRepository(AuditLog).count()).toBe(audits + 1);
  });

  it('answers a light command inside a dialog aside, and the dialog goes on', async (t) => {
    if (mysqlOnly()) t.skip();
    expect(await say(bot, 'sd', '检查')).toContain('请');
    const [aside] = await inOneGroup(() => [bot.client.sendText('sd', '我的任务')]);
    expect(aside!.reply?.content).toContain('临淄区目前没有未办结的任务。');
    expect(aside!.reply?.content).toContain('（正在《');
    expect(await say(bot, 'sd', '取消')).toBe('已取消。');
  });
});
