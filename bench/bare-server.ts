// The baseline: a minimal koa server that only verifies, decrypts and answers an encrypted passive
// reply with @wecom/crypto, with none of the bot's work. The bot's callback throughput is reported
// as a ratio of this one, measured in the same run.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import type { WeComCredentials } from '../src/config.js';

const credentials = JSON.parse(process.env.FAKE_CREDENTIALS ?? '{}') as WeComCredentials;
const app = new Koa();

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
