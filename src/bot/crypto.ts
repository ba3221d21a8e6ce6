// WeCom callback cryptography (doc 90968/91144): signature, AES-256-CBC with a 32-byte PKCS#7
// pad, and the receive-id check that @wecom/crypto leaves to its caller.
import { createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';

export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** The receive-id: the CorpID for a self-built app. */
  corpId: string;
}

export class CallbackCryptoError extends Error {
  constructor(
    readonly kind: 'signature' | 'decrypt' | 'receive-id',
    message: string,
  ) {
    super(message);
    this.name = 'CallbackCryptoError';
  }
}

export function computeSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return getSignature(token, timestamp, nonce, encrypted);
}

/** Constant-time comparison of hex signatures (a length mismatch is simply unequal). */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifySignature(
  secrets: CallbackSecrets,
  signature: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
): boolean {
  return signaturesMatch(computeSignature(secrets.token, timestamp, nonce, encrypted), signature);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decrypts a verified ciphertext and checks that it was meant for us. Written on node:crypto
 * rather than @wecom/crypto's `decrypt`, which accepts a bad pad and an impossible length field
 * (a wrong key or a tampered body would yield garbage instead of an error).
 */
export function decryptMessage(secrets: CallbackSecrets, encrypted: string): string {
  const raw = Buffer.from(BASE64.test(encrypted) ? encrypted : '', 'base64');
  if (raw.length === 0 || raw.length % 32 !== 0) {
    throw new CallbackCryptoError('decrypt', 'ciphertext is not whole 32-byte blocks');
  }
  const key = Buffer.from(`${secrets.encodingAesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(raw), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > 32 || plain.subarray(plain.length - pad).some((byte) => byte !== pad)) {
    throw new CallbackCryptoError('decrypt', 'bad PKCS#7 padding');
  }
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new CallbackCryptoError('decrypt', 'plaintext too short');
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) throw new CallbackCryptoError('decrypt', 'message length out of range');
  const message = new TextDecoder('utf-8', { fatal: true });
  let text: string;
  let receiveId: string;
  try {
    text = message.decode(body.subarray(20, 20 + length));
    receiveId = message.decode(body.subarray(20 + length));
  } catch {
    throw new CallbackCryptoError('decrypt', 'plaintext is not UTF-8');
  }
  if (receiveId !== secrets.corpId) {
    throw new CallbackCryptoError('receive-id', 'receive-id does not match the corp id');
  }
  return text;
}

export interface EncryptedEnvelope {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

/** Encrypts a plaintext XML reply and signs it, ready for the reply envelope. */
export function encryptMessage(
  secrets: CallbackSecrets,
  plaintext: string,
  timestamp: string,
  nonce: string = randomBytes(8).readUInt32BE(0).toString(),
): EncryptedEnvelope {
  const encrypted = encrypt(secrets.encodingAesKey, plaintext, secrets.corpId);
  return {
    encrypt: encrypted,
    signature: computeSignature(secrets.token, timestamp, nonce, encrypted),
    timestamp,
    nonce,
  };
}
