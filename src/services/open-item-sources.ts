// The registry of open-item sources and reminder rules: each feature adds its own here.
import type { OpenItemSource } from './open-items.js';
import type { ReminderRule } from './reminders.js';
import { taskOpenItems, taskReminderRules } from './tasks-reminders.js';

export const openItemSources: OpenItemSource[] = [taskOpenItems];

export const reminderRules: ReminderRule[] = [...taskReminderRules];
