// What an inbound delivery keeps once it is finished. While a delivery is unfinished (`received`)
// its decrypted body stays, because the recovery sweep must be able to run it again: nothing a
// member sent is lost. Once it is finished the body has no use: the dedupe key (MsgId, or a hash of
// the body for events) is what stops a WeCom retry, and the handler has already stored whatever the
// feature keeps (after the PII gate). So a finished delivery drops its body, masks the passive reply
// it keeps for WeCom's retries and masks its error note. A status that must be able to run again
// later (an admin's retry) keeps the body sealed with a key from the configuration, which the
// database never holds: a dump or a backup of the table reads nothing.
import type { EntityManager } from 'typeorm';
import { InboundMessage, type InboundStatus } from '../entities/inbound-message.js';
import { isSealed, sealBody } from '../db/sealed.js';
import { maskPiiForLog } from '../services/pii/detector.js';

export type FinishedStatus = Exclude<InboundStatus, 'received'>;

/**
 * What each finished status keeps of the body. `failed` drops it too: the member was told
 * 系统繁忙，请稍后再试 and sends again; the masked error note says what went wrong. A status added
 * later must choose here (the record is exhaustive): `seal` for one that may be run again.
 */
export const BODY_RETENTION: Readonly<Record<FinishedStatus, 'drop' | 'seal'>> = {
  done: 'drop',
  ignored: 'drop',
  failed: 'drop',
  // An admin may run it again (重试隔离): kept sealed, or dropped where no key is configured.
  quarantined: 'seal',
  dropped: 'drop',
  // Over the member's rate: recorded so that nothing is lost silently, but never run.
  throttled: 'drop',
};

/** The longest error note kept on a failed delivery. */
const MAX_ERROR_CHARS = 500;

export interface FinishedDelivery {
  status: FinishedStatus;
  /** The decrypted body, needed only by a status that seals it. */
  xml?: string;
  passiveReply?: Record<string, string> | null;
  error?: unknown;
}

/**
 * The columns to write when a delivery is finished: the body dropped (or sealed), the passive reply
 * and the error note masked. The pipeline's one hook: every finish goes through here.
 */
export function finishedColumns(
  delivery: FinishedDelivery,
  sealKey: string | undefined,
): Pick<InboundMessage, 'xml' | 'passiveReply' | 'error'> {
  return {
    xml: retainedBody(delivery.status, delivery.xml, sealKey),
    passiveReply: delivery.passiveReply ? maskReply(delivery.passiveReply) : null,
    error:
      delivery.error === undefined
        ? null
        : maskPiiForLog(errorNote(delivery.error)).slice(0, MAX_ERROR_CHARS),
  };
}

/** The body a finished delivery keeps: none, or sealed (never raw; without a key, none). */
export function retainedBody(
  status: FinishedStatus,
  xml: string | undefined,
  sealKey: string | undefined,
): string | null {
  if (BODY_RETENTION[status] !== 'seal' || xml === undefined || !sealKey) return null;
  return sealBody(xml, sealKey);
}

/**
 * Finishes a delivery row in `tx`: its status and the columns above. A status that seals the body
 * reads it from the row first (the body was kept raw only while the delivery was unfinished).
 */
export async function finishRow(
  tx: EntityManager,
  id: number,
  delivery: FinishedDelivery & { handledAt: Date },
  sealKey: string | undefined,
): Promise<void> {
  const repo = tx.getRepository(InboundMessage);
  let xml = delivery.xml;
  if (BODY_RETENTION[delivery.status] === 'seal' && xml === undefined) {
    const row = await repo.findOne({ where: { id }, select: { id: true, xml: true } });
    xml = row?.xml && !isSealed(row.xml) ? row.xml : undefined;
    // Already sealed (quarantined before, retried, quarantined again): keep what is there.
    if (row?.xml && isSealed(row.xml)) {
      const { xml: _drop, ...rest } = finishedColumns({ ...delivery, xml: undefined }, sealKey);
      await repo.update({ id }, { status: delivery.status, handledAt: delivery.handledAt, ...rest });
      return;
    }
  }
  await repo.update(
    { id },
    {
      status: delivery.status,
      handledAt: delivery.handledAt,
      ...finishedColumns({ ...delivery, xml }, sealKey),
    },
  );
}

function errorNote(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? 'unknown error');
}

/** The passive reply, kept so that a WeCom retry gets the same answer, with personal information masked. */
function maskReply(reply: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(reply).map(([key, value]) => [key, maskPiiForLog(value)]));
}
