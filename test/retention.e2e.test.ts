// Retention by design, end to end: what a delivery keeps once it is finished, that text the PII gate
// blocked is stored nowhere, that strangers are audited once an hour with a count, that the nightly
// housekeeping deletes what README's table says it does, and that the data migration cleans rows
// kept by earlier versions.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { BoardSession } from '../src/entities/board-session.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { JobRun } from '../src/entities/job-run.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { StoredFile, StoredFileChunk } from '../src/entities/stored-file.js';
import { Task } from '../src/entities/task.js';
import {
  ForgetWhatNeedNotBeKept1796458054874,
  maskDigits,
} from '../src/entities/migrations/1796458054874-ForgetWhatNeedNotBeKept.js';
import { BODY_RETENTION, finishedColumns, retainedBody } from '../src/app/retention.js';
import { isSealed, openSealedBody, sealBody } from '../src/db/sealed.js';
import { STRANGER_ACTION } from '../src/app/stranger-audit.js';
import { maskPiiForLog } from '../src/services/pii/detector.js';
import { saveFile, saveXlsx } from '../src/db/files.js';
import { Router } from '../src/handlers/router.js';
import { housekeeping } from '../src/jobs/housekeeping.js';
import { loadConfig } from '../src/config.js';
import { sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

const ID = '110101199003074514';
const MOBILE = '13812345678';
const DAY = 86_400_000;

let bot: TestBot;
const db = () => bot.database.dataSource;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  await bot.addPerson('zd', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('left', { name: '离职人员', role: 'liaison', unit: '张店区', active: false });
  const unit = await bot.addUnit('张店区');
  await db()
    .getRepository(Task)
    .save({
      kind: 'rectification',
      title: '整改网站错别字',
      detail: '请整改',
      unitId: unit.id,
      noticeId: null,
      batch: 1,
      deadline: new Date('2026-03-27T16:00:00Z'),
      deadlineEstimated: false,
      status: 'pending',
      createdBy: 'sup',
      assignedAt: new Date('2026-03-20T01:00:00Z'),
      submittedAt: null,
      doneAt: null,
      returnReason: null,
      returnedAt: null,
    });
});

afterAll(async () => {
  await bot.close();
});

async function say(userid: string, content: string): Promise<string> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

/** Every row of the tables a member's words could end up in, as one string. */
async function everythingStored(): Promise<string> {
  const tables = [InboundMessage, ConversationState, AuditLog, OutboxMessage];
  const rows = await Promise.all(tables.map((entity) => db().getRepository(entity).find()));
  return JSON.stringify(rows);
}

