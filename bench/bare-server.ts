// The baselines: a minimal koa server that only verifies, decrypts and answers an encrypted passive
// reply with @wecom/crypto, with none of the bot's work; and, with DURABLE_DATABASE_URL, the least
// work any bot that stores a delivery before answering must do: the same plus one INSERT of the
// delivery under a unique key (autocommit, a prepared statement). The bot's callback throughput is
// reported as a ratio of each, measured in the same run.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import mysql from 'mysql2/promise';
import type { WeComCredentials } from '../src/config.js';

const credentials = JSON.parse(process.env.FAKE_CREDENTIALS ?? '{}') as WeComCredentials;
const app = new Koa();

/** The durable baseline's table: a delivery's key, sender and time, the key unique (dedupe). */
const pool = process.env.DURABLE_DATABASE_URL
  ? mysql.createPool({ uri: process.env.DURABLE_DATABASE_URL, connectionLimit: 20 })
  : undefined;
if (pool) {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS baseline_delivery (id INT AUTO_INCREMENT PRIMARY KEY, ' +
      'dedupe_key VARCHAR(80) NOT NULL UNIQUE, from_user VARCHAR(64) NOT NULL, received_at DATETIME(3) NOT NULL) ' +
      'ENGINE=InnoDB',
  );
}

app.use(async (ctx) => {
  if (ctx.method !== 'POST') {
    ctx.body = 'bare';
    return;
  }
  const body = await getRawBody(ctx.req, { limit: 65536, encoding: 'utf8' });
  const encrypted = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)?.[1] ?? '';
  const query = ctx.query as Record<string, string | undefined>;
  const signature = query.msg_signature ?? '';
  const timestamp = query.timestamp ?? '';
  const nonce = query.nonce ?? '';
  if (getSignature(credentials.token, timestamp, nonce, encrypted) !== signature) {
    ctx.status = 401;
    return;
  }
  const { message } = decrypt(credentials.encodingAesKey, encrypted);
  const from = /<FromUserName><!\[CDATA\[(.*?)\]\]>/.exec(message)?.[1] ?? '';
  if (pool) {
    const msgId = /<MsgId>(?:<!\[CDATA\[)?(\d+)/.exec(message)?.[1] ?? '';
    await pool.execute(
      'INSERT INTO baseline_delivery (dedupe_key, from_user, received_at) VALUES (?, ?, ?)',
      [`msg:${msgId}`, from, new Date()],
    );
  }
  const now = String(Math.floor(Date.now() / 1000));
  const reply = `<xml><ToUserName><![CDATA[${from}]]></ToUserName><FromUserName><![CDATA[${credentials.corpId}]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>`;
  const replyNonce = String(randomBytes(4).readUInt32BE(0));
  const replyEncrypted = encrypt(credentials.encodingAesKey, reply, credentials.corpId);
  const replySignature = getSignature(credentials.token, now, replyNonce, replyEncrypted);
  ctx.type = 'application/xml';
  ctx.body = `<xml><Encrypt><![CDATA[${replyEncrypted}]]></Encrypt><MsgSignature><![CDATA[${replySignature}]]></MsgSignature><TimeStamp>${now}</TimeStamp><Nonce><![CDATA[${replyNonce}]]></Nonce></xml>`;
});

const handle = app.callback();
createServer((req, res) => void handle(req, res)).listen(Number(process.env.BARE_PORT ?? 0), '127.0.0.1');
