// Reminder rules live with their features; the reminders job (src/jobs) asks every rule at its
// times and enqueues what is due. Keys make each reminder idempotent per (item, stage, day).
import type { EntityManager } from 'typeorm';
import type { OutMessage } from '../../messages/outbound.js';
import type { WorkCalendar } from '../calendar/calendar.js';

export interface Reminder {
  /** Unique per item, stage and day, e.g. `remind:task:12:deadline-day:2026-03-20`. */
  key: string;
  to: string[];
  message: OutMessage;
  source: string;
}

export interface ReminderContext {
  calendar: WorkCalendar;
  now: Date;
  /** The progress board (PUBLIC_BASE_URL set): reminders to supervisors end with a link to it. */
  boardUrl?: string;
}

export interface ReminderRule {
  name: string;
  /** Shanghai clock times (HH:mm) on working days at which the job asks this rule. */
  at: string[];
  due(tx: EntityManager, context: ReminderContext): Promise<Reminder[]>;
}
