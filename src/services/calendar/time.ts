/**
 * Business time for duban: everything the users see is Asia/Shanghai, everything stored is a UTC instant.
 *
 * Nothing here reads the process time zone (no `getHours()`, `setDate()`, `toLocaleString()` without an
 * explicit zone): the same code must give the same answers on a server set to UTC, to Asia/Shanghai or,
 * on a developer laptop, to America/New_York. China has had no daylight saving time since 1991, so
 * Shanghai time is always exactly UTC+08:00 and plain fixed-offset arithmetic is correct. We shift the
 * instant by eight hours and read it with the `getUTC*` methods.
 */

/** A business (Shanghai) calendar date written `YYYY-MM-DD`; validated at the edges with {@link parseLocalDate}. */
export type LocalDate = `${number}-${number}-${number}`;

/** 0 = Sunday … 6 = Saturday, as in `Date#getUTCDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const SHANGHAI_UTC_OFFSET = '+08:00';
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME_PATTERN = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})$/;

export interface ShanghaiDateTimeParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
  date: LocalDate;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function assertValidInstant(instant: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError('无效的时间（Invalid Date）');
}

/** True for a real calendar date written exactly `YYYY-MM-DD` (so `2027-02-30` is false). */
export function isLocalDate(text: string): text is LocalDate {
  const match = LOCAL_DATE_PATTERN.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Validates `YYYY-MM-DD`; throws a RangeError with a Chinese message otherwise. */
export function parseLocalDate(text: string): LocalDate {
  const trimmed = text.trim();
  if (!isLocalDate(trimmed)) throw new RangeError(`日期 ${text} 无效，应为 YYYY-MM-DD 格式的真实日期`);
  return trimmed;
}

/** Guard for values typed as LocalDate that may still be malformed (e.g. `2026-2-1`). */
export function assertLocalDate(date: string): asserts date is LocalDate {
  if (!isLocalDate(date)) throw new RangeError(`日期 ${date} 无效，应为 YYYY-MM-DD 格式的真实日期`);
}

function dateParts(date: LocalDate): [year: number, month: number, day: number] {
  assertLocalDate(date);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** Midnight UTC of the same calendar date: a TZ-free handle for day arithmetic. */
function utcMidnightOf(date: LocalDate): number {
  const [year, month, day] = dateParts(date);
  return Date.UTC(year, month - 1, day);
}

function localDateFromUtcMidnight(ms: number): LocalDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` as LocalDate;
}

export function shanghaiDateTimeParts(instant: Date): ShanghaiDateTimeParts {
  assertValidInstant(instant);
  const shifted = new Date(instant.getTime() + OFFSET_MS);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return {
    year,
    month,
    day,
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay() as Weekday,
    date: `${pad(year, 4)}-${pad(month)}-${pad(day)}` as LocalDate,
  };
}

/** The Shanghai calendar date an instant falls on. */
export function shanghaiDate(instant: Date): LocalDate {
  return shanghaiDateTimeParts(instant).date;
}

/** 00:00 Shanghai time of `date`, as an instant (16:00 UTC of the day before). */
export function startOfShanghaiDay(date: LocalDate): Date {
  return new Date(utcMidnightOf(date) - OFFSET_MS);
}

/**
 * 24:00 Shanghai time of `date`, as an instant. "24时" (the wording of the notices) is represented as
 * the next day's 00:00 instant, and a deadline is met by anything that happens strictly before it.
 * Use {@link formatDeadline} to show it back as `…24时` instead of the next day's `00:00`.
 */
export function endOfShanghaiDay(date: LocalDate): Date {
  return startOfShanghaiDay(addCalendarDays(date, 1));
}

/**
 * Parses an operator-typed Shanghai wall-clock time `YYYY-MM-DD HH:mm` (a `T` separator is accepted
 * too). Throws a RangeError with a Chinese message on anything else, including 24:00 and 2027-02-30.
 */
export function parseShanghaiDateTime(text: string): Date {
  const match = LOCAL_DATE_TIME_PATTERN.exec(text.trim());
  const [, date, hour, minute] = match ?? [];
  if (date === undefined || hour === undefined || minute === undefined || !isLocalDate(date)) {
    throw new RangeError(`时间 ${text} 无效，应为 YYYY-MM-DD HH:mm（北京时间）`);
  }
  const hours = Number(hour);
  const minutes = Number(minute);
  if (hours > 23 || minutes > 59)
    throw new RangeError(`时间 ${text} 无效，应为 YYYY-MM-DD HH:mm（北京时间）`);
  return new Date(startOfShanghaiDay(date).getTime() + (hours * 60 + minutes) * 60_000);
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`天数必须是整数：${days}`);
  return localDateFromUtcMidnight(utcMidnightOf(date) + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((utcMidnightOf(to) - utcMidnightOf(from)) / DAY_MS);
}

export function weekdayOf(date: LocalDate): Weekday {
  return new Date(utcMidnightOf(date)).getUTCDay() as Weekday;
}

export function isWeekend(date: LocalDate): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

export function yearOf(date: LocalDate): number {
  return dateParts(date)[0];
}

export function weekdayName(weekday: Weekday): string {
  return WEEKDAY_NAMES[weekday];
}

/** `2026-12-02（周三）` */
export function formatDate(date: LocalDate): string {
  return `${date}（${weekdayName(weekdayOf(date))}）`;
}

/** `2026-12-02（周三）18:00` in Shanghai time. */
export function formatDateTime(instant: Date): string {
  const parts = shanghaiDateTimeParts(instant);
  return `${formatDate(parts.date)}${pad(parts.hour)}:${pad(parts.minute)}`;
}

/**
 * A deadline as people read it: an instant at exactly Shanghai midnight is shown as `24时` of the day
 * before (`2026-12-02（周三）24时`), anything else as `2026-12-02（周三）18:00`.
 */
export function formatDeadline(deadline: Date): string {
  const parts = shanghaiDateTimeParts(deadline);
  if (parts.hour === 0 && parts.minute === 0 && parts.second === 0 && deadline.getUTCMilliseconds() === 0) {
    return `${formatDate(addCalendarDays(parts.date, -1))}24时`;
  }
  return formatDateTime(deadline);
}

/** ISO 8601 with the Shanghai offset, to the second: `2026-12-03T00:00:00+08:00`. */
export function formatIso(instant: Date): string {
  const p = shanghaiDateTimeParts(instant);
  return `${p.date}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${SHANGHAI_UTC_OFFSET}`;
}
