// Poison deliveries. A delivery whose handling crashed the process is run again once by the
// recovery sweep (the crash may have been a restart that had nothing to do with it); after a second
// crash it is quarantined instead of being run into a third, which under systemd would be a crash
// loop. A delivery whose handler threw, or whose content killed a worker, is quarantined at once.
// The member is told once; admins list, retry or drop quarantined deliveries (隔离消息).
//
// A crash leaves no trace but the row itself (`received`, with its attempt count), so the sweep
// tells a crash from an interruption it witnessed (a database error mid-way, which leaves the row
// `received` too) by this process's own memory: deliveries in flight here are not touched, and
// deliveries interrupted here are retried without counting as a crash (a few times at most).
import type { DataSource } from 'typeorm';
import { readableBody } from '../db/sealed.js';
import { InboundMessage } from '../entities/inbound-message.js';
import { finishRow } from './retention.js';
import { Person } from '../entities/person.js';
import { text } from '../messages/outbound.js';
import { DUPLICATE_CHECK, enqueue, messagesToItems } from '../outbox/queue.js';
import { deliveryExcerpt, quarantinedMemberText } from '../services/quarantine/views.js';

/** Runs of a delivery after which a further crash quarantines it: the first run and one retry. */
export const MAX_CRASHED_RUNS = 2;
/** Retries after interruptions this process saw itself before they count as crashes too. */
const MAX_INTERRUPTED_RETRIES = 3;

export type RecoveryDecision =
  /** Running in this process right now: leave it alone. */
  | { kind: 'skip' }
  /** Interrupted here (database trouble): run again, not counted as a crash. */
  | { kind: 'retry' }
  /** Left by a process that is gone (or another instance): run again as attempt `attempts + 1`. */
  | { kind: 'recover' }
  /** Crashed on its last allowed run: quarantine, do not run. */
  | { kind: 'quarantine' };

export class RecoveryLedger {
  private readonly inFlight = new Set<number>();
  private readonly interrupted = new Map<number, number>();

  started(id: number): void {
    this.inFlight.add(id);
  }

  finished(id: number, interrupted: boolean): void {
    this.inFlight.delete(id);
    if (interrupted) this.interrupted.set(id, (this.interrupted.get(id) ?? 0) + 1);
    else this.interrupted.delete(id);
  }

  decide(row: Pick<InboundMessage, 'id' | 'attempts'>): RecoveryDecision {
    if (this.inFlight.has(row.id)) return { kind: 'skip' };
    const retries = this.interrupted.get(row.id);
    if (retries !== undefined && retries <= MAX_INTERRUPTED_RETRIES) return { kind: 'retry' };
    this.interrupted.delete(row.id);
    return row.attempts >= MAX_CRASHED_RUNS ? { kind: 'quarantine' } : { kind: 'recover' };
  }
}

/**
 * Marks a delivery quarantined (only if it is still `expected`) and, when `tellMember`, tells its
 * sender once (the outbox key makes a second notice for the same delivery a no-op).
 */
export async function quarantine(
  dataSource: DataSource,
  id: number,
  reason: string,
  now: Date,
  options: { expected: 'received' | 'any'; tellMember: boolean; sealKey: string | undefined },
): Promise<boolean> {
  return dataSource.transaction(async (tx) => {
    const query = tx
      .createQueryBuilder()
      .update(InboundMessage)
      .set({ status: 'quarantined', handledAt: now })
      .where('id = :id', { id });
    if (options.expected === 'received') query.andWhere('status = :received', { received: 'received' });
    const updated = (await query.execute()).affected ?? 0;
    if (updated === 0) return false;
    const row = await tx.getRepository(InboundMessage).findOneByOrFail({ id });
    const excerpt = deliveryExcerpt(row, readableBody(row.xml, options.sealKey));
    // Kept to be run again by an admin: sealed, never raw (src/app/retention.ts).
    await finishRow(tx, id, { status: 'quarantined', handledAt: now, error: reason }, options.sealKey);
    if (!options.tellMember) return true;
    const person = await tx.getRepository(Person).findOneBy({ userid: row.fromUser });
    if (person?.active) {
      const key = `in:${id}:quarantine`;
      await enqueue(
        tx,
        messagesToItems(person.userid, [text(quarantinedMemberText(row, excerpt))], {
          keyPrefix: key,
          source: 'reply',
          duplicateCheckInterval: DUPLICATE_CHECK.reply(key),
        }),
        now,
      );
    }
    return true;
  });
}
