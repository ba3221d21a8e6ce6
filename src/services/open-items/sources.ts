// The registry of open-item sources and reminder rules: each feature adds its own here.
import type { EntityManager } from 'typeorm';
import { caseCallOpenItems, caseQuotaReminders } from '../cases/reminders.js';
import { domainOpenItems } from '../domains/store.js';
import { filingOpenItems, filingReminderRule } from '../filings/reminders.js';
import { guestbookOpenItems, guestbookReminderRule } from '../guestbook/reminders.js';
import type { OpenItem, OpenItemQuery, OpenItemSource } from './items.js';
import type { ReminderRule } from './reminders.js';
import { repostOpenItems } from '../reposts/status.js';
import { taskOpenItems, taskReminderRules } from '../tasks/reminders.js';

export const openItemSources: OpenItemSource[] = [
  taskOpenItems,
  caseCallOpenItems,
  guestbookOpenItems,
  filingOpenItems,
  domainOpenItems,
  repostOpenItems,
];

export const reminderRules: ReminderRule[] = [
  ...taskReminderRules,
  caseQuotaReminders,
  guestbookReminderRule,
  filingReminderRule,
];

/** Every open item, from every feature, for the given scope. */
export async function listOpenItems(tx: EntityManager, query: OpenItemQuery): Promise<OpenItem[]> {
  const lists = [];
  for (const source of openItemSources) lists.push(await source.list(tx, query));
  return lists.flat();
}
