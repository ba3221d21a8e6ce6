// The registry of open-item sources and reminder rules: each feature adds its own here.
import { domainOpenItems } from './domains.js';
import { filingOpenItems, filingReminderRule } from './filing-reminders.js';
import { guestbookOpenItems, guestbookReminderRule } from './guestbook-reminders.js';
import type { OpenItemSource } from './open-items.js';
import type { ReminderRule } from './reminders.js';

export const openItemSources: OpenItemSource[] = [guestbookOpenItems, filingOpenItems, domainOpenItems];

export const reminderRules: ReminderRule[] = [guestbookReminderRule, filingReminderRule];
