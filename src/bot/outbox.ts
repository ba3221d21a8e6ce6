// The outbox dispatcher: messages are rows written with the change that caused them (see
// src/outbox/queue.ts); the dispatcher claims due rows, paces them per member, merges identical payloads into one call and
// records each outcome. A crash between send and record is covered by the lease: the batch is
// re-sent byte-identical with enable_duplicate_check, so WeCom suppresses the copy.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock.js';
import { isMysql } from '../db/data-source.js';
import { GroupRobot } from '../entities/group-robot.js';
import { Lease } from '../entities/lease.js';
import { OutboxMessage, type OutboxChannel } from '../entities/outbox-message.js';
import { StoredFile } from '../entities/stored-file.js';
import { loadFile } from '../db/files.js';
import { countOutboxRun } from '../metrics/metrics.js';
import { asDate } from '../db/values.js';
import { classifyFailure, ALL_RECIPIENTS_INVALID, WeComApiError, type FailureClass } from './api-errors.js';
import type { SendResult, WeComApi } from './api-client.js';

export interface DispatcherOptions {
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
  perMemberPerMinute?: number;
  perMemberPerHour?: number;
  robotPerMinute?: number;
  maxRecipientsPerCall?: number;
  concurrency?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

export interface DispatchStats {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  calls: number;
}

interface Batch {
  id: string;
  channel: OutboxChannel;
  rows: OutboxMessage[];
}

const CLAIM_LEASE = 'outbox-claim';

/**
 * The pacing windows are counted from claim times, but WeCom counts arrivals, which come a little
 * later (a call takes time; a batch waits for a free worker). Five seconds of margin keep a claim
 * from slipping into a window WeCom still sees as full.
 */
const WINDOW_MARGIN_MS = 5_000;
const MINUTE_WINDOW_MS = 60_000 + WINDOW_MARGIN_MS;
const HOUR_WINDOW_MS = 3_600_000 + WINDOW_MARGIN_MS;

export class OutboxDispatcher {
  private readonly options: Required<DispatcherOptions>;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly api: WeComApi,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: DispatcherOptions = {},
  ) {
    this.options = {
      batchSize: 2000,
      leaseMs: 60_000,
      maxAttempts: 8,
      perMemberPerMinute: 30,
      perMemberPerHour: 1000,
      robotPerMinute: 20,
      maxRecipientsPerCall: 1000,
      concurrency: 8,
      baseBackoffMs: 2000,
      maxBackoffMs: 10 * 60_000,
      random: Math.random,
      ...options,
    };
  }

