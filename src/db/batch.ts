// Fewer round trips to MySQL on the hot path. A callback's transaction used to be six statements,
// each its own packet, its own wait and its own wake-up on both sides of the socket:
//
//   START TRANSACTION · INSERT delivery · SELECT asker FOR UPDATE · handler's SELECT ·
//   UPDATE delivery · COMMIT
//
// Two of them nobody waits for (START TRANSACTION answers nothing; the delivery's final UPDATE
// matters only with the COMMIT after it) and one only later (the INSERT's id is needed when the
// delivery is finished). A batching connection holds such statements back and sends them in front
// of its next statement, in one multi-statement packet:
//
//   START TRANSACTION; INSERT …; SELECT … FOR UPDATE  ·  handler's SELECT  ·  UPDATE …; COMMIT
//
// The server runs a packet's statements in order and stops at the first that fails, whose error
// is then the error of the statement that carried it: a failed held UPDATE fails the COMMIT it rode
// with, and the transaction is rolled back as before. Held statements are formatted with the
// connection's own escaping (the same the driver applies to `?` placeholders).
//
// A shared transaction (src/app/shared-commit.ts) goes further: while its connection coalesces,
// every statement waits for the end of the event-loop turn, and all statements issued in that turn
// (by all the members sharing the transaction) go as one packet. A failure there fails every
// statement of the packet, and every later one, until the transaction is rolled back.
//
// Multi-statement packets need the pool's `multipleStatements`. That also means a statement
// built by concatenating a member's text could carry a second statement: every statement in this
// project is parameterised, and the layering rules keep SQL out of handlers.
import type { EntityManager } from 'typeorm';

type Callback = (error: Error | null, result?: unknown, fields?: unknown) => void;

/** What mysql2 calls a query: a text, or an object with the text in `sql` (and a timeout). */
type QueryText = string | { sql: string };

interface Held {
  sql: string;
  settle?: (error: Error | null, result?: unknown) => void;
}

/** The part of a mysql2 (callback) connection this module needs. */
export interface BatchableConnection {
  query(sql: QueryText, values?: unknown, callback?: Callback): unknown;
  format(sql: string, values?: unknown): string;
  execute?(...args: unknown[]): unknown;
  release?(): void;
}

const HOLD = Symbol('duban.holdForNext');
const COALESCE = Symbol('duban.coalesce');

/** A connection coalescing the statements of a shared transaction (see coalesceStatements). */
export interface Coalescing {
  /** The first failure of a statement sent (or refused) while coalescing; none: all went well. */
  readonly failure: Error | undefined;
}

/** Says why a statement may not run in a shared transaction; undefined: it may. */
export type Refusal = (sql: string) => string | undefined;

/** A held statement: its answer, and a way to send it now if nothing else is coming. */
interface HeldResult {
  answer: Promise<unknown>;
  sendNow(): void;
}

interface Holding {
  [HOLD]: (sql: string, values: unknown[]) => HeldResult;
  [COALESCE]: (refuse: Refusal, lockWaitSeconds: number | undefined) => Coalescing;
}

interface Shared extends Coalescing {
  failure: Error | undefined;
  refuse: Refusal;
  flushScheduled: boolean;
  /** Whether the session's lock wait was shortened (and is to be reset on release). */
  lockWait: boolean;
}

/** The answer to a START TRANSACTION that was held back (nobody reads it; TypeORM awaits it). */
const HELD_OK = Object.freeze({ affectedRows: 0, insertId: 0, warningStatus: 0, serverStatus: 0 });

/** Statements of one packet: a newline before each `;`, so a held statement's trailing `--` comment cannot swallow it. */
const SEPARATOR = '\n;\n';

/**
 * Makes `connection` hold back START TRANSACTION, and statements given to holdForNext, until its
 * next statement; called once per new pooled connection.
 *
 * A failing held statement fails the statement it rode with, whose error then names that carrier
 * (`COMMIT`), not the held statement; the driver's error message says what failed.
 */
