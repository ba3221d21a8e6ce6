import type { EntityManager } from 'typeorm';
import { enqueue, messagesToItems } from '../outbox/queue.js';
import type { OutMessage } from '../messages/outbound.js';
import { spreadSendTime } from '../services/shared/spread.js';

export interface ScheduledMessage {
  key: string;
  to: string;
  message: OutMessage;
  source: string;
}

/** Enqueues a job's messages a few minutes after the fire (same content, same time), idempotent by key. */
export async function enqueueSpread(
  tx: EntityManager,
  messages: ScheduledMessage[],
  fireTime: Date,
  now: Date,
): Promise<void> {
  const items = messages.flatMap((m) =>
    messagesToItems(m.to, [m.message], {
      keyPrefix: m.key,
      source: m.source,
      notBefore: spreadSendTime(fireTime, JSON.stringify(m.message)),
    }),
  );
  await enqueue(tx, items, now);
}
