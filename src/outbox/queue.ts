// The outbox queue: outbound messages are rows written in the transaction of the change that caused
// them (the app pipeline, jobs and commands all enqueue here); src/bot/outbox.ts sends them.
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { OutboxMessage, type OutboxChannel } from '../entities/outbox-message.js';
import { splitMessage, toSendPayload, type OutMessage } from '../messages/outbound.js';

export interface OutboxItem {
  /** Unique per logical message: enqueueing the same key twice stores one row. */
  key: string;
  /** A userid, or a group-robot id for channel robot. */
  to: string;
  channel?: OutboxChannel;
  payload: Record<string, unknown>;
  source: string;
  orderGroup?: string;
  orderIndex?: number;
  /** Seconds for WeCom's duplicate check; replies use a short one (see DUPLICATE_CHECK). */
  duplicateCheckInterval?: number;
  notBefore?: Date;
}

/**
 * WeCom's duplicate check suppresses a request whose JSON is identical to one sent within the
 * interval. That is what makes a re-send after a crash or timeout harmless, so every send enables
 * it. Notices use WeCom's default interval (30 min). An answer to a member's own question must not
 * be suppressed when they ask the same thing again, so its interval is derived from the inbound
 * message (60–299 s): the request of a new answer then differs (the interval is part of the JSON),
 * while a re-send of the same answer repeats it exactly.
 */
export const DUPLICATE_CHECK = {
  notice: 1800,
  reply: (inboundKey: string) => 60 + (parseInt(hash(inboundKey).slice(0, 8), 16) % 240),
} as const;

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Transactions that stored outbox rows, so that only their commit wakes the dispatcher. */
const managersThatEnqueued = new WeakSet<EntityManager>();

/** Whether `enqueue` stored rows through this transaction's manager. */
export function enqueuedIn(manager: EntityManager): boolean {
  return managersThatEnqueued.has(manager);
}

/** Stores outbox rows in the caller's transaction; rows whose key exists already are skipped. */
export async function enqueue(manager: EntityManager, items: OutboxItem[], now: Date): Promise<void> {
  if (items.length > 0) managersThatEnqueued.add(manager);
  const rows = items.map((item) => {
    const payload = JSON.stringify(item.payload);
    return {
      idempotencyKey: item.key,
      channel: item.channel ?? 'app',
      recipient: item.to,
      payload,
      payloadHash: hash(payload),
      source: item.source,
      orderGroup: item.orderGroup ?? null,
      orderIndex: item.orderIndex ?? 0,
      duplicateCheckInterval: item.duplicateCheckInterval ?? DUPLICATE_CHECK.notice,
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: item.notBefore ?? now,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values(rows.slice(i, i + 500))
      .orIgnore()
      .execute();
  }
}

/**
 * Turns messages for one member into outbox items: long text is split into parts, and when there
 * is more than one part they share an order group so that they arrive in order.
 */
export function messagesToItems(
  to: string,
  messages: OutMessage[],
  options: { keyPrefix: string; source: string; duplicateCheckInterval?: number; notBefore?: Date },
): OutboxItem[] {
  const parts = messages.flatMap((message, i) =>
    splitMessage(message).map((part, j) => ({ part, id: `${i}.${j}` })),
  );
  const group = parts.length > 1 ? hash(`${options.keyPrefix}:${to}`) : undefined;
  return parts.map(({ part, id }, index) => ({
    key: `${options.keyPrefix}:${to}:${id}`,
    to,
    payload: toSendPayload(part),
    source: options.source,
    orderGroup: group,
    orderIndex: index,
    duplicateCheckInterval: options.duplicateCheckInterval,
    notBefore: options.notBefore,
  }));
}

/** Pending and dead counts for /healthz and the admin view. */
export async function outboxCounts(dataSource: DataSource): Promise<{ pending: number; dead: number }> {
  const rows: { status: string; n: string | number }[] = await dataSource
    .getRepository(OutboxMessage)
    .createQueryBuilder('o')
    .select('o.status', 'status')
    .addSelect('COUNT(*)', 'n')
    .where('o.status IN (:...statuses)', { statuses: ['pending', 'sending', 'dead'] })
    .groupBy('o.status')
    .getRawMany();
  const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
  return { pending: count('pending') + count('sending'), dead: count('dead') };
}
