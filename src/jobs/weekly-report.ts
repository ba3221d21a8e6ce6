// Friday 16:00 (or the week's last working day when Friday is off, see services/progress/weekly-report.ts):
// every supervisor and admin gets the 周报, the same text the 周报 command shows.
import { enqueue, messagesToItems } from '../outbox/queue.js';
import { supervisors } from '../services/directory/lookup.js';
import { spreadSendTime } from '../services/shared/spread.js';
import { shanghaiDate } from '../services/calendar/time.js';
import { weeklyReport, weeklyReportDay } from '../services/progress/weekly-report.js';
import type { Job } from './types.js';

export const weeklyReportJob: Job = {
  name: 'weekly-report',
  // Every day at 16:00; the job itself decides whether today is the week's report day.
  cron: '0 16 * * *',
  workingDaysOnly: true,
  catchUp: 'same-day',
  run: async (deps, now, fire) => {
    const calendar = await deps.calendar.get();
    const today = shanghaiDate(now);
    if (weeklyReportDay(calendar, today) !== today) return 'not the report day';
    const manager = deps.dataSource.manager;
    const messages = await weeklyReport(manager, calendar, now);
    const people = await supervisors(manager);
    // The parts of one report share an order group per recipient, so they arrive in order.
    const notBefore = spreadSendTime(fire.fireTime, JSON.stringify(messages));
    const items = people.flatMap((person) =>
      messagesToItems(person.userid, messages, {
        keyPrefix: `weekly-report:${today}`,
        source: 'weekly-report',
        notBefore,
      }),
    );
    await deps.dataSource.transaction((tx) => enqueue(tx, items, now));
    deps.outbox.kick();
    return `weekly report (${messages.length} parts) to ${people.length}`;
  },
};