  /** Polls every `intervalMs` (the sweep) besides being kicked after each commit. */
  start(intervalMs = 2000): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Asks for a run soon; coalesces with a run in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const stats = await this.runOnce();
        if (stats.claimed > 0) this.again = true;
      } catch (error) {
        this.logger.error({ err: error }, 'outbox run failed');
      }
    } while (this.again && !this.stopped);
  }

  /** Runs until nothing is due (for tests, scripts and shutdown). */
  async drain(maxRounds = 1000): Promise<DispatchStats> {
    const total: DispatchStats = { claimed: 0, sent: 0, retried: 0, dead: 0, calls: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const stats = await this.runOnce();
      for (const key of Object.keys(total) as (keyof DispatchStats)[]) total[key] += stats[key];
      if (stats.claimed === 0) break;
    }
    return total;
  }

  /** One claim-and-send cycle. */
  async runOnce(): Promise<DispatchStats> {
    const batches = await this.claim();
    const stats: DispatchStats = { claimed: 0, sent: 0, retried: 0, dead: 0, calls: 0 };
    for (const batch of batches) stats.claimed += batch.rows.length;
    const queue = [...batches];
    const workers = Array.from({ length: Math.min(this.options.concurrency, queue.length) }, async () => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) {
        stats.calls++;
        const outcome = await this.sendBatch(batch);
        stats.sent += outcome.sent;
        stats.retried += outcome.retried;
        stats.dead += outcome.dead;
      }
    });
    await Promise.all(workers);
    countOutboxRun(stats);
    return stats;
  }

  // ---------------------------------------------------------------------------------------------
  // Claiming

  private async claim(): Promise<Batch[]> {
    const mysql = isMysql(this.dataSource);
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      if (mysql) {
        // Claims are serialised across instances so that pacing counts see every earlier claim.
        await manager
          .createQueryBuilder()
          .insert()
          .into(Lease)
          .values({ name: CLAIM_LEASE })
          .orIgnore()
          .execute();
        await manager
          .getRepository(Lease)
          .createQueryBuilder('l')
          .setLock('pessimistic_write')
          .where('l.name = :name', { name: CLAIM_LEASE })
          .getOne();
      }
      const repo = manager.getRepository(OutboxMessage);
      const select = (where: string, params: Record<string, unknown>, limit?: number) => {
        let qb = repo.createQueryBuilder('o').where(where, params).orderBy('o.id');
        if (limit) qb = qb.limit(limit);
        if (mysql) qb = qb.setLock('pessimistic_write').setOnLocked('skip_locked');
        return qb.getMany();
      };

      // Sending rows whose lease ran out: the outcome is unknown, so the batch is re-sent as is.
      const expired = await select(
        'o.status = :s AND o.lease_until < :now',
        { s: 'sending', now },
        this.options.batchSize,
      );
      const due = await select(
        'o.status = :s AND o.next_attempt_at <= :now',
        { s: 'pending', now },
        this.options.batchSize,
      );
      // A retried batch goes out again with the same recipients, so load each one whole.
      const batchIds = [
        ...new Set([...expired, ...due].map((row) => row.batchId).filter((id): id is string => !!id)),
      ];
      const batchRows = batchIds.length
        ? await select('o.batch_id IN (:...ids) AND o.status IN (:...open)', {
            ids: batchIds,
            open: ['pending', 'sending'],
          })
        : [];
      const byBatch = new Map<string, OutboxMessage[]>();
      for (const row of batchRows) {
        byBatch.set(row.batchId!, [...(byBatch.get(row.batchId!) ?? []), row]);
      }
      const reclaimed: Batch[] = [];
      const retried: Batch[] = [];
      for (const [id, rows] of byBatch) {
        const batch = { id, channel: rows[0]!.channel, rows };
        if (rows.some((row) => row.status === 'sending')) {
          if (rows.every((row) => row.status === 'sending' && row.leaseUntil! < now)) reclaimed.push(batch);
        } else if (rows.every((row) => row.nextAttemptAt <= now)) {
          retried.push(batch);
        }
      }

      const fresh = await this.inOrder(
        manager,
        due.filter((row) => !row.batchId),
      );
      const units = [...retried.map((batch) => batch.rows), ...fresh.map((row) => [row])];
      const { allowed, deferred } = await this.pace(manager, units, now);
      for (const [nextAttemptAt, ids] of deferred) await repo.update(ids, { nextAttemptAt });

      const allowedRetries = new Set(
        allowed.filter((unit) => unit[0]!.batchId).map((unit) => unit[0]!.batchId),
      );
      const batches = [
        ...retried.filter((batch) => allowedRetries.has(batch.id)),
        ...this.formBatches(allowed.filter((unit) => !unit[0]!.batchId).map((unit) => unit[0]!)),
      ];
      const leaseUntil = new Date(now.getTime() + this.options.leaseMs);
      for (const batch of batches) {
        await repo
          .createQueryBuilder()
          .update()
          .set({
            status: 'sending',
            claimedAt: now,
            leaseUntil,
            batchId: batch.id,
            attempts: () => 'attempts + 1',
          })
          .whereInIds(batch.rows.map((row) => row.id))
          .execute();
        for (const row of batch.rows) row.attempts += 1;
      }
      // Re-sends keep their claim time: they were counted against the limits when first claimed.
      for (const batch of reclaimed) {
        await repo
          .createQueryBuilder()
          .update()
          .set({ leaseUntil, attempts: () => 'attempts + 1' })
          .whereInIds(batch.rows.map((row) => row.id))
          .execute();
        for (const row of batch.rows) row.attempts += 1;
      }
      if (reclaimed.length) {
        this.logger.warn({ batches: reclaimed.length }, 'outbox: re-sending batches whose lease expired');
      }
      return [...batches, ...reclaimed];
    });
  }

  /** Keeps only the first unsent part of each ordered group. */
  private async inOrder(manager: EntityManager, rows: OutboxMessage[]): Promise<OutboxMessage[]> {
    const groups = [...new Set(rows.map((row) => row.orderGroup).filter((g): g is string => !!g))];
    if (groups.length === 0) return rows;
    const firsts: { g: string; i: number | string }[] = await manager
      .getRepository(OutboxMessage)
      .createQueryBuilder('o')
      .select('o.order_group', 'g')
      .addSelect('MIN(o.order_index)', 'i')
      .where('o.order_group IN (:...groups) AND o.status IN (:...open)', {
        groups,
        open: ['pending', 'sending'],
      })
      .groupBy('o.order_group')
      .getRawMany();
    const first = new Map(firsts.map((f) => [f.g, Number(f.i)]));
    return rows.filter((row) => !row.orderGroup || first.get(row.orderGroup) === row.orderIndex);
  }

  /**
   * Per-member limits (30/min, 1000/h; WeCom silently drops the excess) and 20/min per robot.
   * A unit (one row, or a retried batch) goes only if every recipient in it has room; otherwise
   * it waits until the oldest counted send leaves the window.
   */
  private async pace(
    manager: EntityManager,
    units: OutboxMessage[][],
    now: Date,
  ): Promise<{ allowed: OutboxMessage[][]; deferred: Map<Date, number[]> }> {
    const usage = await this.recentUsage(manager, units.flat(), now);
    const minuteAgo = now.getTime() - MINUTE_WINDOW_MS;
    const allowed: OutboxMessage[][] = [];
    const deferred = new Map<number, number[]>();
    for (const unit of units) {
      let freeAt = 0;
      for (const row of unit) {
        if (row.channel === 'card_update') continue;
        const times = usage.get(`${row.channel}:${row.recipient}`) ?? [];
        const inMinute = times.filter((t) => t > minuteAgo);
        const perMinute =
          row.channel === 'robot' ? this.options.robotPerMinute : this.options.perMemberPerMinute;
        const perHour = row.channel === 'robot' ? Number.POSITIVE_INFINITY : this.options.perMemberPerHour;
        if (inMinute.length >= perMinute) freeAt = Math.max(freeAt, Math.min(...inMinute) + MINUTE_WINDOW_MS);
        else if (times.length >= perHour) freeAt = Math.max(freeAt, Math.min(...times) + HOUR_WINDOW_MS);
      }
      if (freeAt === 0) {
        for (const row of unit) {
          const key = `${row.channel}:${row.recipient}`;
          usage.set(key, [...(usage.get(key) ?? []), now.getTime()]);
        }
        allowed.push(unit);
        continue;
      }
      // Spread the waiting rows a little instead of releasing them all in one tick.
      const at = Math.max(freeAt, now.getTime()) + 50 + Math.floor(this.options.random() * 450);
      deferred.set(at, [...(deferred.get(at) ?? []), ...unit.map((row) => row.id)]);
    }
    return { allowed, deferred: new Map([...deferred].map(([at, ids]) => [new Date(at), ids])) };
  }

  /** Claim times (ms) of the last hour's sends per `channel:recipient`. */
  private async recentUsage(
    manager: EntityManager,
    rows: OutboxMessage[],
    now: Date,
  ): Promise<Map<string, number[]>> {
    const recipients = [
      ...new Set(rows.filter((row) => row.channel !== 'card_update').map((row) => row.recipient)),
    ];
    const usage = new Map<string, number[]>();
    const hourAgo = new Date(now.getTime() - HOUR_WINDOW_MS);
    for (let i = 0; i < recipients.length; i += 1000) {
      const recent: { recipient: string; channel: string; claimedAt: unknown }[] = await manager
        .getRepository(OutboxMessage)
        .createQueryBuilder('o')
        .select(['o.recipient AS recipient', 'o.channel AS channel', 'o.claimed_at AS claimedAt'])
        .where('o.recipient IN (:...slice) AND o.status IN (:...counted) AND o.claimed_at > :hourAgo', {
          slice: recipients.slice(i, i + 1000),
          counted: ['sending', 'sent'],
          hourAgo,
        })
        .andWhere('o.channel IN (:...channels)', { channels: ['app', 'robot'] })
        .getRawMany();
      for (const r of recent) {
        const key = `${r.channel}:${r.recipient}`;
        usage.set(key, [...(usage.get(key) ?? []), asDate(r.claimedAt).getTime()]);
      }
    }
    return usage;
  }

  /** Identical app messages become one call with up to 1000 recipients. */
  private formBatches(rows: OutboxMessage[]): Batch[] {
    const batches: Batch[] = [];
    const open = new Map<string, Batch>();
    for (const row of rows) {
      if (row.channel !== 'app') {
        batches.push({ id: randomUUID(), channel: row.channel, rows: [row] });
        continue;
      }
      const mergeKey = `${row.payloadHash}:${row.duplicateCheckInterval}`;
      let batch = open.get(mergeKey);
      if (!batch || batch.rows.length >= this.options.maxRecipientsPerCall) {
        batch = { id: randomUUID(), channel: 'app', rows: [] };
        open.set(mergeKey, batch);
        batches.push(batch);
      }
      batch.rows.push(row);
    }
    return batches;
  }

  // ---------------------------------------------------------------------------------------------
  // Sending

  private async sendBatch(batch: Batch): Promise<{ sent: number; retried: number; dead: number }> {
    try {
      if (batch.channel === 'robot') {
        await this.sendRobot(batch.rows[0]!);
        await this.markSent(batch.rows, {});
        return { sent: 1, retried: 0, dead: 0 };
      }
      if (batch.channel === 'card_update') {
        const result = await this.api.updateTemplateCard({
          ...(JSON.parse(batch.rows[0]!.payload) as Record<string, unknown>),
          agentid: this.api.agentId,
        });
        await this.markSent(batch.rows, result);
        return { sent: 1, retried: 0, dead: 0 };
      }
      const result = await this.api.sendMessage(await this.requestBody(batch));
      return await this.recordSendResult(batch.rows, result);
    } catch (error) {
      return this.recordFailure(batch.rows, error);
    }
  }

  /**
   * The exact request for a batch. Deterministic (recipients in row order, fixed key order, the
   * file's cached media id) so that a re-send is identical and WeCom's duplicate check holds.
   */
  private async requestBody(batch: Batch): Promise<Record<string, unknown>> {
    const first = batch.rows[0]!;
    const payload = JSON.parse(first.payload) as Record<string, unknown>;
    if (payload.msgtype === 'file') {
      const fileId = (payload.file as { stored_file_id: number }).stored_file_id;
      payload.file = { media_id: await this.mediaIdFor(fileId) };
    }
    return {
      touser: batch.rows.map((row) => row.recipient).join('|'),
      ...payload,
      agentid: this.api.agentId,
      enable_duplicate_check: 1,
      duplicate_check_interval: first.duplicateCheckInterval,
    };
  }

  /** Uploads a stored file once and reuses its media id for 2.5 days (WeCom keeps it 3). */
  private async mediaIdFor(fileId: number): Promise<string> {
    const files = this.dataSource.getRepository(StoredFile);
    const file = await files.findOneByOrFail({ id: fileId });
    const now = this.clock.now().getTime();
    if (file.mediaId && file.mediaUploadedAt && now - file.mediaUploadedAt.getTime() < 60 * 3_600_000) {
      return file.mediaId;
    }
    const { data } = await loadFile(this.dataSource.manager, fileId);
    const mediaId = await this.api.uploadMedia('file', {
      data,
      fileName: file.fileName,
      contentType: file.contentType,
    });
    await files.update({ id: fileId }, { mediaId, mediaUploadedAt: this.clock.now() });
    return mediaId;
  }

  private async sendRobot(row: OutboxMessage): Promise<void> {
    const robot = await this.dataSource.getRepository(GroupRobot).findOneBy({ id: Number(row.recipient) });
    if (!robot?.active)
      throw new WeComApiError(93000, 'group robot not found or inactive', '/cgi-bin/webhook/send');
    await this.api.robotSend(robot.webhookKey, JSON.parse(row.payload) as Record<string, unknown>);
  }

  private async recordSendResult(
    rows: OutboxMessage[],
    result: SendResult,
  ): Promise<{ sent: number; retried: number; dead: number }> {
    const invalid = new Set(
      [result.invaliduser, result.unlicenseduser]
        .flatMap((list) => (list ? list.split('|') : []))
        .map((userid) => userid.toLowerCase()),
    );
    const rejected = rows.filter((row) => invalid.has(row.recipient.toLowerCase()));
    const delivered = rows.filter((row) => !invalid.has(row.recipient.toLowerCase()));
    await this.markSent(delivered, result);
    if (rejected.length) {
      const unlicensed = new Set((result.unlicenseduser ?? '').toLowerCase().split('|'));
      for (const row of rejected) {
        const reason = unlicensed.has(row.recipient.toLowerCase()) ? 'unlicenseduser' : 'invaliduser';
        await this.markDead([row], null, `${reason}: 不在应用可见范围或无接口许可`);
      }
      this.logger.warn(
        { recipients: rejected.map((row) => row.recipient), msgid: result.msgid },
        'outbox: WeCom rejected some recipients (invaliduser/unlicenseduser)',
      );
    }
    return { sent: delivered.length, retried: 0, dead: rejected.length };
  }

  private async markSent(rows: OutboxMessage[], result: Partial<SendResult>): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.getRepository(OutboxMessage).update(
      rows.map((row) => row.id),
      {
        status: 'sent',
        sentAt: this.clock.now(),
        leaseUntil: null,
        msgid: result.msgid ?? null,
        responseCode: result.response_code ?? null,
        lastErrcode: null,
        lastError: null,
      },
    );
  }

  private async markDead(rows: OutboxMessage[], errcode: number | null, error: string): Promise<void> {
    await this.dataSource.getRepository(OutboxMessage).update(
      rows.map((row) => row.id),
      { status: 'dead', leaseUntil: null, lastErrcode: errcode, lastError: error.slice(0, 500) },
    );
  }

  private async recordFailure(
    rows: OutboxMessage[],
    error: unknown,
  ): Promise<{ sent: number; retried: number; dead: number }> {
    const errcode = error instanceof WeComApiError ? error.errcode : null;
    const message = error instanceof Error ? error.message : String(error);
    let failure: FailureClass = classifyFailure(error);
    if (errcode === ALL_RECIPIENTS_INVALID) failure = 'permanent';
    const attempts = rows[0]!.attempts;
    if (failure === 'retry' && attempts < this.options.maxAttempts) {
      const backoff = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempts - 1));
      // Jitter (between half and the whole delay) keeps retries from arriving in lockstep.
      const delay = Math.round(backoff * (0.5 + this.options.random() * 0.5));
      await this.dataSource.getRepository(OutboxMessage).update(
        rows.map((row) => row.id),
        {
          // The batch id is kept: the retry repeats the identical request (the first may have arrived).
          status: 'pending',
          leaseUntil: null,
          nextAttemptAt: new Date(this.clock.now().getTime() + delay),
          lastErrcode: errcode,
          lastError: message.slice(0, 500),
        },
      );
      this.logger.warn(
        { rows: rows.length, attempts, delay, err: message },
        'outbox: send failed, will retry',
      );
      return { sent: 0, retried: rows.length, dead: 0 };
    }
    await this.markDead(rows, errcode, message);
    this.logger.error(
      { rows: rows.length, attempts, errcode, err: message, failure },
      failure === 'config'
        ? 'outbox: WeCom configuration error; message marked dead'
        : 'outbox: message marked dead',
    );
    return { sent: 0, retried: 0, dead: rows.length };
  }
}
