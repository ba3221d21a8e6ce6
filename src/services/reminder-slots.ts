// Helpers for reminder rules that fire at fixed Shanghai clock times on working days.
import { CalendarNotPublishedError, type WorkCalendar } from './calendar.js';
import { addCalendarDays, isWeekend, shanghaiDateTimeParts, type LocalDate } from './time.js';

/**
 * The latest of `times` (HH:mm) at or before the Shanghai clock time of `now`, or null before the
 * first: a job that runs a little late still files its reminder under the slot it belongs to.
 */
export function currentSlot(times: readonly string[], now: Date): string | null {
  const { hour, minute } = shanghaiDateTimeParts(now);
  const clock = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  const passed = times.filter((time) => time <= clock).sort();
  return passed.at(-1) ?? null;
}

/** Whether `date` is a working day; Monday–Friday stands in when the calendar lacks the year. */
export function isWorkingDayOrWeekday(calendar: WorkCalendar, date: LocalDate): boolean {
  try {
    return calendar.isWorkingDay(date);
  } catch (error) {
    if (!(error instanceof CalendarNotPublishedError)) throw error;
    return !isWeekend(date);
  }
}

/** The first working day after `date` (Monday–Friday when the calendar lacks the year). */
export function nextWorkingDayOrWeekday(calendar: WorkCalendar, date: LocalDate): LocalDate {
  let next = addCalendarDays(date, 1);
  while (!isWorkingDayOrWeekday(calendar, next)) next = addCalendarDays(next, 1);
  return next;
}

/** `09:00` → `0900`, for reminder keys. */
export function slotKey(slot: string): string {
  return slot.replace(':', '');
}
