// Inbound pipeline after decryption: record the delivery under its dedupe key (a WeCom retry
// stops here), load the asker and their open conversation, route, and commit the handler's effects
// (domain rows, conversation state, outbox rows, inbound status) in one transaction.
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock.js';
import { isMysql } from '../db/data-source.js';
import { ConversationState } from '../entities/conversation-state.js';
import { InboundMessage } from '../entities/inbound-message.js';
import { Person, type Role } from '../entities/person.js';
import { Unit } from '../entities/unit.js';
import { UNKNOWN_USER_TEXT } from '../handlers/help.js';
import type { Router } from '../handlers/router.js';
import { normaliseText } from '../handlers/text.js';
import type { Asker, HandlerContext, HandlerResult } from '../handlers/types.js';
import { createServices, type AppDeps } from '../services/index.js';
import { DatabaseUnavailableError, type DeliveryReceiver, type PassiveReply } from '../bot/delivery.js';
import { dedupeKey, parseInbound, type Inbound } from '../bot/inbound.js';
import { isConnectionError, isDuplicateKeyError, isLockConflict } from '../db/errors.js';
import { MAX_CONTENT_BYTES, shownCard, text, type OutMessage } from '../messages/outbound.js';
import { DUPLICATE_CHECK, enqueue, enqueuedIn, messagesToItems, type OutboxItem } from '../outbox/queue.js';
import { finishRow } from './retention.js';
import { readableBody } from '../db/sealed.js';
import { auditStranger } from './stranger-audit.js';
import { quarantine, RecoveryLedger } from './quarantine.js';
import { RATE_LIMITED_TEXT, type MemberRateLimiter } from './rate-limit.js';

export const BUSY_TEXT = '系统繁忙，请稍后再试。';

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
}

export class InboundDispatcher implements DeliveryReceiver {
  private readonly passiveBudgetMs: number;
  private readonly ttlMinutes: number;
  /** What this process is running or saw interrupted: how the sweep tells a crash (quarantine.ts). */
  private readonly ledger = new RecoveryLedger();

