// Talking to the test bot as a member: send a text, click a card button or send a file, and read
// what the member got back for it (the passive reply, then whatever the outbox delivered).
import { expect } from 'vitest';
import type { CallbackResult } from '../../src/sandbox/callback-client.js';
import { newMsgId } from '../../src/sandbox/callback-client.js';
import type { Delivery } from '../../src/sandbox/fake-wecom.js';
import type { TestBot } from './harness.js';

export interface Exchange {
  result: CallbackResult;
  /** The passive reply (when there is one), then the texts delivered after it, in order. */
  replies: string[];
}

/** Runs `send` (one callback from `userid`), delivers the outbox and collects the replies. */
export async function exchange(
  bot: TestBot,
  userid: string,
  send: () => Promise<CallbackResult>,
): Promise<Exchange> {
  const before = bot.inbox(userid).length;
  const result = await send();
  await bot.flush();
  const replies: string[] = [];
  if (result.reply?.content) replies.push(result.reply.content);
  replies.push(...bot.texts(userid).slice(before));
  return { result, replies };
}

export function sendText(bot: TestBot, userid: string, content: string): Promise<Exchange> {
  return exchange(bot, userid, () => bot.client.sendText(userid, content));
}

/** Clicks a button of a delivered card as WeCom would (the fake hands out the response code). */
export async function clickButton(
  bot: TestBot,
  userid: string,
  delivery: Delivery,
  key: string,
): Promise<Exchange & { responseCode: string }> {
  const { responseCode, taskId, cardType } = bot.fake.click(userid, delivery.msgid, key);
  const sent = await exchange(bot, userid, () =>
    bot.client.post(bot.client.cardClickXml(userid, { eventKey: key, taskId, cardType, responseCode })),
  );
  return { ...sent, responseCode };
}

/** Sends a file as a member (stored in the fake WeCom's media first). */
export function sendFileAs(bot: TestBot, userid: string, fileName: string, data: Buffer): Promise<Exchange> {
  const mediaId = `media_test_${newMsgId()}`;
  bot.fake.media.set(mediaId, {
    data,
    fileName,
    contentType: 'application/octet-stream',
    createdAt: bot.clock.now().getTime(),
  });
  return exchange(bot, userid, () => bot.client.post(bot.client.fileXml(userid, mediaId, fileName)));
}

/** Sends a text and returns every reply the member got for it, joined by blank lines. */
export async function say(bot: TestBot, userid: string, content: string): Promise<string> {
  const { result, replies } = await sendText(bot, userid, content);
  expect(result.status).toBe(200);
  return replies.join('\n\n');
}

/** Clicks a button of a delivered card; returns the replies the member got. */
export async function click(
  bot: TestBot,
  userid: string,
  delivery: Delivery,
  key: string,
): Promise<{ result: CallbackResult; replies: string }> {
  const { result, replies } = await clickButton(bot, userid, delivery, key);
  expect(result.status).toBe(200);
  return { result, replies: replies.join('\n\n') };
}

/** Sends a file as a member; returns the replies. */
export async function sendFile(
  bot: TestBot,
  userid: string,
  fileName: string,
  data: Buffer,
): Promise<string> {
  const { result, replies } = await sendFileAs(bot, userid, fileName, data);
  expect(result.status).toBe(200);
  return replies.join('\n\n');
}

/** Template cards a member received, in order. */
export function cardsOf(bot: TestBot, userid: string): Delivery[] {
  return bot.inbox(userid).filter((delivery) => delivery.msgtype === 'template_card');
}

export interface CardBody {
  task_id: string;
  main_title: { title: string; desc?: string };
  quote_area?: { title?: string; quote_text?: string };
  horizontal_content_list?: { keyname: string; value?: string }[];
  button_list: { text: string; key: string }[];
}

export function cardBody(delivery: Delivery): CardBody {
  return delivery.body.template_card as CardBody;
}

/** The key of the card's button labelled `label`. */
export function buttonKey(delivery: Delivery, label: string): string {
  const found = cardBody(delivery).button_list.find((button) => button.text === label);
  if (!found) throw new Error(`no button ${label}`);
  return found.key;
}
