/**
 * The one working-day calendar (China, with public holidays and 调休 make-up working days).
 *
 * Built from data only (no database in here, see store.ts): the schedules published in the
 * `chinese-days` package, whole years imported by an admin (holiday-cn JSON), and single-day
 * overrides. For a given date the most specific source wins:
 *   override  >  imported year  >  package year  >  the weekly rule (Saturday and Sunday off).
 * An imported year replaces the package's data for that year entirely (it is a complete schedule).
 *
 * A year that is neither published by the package nor imported is not covered. From 2025 on (the
 * 2024 revision of the holiday law) such a year is answered provisionally: weekends plus the
 * statutory holidays the law fixes (see provisional.ts), never 调休. Every answer that relied on it
 * says so (DayInfo.provisional, the years listed by {@link WorkCalendar.uncoveredYears}), and the
 * views show it as 预估. Other uncovered years throw {@link CalendarNotPublishedError}.
 * Overrides alone do not make a year covered.
 */
import { packageCalendarData, type DayRule, type PackageCalendarData } from './package-data.js';
import { canEstimateYear, statutoryHolidays } from './provisional.js';
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

/**
 * Which source decided a day. `weekly-rule` means no entry: Monday–Friday work, weekends off;
 * `provisional` a statutory holiday of a year not yet published.
 */
export type DaySource = 'package' | 'import' | 'override' | 'weekly-rule' | 'provisional';

/** holiday: a day off other than an ordinary weekend; makeup-workday: a Saturday or Sunday worked (调休上班). */
export type DayKind = 'holiday' | 'makeup-workday' | 'weekend' | 'workday';

export interface DayInfo {
  date: LocalDate;
  isWorkingDay: boolean;
  kind: DayKind;
  /** Shown to users: 春节 / 春节调休上班 / 周末 / 工作日, or the admin's text for an override. */
  reason: string;
  source: DaySource;
  /** The year's schedule is not published: the answer is the provisional calendar's (预估). */
  provisional: boolean;
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

/** The provisional statutory holidays of `year`, by date (computed once per year). */
function provisionalRules(year: number): ReadonlyMap<LocalDate, ResolvedRule> {
  let rules = provisionalCache.get(year);
  if (!rules) {
    rules = new Map(
      statutoryHolidays(year).map((day) => [day.date, { ...day, source: 'provisional' as const }]),
    );
    provisionalCache.set(year, rules);
  }
  return rules;
}
const provisionalCache = new Map<number, ReadonlyMap<LocalDate, ResolvedRule>>();

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

  /** Whether `year`'s schedule is published or imported (not merely estimated). */
  covers(year: number): boolean {
    return this.covered.has(year);
  }

  /** Whether the calendar can answer for `year` at all: covered, or estimated provisionally. */
  answers(year: number): boolean {
    return this.covers(year) || canEstimateYear(year);
  }

  /**
   * The years between two dates (inclusive) whose schedule is not published: answers about them are
   * provisional (预估), or impossible when {@link answers} is false.
   */
  uncoveredYears(from: LocalDate, to: LocalDate): number[] {
    const [first, last] = [yearOf(from), yearOf(to)].sort((a, b) => a - b) as [number, number];
    const missing: number[] = [];
    for (let year = first; year <= last; year++) if (!this.covers(year)) missing.push(year);
    return missing;
  }

  /**
   * Everything known about one day; provisional in a year not published (from 2025 on). Throws
   * CalendarNotPublishedError for an uncovered year it cannot estimate.
   */
  dayInfo(date: LocalDate): DayInfo {
    assertLocalDate(date);
    const year = yearOf(date);
    const provisional = !this.covers(year);
    if (provisional && !canEstimateYear(year)) throw new CalendarNotPublishedError([year]);
    const rule = this.rules.get(date) ?? (provisional ? provisionalRules(year).get(date) : undefined);
    const weekend = isWeekend(date);
    if (!rule) {
      return weekend
        ? { date, isWorkingDay: false, kind: 'weekend', reason: '周末', source: 'weekly-rule', provisional }
        : { date, isWorkingDay: true, kind: 'workday', reason: '工作日', source: 'weekly-rule', provisional };
    }
    const isWorkingDay = !rule.isOffDay;
    const kind: DayKind = rule.isOffDay ? 'holiday' : weekend ? 'makeup-workday' : 'workday';
    return { date, isWorkingDay, kind, reason: reasonFor(rule, kind), source: rule.source, provisional };
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
    const missing = this.uncoveredYears(addCalendarDays(from, 1), to).filter((y) => !canEstimateYear(y));
    if (missing.length > 0) throw new CalendarNotPublishedError(missing);
    let count = 0;
    for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
      if (this.isWorkingDay(d)) count++;
    }
    return sign * count;
  }

  /** `2026-02-14（周六，春节调休上班）`; `2027-01-01（周五，元旦，预估）` in a year not published. */
  describe(date: LocalDate): string {
    const info = this.dayInfo(date);
    return `${date}（${weekdayName(weekdayOf(date))}，${info.reason}${info.provisional ? '，预估' : ''}）`;
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
 * For what runs on working days (jobs, reminders): whether `date` is a working day, provisionally in
 * a year not published, with the weekly rule (Monday–Friday) standing in for a year the calendar
 * cannot even estimate, so that a missing schedule delays nothing.
 */
export function isWorkingDayOrWeekday(calendar: WorkCalendar, date: LocalDate): boolean {
  return calendar.answers(yearOf(date)) ? calendar.isWorkingDay(date) : !isWeekend(date);
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
    `【日历提醒】${years}节假日安排尚未导入。涉及这些年份的期限暂按周末和法定节假日预估（不含调休），标注“预估”，导入后自动重新计算。` +
    `国务院办公厅通知发布后，请管理员在对话中发送 holiday-cn 格式的 JSON 文件，` +
    `或运行 npx duban import-calendar <文件.json> 导入。`
  );
}
