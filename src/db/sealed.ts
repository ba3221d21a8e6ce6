// Sealed delivery bodies: AES-256-GCM under a key derived (HKDF-SHA256) from INBOUND_SEAL_KEY, a
// key the database never holds, so a dump or a backup of the table reads nothing. Used for a
// delivery kept to be run again later (a quarantined one an admin may retry).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

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

/** The body a stored value holds: raw, opened from its seal, or null (no key, a wrong key, none). */
export function readableBody(stored: string | null, sealKey: string | undefined): string | null {
  if (stored === null) return null;
  if (!isSealed(stored)) return stored;
  if (!sealKey) return null;
  try {
    return openSealedBody(stored, sealKey);
  } catch {
    return null;
  }
}