describe('a finished delivery keeps its dedupe key, not its text', () => {
  it('检查 with an ID and a mobile number: the body is dropped, the reply kept masked', async () => {
    const reply = await say('zd', `检查 张三 身份证 ${ID} 手机 ${MOBILE}`);
    expect(reply).toContain('发现 2 处个人信息');
    const row = await db()
      .getRepository(InboundMessage)
      .findOneOrFail({ where: { fromUser: 'zd' }, order: { id: 'DESC' } });
    expect(row.status).toBe('done');
    expect(row.xml).toBeNull();
    expect(row.dedupeKey).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(ID);
    expect(JSON.stringify(row)).not.toContain(MOBILE);
    expect(await everythingStored()).not.toContain(ID);
  });

  it('a WeCom retry of a finished delivery still has no second effect and gets the same answer', async () => {
    bot.clock.advance(60_000);
    const xml = bot.client.textXml('zd', '工作日 2026-03-21');
    const first = await bot.client.post(xml);
    const retry = await bot.client.post(xml);
    expect(retry.reply?.content).toBe(first.reply?.content);
    expect(await db().getRepository(InboundMessage).countBy({ fromUser: 'zd', msgType: 'text' })).toBe(2);
  });

  it('a 办理 reply the PII gate blocked is stored nowhere', async () => {
    expect(await say('zd', '办理 T1')).toContain('请发送 T1');
    expect(await say('zd', `已整改，联系人 ${MOBILE}，身份证 ${ID}`)).toContain('提交未受理');
    expect(await say('zd', '提交')).toContain('请先发送办理情况文字');
    const stored = await everythingStored();
    expect(stored).not.toContain(MOBILE);
    expect(stored).not.toContain(ID);
    expect(await say('zd', '取消')).toContain('已取消');
  });

  it('a delivery from a stranger is ignored without its body, and audited once an hour with a count', async () => {
    bot.clock.set(new Date('2026-03-20T02:10:00Z'));
    for (let i = 0; i < 3; i++) await say('nobody', `你好 ${MOBILE}`);
    await say('left', '我的任务');
    const rows = await db().getRepository(InboundMessage).findBy({ fromUser: 'nobody' });
    expect(rows.map((row) => [row.status, row.xml])).toEqual([
      ['ignored', null],
      ['ignored', null],
      ['ignored', null],
    ]);
    const audits = await db().getRepository(AuditLog).findBy({ action: STRANGER_ACTION });
    expect(audits.map((a) => [a.actor, a.count, a.result])).toEqual([
      ['nobody', 3, 'denied'],
      ['left', 1, 'denied'],
    ]);
    expect(audits[0]!.detail).toContain('不在通讯录');
    expect(audits[1]!.detail).toContain('账号已停用');

    bot.clock.set(new Date('2026-03-20T03:05:00Z'));
    await say('nobody', '再试一次');
    expect(await db().getRepository(AuditLog).countBy({ action: STRANGER_ACTION, actor: 'nobody' })).toBe(2);
  });

  it('a failed delivery keeps a masked error note, not its body', async () => {
    const router = new Router({
      commands: [
        {
          name: '出错',
          roles: ['liaison'],
          summary: '',
          args: 'optional',
          handle: () => {
            throw new Error(`Duplicate entry '${ID}' for key 'IDX_x'`);
          },
        },
      ],
      cardActions: [],
      events: [],
      flows: [],
      files: [],
      help: () => ({}),
    });
    const failing = await startTestBot({ database: bot.database, clock: bot.clock, router });
    try {
      bot.clock.advance(60_000);
      await failing.client.sendText('zd', `出错 ${ID}`);
      const row = await db()
        .getRepository(InboundMessage)
        .findOneOrFail({ where: { fromUser: 'zd' }, order: { id: 'DESC' } });
      // A handler error quarantines the delivery; with no INBOUND_SEAL_KEY its body is not kept.
      expect(row.status).toBe('quarantined');
      expect(row.xml).toBeNull();
      expect(row.error).toContain('Duplicate entry');
      expect(row.error).not.toContain(ID);
    } finally {
      await failing.close();
    }
  });

  it('a delivery left unfinished keeps its body until the recovery sweep has run it', async () => {
    bot.clock.advance(60_000);
    const xml = bot.client.textXml('zd', '工作日 2026-03-23');
    const { identifiers } = await db()
      .getRepository(InboundMessage)
      .insert({
        dedupeKey: `crashed-${Date.now()}`,
        fromUser: 'zd',
        msgType: 'text',
        event: null,
        xml,
        status: 'received',
        attempts: 1,
        receivedAt: new Date(bot.clock.now().getTime() - 5 * 60_000),
      });
    const id = (identifiers[0] as { id: number }).id;
    expect((await db().getRepository(InboundMessage).findOneByOrFail({ id })).xml).toBe(xml);
    expect(await bot.runtime.inbound.recoverStuck()).toBe(1);
    const row = await db().getRepository(InboundMessage).findOneByOrFail({ id });
    expect([row.status, row.xml]).toEqual(['done', null]);
  });
});

describe('retention rules', () => {
  const dropping = Object.keys(BODY_RETENTION).filter(
    (status) => BODY_RETENTION[status as keyof typeof BODY_RETENTION] === 'drop',
  );

  it('only a quarantined delivery (an admin may retry it) keeps its body, sealed', () => {
    expect(Object.keys(BODY_RETENTION).filter((status) => !dropping.includes(status))).toEqual([
      'quarantined',
    ]);
    const key = 'k'.repeat(32);
    const sealed = finishedColumns({ status: 'quarantined', xml: `<xml>${ID}</xml>` }, key).xml!;
    expect(isSealed(sealed)).toBe(true);
    expect(openSealedBody(sealed, key)).toBe(`<xml>${ID}</xml>`);
    expect(finishedColumns({ status: 'quarantined', xml: `<xml>${ID}</xml>` }, undefined).xml).toBeNull();
  });

  it.each(dropping)('a %s delivery drops its body', (status) => {
    const columns = finishedColumns(
      { status: status as keyof typeof BODY_RETENTION, xml: `<xml>${ID}</xml>`, error: `bad ${MOBILE}` },
      'k'.repeat(32),
    );
    expect(columns.xml).toBeNull();
    expect(columns.error).toBe('bad 138****5678');
  });

  it('masks the passive reply it keeps for a retry', () => {
    expect(
      finishedColumns({ status: 'done', passiveReply: { type: 'text', content: `身份证 ${ID}` } }, undefined)
        .passiveReply,
    ).toEqual({ type: 'text', content: `身份证 ${maskPiiForLog(ID)}` });
  });

  it('seals a body with a key the database does not hold, and opens it only with that key', () => {
    const key = 'a-sealing-key-from-the-environment-01';
    const sealed = sealBody(`<xml><Content>${ID}</Content></xml>`, key);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(ID);
    expect(sealBody('<xml/>', key)).not.toBe(sealBody('<xml/>', key));
    expect(openSealedBody(sealed, key)).toBe(`<xml><Content>${ID}</Content></xml>`);
    expect(() => openSealedBody(sealed, 'another-key-of-thirty-two-characters')).toThrow();
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(() => openSealedBody(tampered, key)).toThrow();
  });

  it('never keeps a body raw, with or without a key', () => {
    for (const status of Object.keys(BODY_RETENTION) as (keyof typeof BODY_RETENTION)[]) {
      for (const key of [undefined, 'k'.repeat(32)]) {
        const kept = retainedBody(status, '<xml/>', key);
        expect(kept === null || isSealed(kept)).toBe(true);
      }
    }
  });
});

