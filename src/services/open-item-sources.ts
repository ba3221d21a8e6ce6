// The registry of open-item sources and reminder rules: each feature adds its own here.
import { caseCallOpenItems, caseQuotaReminders } from './cases-reminders.js';
import type { OpenItemSource } from './open-items.js';
import type { ReminderRule } from './reminders.js';

export const openItemSources: OpenItemSource[] = [caseCallOpenItems];

export const reminderRules: ReminderRule[] = [caseQuotaReminders];
