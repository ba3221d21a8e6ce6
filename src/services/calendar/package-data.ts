/**
 * The holiday tables published by the `chinese-days` package, read as plain data.
 *
 * We deliberately do not call the package's functions (`isWorkday`, `getDayDetail`…): they parse
 * 'YYYY-MM-DD' as UTC midnight but read it back in the process time zone, so under
 * TZ=America/New_York `getDayDetail('2026-02-14')` answers for 2026-02-13 (the package even builds its
 * tables at load time in the process time zone). They also silently treat an unpublished year as
 * plain weekdays and weekends. The raw tables in `dist/chinese-days.json` have
 * neither problem: they are keyed by date string, and the years they contain are exactly the years the
 * package publishes.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { isLocalDate, yearOf, type LocalDate } from './time.js';

export interface DayRule {
  date: LocalDate;
  /** true: a day off (holiday); false: a working day (usually a make-up Saturday or Sunday, 调休上班). */
  isOffDay: boolean;
  /** Holiday name in Chinese, e.g. 春节; for overrides, the reason typed by the admin. */
  name: string;
}

export interface PackageCalendarData {
  /** Years for which the package carries a State Council holiday schedule. */
  years: number[];
  days: DayRule[];
}

// Values look like "Spring Festival,春节,4": English name, Chinese name, length of the holiday.
const ENTRY_PATTERN = /^(.*),([^,]+),(\d+)$/;
const tableSchema = z.record(
  z.string().refine(isLocalDate, { message: '日期键无效' }),
  z.string().regex(ENTRY_PATTERN),
);
const packageSchema = z.object({ holidays: tableSchema, workdays: tableSchema });

/** The package abbreviates some names; show the full names people use (and holiday-cn files carry). */
const FULL_NAMES: Readonly<Record<string, string>> = {
  清明: '清明节',
  端午: '端午节',
  中秋: '中秋节',
};

function chineseName(entry: string): string {
  const short = ENTRY_PATTERN.exec(entry)?.[2] ?? entry;
  return FULL_NAMES[short] ?? short;
}

/** Pure: turns the package's JSON into day rules; throws if the package changed its data format. */
export function parsePackageCalendarData(raw: unknown): PackageCalendarData {
  const parsed = packageSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`chinese-days 的数据格式与预期不符（升级了版本？）：${parsed.error.message}`);
  }
  const days: DayRule[] = [];
  for (const [date, entry] of Object.entries(parsed.data.holidays)) {
    days.push({ date: date as LocalDate, isOffDay: true, name: chineseName(entry) });
  }
  for (const [date, entry] of Object.entries(parsed.data.workdays)) {
    days.push({ date: date as LocalDate, isOffDay: false, name: chineseName(entry) });
  }
  // Every published year has holidays in that very year (Spring Festival at least); a make-up working
  // day can fall in the December before (2011-12-31 belongs to the 2012 notice), so only holidays count.
  const years = [...new Set(Object.keys(parsed.data.holidays).map((d) => yearOf(d as LocalDate)))];
  years.sort((a, b) => a - b);
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { years, days };
}

let cached: PackageCalendarData | undefined;

/** The data of the installed `chinese-days`, read once. */
export function packageCalendarData(): PackageCalendarData {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = parsePackageCalendarData(require('chinese-days/dist/chinese-days.json'));
  }
  return cached;
}
