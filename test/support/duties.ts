// Helpers for the guestbook, filing and domain tests: talk to the bot and read every reply
// (passive or through the outbox), create directory rows, click cards and send files.
import { expect } from 'vitest';
import {
  MediaAccount,
  type MediaAccountStatus,
  type MediaPlatform,
} from '../../src/entities/media-account.js';
import { Unit } from '../../src/entities/unit.js';
import { Website } from '../../src/entities/website.js';
import type { CallbackResult } from '../../src/sandbox/callback-client.js';
import { newMsgId } from '../../src/sandbox/callback-client.js';
import type { Delivery } from '../../src/sandbox/fake-wecom.js';
import type { TestBot } from './harness.js';

/** Outbox pacing off: these tests send many replies to one member within one fixed minute. */
export const UNPACED = { outbox: { perMemberPerMinute: 10_000, perMemberPerHour: 100_000 } };

function newTexts(bot: TestBot, userid: string, before: number, result: CallbackResult): string[] {
  const replies: string[] = [];
  if (result.reply?.content) replies.push(result.reply.content);
  replies.push(...bot.texts(userid).slice(before));
  return replies;
}

/** Sends a text and returns every reply the member got for it, joined by blank lines. */
export async function say(bot: TestBot, userid: string, content: string): Promise<string> {
  const before = bot.inbox(userid).length;
  const result = await bot.client.sendText(userid, content);
  expect(result.status).toBe(200);
  await bot.flush();
  return newTexts(bot, userid, before, result).join('\n\n');
}

export async function addSite(
  bot: TestBot,
  name: string,
  siteCode: string,
  unitName: string,
): Promise<Website> {
  const unit = await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: unitName });
  const sites = bot.database.dataSource.getRepository(Website);
  return sites.save(
    sites.create({ name, siteCode, domain: `${siteCode}.example.gov.cn`, unitId: unit.id, status: 'active' }),
  );
}

export async function addAccount(
  bot: TestBot,
  platform: MediaPlatform,
  name: string,
  unitName: string,
  status: MediaAccountStatus = 'running',
): Promise<MediaAccount> {
  const unit = await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: unitName });
  const accounts = bot.database.dataSource.getRepository(MediaAccount);
  return accounts.save(
    accounts.create({ platform, name, unitId: unit.id, status, consolidationCandidate: false }),
  );
}

/** Template cards a member received, in order. */
export function cardsOf(bot: TestBot, userid: string): Delivery[] {
  return bot.inbox(userid).filter((delivery) => delivery.msgtype === 'template_card');
}

export function cardBody(delivery: Delivery): {
  task_id: string;
  main_title: { title: string };
  horizontal_content_list?: { keyname: string; value?: string }[];
  button_list: { text: string; key: string }[];
} {
  return delivery.body.template_card as ReturnType<typeof cardBody>;
}

/** Clicks a button of a delivered card as WeCom would; returns the replies the member got. */
export async function click(
  bot: TestBot,
  userid: string,
  delivery: Delivery,
  key: string,
): Promise<{ result: CallbackResult; replies: string }> {
  const before = bot.inbox(userid).length;
  const { responseCode, taskId, cardType } = bot.fake.click(userid, delivery.msgid, key);
  const result = await bot.client.post(
    bot.client.cardClickXml(userid, { eventKey: key, taskId, cardType, responseCode }),
  );
  expect(result.status).toBe(200);
  await bot.flush();
  return { result, replies: newTexts(bot, userid, before, result).join('\n\n') };
}

/** Sends a file as a member (stored in the fake WeCom's media first); returns the replies. */
export async function sendFile(
  bot: TestBot,
  userid: string,
  fileName: string,
  data: Buffer,
): Promise<string> {
  const mediaId = `media_test_${newMsgId()}`;
  bot.fake.media.set(mediaId, {
    data,
    fileName,
    contentType: 'application/octet-stream',
    createdAt: bot.clock.now().getTime(),
  });
  const before = bot.inbox(userid).length;
  const result = await bot.client.post(bot.client.fileXml(userid, mediaId, fileName));
  expect(result.status).toBe(200);
  await bot.flush();
  return newTexts(bot, userid, before, result).join('\n\n');
}

/** `2026-02-13T10:00` (Shanghai) as an instant. */
export function shanghai(local: string): Date {
  return new Date(`${local}+08:00`);
}
