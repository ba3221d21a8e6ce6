// What an inbound delivery keeps once it is finished. While a delivery is unfinished (`received`)
// its decrypted body stays, because the recovery sweep must be able to run it again: nothing a
// member sent is lost. Once it is finished the body has no use: the dedupe key (MsgId, or a hash of
// the body for events) is what stops a WeCom retry, and the handler has already stored whatever the
// feature keeps (after the PII gate). So a finished delivery drops its body, masks the passive reply
// it keeps for WeCom's retries and masks its error note. A status that must be able to run again
// later (an admin's retry) keeps the body sealed with a key from the configuration, which the
// database never holds: a dump or a backup of the table reads nothing.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { InboundMessage, InboundStatus } from '../entities/inbound-message.js';
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

function errorNote(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? 'unknown error');
}

/** The passive reply, kept so that a WeCom retry gets the same answer, with personal information masked. */
function maskReply(reply: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(reply).map(([key, value]) => [key, maskPiiForLog(value)]));
}

// ---------------------------------------------------------------------------------------------------
// Sealed bodies: AES-256-GCM under a key derived (HKDF-SHA256) from INBOUND_SEAL_KEY

const SEALED_PREFIX = 'sealed:v1:';

function sealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'duban-inbound', 'inbound-body-sealing-v1', 32));
}

/** `sealed:v1:<iv>.<tag>.<ciphertext>` (base64url), authenticated: a changed byte does not open. */
export function sealBody(xml: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const data = Buffer.concat([cipher.update(xml, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
  return `${SEALED_PREFIX}${parts.join('.')}`;
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** The body a sealed value holds; throws when the key is wrong or the value was changed. */
export function openSealedBody(value: string, secret: string): string {
  if (!isSealed(value)) throw new Error('not a sealed body');
  const [iv, tag, data] = value.slice(SEALED_PREFIX.length).split('.');
  if (!iv || !tag || data === undefined) throw new Error('malformed sealed body');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