describe('housekeeping deletes what the README table says', () => {
  it('each kind of row after its time, and nothing younger', async () => {
    const now = new Date('2027-06-01T19:30:00Z');
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const manager = db().manager;
    const inbound = (key: string, receivedAt: Date, status: 'done' | 'received') =>
      manager.getRepository(InboundMessage).insert({
        dedupeKey: key,
        fromUser: 'hk',
        msgType: 'text',
        event: null,
        xml: status === 'received' ? '<xml/>' : null,
        status,
        attempts: 1,
        receivedAt,
      });
    await inbound('hk-old', ago(8), 'done');
    await inbound('hk-young', ago(6), 'done');
    await inbound('hk-stuck', ago(30), 'received');
    const outbox = async (key: string, status: 'sent' | 'dead' | 'pending', createdAt: Date) => {
      await manager.getRepository(OutboxMessage).insert({
        idempotencyKey: key,
        channel: 'app',
        recipient: 'hk',
        payload: '{}',
        payloadHash: 'x',
        source: 'test',
        status,
        nextAttemptAt: createdAt,
      });
      await manager.getRepository(OutboxMessage).update({ idempotencyKey: key }, { createdAt });
    };
    await outbox('hk-sent-old', 'sent', ago(91));
    await outbox('hk-dead-old', 'dead', ago(91));
    await outbox('hk-sent-young', 'sent', ago(89));
    await outbox('hk-pending-old', 'pending', ago(200));
    const audit = (actor: string, at: Date) =>
      manager
        .getRepository(AuditLog)
        .insert({ at, actor, action: 'x', target: 'y', result: 'ok', detail: null });
    await audit('hk-audit-old', ago(366));
    await audit('hk-audit-kept', ago(200));
    await manager.getRepository(BoardSession).insert([
      { tokenHash: 'a'.repeat(64), userid: 'hk', role: 'liaison', expiresAt: ago(1) },
      { tokenHash: 'b'.repeat(64), userid: 'hk', role: 'liaison', expiresAt: new Date(now.getTime() + DAY) },
    ]);
    const exported = await saveXlsx(manager, { fileName: 'old.xlsx', data: Buffer.from('x') }, 'hk', ago(8));
    const fresh = await saveXlsx(manager, { fileName: 'new.xlsx', data: Buffer.from('y') }, 'hk', ago(6));
    const attachment = await saveFile(manager, {
      fileName: 'kept.jpg',
      contentType: 'image/jpeg',
      data: Buffer.from('z'),
      owner: 'hk',
    });
    await manager
      .getRepository(JobRun)
      .insert({ job: 'hk', fireTime: ago(31), instance: 'i', status: 'done', startedAt: ago(31) });

    const summary = await housekeeping.run(bot.runtime.jobDeps, now, { fireTime: now, catchUp: false });
    expect(summary).toMatch(/sessions 1, files 1, audit \d+$/);

    const keys = (await manager.getRepository(InboundMessage).findBy({ fromUser: 'hk' })).map(
      (r) => r.dedupeKey,
    );
    expect(keys.sort()).toEqual(['hk-stuck', 'hk-young']);
    const outboxKeys = (await manager.getRepository(OutboxMessage).findBy({ recipient: 'hk' })).map(
      (r) => r.idempotencyKey,
    );
    expect(outboxKeys.sort()).toEqual(['hk-pending-old', 'hk-sent-young']);
    const actors = (await manager.getRepository(AuditLog).find()).map((a) => a.actor);
    expect(actors).toContain('hk-audit-kept');
    expect(actors).not.toContain('hk-audit-old');
    expect(await manager.getRepository(BoardSession).countBy({ userid: 'hk' })).toBe(1);
    const files = (await manager.getRepository(StoredFile).findBy({ owner: 'hk' })).map((f) => f.id);
    expect(files.sort()).toEqual([fresh.id, attachment.id].sort());
    expect(await manager.getRepository(StoredFileChunk).countBy({ fileId: exported.id })).toBe(0);
    expect(await manager.getRepository(JobRun).countBy({ job: 'hk' })).toBe(0);
  });

  it('keeps audit rows as long as AUDIT_RETENTION_DAYS says', async () => {
    const now = new Date('2027-06-02T19:30:00Z');
    await db()
      .getRepository(AuditLog)
      .insert({
        at: new Date(now.getTime() - 400 * DAY),
        actor: 'hk-long',
        action: 'x',
        target: 'y',
        result: 'ok',
      });
    const deps = { ...bot.runtime.jobDeps, config: loadConfig({ AUDIT_RETENTION_DAYS: '730' }) };
    await housekeeping.run(deps, now, { fireTime: now, catchUp: false });
    expect(await db().getRepository(AuditLog).countBy({ actor: 'hk-long' })).toBe(1);
  });
});

