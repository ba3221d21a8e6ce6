// Statements held back and sent with the next one (src/db/batch.ts): a callback's transaction goes
// to MariaDB in three packets instead of six, and nothing of its meaning changes: a held statement
// that fails fails the statement it rode with and the transaction is rolled back, a pooled
// connection never carries a held START TRANSACTION to its next user, and text with `?` or `;` in
// it is a value, never SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource, EntityManager } from 'typeorm';
import {
  batchStatements,
  coalesceStatements,
  holdForNext,
  type BatchableConnection,
} from '../src/db/batch.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { say } from './support/chat.js';
import { recordPackets } from './support/packets.js';
import { startTestBot, type TestBot } from './support/harness.js';

/** A connection that answers every packet with one OK per statement and records what it was sent. */
function recordingConnection(): BatchableConnection & { packets: string[] } {
  const packets: string[] = [];
  return {
    packets,
    query(sql, values, callback) {
      const done = (typeof values === 'function' ? values : callback) as (
        e: Error | null,
        r?: unknown,
      ) => void;
      const text = typeof sql === 'string' ? sql : sql.sql;
      packets.push(text);
      const statements = text.split('\n;\n');
      const answers = statements.map((s, i) => ({ statement: s, index: i }));
      process.nextTick(done, null, statements.length === 1 ? answers[0] : answers);
      return undefined;
    },
    format: (sql, values) => {
      const list = [...((values as unknown[]) ?? [])];
      return sql.replace(/\?/g, () => JSON.stringify(list.shift()));
    },
    release: () => undefined,
  };
}

const run = (connection: BatchableConnection, sql: string) =>
  new Promise<unknown>((resolve, reject) =>
    connection.query(sql, (error: Error | null, result?: unknown) =>
      error ? reject(error) : resolve(result),
    ),
  );

describe('a batching connection', () => {
  it('sends START TRANSACTION with the next statement and answers each as if it went alone', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    expect(await run(connection, 'START TRANSACTION')).toMatchObject({ affectedRows: 0 });
    expect(connection.packets).toEqual([]);
    expect(await run(connection, 'SELECT 1')).toEqual({ statement: 'SELECT 1', index: 1 });
    expect(connection.packets).toEqual(['START TRANSACTION\n;\nSELECT 1']);
    await run(connection, 'COMMIT');
    expect(connection.packets).toHaveLength(2);
  });

  const txOf = (connection: BatchableConnection) =>
    ({ queryRunner: { databaseConnection: connection } }) as unknown as EntityManager;

  it('never sends a held statement with a ROLLBACK: nothing at all while the START is still held', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    const held = await holdForNext(txOf(connection), 'INSERT INTO t VALUES (?)', [1]);
    await run(connection, 'ROLLBACK');
    expect(connection.packets).toEqual([]);
    await expect(held.result()).rejects.toThrow(/rolled back/);
  });

  it('sends the ROLLBACK alone, dropping a held write, once the transaction has begun', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    await run(connection, 'SELECT 1');
    const held = await holdForNext(txOf(connection), 'UPDATE t SET a = ?', [2]);
    await run(connection, 'ROLLBACK');
    expect(connection.packets).toEqual(['START TRANSACTION\n;\nSELECT 1', 'ROLLBACK']);
    await expect(held.result()).rejects.toThrow(/rolled back/);
  });

  it('keeps everything held when the next statement cannot be formatted, and refuses a stream after a held write', async () => {
    const connection = recordingConnection();
    const format = connection.format.bind(connection);
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    connection.format = () => {
      throw new Error('cannot format');
    };
    expect(() => connection.query('SELECT ?', [1], () => undefined)).toThrow('cannot format');
    connection.format = format;
    await holdForNext(txOf(connection), 'UPDATE t SET a = ?', [3]);
    expect(() => connection.query('SELECT 2')).toThrow(/plain query/);
    await run(connection, 'COMMIT');
    expect(connection.packets).toEqual(['START TRANSACTION\n;\nUPDATE t SET a = 3\n;\nCOMMIT']);
  });

  it('ends the statement before the next one even after a trailing -- comment', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    await run(connection, 'SELECT 1');
    await holdForNext(txOf(connection), 'UPDATE t SET a = 1 -- why', []);
    await run(connection, 'COMMIT');
    expect(connection.packets[1]).toBe('UPDATE t SET a = 1 -- why\n;\nCOMMIT');
  });

  it('coalescing: sends every statement of one turn in one packet, each answered as if alone', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    const shared = coalesceStatements(txOf(connection), () => undefined)!;
    const answers = await Promise.all([run(connection, 'SELECT 1'), run(connection, 'SELECT 2')]);
    expect(connection.packets).toEqual(['START TRANSACTION\n;\nSELECT 1\n;\nSELECT 2']);
    expect(answers).toEqual([
      { statement: 'SELECT 1', index: 1 },
      { statement: 'SELECT 2', index: 2 },
    ]);
    await run(connection, 'COMMIT');
    expect(connection.packets[1]).toBe('COMMIT');
    expect(shared.failure).toBeUndefined();
  });

  it('coalescing: a refused statement fails, and so does every later one; the ROLLBACK still goes', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    const shared = coalesceStatements(txOf(connection), (sql) =>
      sql.startsWith('UPDATE task') ? 'not here' : undefined,
    )!;
    const outcomes = await Promise.allSettled([
      run(connection, 'SELECT 1'),
      run(connection, 'UPDATE task SET a = 1'),
      run(connection, 'SELECT 3'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(shared.failure?.message).toBe('not here');
    // Nothing of the failed turn was sent.
    expect(connection.packets).toEqual([]);
    await expect(run(connection, 'SELECT 4')).rejects.toThrow('not here');
    await run(connection, 'ROLLBACK');
    expect(connection.packets).toEqual(['ROLLBACK']);
  });

  it('coalescing ends when the connection goes back to the pool', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    coalesceStatements(txOf(connection), () => 'refused');
    await expect(run(connection, 'SELECT 1')).rejects.toThrow('refused');
    await run(connection, 'ROLLBACK');
    connection.release!();
    expect(await run(connection, 'SELECT 2')).toEqual({ statement: 'SELECT 2', index: 0 });
  });

  it('never hands a held START TRANSACTION to the connection’s next user', async () => {
    const connection = recordingConnection();
    batchStatements(connection);
    await run(connection, 'START TRANSACTION');
    connection.release!();
    await run(connection, 'SELECT 2');
    expect(connection.packets).toEqual(['SELECT 2']);
  });
});

