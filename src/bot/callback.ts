// GET/POST /wecom/callback (doc 90238/91144). Nothing is decrypted before the signature is
// verified, nothing is stored before the receive-id is checked, and only <Encrypt> is read from an
// unverified body, by a strict scan (envelope.ts): no XML parser sees unsigned bytes.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import {
  CallbackCryptoError,
  decryptMessage,
  encryptMessage,
  verifySignature,
  type CallbackSecrets,
} from './crypto.js';
import { DatabaseUnavailableError, type DeliveryReceiver, type PassiveReply } from './delivery.js';
import { MAX_CALLBACK_BODY_BYTES, scanEncrypt } from './envelope.js';
import { parseInbound } from './inbound.js';
import { buildXml, XmlError } from './xml.js';

export interface CallbackOptions {
  secrets: CallbackSecrets;
  maxSkewSeconds: number;
  clock: Clock;
  logger: Logger;
  dispatcher: DeliveryReceiver;
  maxBodyBytes?: number;
}

class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function queryString(ctx: Context, name: string): string | undefined {
  // koa decodes the query once; reading it again from ctx.querystring would decode twice.
  const value = ctx.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function requireParams<N extends string>(ctx: Context, names: readonly N[]): Record<N, string> {
  const values = {} as Record<N, string>;
  for (const name of names) {
    const value = queryString(ctx, name);
    if (value === undefined) throw new Rejection(400, 'missing query parameters');
    values[name] = value;
  }
  return values;
}

export function createCallbackHandler(options: CallbackOptions): (ctx: Context) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_CALLBACK_BODY_BYTES;

  async function verifyUrl(ctx: Context): Promise<void> {
    const {
      msg_signature: signature,
      timestamp,
      nonce,
      echostr,
    } = requireParams(ctx, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
    // No timestamp window here: the echo reveals nothing, and WeCom's sample vectors are old.
    if (!verifySignature(options.secrets, signature, timestamp, nonce, echostr))
      throw new Rejection(401, 'bad signature');
    const plain = decrypt(echostr);
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = plain;
  }

  function decrypt(encrypted: string): string {
    try {
      return decryptMessage(options.secrets, encrypted);
    } catch (error) {
      if (error instanceof CallbackCryptoError && error.kind === 'receive-id')
        throw new Rejection(401, 'receive-id mismatch');
      throw new Rejection(400, 'undecryptable');
    }
  }

  async function readBody(ctx: Context): Promise<string> {
    try {
      return await getRawBody(ctx.req, {
        limit: maxBodyBytes,
        length: ctx.get('content-length') || undefined,
        encoding: 'utf8',
      });
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        ctx.set('Connection', 'close');
        throw new Rejection(413, 'body too large');
      }
      throw new Rejection(400, 'unreadable body');
    }
  }

  async function receive(ctx: Context): Promise<void> {
    const {
      msg_signature: signature,
      timestamp,
      nonce,
    } = requireParams(ctx, ['msg_signature', 'timestamp', 'nonce']);
    const body = await readBody(ctx);
    const encrypted = scanEncrypt(body);
    if (!encrypted) throw new Rejection(400, 'bad envelope');
    const sentAt = Number(timestamp);
    const skew = Math.abs(options.clock.now().getTime() / 1000 - sentAt);
    if (!Number.isFinite(sentAt) || skew > options.maxSkewSeconds)
      throw new Rejection(401, 'stale timestamp');
    if (!verifySignature(options.secrets, signature, timestamp, nonce, encrypted))
      throw new Rejection(401, 'bad signature');
    const xml = decrypt(encrypted);
    let inbound;
    try {
      inbound = parseInbound(xml);
    } catch (error) {
      if (error instanceof XmlError) throw new Rejection(400, 'bad message XML');
      throw error;
    }
    if (inbound.toUser !== options.secrets.corpId) throw new Rejection(401, 'ToUserName is not our corp');

    let passive: PassiveReply | undefined;
    try {
      passive = await options.dispatcher.receive(xml, inbound);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) throw new Rejection(503, 'storage unavailable');
      throw error;
    }
    ctx.status = 200;
    if (!passive) {
      ctx.body = '';
      return;
    }
    ctx.type = 'application/xml';
    ctx.body = encryptedReply(options.secrets, passive, options.clock);
  }

  return async (ctx) => {
    try {
      if (ctx.method === 'GET') await verifyUrl(ctx);
      else if (ctx.method === 'POST') await receive(ctx);
      else throw new Rejection(405, 'method not allowed');
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      options.logger.warn({ status: error.status, reason: error.reason, ip: ctx.ip }, 'callback rejected');
      ctx.status = error.status;
      ctx.type = 'text/plain';
      ctx.body = error.status === 503 ? 'service unavailable' : 'rejected';
    }
  };
}

/** The passive reply (doc 90241): plaintext XML, encrypted and wrapped in the signed envelope. */
export function encryptedReply(secrets: CallbackSecrets, reply: PassiveReply, clock: Clock): string {
  const createTime = Math.floor(clock.now().getTime() / 1000);
  const plain =
    reply.type === 'text'
      ? buildXml({
          ToUserName: reply.toUser,
          FromUserName: secrets.corpId,
          CreateTime: createTime,
          MsgType: 'text',
          Content: reply.content,
        })
      : buildXml({
          ToUserName: reply.toUser,
          FromUserName: secrets.corpId,
          CreateTime: createTime,
          MsgType: 'update_button',
          Button: { ReplaceName: reply.replaceName },
        });
  const envelope = encryptMessage(secrets, plain, String(createTime), String(randomBytes(4).readUInt32BE(0)));
  return buildXml({
    Encrypt: envelope.encrypt,
    MsgSignature: envelope.signature,
    TimeStamp: Number(envelope.timestamp),
    Nonce: envelope.nonce,
  });
}