export function batchStatements(connection: BatchableConnection): void {
  const send = connection.query.bind(connection);
  const held: Held[] = [];
  let shared: Shared | undefined;

  /** Sends what is held on its own; its answers go to those who hold them. */
  const flushAlone = (): void => {
    const batch = held.splice(0);
    if (batch.length === 0) return;
    send(batch.map((h) => h.sql).join(SEPARATOR), undefined, (error, results) =>
      settle(batch, error, batch.length === 1 ? [results] : (results as unknown[])),
    );
  };

  /**
   * Before a streamed query or execute(), which cannot carry a packet: a held START goes out alone;
   * a held write must not (its failure would reach nobody while the transaction went on), so that
   * is refused as the programming error it is.
   */
  const flushBeforeUncarried = (): void => {
    if (shared) throw failShared(shared, new Error('a shared transaction runs plain queries only'));
    if (held.some((h) => h.sql !== 'START TRANSACTION'))
      throw new Error('a statement held for the next one must be followed by a plain query');
    flushAlone();
  };

  connection.query = function query(sql: QueryText, values?: unknown, callback?: Callback): unknown {
    const done = typeof values === 'function' ? (values as Callback) : callback;
    const params = typeof values === 'function' ? undefined : values;
    const text = typeof sql === 'string' ? sql : sql.sql;
    // A transaction's first statement waits for the second.
    if (done && text === 'START TRANSACTION' && held.length === 0) {
      held.push({ sql: text });
      process.nextTick(done, null, HELD_OK, undefined);
      return undefined;
    }
    // A rollback never carries anything: a held statement that failed would stop the packet before
    // the ROLLBACK and leave the transaction open for the connection's next user. What is held is
    // dropped (the rollback would undo it); if the START itself is still held, nothing reached the
    // server and there is nothing to roll back.
    if (done && /^ROLLBACK\b/i.test(text) && held.length > 0) {
      const dropped = held.splice(0);
      settle(dropped, new Error('rolled back before the held statement was sent'));
      if (dropped[0]?.sql === 'START TRANSACTION' && text === 'ROLLBACK') {
        process.nextTick(done, null, HELD_OK, undefined);
        return undefined;
      }
      return params === undefined ? send(sql, done) : send(sql, params, done);
    }
    if (!done) flushBeforeUncarried();
    // A ROLLBACK is never held or refused: it is how a failed shared transaction ends.
    if (shared && done && !/^ROLLBACK\b/i.test(text)) {
      queueShared(shared, text, params, done);
      return undefined;
    }
    if (held.length === 0 || !done) return params === undefined ? send(sql, done) : send(sql, params, done);
    // Formatted before anything is taken off the list: a value that cannot be formatted throws
    // here with everything still held.
    const own = params === undefined ? text : connection.format(text, params);
    const batch = held.splice(0);
    const joined = [...batch.map((h) => h.sql), own].join(SEPARATOR);
    const packet = typeof sql === 'string' ? joined : { ...sql, sql: joined };
    return send(packet, undefined, (error, results, fields) => {
      if (error) {
        settle(batch, error);
        done(error);
        return;
      }
      const all = results as unknown[];
      settle(batch, null, all);
      // The carrier's own answer, as if it had gone alone (several, if it was a batch itself).
      const mine = all.slice(batch.length);
      const myFields = (fields as unknown[] | undefined)?.slice(batch.length);
      done(null, mine.length === 1 ? mine[0] : mine, myFields?.length === 1 ? myFields[0] : myFields);
    });
  };

  // execute() (prepared statements) cannot carry a multi-statement packet: what is held goes first.
  const execute = connection.execute?.bind(connection);
  if (execute) {
    connection.execute = (...args: unknown[]) => {
      flushBeforeUncarried();
      return execute(...args);
    };
  }

  /** A statement of a shared transaction: sent with all others issued in the same turn. */
  const queueShared = (state: Shared, text: string, params: unknown, done: Callback): void => {
    const refusal = state.failure ? undefined : state.refuse(text);
    if (refusal !== undefined) failShared(state, new Error(refusal));
    if (state.failure) {
      process.nextTick(done, state.failure);
      return;
    }
    held.push({
      sql: params === undefined ? text : connection.format(text, params),
      settle: (error, result) => {
        if (error) failShared(state, error);
        done(error, result);
      },
    });
    if (state.flushScheduled) return;
    state.flushScheduled = true;
    setImmediate(() => {
      // Gone back to the pool meanwhile: what was queued was dropped with the release.
      if (shared !== state) return;
      state.flushScheduled = false;
      // Nothing more is sent once a statement failed: the transaction is to be rolled back.
      if (state.failure) settle(held.splice(0), state.failure);
      else flushAlone();
    });
  };

  (connection as unknown as Holding)[COALESCE] = (refuse, lockWaitSeconds) => {
    shared = { failure: undefined, refuse, flushScheduled: false, lockWait: lockWaitSeconds !== undefined };
    if (lockWaitSeconds !== undefined)
      held.push({ sql: connection.format('SET SESSION innodb_lock_wait_timeout = ?', [lockWaitSeconds]) });
    return shared;
  };

  (connection as unknown as Holding)[HOLD] = (sql, values) => {
    const entry: Held = { sql: connection.format(sql, values) };
    // In a shared transaction a held statement's failure is the group's, whoever reads the answer.
    const state = shared;
    const answer = new Promise((resolve, reject) => {
      entry.settle = (error, result) => {
        if (error && state) failShared(state, error);
        if (error) reject(error);
        else resolve(result);
      };
    });
    held.push(entry);
    return { answer, sendNow: () => held.includes(entry) && flushAlone() };
  };

  // A connection goes back to the pool with nothing held: a held START TRANSACTION would otherwise
  // open a transaction for the connection's next user. (TypeORM always ends a transaction with
  // COMMIT or ROLLBACK; this is for a release after a failure.)
  const release = connection.release?.bind(connection);
  if (release) {
    connection.release = () => {
      // The lock wait a shared transaction shortened is the server's again for the next user (sent
      // before anything of theirs: one connection runs its statements in order).
      if (shared?.lockWait) send('SET SESSION innodb_lock_wait_timeout = DEFAULT', () => undefined);
      shared = undefined;
      const dropped = held.splice(0);
      settle(dropped, new Error('connection released before the held statement was sent'));
      release();
    };
  }
}

