// From 1 November, every working day at 09:00 until next year's schedule is imported (and whenever
// the current year is missing), supervisors and admins are told the calendar is incomplete.
import { text } from '../messages/outbound.js';
import { missingCalendarReminder } from '../services/calendar/calendar.js';
import { supervisors } from '../services/directory/lookup.js';
import { enqueueSpread } from './enqueue.js';
import type { Job } from './types.js';

export const calendarCoverage: Job = {
  name: 'calendar-coverage',
  cron: '0 9 * * *',
  catchUp: 'same-day',
  run: async (deps, now, fire) => {
    const calendar = await deps.calendar.get();
    const coverage = calendar.coverage(now);
    const reminder = missingCalendarReminder(coverage);
    if (!coverage.remindToday || !reminder) return 'calendar complete';
    const people = await supervisors(deps.dataSource.manager);
    await deps.dataSource.transaction((tx) =>
      enqueueSpread(
        tx,
        people.map((person) => ({
          key: `calendar-coverage:${coverage.today}`,
          to: person.userid,
          message: text(reminder),
          source: 'calendar',
        })),
        fire.fireTime,
        now,
      ),
    );
    deps.outbox.kick();
    return `warned ${people.length} about ${coverage.missingYears.join(',')}`;
  },
};
