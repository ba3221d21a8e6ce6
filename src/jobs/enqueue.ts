import type { EntityManager } from 'typeorm';
import { enqueue, messagesToItems } from '../bot/outbox.js';
import type { OutMessage } from '../bot/messages.js';
import { spreadSendTime } from '../services/spread.js';

export interface ScheduledMessage {
  key: string;
  to: string;
  message: OutMessage;
  source: string;
}

/** Enqueues a job's messages, spread over a few minutes after the fire, idempotent by key. */
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
      notBefore: spreadSendTime(fireTime, `${m.key}:${m.to}`),
    }),
  );
  await enqueue(tx, items, now);
}
