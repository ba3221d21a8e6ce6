// The registry of open-item sources and reminder rules: each feature adds its own here.
import type { OpenItemSource } from './open-items.js';
import type { ReminderRule } from './reminders.js';

export const openItemSources: OpenItemSource[] = [];

export const reminderRules: ReminderRule[] = [];
