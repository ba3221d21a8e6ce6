// The app pipeline, between the transport (src/bot) and the router: dedupe → asker → session →
// router → commit. Every delivery is stored before it is answered (that is what makes WeCom's
// retries harmless), in one of two ways:
//
// - At once (text, menu clicks, card clicks, other events): one transaction holds everything: the
//   delivery row inserted under its unique dedupe key, the asker's row locked and their dialog
//   read in one statement (src/app/asker.ts), the handler's reads and writes, the dialog written
//   back, the outbox rows, and the delivery's final status. One commit; the answer goes out only
//   after it. A copy that arrives meanwhile (WeCom retries after 5 s) waits on the key until the
//   first commits, then meets it and gets the first answer again, without running the handler;
//   a crash before the commit leaves nothing, and WeCom sends the message again.
// - Recorded first (files, images, links): these download or fetch, and their content may take a
//   parse worker down, so the delivery is stored before any of that: a retry meanwhile finds it at
//   once, and a crash leaves a `received` row that the recovery sweep runs again, once; a second
//   crash quarantines it (src/app/quarantine.ts).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock.js';
import { coalesceStatements, holdForNext } from '../db/batch.js';
import { isMysql } from '../db/data-source.js';
import { InboundMessage } from '../entities/inbound-message.js';
import { Person } from '../entities/person.js';
import { UNKNOWN_USER_TEXT } from '../handlers/help.js';
import type { Router } from '../handlers/router.js';
import { normaliseText } from '../handlers/text.js';
import type { HandlerContext } from '../handlers/types.js';
import { createServices, type AppDeps } from '../services/index.js';
import { DatabaseUnavailableError, type DeliveryReceiver, type PassiveReply } from '../bot/delivery.js';
import { dedupeKey, parseInbound, type Inbound } from '../bot/inbound.js';
import { isConnectionError, isDuplicateKeyError, isLockConflict } from '../db/errors.js';
import { readableBody } from '../db/sealed.js';
import { text, type OutMessage } from '../messages/outbound.js';
import { DUPLICATE_CHECK, enqueue, enqueuedIn, messagesToItems } from '../outbox/queue.js';
import { AskerLoader } from './asker.js';
import { choosePassive, outboxItemsOf } from './effects.js';
import { quarantine, RecoveryLedger } from './quarantine.js';
import { RATE_LIMITED_TEXT, type MemberRateLimiter } from './rate-limit.js';
import { finishedColumns, finishRow } from './retention.js';
import { openSession, saveSession } from './session.js';
import {
  refuseInSharedCommit,
  SHARED_COMMIT_ALONE_MS,
  SHARED_COMMIT_MAX_SIZE,
  SHARED_LOCK_WAIT_SECONDS,
  SharedCommits,
  Withdrawn,
  type GroupOutcome,
} from './shared-commit.js';
import { auditStranger } from './stranger-audit.js';
import { BUSY_TEXT } from './views.js';

export { BUSY_TEXT };

/** Senders that are not members (system events such as change_contact come from `sys`). */
const SYSTEM_SENDERS = new Set(['sys']);

export interface InboundDispatcherOptions {
  /** After this long, replies go through the outbox: WeCom may have given up on the request. */
  passiveBudgetMs?: number;
  conversationTtlMinutes?: number;
  /** Called after a commit that wrote outbox rows. */
  onOutbox?: () => void;
  /** How long a delivery may stay unfinished before the recovery sweep runs it again. */
  recoverAfterMs?: number;
  /** Per-member fair share (src/app/rate-limit.ts); none: no limit. */
  rateLimiter?: MemberRateLimiter;
  /** Slots for light deliveries sharing a commit (src/app/shared-commit.ts; MySQL only); 0: each alone. */
  sharedCommitSlots?: number;
}

/** A light delivery waiting to share a commit. */
interface LightDelivery {
  key: string;
  xml: string;
  inbound: Inbound;
  started: number;
}

/** A delivery being handled: not stored yet (handled at once), or stored as row `id`. */
type Delivery =
  | { kind: 'fresh'; key: string; xml: string; inbound: Inbound; receivedAt: Date }
  | { kind: 'stored'; id: number; key: string; inbound: Inbound };

