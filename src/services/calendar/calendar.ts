/**
 * The one working-day calendar (China, with public holidays and 调休 make-up working days).
 *
 * Built from data only (no database in here, see store.ts): the schedules published in the
 * `chinese-days` package, whole years imported by an admin (holiday-cn JSON), and single-day
 * overrides. For a given date the most specific source wins:
 *   override  >  imported year  >  package year  >  the weekly rule (Saturday and Sunday off).
 * An imported year replaces the package's data for that year entirely (it is a complete schedule).
 *
 * The calendar never guesses: a question about a year that is neither published by the package nor
 * imported throws {@link CalendarNotPublishedError}. Overrides alone do not make a year covered.
 */
import { packageCalendarData, type DayRule, type PackageCalendarData } from './package-data.js';
import {
  addCalendarDays,
  assertLocalDate,
  isWeekend,
  shanghaiDate,
  shanghaiDateTimeParts,
  weekdayName,
  weekdayOf,
  yearOf,
  type LocalDate,
} from './time.js';

export type { DayRule } from './package-data.js';

export interface ImportedYear {
  year: number;
  days: DayRule[];
}

export interface WorkCalendarSources {
  /** Schedules from the `chinese-days` package; {@link WorkCalendar.create} fills this in. */
  published: PackageCalendarData;
  imported?: readonly ImportedYear[];
  overrides?: readonly DayRule[];
}

/** Which source decided a day. `weekly-rule` means no entry: Monday–Friday work, weekends off. */
export type DaySource = 'package' | 'import' | 'override' | 'weekly-rule';

/** holiday: a day off other than an ordinary weekend; makeup-workday: a Saturday or Sunday worked (调休上班). */
export type DayKind = 'holiday' | 'makeup-workday' | 'weekend' | 'workday';

export interface DayInfo {
  date: LocalDate;
  isWorkingDay: boolean;
  kind: DayKind;
  /** Shown to users: 春节 / 春节调休上班 / 周末 / 工作日, or the admin's text for an override. */
  reason: string;
  source: DaySource;
}

export class CalendarNotPublishedError extends Error {
  readonly code = 'CALENDAR_NOT_PUBLISHED';
  readonly years: number[];

  constructor(years: readonly number[]) {
    const sorted = [...new Set(years)].sort((a, b) => a - b);
    super(`${sorted.join('、')} 年的节假日安排尚未发布或尚未导入，无法按工作日计算`);
    this.name = 'CalendarNotPublishedError';
    this.years = sorted;
  }
}

/** What the calendar knows about the current and next year on a given day. */
export interface CalendarCoverage {
  today: LocalDate;
  year: number;
  /** The current year if it is not covered; plus next year once we are in the reminder season. */
  missingYears: number[];
  /** True on the days supervisors should be reminded (working days, see {@link WorkCalendar.coverage}). */
  remindToday: boolean;
}

/** From this day on (month, day), a missing schedule for next year is reported every working day. */
export const NEXT_YEAR_REMINDER_FROM = { month: 11, day: 1 } as const;

interface ResolvedRule extends DayRule {
  source: Exclude<DaySource, 'weekly-rule'>;
}

export class WorkCalendar {
  readonly coveredYears: readonly number[];
  private readonly covered: ReadonlySet<number>;
  private readonly rules = new Map<LocalDate, ResolvedRule>();

  /** The usual calendar: package data plus whatever the database holds. */
  static create(extra: Omit<WorkCalendarSources, 'published'> = {}): WorkCalendar {
    return new WorkCalendar({ ...extra, published: packageCalendarData() });
  }

  constructor(sources: WorkCalendarSources) {
    const importedYears = new Set((sources.imported ?? []).map((y) => y.year));
    for (const day of sources.published.days) {
      if (!importedYears.has(yearOf(day.date))) this.rules.set(day.date, { ...day, source: 'package' });
    }
    for (const imported of sources.imported ?? []) {
      for (const day of imported.days) {
        assertLocalDate(day.date);
        this.rules.set(day.date, { ...day, source: 'import' });
      }
    }
    for (const day of sources.overrides ?? []) {
      assertLocalDate(day.date);
      this.rules.set(day.date, { ...day, source: 'override' });
    }
    this.covered = new Set([...sources.published.years, ...importedYears]);
    this.coveredYears = [...this.covered].sort((a, b) => a - b);
  }

  covers(year: number): boolean {
    return this.covered.has(year);
  }

  /** The years between two dates (inclusive) that the calendar cannot answer for. */
  uncoveredYears(from: LocalDate, to: LocalDate): number[] {
    const [first, last] = [yearOf(from), yearOf(to)].sort((a, b) => a - b) as [number, number];
    const missing: number[] = [];
    for (let year = first; year <= last; year++) if (!this.covers(year)) missing.push(year);
    return missing;
  }