/** Records a shared transaction's first failure; returns the error to throw. */
function failShared(state: Shared, error: Error): Error {
  state.failure ??= error;
  return error;
}

function settle(batch: Held[], error: Error | null, results?: unknown[]): void {
  batch.forEach((h, index) => h.settle?.(error, results?.[index]));
}

/**
 * Sends `sql` in front of the next statement of `tx`'s connection, in the same packet, and returns
 * at once; `result()` gives its answer, sending it on its own first if no statement followed.
 * Where the connection does not batch (the embedded SQLite), the statement runs now.
 */
export async function holdForNext(
  tx: EntityManager,
  sql: string,
  values: unknown[],
): Promise<{ result: () => Promise<unknown> }> {
  const connection = (tx.queryRunner as { databaseConnection?: Partial<Holding> } | undefined)
    ?.databaseConnection;
  const hold = connection?.[HOLD];
  if (!hold) {
    const answer: unknown = await tx.query(sql, values);
    return { result: () => Promise.resolve(answer) };
  }
  const held = hold(sql, values);
  // Read later, or never (a statement whose failure is the next statement's failure anyway).
  held.answer.catch(() => undefined);
  return {
    result: () => {
      held.sendNow();
      return held.answer;
    },
  };
}

/**
 * Makes `tx`'s connection coalesce its statements until it goes back to the pool: every statement
 * waits for the end of the event-loop turn and goes in one packet with all others issued in it.
 * `refuse` is asked about each statement first; a refused or failed statement fails that one and
 * every later one. `lockWaitSeconds`: how long a statement may wait for a row lock meanwhile
 * (innodb_lock_wait_timeout, reset on release). Undefined where the connection does not batch (the
 * embedded SQLite).
 */
export function coalesceStatements(
  tx: EntityManager,
  refuse: Refusal,
  lockWaitSeconds?: number,
): Coalescing | undefined {
  const connection = (tx.queryRunner as { databaseConnection?: Partial<Holding> } | undefined)
    ?.databaseConnection;
  return connection?.[COALESCE]?.(refuse, lockWaitSeconds);
}
