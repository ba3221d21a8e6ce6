// The registry of open-item sources and reminder rules: each feature adds its own here.
import type { EntityManager } from 'typeorm';
import { caseCallOpenItems, caseQuotaReminders } from './cases-reminders.js';
import type { OpenItem, OpenItemQuery, OpenItemSource } from './open-items.js';
import type { ReminderRule } from './reminders.js';
import { taskOpenItems, taskReminderRules } from './tasks-reminders.js';

export const openItemSources: OpenItemSource[] = [taskOpenItems, caseCallOpenItems];

export const reminderRules: ReminderRule[] = [...taskReminderRules, caseQuotaReminders];

/** Every open item, from every feature, for the given scope. */
export async function listOpenItems(tx: EntityManager, query: OpenItemQuery): Promise<OpenItem[]> {
  const lists = [];
  for (const source of openItemSources) lists.push(await source.list(tx, query));
  return lists.flat();
}
