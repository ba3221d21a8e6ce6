// Quarantined deliveries: listed for admins, put back for the recovery sweep (retry) or dropped.
import { In, type EntityManager } from 'typeorm';
import { InboundMessage } from '../../entities/inbound-message.js';
import { Person } from '../../entities/person.js';

export async function quarantinedCount(tx: EntityManager): Promise<number> {
  return tx.getRepository(InboundMessage).countBy({ status: 'quarantined' });
}

export async function listQuarantined(
  tx: EntityManager,
  take: number,
): Promise<{ rows: InboundMessage[]; total: number; names: Map<string, string> }> {
  const repo = tx.getRepository(InboundMessage);
  const [rows, total] = await repo.findAndCount({
    where: { status: 'quarantined' },
    order: { id: 'DESC' },
    take,
  });
  const people = rows.length
    ? await tx.getRepository(Person).find({
        select: { userid: true, name: true },
        where: { userid: In([...new Set(rows.map((row) => row.fromUser))]) },
      })
    : [];
  return { rows, total, names: new Map(people.map((person) => [person.userid, person.name])) };
}

/**
 * Hands quarantined deliveries back to the recovery sweep, as if just recorded and left: the
 * sweep runs each once more within a minute (`recoverAfterMs` is its threshold), and quarantines
 * it again if that run crashes too. Only deliveries whose body was kept (sealed) can run again;
 * `missing` counts the others (no INBOUND_SEAL_KEY when they were quarantined), left as they are.
 */
export async function requeueQuarantined(
  tx: EntityManager,
  ids: readonly number[] | 'all',
  now: Date,
  recoverAfterMs: number,
): Promise<{ requeued: number; missing: number }> {
  const missingQuery = tx
    .createQueryBuilder(InboundMessage, 'i')
    .where('i.status = :quarantined AND i.xml IS NULL', { quarantined: 'quarantined' });
  if (ids !== 'all') missingQuery.andWhere('i.id IN (:...ids)', { ids: [...ids] });
  const missing = await missingQuery.getCount();
  const query = tx
    .createQueryBuilder()
    .update(InboundMessage)
    .set({
      status: 'received',
      attempts: 1,
      error: null,
      handledAt: null,
      receivedAt: new Date(now.getTime() - recoverAfterMs - 1),
    })
    .where('status = :quarantined AND xml IS NOT NULL', { quarantined: 'quarantined' });
  if (ids !== 'all') query.andWhere('id IN (:...ids)', { ids: [...ids] });
  return { requeued: (await query.execute()).affected ?? 0, missing };
}

export async function dropQuarantined(
  tx: EntityManager,
  ids: readonly number[] | 'all',
  now: Date,
): Promise<number> {
  const query = tx
    .createQueryBuilder()
    .update(InboundMessage)
    // Dropped for good: its body, sealed while it might run again, goes (src/app/retention.ts).
    .set({ status: 'dropped', handledAt: now, xml: null })
    .where('status = :quarantined', { quarantined: 'quarantined' });
  if (ids !== 'all') query.andWhere('id IN (:...ids)', { ids: [...ids] });
  return (await query.execute()).affected ?? 0;
}
