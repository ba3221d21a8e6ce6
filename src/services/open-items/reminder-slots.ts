// Helpers for reminder rules that fire at fixed Shanghai clock times on working days.
import { isWorkingDayOrWeekday, type WorkCalendar } from '../calendar/calendar.js';
import { shanghaiDate, shanghaiDateTimeParts, type LocalDate } from '../calendar/time.js';

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

/**
 * The working day and slot a rule asked at `now` files its reminders under, or null when nothing
 * is due: before the first of `times`, or on a day off.
 */
export function reminderSlot(
  calendar: WorkCalendar,
  times: readonly string[],
  now: Date,
): { slot: string; today: LocalDate } | null {
  const slot = currentSlot(times, now);
  const today = shanghaiDate(now);
  return slot !== null && isWorkingDayOrWeekday(calendar, today) ? { slot, today } : null;
}

/** `09:00` → `0900`, for reminder keys. */
export function slotKey(slot: string): string {
  return slot.replace(':', '');
}