describe('the data migration cleans rows kept by earlier versions', () => {
  it('masks long digit runs', () => {
    expect(maskDigits(`Duplicate entry '${ID}' and ${MOBILE}; T12 2026-03-20`)).toBe(
      "Duplicate entry '110***********4514' and 138****5678; T12 2026-03-20",
    );
  });

  // Migrations run on MySQL/MariaDB only (the SQLite fallback follows the entities).
  it.runIf(inject('testDatabase').kind === 'mysql')(
    'drops bodies, masks notes, forgets blocked drafts and orphan files',
    async () => {
      const manager = db().manager;
      const legacy = (key: string, status: string, xml: string, error: string | null) =>
        manager.query(
          'INSERT INTO inbound_message (dedupe_key, from_user, msg_type, xml, status, attempts, error, passive_reply, received_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)',
          [key, 'legacy', 'text', xml, status, error, '{"content":"x"}', new Date()],
        );
      await legacy('legacy-done', 'done', `<xml>${ID}</xml>`, null);
      await legacy('legacy-failed', 'failed', `<xml>${MOBILE}</xml>`, `Duplicate entry '${ID}'`);
      await legacy('legacy-received', 'received', '<xml>keep</xml>', null);
      await manager.query(
        'INSERT INTO audit_log (at, actor, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?)',
        [new Date(), 'legacy', 'x', 'y', 'ok', `联系 ${MOBILE}`],
      );
      await manager.getRepository(ConversationState).save([
        {
          userid: 'legacy1',
          flow: 'task-submit',
          step: 'collect',
          data: { taskId: 1, texts: [`联系 ${MOBILE}`], files: [], replaceText: true },
          version: 1,
          expiresAt: new Date(Date.now() + DAY),
        },
        {
          userid: 'legacy2',
          flow: 'task-submit',
          step: 'collect',
          data: { taskId: 1, texts: ['已整改'], files: [] },
          version: 1,
          expiresAt: new Date(Date.now() + DAY),
        },
      ]);
      const orphan = await saveFile(manager, {
        fileName: 'export.xlsx',
        contentType: 'x',
        data: Buffer.from('o'),
        owner: 'legacy',
      });

      const runner = db().createQueryRunner();
      try {
        await new ForgetWhatNeedNotBeKept1796458054874().up(runner);
      } finally {
        await runner.release();
      }

      const rows = await manager.getRepository(InboundMessage).findBy({ fromUser: 'legacy' });
      const byKey = new Map(rows.map((row) => [row.dedupeKey, row]));
      expect(byKey.get('legacy-done')).toMatchObject({ xml: null, passiveReply: null });
      expect(byKey.get('legacy-failed')).toMatchObject({
        xml: null,
        error: "Duplicate entry '110***********4514'",
      });
      expect(byKey.get('legacy-received')!.xml).toBe('<xml>keep</xml>');
      expect((await manager.getRepository(AuditLog).findOneByOrFail({ actor: 'legacy' })).detail).toBe(
        '联系 138****5678',
      );
      expect(await manager.getRepository(ConversationState).findOneBy({ userid: 'legacy1' })).toBeNull();
      expect(await manager.getRepository(ConversationState).findOneBy({ userid: 'legacy2' })).not.toBeNull();
      expect(
        (await manager.getRepository(StoredFile).findOneByOrFail({ id: orphan.id })).expiresAt,
      ).not.toBeNull();
    },
  );
});