  /** Everything known about one day. Throws CalendarNotPublishedError for an uncovered year. */
  dayInfo(date: LocalDate): DayInfo {
    assertLocalDate(date);
    const year = yearOf(date);
    if (!this.covers(year)) throw new CalendarNotPublishedError([year]);
    const rule = this.rules.get(date);
    const weekend = isWeekend(date);
    if (!rule) {
      return weekend
        ? { date, isWorkingDay: false, kind: 'weekend', reason: '周末', source: 'weekly-rule' }
        : { date, isWorkingDay: true, kind: 'workday', reason: '工作日', source: 'weekly-rule' };
    }
    const isWorkingDay = !rule.isOffDay;
    const kind: DayKind = rule.isOffDay ? 'holiday' : weekend ? 'makeup-workday' : 'workday';
    return { date, isWorkingDay, kind, reason: reasonFor(rule, kind), source: rule.source };
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.dayInfo(date).isWorkingDay;
  }

  /**
   * The |n|-th working day after `date` (before it when n is negative), not counting `date` itself;
   * n = 0 returns `date` unchanged. addWorkingDays(Friday, 1) is the next Monday in an ordinary week.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`工作日数必须是整数：${n}`);
    assertLocalDate(date);
    const step = n < 0 ? -1 : 1;
    let current = date;
    for (let left = Math.abs(n); left > 0;) {
      current = addCalendarDays(current, step);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate {
    return this.addWorkingDays(date, 1);
  }

  /**
   * Working days d with a < d ≤ b; when b is before a, minus the count for (b, a]. For b ≥ a this
   * inverts addWorkingDays: `addWorkingDays(a, workingDaysBetween(a, b)) === b` whenever b is a
   * working day. Monday → Tuesday is 1; Friday → next Monday is 1; a day to itself is 0.
   */
  workingDaysBetween(a: LocalDate, b: LocalDate): number {
    assertLocalDate(a);
    assertLocalDate(b);
    if (a === b) return 0;
    const [from, to, sign] = a < b ? [a, b, 1] : [b, a, -1];
    const missing = this.uncoveredYears(addCalendarDays(from, 1), to);
    if (missing.length > 0) throw new CalendarNotPublishedError(missing);
    let count = 0;
    for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
      if (this.isWorkingDay(d)) count++;
    }
    return sign * count;
  }

  /** `2026-02-14（周六，春节调休上班）` */
  describe(date: LocalDate): string {
    const info = this.dayInfo(date);
    return `${date}（${weekdayName(weekdayOf(date))}，${info.reason}）`;
  }

  /**
   * Next year, if its schedule is still missing and today (Shanghai) is on or after 1 November;
   * otherwise null. The State Council usually publishes in late October or November.
   */
  missingNextYear(now: Date): number | null {
    const { year, month, day } = shanghaiDateTimeParts(now);
    const inSeason =
      month > NEXT_YEAR_REMINDER_FROM.month ||
      (month === NEXT_YEAR_REMINDER_FROM.month && day >= NEXT_YEAR_REMINDER_FROM.day);
    return inSeason && !this.covers(year + 1) ? year + 1 : null;
  }

  /**
   * For the daily 09:00 job: which schedules are missing and whether to remind today. Reminders go out
   * on working days; if even the current year is unknown, Monday–Friday stands in for working days.
   */
  coverage(now: Date): CalendarCoverage {
    const today = shanghaiDate(now);
    const year = yearOf(today);
    const missingYears: number[] = [];
    if (!this.covers(year)) missingYears.push(year);
    const next = this.missingNextYear(now);
    if (next !== null) missingYears.push(next);
    const workingToday = isWorkingDayOrWeekday(this, today);
    return { today, year, missingYears, remindToday: missingYears.length > 0 && workingToday };
  }
}

/**
 * For what runs on working days (jobs, reminders): whether `date` is a working day, with the weekly
 * rule (Monday–Friday) standing in for a year the calendar does not cover, so that a missing
 * schedule delays nothing (deadlines in such a year are already flagged as estimates).
 */
export function isWorkingDayOrWeekday(calendar: WorkCalendar, date: LocalDate): boolean {
  return calendar.covers(yearOf(date)) ? calendar.isWorkingDay(date) : !isWeekend(date);
}

/** The first working day after `date` (the weekly rule for an uncovered year, as above). */
export function nextWorkingDayOrWeekday(calendar: WorkCalendar, date: LocalDate): LocalDate {
  let next = addCalendarDays(date, 1);
  while (!isWorkingDayOrWeekday(calendar, next)) next = addCalendarDays(next, 1);
  return next;
}

function reasonFor(rule: ResolvedRule, kind: DayKind): string {
  // Admins type the whole reason for an override ("防汛值班", "临时停电"); use it as written.
  if (rule.source === 'override' && rule.name.trim() !== '') return rule.name;
  if (kind === 'holiday') return rule.name || '节假日';
  if (kind === 'makeup-workday') return `${rule.name}调休上班`;
  return '工作日';
}

/** The supervisors' reminder text, or null when nothing is missing. */
export function missingCalendarReminder(coverage: Pick<CalendarCoverage, 'missingYears'>): string | null {
  if (coverage.missingYears.length === 0) return null;
  const years = coverage.missingYears.map((y) => `${y} 年`).join('、');
  return (
    `【日历提醒】${years}节假日安排尚未导入。涉及这些年份的期限暂“按自然日估算”，可能与实际工作日不符。` +
    `国务院办公厅通知发布后，请管理员在对话中发送 holiday-cn 格式的 JSON 文件，` +
    `或运行 npx duban import-calendar <文件.json> 导入。`
  );
}
