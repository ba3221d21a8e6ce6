// WeCom's own published sample vectors (doc 90968 samples: Token QDG6eK, CorpID
// wx5823bf96d3bd56c7), plus the failure classes the callback must tell apart.
import { describe, expect, it } from 'vitest';
import type { CallbackCryptoError } from '../src/bot/crypto.js';
import {
  computeSignature,
  decryptMessage,
  encryptMessage,
  signaturesMatch,
  verifySignature,
} from '../src/bot/crypto.js';

const SAMPLE = {
  token: 'QDG6eK',
  corpId: 'wx5823bf96d3bd56c7',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

const VERIFY_URL = {
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};

const MESSAGE = {
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
};

describe('WeCom sample vectors', () => {
  it('verifies and decrypts the URL-verification sample', () => {
    const { signature, timestamp, nonce, echostr } = VERIFY_URL;
    expect(verifySignature(SAMPLE, signature, timestamp, nonce, echostr)).toBe(true);
    expect(decryptMessage(SAMPLE, echostr)).toBe('1616140317555161061');
  });

  it('verifies and decrypts the message sample', () => {
    const { signature, timestamp, nonce, encrypt } = MESSAGE;
    expect(verifySignature(SAMPLE, signature, timestamp, nonce, encrypt)).toBe(true);
    const xml = decryptMessage(SAMPLE, encrypt);
    expect(xml).toContain('<Content><![CDATA[hello]]></Content>');
    expect(xml).toContain('<MsgId>4561255354251345929</MsgId>');
  });
});

describe('signatures', () => {
  it.each([
    ['uppercase hex is accepted', VERIFY_URL.signature.toUpperCase(), true],
    ['one character off', VERIFY_URL.signature.replace(/.$/, '0'), false],
    ['truncated', VERIFY_URL.signature.slice(0, 20), false],
    ['empty', '', false],
  ])('%s', (_name, given, expected) => {
    const { timestamp, nonce, echostr } = VERIFY_URL;
    expect(verifySignature(SAMPLE, given, timestamp, nonce, echostr)).toBe(expected);
  });

  it('compares in constant time only equal-length strings', () => {
    expect(signaturesMatch('abc', 'abcd')).toBe(false);
    expect(signaturesMatch('abc', 'abc')).toBe(true);
  });
});

describe('decryption failures', () => {
  const other = { ...SAMPLE, corpId: 'wwsomeoneelse' };

  it('rejects a receive-id that is not ours', () => {
    expect(() => decryptMessage(other, VERIFY_URL.echostr)).toThrow(
      expect.objectContaining({ kind: 'receive-id' }) as CallbackCryptoError,
    );
  });

  it.each([
    ['truncated ciphertext', MESSAGE.encrypt.slice(0, 100)],
    [
      'padded ciphertext',
      Buffer.concat([Buffer.from(MESSAGE.encrypt, 'base64'), Buffer.alloc(32, 1)]).toString('base64'),
    ],
    ['not base64', '!!!!'],
    ['empty', ''],
    ['wrong key', Buffer.alloc(64, 9).toString('base64')],
  ])('%s → decrypt error', (_name, encrypted) => {
    expect(() => decryptMessage(SAMPLE, encrypted)).toThrow(
      expect.objectContaining({ kind: 'decrypt' }) as Error,
    );
  });
});

describe('round trip', () => {
  it('encrypts, signs and decrypts Chinese text (length in bytes, pad to 32)', () => {
    const plain = '<xml><Content><![CDATA[我是中文abcd123，消息长度按字节计算]]></Content></xml>';
    const envelope = encryptMessage(SAMPLE, plain, '1700000000', '42');
    expect(envelope.signature).toBe(computeSignature(SAMPLE.token, '1700000000', '42', envelope.encrypt));
    expect(Buffer.from(envelope.encrypt, 'base64').length % 32).toBe(0);
    expect(decryptMessage(SAMPLE, envelope.encrypt)).toBe(plain);
  });
});
