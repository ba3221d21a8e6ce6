// Deadline reminders: at each reminder time on working days, every feature's rules say what is due.
import { boardUrl } from '../services/shared/board-links.js';
import { reminderRules } from '../services/open-items/sources.js';
import { shanghaiDateTimeParts } from '../services/calendar/time.js';
import { enqueueSpread, type ScheduledMessage } from './enqueue.js';
import type { Job } from './types.js';

/** The clock time (HH:mm, Shanghai) of a fire. */
export function slotOf(fireTime: Date): string {
  const { hour, minute } = shanghaiDateTimeParts(fireTime);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export const reminders: Job = {
  name: 'reminders',
  cron: '0 9,15 * * *',
  workingDaysOnly: true,
  catchUp: 'same-day',
  run: async (deps, now, fire) => {
    const calendar = await deps.calendar.get();
    const slot = slotOf(fire.fireTime);
    const messages: ScheduledMessage[] = [];
    const context = { calendar, now, boardUrl: boardUrl(deps.config) };
    for (const rule of reminderRules.filter((candidate) => candidate.at.includes(slot))) {
      const due = await rule.due(deps.dataSource.manager, context);
      for (const reminder of due) {
        for (const to of new Set(reminder.to)) {
          messages.push({ key: reminder.key, to, message: reminder.message, source: reminder.source });
        }
      }
    }
    await deps.dataSource.transaction((tx) => enqueueSpread(tx, messages, fire.fireTime, now));
    deps.outbox.kick();
    return `${messages.length} reminders at ${slot}`;
  },
};
