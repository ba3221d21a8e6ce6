// The registry of open-item sources and reminder rules: each feature adds its own here.
//
// This list is the one definition of an open item. A new kind (a repost to check, a patrol
// finding, …) shows in 进度 <单位>, 逾期, 催办 cards, the red and yellow units of 进度, 周报 and
// the board, and the morning digest by:
//   1. adding its kind to OpenItemKind with a label (open-items/items.ts) and a short label in
//      FLAG_KIND_LABELS (progress/views.ts) — both are Records, so the compiler asks for them;
//   2. exporting an OpenItemSource from the feature (`list`: its open items with topUnitId,
//      deadline, state and whose move it is; `flagCounts` only if it has many rows, see
//      open-items/flag-counts.ts for tables with a status and a deadline column);
//   3. adding it to `openItemSources` below.
// Only items that await the unit and have a deadline colour a unit red or yellow.
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
