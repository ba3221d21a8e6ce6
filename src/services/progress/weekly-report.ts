// 周报: the week's activity and the current status, from the status model, for supervisors to
// forward. Sent by the weekly-report job and on demand (周报).
//
// When it goes out: 16:00 on the week's Friday. When that Friday is not a working day (中秋 2026 is
// Friday 09-25), on the last working day of the same Monday–Sunday week instead — a make-up Saturday
// or Sunday after it, else the Thursday (or earlier) before it. A week without a working day (the
// Spring Festival week) has no report. The period is the week so far: Monday 00:00 to the moment
// of the report (what happens after it shows as current status the week after).
import type { EntityManager } from 'typeorm';
import type { OutMessage } from '../../messages/outbound.js';
import { isWorkingDayOrWeekday, type WorkCalendar } from '../calendar/calendar.js';
import { computeProgress } from './model.js';
import { repostWeeklyMessages } from '../reposts/weekly.js';
import { weeklyReportMessages } from './views.js';
import {
  addCalendarDays,
  shanghaiDate,
  startOfShanghaiDay,
  weekdayOf,
  type LocalDate,
} from '../calendar/time.js';

/** The Monday of the week `date` is in. */
export function mondayOf(date: LocalDate): LocalDate {
  return addCalendarDays(date, -((weekdayOf(date) + 6) % 7));
}

/** The day the week's report goes out, or null for a week without working days. */
export function weeklyReportDay(calendar: WorkCalendar, date: LocalDate): LocalDate | null {
  const monday = mondayOf(date);
  const friday = addCalendarDays(monday, 4);
  if (isWorkingDayOrWeekday(calendar, friday)) return friday;
  for (let offset = 6; offset >= 0; offset--) {
    const day = addCalendarDays(monday, offset);
    if (isWorkingDayOrWeekday(calendar, day)) return day;
  }
  return null;
}

/** Monday 00:00 (Shanghai) of the week of `now`: where the report's period starts. */
export function weekStart(now: Date): Date {
  return startOfShanghaiDay(mondayOf(shanghaiDate(now)));
}

/** The report for the week of `now`, as ordered markdown messages. */
export async function weeklyReport(
  tx: EntityManager,
  calendar: WorkCalendar,
  now: Date,
): Promise<OutMessage[]> {
  const model = await computeProgress(tx, { now, calendar, since: weekStart(now) });
  return [...weeklyReportMessages(model), ...(await repostWeeklyMessages(tx, calendar, now))];
}
