// Plays WeCom's side of the callback: builds the decrypted XML a member's action produces,
// encrypts and signs it exactly as WeCom does, posts it, and opens the encrypted passive reply.
// The chat console and the tests drive the bot through this.
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { decryptMessage, encryptMessage, verifySignature, type CallbackSecrets } from '../bot/crypto.js';
import { buildXml, childText, parseXml } from '../bot/xml.js';

export interface CallbackClientOptions extends CallbackSecrets {
  /** The bot's callback URL, e.g. http://127.0.0.1:3000/wecom/callback. */
  url: string;
  agentId: number;
  clock?: Clock;
}

export interface PassiveReplyView {
  msgType: string;
  content?: string;
  replaceName?: string;
}

export interface CallbackResult {
  status: number;
  body: string;
  /** The decrypted passive reply, when the bot answered in the response. */
  reply?: PassiveReplyView;
}

let msgIdCounter = BigInt(Date.now()) * 1000n;

/** A fresh 64-bit MsgId, as a string (it does not fit a JS number). */
export function newMsgId(): string {
  msgIdCounter += 1n + BigInt(randomBytes(1)[0]!);
  return msgIdCounter.toString();
}

export class WeComCallbackClient {
  private readonly clock: Clock;

  constructor(private readonly options: CallbackClientOptions) {
    this.clock = options.clock ?? systemClock;
  }

  private common(from: string, msgType: string): Record<string, unknown> {
    return {
      ToUserName: this.options.corpId,
      FromUserName: from,
      CreateTime: Math.floor(this.clock.now().getTime() / 1000),
      MsgType: msgType,
    };
  }

  textXml(from: string, content: string, msgId = newMsgId()): string {
    return buildXml({
      ...this.common(from, 'text'),
      Content: content,
      MsgId: msgId,
      AgentID: this.options.agentId,
    });
  }

  fileXml(from: string, mediaId: string, fileName: string, msgId = newMsgId()): string {
    return buildXml({
      ...this.common(from, 'file'),
      MediaId: mediaId,
      FileName: fileName,
      MsgId: msgId,
      AgentID: this.options.agentId,
    });
  }

  imageXml(from: string, mediaId: string, msgId = newMsgId()): string {
    return buildXml({
      ...this.common(from, 'image'),
      PicUrl: 'https://example.invalid/pic.jpg',
      MediaId: mediaId,
      MsgId: msgId,
      AgentID: this.options.agentId,
    });
  }

  /** A link forwarded into the app (doc 96467: Title, Description, Url, PicUrl). */
  linkXml(
    from: string,
    link: { url: string; title?: string; description?: string },
    msgId = newMsgId(),
  ): string {
    return buildXml({
      ...this.common(from, 'link'),
      Title: link.title ?? '',
      Description: link.description ?? '',
      Url: link.url,
      PicUrl: '',
      MsgId: msgId,
      AgentID: this.options.agentId,
    });
  }

  eventXml(from: string, event: string, eventKey = ''): string {
    return buildXml({
      ...this.common(from, 'event'),
      AgentID: this.options.agentId,
      Event: event,
      EventKey: eventKey,
    });
  }

  cardClickXml(
    from: string,
    click: { eventKey: string; taskId: string; cardType: string; responseCode: string },
  ): string {
    return buildXml({
      ...this.common(from, 'event'),
      Event: 'template_card_event',
      EventKey: click.eventKey,
      TaskId: click.taskId,
      CardType: click.cardType,
      ResponseCode: click.responseCode,
      AgentID: this.options.agentId,
    });
  }

  sendText(from: string, content: string, msgId?: string): Promise<CallbackResult> {
    return this.post(this.textXml(from, content, msgId));
  }

  sendEvent(from: string, event: string, eventKey = ''): Promise<CallbackResult> {
    return this.post(this.eventXml(from, event, eventKey));
  }

  /** Encrypts, signs and posts a decrypted XML body; `tamper` lets tests forge variants. */
  async post(
    xml: string,
    tamper: {
      signature?: string;
      timestamp?: string;
      nonce?: string;
      receiveId?: string;
      body?: string;
    } = {},
  ): Promise<CallbackResult> {
    const timestamp = tamper.timestamp ?? String(Math.floor(this.clock.now().getTime() / 1000));
    const nonce = tamper.nonce ?? String(randomBytes(4).readUInt32BE(0));
    const secrets = { ...this.options, corpId: tamper.receiveId ?? this.options.corpId };
    const envelope = encryptMessage(secrets, xml, timestamp, nonce);
    const body =
      tamper.body ??
      buildXml({
        ToUserName: this.options.corpId,
        AgentID: String(this.options.agentId),
        Encrypt: envelope.encrypt,
      });
    const url = new URL(this.options.url);
    url.searchParams.set('msg_signature', tamper.signature ?? envelope.signature);
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', nonce);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    const text = await response.text();
    const reply = response.status === 200 && text.startsWith('<xml>') ? this.openReply(text) : undefined;
    return { status: response.status, body: text, reply };
  }

  /** GET URL verification, as WeCom does when the callback URL is saved. */
  async verifyUrl(plain: string): Promise<CallbackResult> {
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const nonce = String(randomBytes(4).readUInt32BE(0));
    const envelope = encryptMessage(this.options, plain, timestamp, nonce);
    const url = new URL(this.options.url);
    url.searchParams.set('msg_signature', envelope.signature);
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('echostr', envelope.encrypt);
    const response = await fetch(url);
    return { status: response.status, body: await response.text() };
  }

  /** Verifies and decrypts a passive reply envelope. */
  openReply(envelopeXml: string): PassiveReplyView {
    const envelope = parseXml(envelopeXml);
    const encrypted = childText(envelope, 'Encrypt') ?? '';
    const signature = childText(envelope, 'MsgSignature') ?? '';
    const timestamp = childText(envelope, 'TimeStamp') ?? '';
    const nonce = childText(envelope, 'Nonce') ?? '';
    if (!verifySignature(this.options, signature, timestamp, nonce, encrypted)) {
      throw new Error('passive reply has a bad signature');
    }
    const plain = parseXml(decryptMessage(this.options, encrypted));
    const button = plain.Button;
    return {
      msgType: childText(plain, 'MsgType') ?? '',
      content: childText(plain, 'Content'),
      replaceName:
        button && typeof button === 'object' && !Array.isArray(button)
          ? childText(button, 'ReplaceName')
          : undefined,
    };
  }
}