  constructor(
    private readonly dataSource: DataSource,
    private readonly router: Router,
    private readonly deps: AppDeps,
    private readonly options: InboundDispatcherOptions = {},
  ) {
    this.passiveBudgetMs = options.passiveBudgetMs ?? 3000;
    this.ttlMinutes = options.conversationTtlMinutes ?? 30;
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
   * Records and handles one decrypted delivery. Returns a passive reply, or undefined for an
   * empty 200 (duplicates, and everything sent through the outbox). Throws
   * DatabaseUnavailableError only when the delivery could not be recorded (→ 503, WeCom retries).
   */
  async receive(xml: string, inbound: Inbound): Promise<PassiveReply | undefined> {
    const started = this.clock.monotonic();
    const key = dedupeKey(inbound, xml);
    const rate = SYSTEM_SENDERS.has(inbound.fromUser)
      ? 'allow'
      : this.options.rateLimiter?.check(inbound.fromUser);
    if (rate && rate !== 'allow') return this.throttle(key, xml, inbound, rate === 'refuse-and-tell');
    const id = await this.record(key, xml, inbound);
    if (id === undefined) return this.replay(key);
    return this.process(id, inbound, started);
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
      const row = await this.dataSource.getRepository(InboundMessage).insert({
        dedupeKey: key,
        fromUser: inbound.fromUser.slice(0, 64),
        msgType: inbound.type === 'other' ? inbound.msgType.slice(0, 32) : inbound.type,
        event: inbound.type === 'event' ? inbound.event.slice(0, 64) : null,
        xml,
        status: throttled?.status ?? 'received',
        attempts: 1,
        receivedAt: this.clock.now(),
        ...(throttled
          ? { handledAt: this.clock.now(), passiveReply: throttled.passive ? { ...throttled.passive } : null }
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

  /**
   * Handles a recorded delivery; also used by the recovery sweep for rows left in `received`.
   * `started` is when the HTTP request began; without it (the sweep) no response is waiting, so
   * nothing may be answered passively.
   */
  async process(
    inboundId: number,
    inbound: Inbound,
    started: number | undefined,
  ): Promise<PassiveReply | undefined> {
    this.ledger.started(inboundId);
    let interrupted = false;
    try {
      return await this.run(inboundId, inbound, started, () => (interrupted = true));
    } finally {
      this.ledger.finished(inboundId, interrupted);
    }
  }

  private async run(
    inboundId: number,
    inbound: Inbound,
    started: number | undefined,
    onInterrupted: () => void,
  ): Promise<PassiveReply | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        let wroteOutbox = false;
        const passive = await this.dataSource.transaction(async (tx) => {
          const reply = await this.handle(tx, inboundId, inbound, started);
          wroteOutbox = enqueuedIn(tx);
          return reply;
        });
        // Most answers ride on the HTTP response: waking the dispatcher for nothing would cost a
        // claim pass (a locked lease row and two selects) per callback.
        if (wroteOutbox) this.options.onOutbox?.();
        return passive;
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

  private async handle(
    tx: EntityManager,
    inboundId: number,
    inbound: Inbound,
    started: number | undefined,
  ): Promise<PassiveReply | undefined> {
    const now = this.clock.now();
    const asker = await this.loadAsker(tx, inbound.fromUser);
    if (started === undefined && (await this.alreadyHandled(tx, inboundId))) return undefined;
    if (!asker) {
      if (!SYSTEM_SENDERS.has(inbound.fromUser)) await auditStranger(tx, inbound, now);
      const userFacing = !SYSTEM_SENDERS.has(inbound.fromUser) && inbound.type !== 'event';
      const refusal: PassiveReply | undefined =
        userFacing || (inbound.type === 'event' && inbound.event === 'template_card_event')
          ? { type: 'text', content: UNKNOWN_USER_TEXT, toUser: inbound.fromUser }
          : undefined;
      await this.finish(tx, inboundId, 'ignored', now, refusal);
      return refusal;
    }

    const state = await tx.getRepository(ConversationState).findOneBy({ userid: asker.userid });
    const notes: OutMessage[] = [];
    let conversation: HandlerContext['conversation'];
    if (state) {
      const flow = this.router.flow(state.flow);
      if (state.expiresAt <= now) {
        notes.push(text('上一次的操作已超时结束，请重新开始。'));
        await tx.getRepository(ConversationState).delete({ userid: asker.userid });
      } else if (
        !flow ||
        flow.version !== state.version ||
        !flow.steps[state.step] ||
        !(flow.accepts?.(state.data) ?? true)
      ) {
        notes.push(text('系统已更新，之前未完成的操作已失效，请重新开始。'));
        await tx.getRepository(ConversationState).delete({ userid: asker.userid });
      } else {
        conversation = {
          flow: state.flow,
          step: state.step,
          data: (state.data ?? {}) as Record<string, unknown>,
          ...(state.role ? { role: state.role as Role, unitId: state.unitId } : {}),
        };
      }
    }

    const rawText = inbound.type === 'text' ? inbound.content : '';
    const ctx: HandlerContext = {
      inbound,
      inboundId,
      user: asker,
      text: normaliseText(rawText),
      rawText,
      args: '',
      rawArgs: '',
      conversation,
      tx,
      services: createServices(tx, this.deps, now),
      now,
    };
    const result = await this.router.route(ctx);
    await this.saveConversation(tx, asker, conversation, result, now);

    const replies = [...notes, ...(result.replies ?? [])];
    const passive = this.choosePassive(inbound, asker.userid, replies, result, started);
    const items: OutboxItem[] = [];
    if (!passive || passive.type !== 'text') {
      items.push(
        ...messagesToItems(asker.userid, replies, {
          keyPrefix: `in:${inboundId}`,
          source: 'reply',
          duplicateCheckInterval: DUPLICATE_CHECK.reply(`in:${inboundId}`),
        }),
      );
    }
    const responseCode =
      result.cardResponseCode ?? (inbound.type === 'event' ? inbound.card?.responseCode : undefined);
    if (result.cardUpdate && responseCode && passive?.type !== 'update_button') {
      items.push(this.cardUpdateItem(inboundId, asker.userid, responseCode, result));
    }
    for (const note of result.notify ?? []) {
      for (const to of new Set(note.to)) {
        items.push(
          ...messagesToItems(to, [note.message], {
            keyPrefix: note.key,
            source: note.source ?? 'notice',
            notBefore: note.notBefore,
          }),
        );
      }
    }
    await enqueue(tx, items, now);
    // Content that killed a worker: answered, and kept aside for admins (src/app/quarantine.ts).
    await this.finish(
      tx,
      inboundId,
      result.quarantine ? 'quarantined' : 'done',
      now,
      passive,
      result.quarantine,
    );
    return passive;
  }

  /**
   * A single short text (or a button update for a card click) can ride on the HTTP response;
   * everything else, or anything late, goes through the outbox.
   */
  private choosePassive(
    inbound: Inbound,
    userid: string,
    replies: OutMessage[],
    result: HandlerResult,
    started: number | undefined,
  ): PassiveReply | undefined {
    if (started === undefined || this.clock.monotonic() - started > this.passiveBudgetMs) return undefined;
    // A passive button update can only change the card this very click came from.
    const clicked = inbound.type === 'event' && inbound.card && !result.cardResponseCode;
    if (result.cardUpdate?.type === 'updateButton' && clicked) {
      return { type: 'update_button', replaceName: result.cardUpdate.replaceName, toUser: userid };
    }
    const only = replies.length === 1 ? replies[0] : undefined;
    if (only?.type === 'text' && Buffer.byteLength(only.content, 'utf8') <= MAX_CONTENT_BYTES) {
      return { type: 'text', content: only.content, toUser: userid };
    }
    return undefined;
  }

  /** Updates the clicked card through the API with the click's response code (usable once). */
  private cardUpdateItem(
    inboundId: number,
    userid: string,
    responseCode: string,
    result: HandlerResult,
  ): OutboxItem {
    const update = result.cardUpdate!;
    const body =
      update.type === 'updateButton'
        ? { userids: [userid], response_code: responseCode, button: { replace_name: update.replaceName } }
        : { userids: [userid], response_code: responseCode, template_card: shownCard(update.card) };
    return { key: `in:${inboundId}:card`, to: userid, channel: 'card_update', payload: body, source: 'card' };
  }

  private async saveConversation(
    tx: EntityManager,
    asker: Asker,
    current: HandlerContext['conversation'],
    result: HandlerResult,
    now: Date,
  ): Promise<void> {
    const repo = tx.getRepository(ConversationState);
    const userid = asker.userid;
    const next = result.next;
    if (next === 'end') {
      await repo.delete({ userid });
      return;
    }
    const target = next ?? current;
    if (!target) return;
    const flow = this.router.flow(target.flow);
    if (!flow) throw new Error(`unknown flow ${target.flow}`);
    const ttl = flow.ttlMinutes ?? this.ttlMinutes;
    await repo.save({
      userid,
      flow: target.flow,
      step: target.step,
      data: target.data,
      version: flow.version,
      // The router ends a dialog whose person changed, so the asker now is who started it.
      role: asker.role,
      unitId: asker.topUnit?.id ?? null,
      expiresAt: new Date(now.getTime() + ttl * 60_000),
    });
  }

  /**
   * The asker with unit and top-level unit; the row is locked on MySQL so that two deliveries
   * from one member are handled one after the other (their conversation state cannot race).
   */
  private async loadAsker(tx: EntityManager, userid: string): Promise<Asker | undefined> {
    const qb = tx.getRepository(Person).createQueryBuilder('p').where('p.userid = :userid', { userid });
    if (isMysql(this.dataSource)) qb.setLock('pessimistic_write');
    const person = await qb.getOne();
    if (!person?.active) return undefined;
    const units = tx.getRepository(Unit);
    const unit = person.unitId ? await units.findOneBy({ id: person.unitId }) : null;
    let top = unit;
    for (let depth = 0; top?.parentId && depth < 5; depth++) {
      top = await units.findOneBy({ id: top.parentId });
    }
    return Object.assign(person, { unit, topUnit: top ?? null });
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

  private async finish(
    tx: EntityManager,
    id: number,
    status: 'done' | 'ignored' | 'quarantined',
    now: Date,
    passive: PassiveReply | undefined,
    reason?: string,
  ): Promise<void> {
    // The body is dropped (or sealed) and the reply masked (src/app/retention.ts).
    await finishRow(
      tx,
      id,
      {
        status,
        handledAt: now,
        passiveReply: passive ? { ...passive } : null,
        ...(reason !== undefined ? { error: reason } : {}),
      },
      this.sealKey,
    );
  }

  /**
   * The handler threw: its transaction is gone; quarantine the delivery (running it again would
   * throw again; an admin may retry it once the cause is fixed) and apologise.
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
        const person = await tx.getRepository(Person).findOneBy({ userid: inbound.fromUser });
        if (person?.active) {
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
      });
      this.options.onOutbox?.();
    } catch (markError) {
      // The row stays `received`; the recovery sweep will try it again.
      this.logger.error({ err: markError, inboundId }, 'could not record the handler failure');
    }
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
      await this.process(row.id, parseInbound(body), undefined);
      handled++;
    }
    return handled;
  }
}
