// The site patrol's two jobs. `patrol-weekly` starts a patrol of every site on the first working
// day of the week. `patrol-work` runs on every instance each minute: it claims sites of running
// patrols (FOR UPDATE SKIP LOCKED with a lease) and reads them, so two instances share a patrol
// and a site whose instance crashed is taken over when its lease runs out.
import { addCalendarDays, shanghaiDate, type LocalDate } from '../services/calendar/time.js';
import { isWorkingDayOrWeekday, type WorkCalendar } from '../services/calendar/calendar.js';
import { PatrolWorker } from '../services/patrol/runner.js';
import { startPatrol } from '../services/patrol/service.js';
import { writeAudit } from '../services/shared/audit.js';
import type { Job, JobDeps } from './types.js';

/** The first working day of the week of `date` (Monday, or the first one after a holiday). */
export function patrolDay(calendar: WorkCalendar, date: LocalDate): LocalDate | null {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = addCalendarDays(date, -weekday);
  for (let offset = 0; offset < 7; offset++) {
    const day = addCalendarDays(monday, offset);
    if (isWorkingDayOrWeekday(calendar, day)) return day;
  }
  return null;
}

export const patrolWeekly: Job = {
  name: 'patrol-weekly',
  cron: '0 9 * * *',
  workingDaysOnly: true,
  catchUp: 'same-day',
  run: async (deps, now) => {
    const calendar = await deps.calendar.get();
    const today = shanghaiDate(now);
    if (patrolDay(calendar, today) !== today) return 'not the patrol day';
    const outcome = await deps.dataSource.transaction((tx) =>
      startPatrol(
        { tx, now, audit: (entry) => writeAudit(tx, now, entry) },
        { kind: 'all' },
        { exclude: deps.config.patrol.exclude },
        'schedule',
      ),
    );
    return outcome.kind === 'started' ? `patrol ${outcome.run.id}: ${outcome.sites} sites` : outcome.kind;
  },
};

/** The worker of this instance (one per process: its lanes claim sites one by one). */
export function patrolWorker(deps: JobDeps): PatrolWorker {
  return new PatrolWorker(
    {
      dataSource: deps.dataSource,
      content: deps.content,
      clock: deps.clock,
      logger: deps.logger,
      allowList: deps.config.piiAllowList,
      onOutbox: () => deps.outbox.kick(),
    },
    { staleDays: deps.config.patrol.staleDays, pagesPerSite: deps.config.patrol.pagesPerSite },
  );
}

export const patrolWork: Job = {
  name: 'patrol-work',
  cron: '* * * * *',
  everyInstance: true,
  run: async (deps) => {
    const outcome = await patrolWorker(deps).work();
    return outcome.sites ? `patrolled ${outcome.sites} sites, ${outcome.pages} pages` : undefined;
  },
};
