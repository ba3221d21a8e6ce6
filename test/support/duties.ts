// Helpers for the guestbook, filing and domain tests: websites and accounts in the directory,
// unpaced outbox, Shanghai instants. Talking to the bot: ./chat.ts.
import {
  MediaAccount,
  type MediaAccountStatus,
  type MediaPlatform,
} from '../../src/entities/media-account.js';
import { Unit } from '../../src/entities/unit.js';
import { Website } from '../../src/entities/website.js';
import type { TestBot } from './harness.js';

/** Outbox pacing off: these tests send many replies to one member within one fixed minute. */
export const UNPACED = { outbox: { perMemberPerMinute: 10_000, perMemberPerHour: 100_000 } };

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

/** `2026-02-13T10:00` (Shanghai) as an instant. */
export function shanghai(local: string): Date {
  return new Date(`${local}+08:00`);
}