describe('held statements on MariaDB', () => {
  let bot: TestBot;
  let db: DataSource;
  beforeAll(async () => {
    // Each callback alone: groups of light deliveries are shared-commit.e2e.test.ts's.
    bot = await startTestBot({ env: { SHARED_COMMIT_SLOTS: '0' } });
    db = bot.database.dataSource;
    await bot.addUnit('张店区', 'district');
    await bot.addPerson('zd', { name: '张店联络员', unit: '张店区' });
    await db.query('CREATE TABLE IF NOT EXISTS batch_probe (id INT PRIMARY KEY, note VARCHAR(200))');
  });
  afterAll(() => bot.close());

  const mysqlOnly = () => bot.database.kind !== 'mysql';

  it('sends a callback’s transaction in three packets: the INSERT with the lock, the UPDATE with the COMMIT', async (t) => {
    if (mysqlOnly()) t.skip();
    const packets = await recordPackets(db, () => say(bot, 'zd', '我的任务'));
    const insert = packets.filter((p) => p.includes('INSERT INTO inbound_message'));
    expect(insert).toHaveLength(1);
    expect(insert[0]).toMatch(/^START TRANSACTION\n;\nINSERT INTO inbound_message[^]*FOR UPDATE$/);
    const finish = packets.filter((p) => p.includes('UPDATE inbound_message SET status'));
    expect(finish).toHaveLength(1);
    expect(finish[0]).toMatch(/^UPDATE inbound_message SET status = 'done'[^]*\n;\nCOMMIT$/);
    // A liaison's unit's pending reposts are read in the same packet as its open tasks.
    const reads = packets.filter((p) => p.includes('FROM repost_assignment'));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/^SELECT item_id FROM repost_assignment[^]*\n;\nSELECT [^]* FROM `task` WHERE/);
    const rows = await db.getRepository(InboundMessage).find({ where: { fromUser: 'zd' } });
    expect(rows.map((r) => r.status)).toEqual(['done']);
  });

  it('fails the COMMIT a failed held statement rode with, and rolls the whole transaction back', async (t) => {
    if (mysqlOnly()) t.skip();
    await db.query('INSERT INTO batch_probe (id, note) VALUES (1, ?)', ['已有']);
    const attempt = db.transaction(async (tx) => {
      await tx.query('INSERT INTO batch_probe (id, note) VALUES (2, ?)', ['同一事务']);
      await holdForNext(tx, 'INSERT INTO batch_probe (id, note) VALUES (?, ?)', [1, '重复']);
    });
    await expect(attempt).rejects.toMatchObject({ driverError: { code: 'ER_DUP_ENTRY' } });
    const rows = await db.query<{ id: number }[]>('SELECT id FROM batch_probe ORDER BY id');
    expect(rows.map((r) => Number(r.id))).toEqual([1]);
  });

  it('keeps a member’s text with ? ; and quotes as a value, never as SQL', async (t) => {
    if (mysqlOnly()) t.skip();
    const note = "x'); DROP TABLE batch_probe; -- ? ；\\";
    await db.transaction(async (tx) => {
      const held = await holdForNext(tx, 'INSERT INTO batch_probe (id, note) VALUES (?, ?)', [3, note]);
      const seen = await tx.query<{ n: string }[]>('SELECT COUNT(*) AS n FROM batch_probe WHERE note = ?', [
        '?',
      ]);
      expect(Number(seen[0]!.n)).toBe(0);
      expect(await held.result()).toMatchObject({ affectedRows: 1 });
    });
    const rows = await db.query<{ note: string }[]>('SELECT note FROM batch_probe WHERE id = 3');
    expect(rows[0]!.note).toBe(note);
  });

  it('sends a held statement on its own when its answer is wanted before anything else', async (t) => {
    if (mysqlOnly()) t.skip();
    const answer = await db.transaction(async (tx) => {
      const held = await holdForNext(tx, 'INSERT INTO batch_probe (id, note) VALUES (?, ?)', [4, '单独']);
      return held.result();
    });
    expect(answer).toMatchObject({ affectedRows: 1 });
  });
});
