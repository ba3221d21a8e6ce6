// The outbox as a queue, read from the database at each scrape: how many messages wait, how long
// the oldest has waited, how many are dead. These are the same on every instance (one database):
// alert on max() across instances, not sum().
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock.js';
import { asDate } from '../db/values.js';
import { OutboxMessage } from '../entities/outbox-message.js';
import { registry } from './registry.js';

const pending = new Gauge({
  name: 'duban_outbox_pending_messages',
  help: 'Outbox messages not yet delivered (pending or being sent)',
  registers: [registry],
});

const oldestPendingAge = new Gauge({
  name: 'duban_outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest undelivered outbox message (0 when none); includes the few minutes scheduled sends are spread over',
  registers: [registry],
});

const dead = new Gauge({
  name: 'duban_outbox_dead_messages',
  help: 'Outbox messages WeCom refused for good or that failed every attempt (see 发送失败)',
  registers: [registry],
});

const databaseUp = new Gauge({
  name: 'duban_database_up',
  help: 'Whether the database answered the last scrape (1) or not (0)',
  registers: [registry],
});

/** Reads the outbox figures into the gauges; when the database does not answer, says so instead. */
export async function refreshOutboxGauges(dataSource: DataSource, clock: Clock): Promise<void> {
  try {
    const rows: { status: string; n: string | number; oldest: unknown }[] = await dataSource
      .getRepository(OutboxMessage)
      .createQueryBuilder('o')
      .select('o.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MIN(o.created_at)', 'oldest')
      .where('o.status IN (:...statuses)', { statuses: ['pending', 'sending', 'dead'] })
      .groupBy('o.status')
      .getRawMany();
    const waiting = rows.filter((row) => row.status !== 'dead');
    pending.set(waiting.reduce((sum, row) => sum + Number(row.n), 0));
    dead.set(Number(rows.find((row) => row.status === 'dead')?.n ?? 0));
    const oldest = Math.min(...waiting.map((row) => asDate(row.oldest).getTime()));
    oldestPendingAge.set(Number.isFinite(oldest) ? Math.max(0, (clock.now().getTime() - oldest) / 1000) : 0);
    databaseUp.set(1);
  } catch {
    // Stale figures (or prom-client's initial 0) would read as "all is well": NaN says unknown.
    pending.set(Number.NaN);
    oldestPendingAge.set(Number.NaN);
    dead.set(Number.NaN);
    databaseUp.set(0);
  }
}