/** Whether a delivery is handled in one transaction, or recorded first (see the top of the file). */
function handledAtOnce(inbound: Inbound): boolean {
  return inbound.type !== 'file' && inbound.type !== 'image' && inbound.type !== 'link';
}

/** A UTC instant as both MySQL's DATETIME and the embedded SQLite take it in a raw statement. */
function sqlInstant(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

export class InboundDispatcher implements DeliveryReceiver {
  private readonly passiveBudgetMs: number;
  private readonly ttlMinutes: number;
  /** What this process is running or saw interrupted: how the sweep tells a crash (quarantine.ts). */
  private readonly ledger = new RecoveryLedger();
  private readonly askers: AskerLoader;
  /** Keys of deliveries handled at once in this process now, with how many copies of each. */
  private readonly keysInFlight = new Map<string, number>();
  /** Light deliveries in groups of one transaction each; undefined where the store cannot (SQLite). */
  readonly shared: SharedCommits<LightDelivery, PassiveReply | undefined> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly router: Router,
    private readonly deps: AppDeps,
    private readonly options: InboundDispatcherOptions = {},
  ) {
    this.passiveBudgetMs = options.passiveBudgetMs ?? 3000;
    this.ttlMinutes = options.conversationTtlMinutes ?? 30;
    this.askers = new AskerLoader(isMysql(dataSource), () => performance.now());
    const slots = options.sharedCommitSlots ?? 0;
    this.shared =
      slots > 0 && isMysql(dataSource)
        ? new SharedCommits<LightDelivery, PassiveReply | undefined>(
            (members) => this.commitShared(members),
            (member) => this.handleAtOnce(member.key, member.xml, member.inbound, member.started),
            (member) => member.inbound.fromUser,
            {
              slots,
              maxSize: SHARED_COMMIT_MAX_SIZE,
              aloneForMs: SHARED_COMMIT_ALONE_MS,
              elapsed: () => performance.now(),
            },
          )
        : undefined;
  }

  private get clock(): Clock {
    return this.deps.clock;
  }

  private get logger(): Logger {
    return this.deps.logger;
  }

  private get sealKey(): string | undefined {
    return this.deps.config.inboundSealKey;
  }

  /**
   * Stores and handles one decrypted delivery. Returns a passive reply, or undefined for an empty
   * 200 (duplicates, and everything sent through the outbox). Throws DatabaseUnavailableError only
   * when the delivery could not be stored (→ 503, WeCom retries).
   */
  async receive(xml: string, inbound: Inbound): Promise<PassiveReply | undefined> {
    const started = this.clock.monotonic();
    const key = dedupeKey(inbound, xml);
    const rate = SYSTEM_SENDERS.has(inbound.fromUser)
      ? 'allow'
      : this.options.rateLimiter?.check(inbound.fromUser);
    if (rate && rate !== 'allow') return this.throttle(key, xml, inbound, rate === 'refuse-and-tell');
    if (handledAtOnce(inbound)) return this.whileInFlight(key, () => this.atOnce(key, xml, inbound, started));
    const id = await this.record(key, xml, inbound);
    if (id === undefined) return this.replay(key);
    return this.process({ kind: 'stored', id, key, inbound }, started);
  }

  /**
   * A light delivery shares a commit with others (src/app/shared-commit.ts), unless a copy of it is
   * still being handled here: that one holds its key, and the group would wait for it.
   */
  private atOnce(
    key: string,
    xml: string,
    inbound: Inbound,
    started: number,
  ): Promise<PassiveReply | undefined> {
    if (this.shared && this.keysInFlight.get(key) === 1 && this.router.isLight(inbound))
      return this.shared.run({ key, xml, inbound, started });
    return this.handleAtOnce(key, xml, inbound, started);
  }

  /** Runs `handle` with `key` counted as in flight in this process. */
  private async whileInFlight<T>(key: string, handle: () => Promise<T>): Promise<T> {
    this.keysInFlight.set(key, (this.keysInFlight.get(key) ?? 0) + 1);
    try {
      return await handle();
    } finally {
      const left = this.keysInFlight.get(key)! - 1;
      if (left === 0) this.keysInFlight.delete(key);
      else this.keysInFlight.set(key, left);
    }
  }

  /** Over the member's rate: recorded (nothing is lost) but not handled; told at most once a minute. */
  private async throttle(
    key: string,
    xml: string,
    inbound: Inbound,
    tell: boolean,
  ): Promise<PassiveReply | undefined> {
    const passive: PassiveReply | undefined = tell
      ? { type: 'text', content: RATE_LIMITED_TEXT, toUser: inbound.fromUser }
      : undefined;
    const id = await this.record(key, xml, inbound, { status: 'throttled', passive });
    return id === undefined ? this.replay(key) : passive;
  }

  /**
   * A retry of a delivery we already have: no second effect. If the first was answered with a
   * passive reply, the same reply is given again (WeCom retries when our answer did not arrive).
   */
  private async replay(key: string): Promise<PassiveReply | undefined> {
    try {
      const row = await this.dataSource.getRepository(InboundMessage).findOne({
        where: { dedupeKey: key },
        select: { id: true, status: true, passiveReply: true },
      });
      // Not while it is still being handled (or waits for the sweep): then there is no answer yet.
      if (!row || row.status === 'received') return undefined;
      return (row.passiveReply as PassiveReply | null) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private async record(
    key: string,
    xml: string,
    inbound: Inbound,
    throttled?: { status: 'throttled'; passive: PassiveReply | undefined },
  ): Promise<number | undefined> {
    try {
      const now = this.clock.now();
      const row = await this.dataSource.getRepository(InboundMessage).insert({
        ...this.rowOf(key, inbound, now),
        xml: throttled ? null : xml,
        status: throttled?.status ?? 'received',
        ...(throttled
          ? { handledAt: now, passiveReply: throttled.passive ? { ...throttled.passive } : null }
          : {}),
      });
      return (row.identifiers[0] as { id: number }).id;
    } catch (error) {
      // The unique dedupe key: a retry (or a concurrent copy) of a delivery we already have.
      if (isDuplicateKeyError(error)) return undefined;
      this.logger.error({ err: error }, 'could not record inbound message');
      throw new DatabaseUnavailableError('inbound message could not be stored');
    }
  }

  private rowOf(key: string, inbound: Inbound, receivedAt: Date) {
    return {
      dedupeKey: key,
      fromUser: inbound.fromUser.slice(0, 64),
      msgType: inbound.type === 'other' ? inbound.msgType.slice(0, 32) : inbound.type,
      event: inbound.type === 'event' ? inbound.event.slice(0, 64) : null,
      attempts: 1,
      receivedAt,
    };
  }

  /** The one-transaction path: everything, the delivery row included, commits together. */
  private async handleAtOnce(
    key: string,
    xml: string,
    inbound: Inbound,
    started: number,
  ): Promise<PassiveReply | undefined> {
    const delivery: Delivery = { kind: 'fresh', key, xml, inbound, receivedAt: this.clock.now() };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commit(delivery, started);
      } catch (error) {
        // The dedupe key met at the end: a copy of this delivery committed first. Nothing of this
        // run was kept; the copy's answer is the answer.
        if (isDuplicateKeyError(error)) return this.replay(key);
        if (isLockConflict(error) && attempt < 3) continue;
        // Nothing was stored: 503, and WeCom sends it again once the database is back.
        if (isConnectionError(error)) throw new DatabaseUnavailableError('delivery could not be stored');
        this.logger.error({ err: error, from: inbound.fromUser }, 'handler failed');
        await this.keepFailed(key, xml, inbound, error);
        return undefined;
      }
    }
  }

  /** Runs `delivery` in one transaction and wakes the outbox if the commit queued messages. */
  private async commit(delivery: Delivery, started: number | undefined): Promise<PassiveReply | undefined> {
    let wroteOutbox = false;
    const passive = await this.dataSource.transaction(async (tx) => {
      const reply = await this.handle(tx, delivery, started);
      wroteOutbox = enqueuedIn(tx);
      return reply;
    });
    // Most answers ride on the HTTP response: waking the dispatcher for nothing would cost a
    // claim pass (a locked lease row and two selects) per callback.
    if (wroteOutbox) this.options.onOutbox?.();
    return passive;
  }

  /**
   * Light deliveries of several members in one transaction (src/app/shared-commit.ts): all commit
   * together (a member who withdrew runs alone after), or the group is rolled back and each member
   * runs alone (handleAtOnce).
   */
  private async commitShared(
    members: LightDelivery[],
  ): Promise<GroupOutcome<LightDelivery, PassiveReply | undefined>> {
    let wroteOutbox = false;
    let settled: PromiseSettledResult<PassiveReply | undefined>[];
    try {
      settled = await this.dataSource.transaction(async (tx) => {
        const connection = coalesceStatements(tx, refuseInSharedCommit, SHARED_LOCK_WAIT_SECONDS);
        if (!connection) throw new Error('this connection cannot share a commit');
        const receivedAt = this.clock.now();
        const outcomes = await Promise.allSettled(
          members.map(({ key, xml, inbound, started }) =>
            this.handle(tx, { kind: 'fresh', key, xml, inbound, receivedAt }, started, true),
          ),
        );
        const failed = outcomes.find((o) => o.status === 'rejected' && !(o.reason instanceof Withdrawn));
        if (failed) throw (failed as PromiseRejectedResult).reason;
        if (connection.failure) throw connection.failure;
        wroteOutbox = enqueuedIn(tx);
        return outcomes;
      });
    } catch (error) {
      // Nothing was stored: 503 for all, and WeCom sends each again once the database is back.
      if (isConnectionError(error))
        return { error: new DatabaseUnavailableError('deliveries could not be stored') };
      this.logger.debug(
        { err: error, members: members.length },
        'shared commit rolled back; each runs alone',
      );
      // A lock held outside the group (another instance's copy of a delivery) is nobody's fault here.
      return { committed: false, culprits: isLockConflict(error) ? [] : 'all' };
    }
    if (wroteOutbox) this.options.onOutbox?.();
    const withdrawn: LightDelivery[] = [];
    const results = settled.map((outcome, index) => {
      if (outcome.status === 'fulfilled') return Promise.resolve(outcome.value);
      const member = members[index]!;
      const { then, id } = outcome.reason as Withdrawn;
      if (then === 'replay' || id === undefined) return this.replay(member.key);
      withdrawn.push(member);
      return this.process({ kind: 'stored', id, key: member.key, inbound: member.inbound }, member.started);
    });
    return { committed: true, results, withdrawn };
  }

  /**
   * Handles a recorded delivery; also used by the recovery sweep for rows left in `received`.
   * `started` is when the HTTP request began; without it (the sweep) no response is waiting, so
   * nothing may be answered passively.
   */
  async process(
    delivery: Extract<Delivery, { kind: 'stored' }>,
    started: number | undefined,
  ): Promise<PassiveReply | undefined> {
    this.ledger.started(delivery.id);
    let interrupted = false;
    try {
      return await this.run(delivery, started, () => (interrupted = true));
    } finally {
      this.ledger.finished(delivery.id, interrupted);
    }
  }

  private async run(
    delivery: Extract<Delivery, { kind: 'stored' }>,
    started: number | undefined,
    onInterrupted: () => void,
  ): Promise<PassiveReply | undefined> {
    const { id: inboundId, inbound } = delivery;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commit(delivery, started);
      } catch (error) {
        // A deadlock victim is simply run again (its transaction was rolled back whole).
        if (isLockConflict(error) && attempt < 3) continue;
        if (isConnectionError(error)) {
          // The database went away mid-way: nothing was committed and the row is still
          // `received`, so the recovery sweep runs it again once the database is back.
          this.logger.warn({ err: error, inboundId }, 'database unavailable while handling; will retry');
          onInterrupted();
          return undefined;
        }
        this.logger.error({ err: error, inboundId, from: inbound.fromUser }, 'handler failed');
        await this.markFailed(inboundId, inbound, error);
        return undefined;
      }
    }
  }

  /** `shared`: in a shared commit, where the asker is locked without waiting and must be light. */
  private async handle(
    tx: EntityManager,
    delivery: Delivery,
    started: number | undefined,
    shared = false,
  ): Promise<PassiveReply | undefined> {
    const now = this.clock.now();
    const { inbound } = delivery;
    // First the key: a copy of this delivery in flight makes this wait, then fail as a duplicate.
    // The INSERT goes out in one packet with the asker's lock (src/db/batch.ts).
    const inserted = delivery.kind === 'fresh' ? await this.insertReceived(tx, delivery, shared) : undefined;
    const found = await this.askers.lock(tx, inbound.fromUser, !shared);
    const id = delivery.kind === 'stored' ? delivery.id : await inserted!();
    // Only a shared commit ignores a key met: a retry of a delivery already stored.
    if (id === undefined) throw new Withdrawn('replay');
    if (shared) await this.withdrawUnlessLight(tx, id, delivery, found);
    if (delivery.kind === 'stored' && started === undefined && (await this.alreadyHandled(tx, delivery.id)))
      return undefined;
    if (!found) return this.refuseStranger(tx, id, delivery, now);
    const { asker } = found;

    const session = openSession(this.router, found.conversation, now);
    const rawText = inbound.type === 'text' ? inbound.content : '';
    const ctx: HandlerContext = {
      inbound,
      deliveryId: deliveryIdOf(delivery),
      user: asker,
      text: normaliseText(rawText),
      rawText,
      args: '',
      rawArgs: '',
      conversation: session.conversation,
      tx,
      services: createServices(tx, this.deps, now),
      now,
    };
    const result = await this.router.route(ctx);
    await saveSession(tx, this.router, asker, session, result, now, this.ttlMinutes);

    const replies: OutMessage[] = [...(session.note ? [text(session.note)] : []), ...(result.replies ?? [])];
    const inTime = started !== undefined && this.clock.monotonic() - started <= this.passiveBudgetMs;
    const passive = choosePassive(inbound, asker.userid, replies, result, inTime);
    // Content that killed a worker: answered, and kept aside for admins (src/app/quarantine.ts).
    const status = result.quarantine ? 'quarantined' : 'done';
    await this.finish(tx, id, delivery, status, now, passive, result.quarantine);
    await enqueue(tx, outboxItemsOf(`in:${id}`, inbound, asker.userid, replies, result, passive), now);
    return passive;
  }

  /**
   * In a shared commit, a member who is not light after all leaves it: a stranger, a member whose
   * row or dialog another transaction holds, a supervisor's list. Their delivery is kept as a
   * recorded one (its body stored, status `received`) and handled alone once the group commits;
   * a crash meanwhile leaves it to the recovery sweep. (Deleting the row instead would leave a
   * delete-marked key whose re-insert locks the gap around it, and with it other members' keys.)
   */
  private async withdrawUnlessLight(
    tx: EntityManager,
    id: number,
    delivery: Delivery,
    found: Awaited<ReturnType<AskerLoader['lock']>>,
  ): Promise<void> {
    if (found && !found.dialogBusy && this.router.isLight(delivery.inbound, found.asker.role)) return;
    if (delivery.kind === 'fresh')
      await tx.query('UPDATE inbound_message SET xml = ? WHERE id = ?', [delivery.xml, id]);
    throw new Withdrawn('alone', id);
  }

  /** Someone the bot does not serve: one line (for a message or a card click), and an audit row. */
  private async refuseStranger(
    tx: EntityManager,
    id: number,
    delivery: Delivery,
    now: Date,
  ): Promise<PassiveReply | undefined> {
    const { inbound } = delivery;
    if (!SYSTEM_SENDERS.has(inbound.fromUser)) await auditStranger(tx, inbound, now);
    const userFacing = !SYSTEM_SENDERS.has(inbound.fromUser) && inbound.type !== 'event';
    const refusal: PassiveReply | undefined =
      userFacing || (inbound.type === 'event' && inbound.event === 'template_card_event')
        ? { type: 'text', content: UNKNOWN_USER_TEXT, toUser: inbound.fromUser }
        : undefined;
    await this.finish(tx, id, delivery, 'ignored', now, refusal);
    return refusal;
  }

  /**
   * For the recovery sweep: whether the delivery was finished meanwhile. A slow first run (a long
   * download, a page being read) may still be going when the sweep picks the row up; the asker's
   * row lock taken just before makes the sweep wait for it, and then this sees its commit.
   */
  private async alreadyHandled(tx: EntityManager, inboundId: number): Promise<boolean> {
    const row = await tx
      .getRepository(InboundMessage)
      .findOne({ where: { id: inboundId }, select: { id: true, status: true } });
    return row?.status !== 'received';
  }

  /**
   * The delivery's row within the transaction that handles it (its body is never written), held
   * for the transaction's next statement; the returned function gives its id once that was sent.
   */
  private async insertReceived(
    tx: EntityManager,
    delivery: Extract<Delivery, { kind: 'fresh' }>,
    ignoreKeyMet = false,
  ): Promise<() => Promise<number | undefined>> {
    const row = this.rowOf(delivery.key, delivery.inbound, delivery.receivedAt);
    // A shared commit must not fail for one member's retry: the key met inserts nothing (and the
    // caller withdraws the member) instead of failing the statement.
    const { result } = await holdForNext(
      tx,
      `INSERT${ignoreKeyMet ? ' IGNORE' : ''} INTO inbound_message ` +
        '(dedupe_key, from_user, msg_type, event, status, attempts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        row.dedupeKey,
        row.fromUser,
        row.msgType,
        row.event,
        'received',
        row.attempts,
        sqlInstant(row.receivedAt),
      ],
    );
    return async () => {
      const id = insertedId(await result());
      if (ignoreKeyMet) return id;
      return id ?? (await this.idOf(tx, delivery.key));
    };
  }

  /** The delivery's final status; the body dropped (or sealed) and the reply masked (retention.ts). */
  private async finish(
    tx: EntityManager,
    id: number,
    delivery: Delivery,
    status: 'done' | 'ignored' | 'quarantined',
    now: Date,
    passive: PassiveReply | undefined,
    reason?: string,
  ): Promise<void> {
    const finished = {
      status,
      handledAt: now,
      passiveReply: passive ? { ...passive } : null,
      ...(reason !== undefined ? { error: reason } : {}),
      // A delivery handled at once never stored its body: hand it over in case it is to be sealed.
      ...(delivery.kind === 'fresh' ? { xml: delivery.xml } : {}),
    };
    if (delivery.kind === 'stored') {
      await finishRow(tx, id, finished, this.sealKey);
      return;
    }
    // The hot path's last statement, without the ORM's query building, sent with the COMMIT (or
    // the outbox rows' INSERT) that follows it; its failure fails that statement.
    const kept = finishedColumns(finished, this.sealKey);
    await holdForNext(
      tx,
      'UPDATE inbound_message SET status = ?, xml = ?, error = ?, passive_reply = ?, handled_at = ? WHERE id = ?',
      [
        status,
        kept.xml,
        kept.error,
        kept.passiveReply ? JSON.stringify(kept.passiveReply) : null,
        sqlInstant(now),
        id,
      ],
    );
  }

  private async idOf(tx: EntityManager, key: string): Promise<number> {
    const rows = await tx.query<{ id: number }[]>('SELECT id FROM inbound_message WHERE dedupe_key = ?', [
      key,
    ]);
    return Number(rows[0]!.id);
  }

  /**
   * A handler of a delivery handled at once threw: its transaction is gone, the delivery with it.
   * It is stored now, quarantined (running it again would throw again; an admin may retry it once
   * the cause is fixed), and the member gets an apology.
   */
  private async keepFailed(key: string, xml: string, inbound: Inbound, error: unknown): Promise<void> {
    const now = this.clock.now();
    try {
      await this.dataSource.transaction(async (tx) => {
        const delivery = { kind: 'fresh', key, xml, inbound, receivedAt: now } as const;
        const id = (await (await this.insertReceived(tx, delivery))())!;
        await this.finish(tx, id, delivery, 'quarantined', now, undefined, `error: ${String(error)}`);
        await this.apologise(tx, id, inbound.fromUser, now);
      });
      this.options.onOutbox?.();
    } catch (keepError) {
      // A copy was stored meanwhile, or the database is gone: either way WeCom's retry or the copy
      // stands for it.
      this.logger.error({ err: keepError }, 'could not store the failed delivery');
    }
  }

  /**
   * The handler of a stored delivery threw: quarantine it (running it again would throw again;
   * an admin may retry it once the cause is fixed) and apologise.
   */
  private async markFailed(
    inboundId: number,
    inbound: Inbound,
    error: unknown,
    status: 'quarantined' | 'failed' = 'quarantined',
  ): Promise<void> {
    const now = this.clock.now();
    try {
      await this.dataSource.transaction(async (tx) => {
        // `error:` is how 隔离消息 names the reason (处理出错); the note itself is masked.
        const note = `error: ${String(error)}`;
        await finishRow(tx, inboundId, { status, handledAt: now, error: note }, this.sealKey);
        await this.apologise(tx, inboundId, inbound.fromUser, now);
      });
      this.options.onOutbox?.();
    } catch (markError) {
      // The row stays `received`; the recovery sweep will try it again.
      this.logger.error({ err: markError, inboundId }, 'could not record the handler failure');
    }
  }

  private async apologise(tx: EntityManager, inboundId: number, userid: string, now: Date): Promise<void> {
    const person = await tx.getRepository(Person).findOneBy({ userid });
    if (!person?.active) return;
    await enqueue(
      tx,
      messagesToItems(person.userid, [text(BUSY_TEXT)], {
        keyPrefix: `in:${inboundId}:busy`,
        source: 'reply',
        duplicateCheckInterval: DUPLICATE_CHECK.reply(`in:${inboundId}:busy`),
      }),
      now,
    );
  }

  /**
   * Re-runs deliveries left in `received` (the process died between recording and committing):
   * nothing a member sent is lost. A delivery that crashed its run twice is quarantined instead of
   * being run a third time (src/app/quarantine.ts). Each row is claimed by a conditional update.
   */
  async recoverStuck(olderThanMs = this.options.recoverAfterMs ?? 60_000): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - olderThanMs);
    const rows = await this.dataSource
      .getRepository(InboundMessage)
      .createQueryBuilder('i')
      .where('i.status = :status AND i.received_at < :cutoff', { status: 'received', cutoff })
      .orderBy('i.id')
      .limit(100)
      .getMany();
    let handled = 0;
    for (const row of rows) {
      const decision = this.ledger.decide(row);
      if (decision.kind === 'skip') continue;
      if (decision.kind === 'quarantine') {
        const now = this.clock.now();
        if (
          await quarantine(this.dataSource, row.id, 'crash', now, {
            expected: 'received',
            tellMember: true,
            sealKey: this.sealKey,
          })
        ) {
          this.logger.error({ inboundId: row.id, from: row.fromUser }, 'delivery quarantined after crashes');
          this.options.onOutbox?.();
          handled++;
        }
        continue;
      }
      // A retry after an interruption seen here keeps its count; a crash recovery adds a run.
      const attempts = decision.kind === 'recover' ? row.attempts + 1 : row.attempts;
      const claim = await this.dataSource
        .createQueryBuilder()
        .update(InboundMessage)
        .set({ attempts, receivedAt: this.clock.now() })
        .where('id = :id AND status = :status AND attempts = :attempts AND received_at = :receivedAt', {
          id: row.id,
          status: 'received',
          attempts: row.attempts,
          receivedAt: row.receivedAt,
        })
        .execute();
      if ((claim.affected ?? 0) === 0) continue;
      const body = readableBody(row.xml, this.sealKey);
      if (body === null) {
        await this.markFailed(
          row.id,
          { fromUser: row.fromUser } as Inbound,
          new Error('body missing'),
          'failed',
        );
        handled++;
        continue;
      }
      // No HTTP response is waiting: every reply goes through the outbox.
      await this.process(
        { kind: 'stored', id: row.id, key: row.dedupeKey, inbound: parseInbound(body) },
        undefined,
      );
      handled++;
    }
    return handled;
  }
}

/** A short id of a delivery for handlers' keys: from its dedupe key, so a retry gets the same one. */
function deliveryIdOf(delivery: Delivery): string {
  return createHash('sha1').update(delivery.key).digest('hex').slice(0, 16);
}

/** The id of a row just inserted by a raw statement (mysql2: insertId; SQLite: none, looked up). */
function insertedId(result: unknown): number | undefined {
  const id = (result as { insertId?: number } | undefined)?.insertId;
  return typeof id === 'number' && id > 0 ? id : undefined;
}
