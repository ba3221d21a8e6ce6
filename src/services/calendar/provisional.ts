/**
 * The provisional calendar of a year whose holiday schedule is not yet published: weekends plus the
 * days off that the law itself fixes every year. Deadlines counted on it are shown as 预估.
 *
 * Source: 《全国年节及纪念日放假办法》 as revised by 国务院令第795号 (2024-11-10, in force 2025-01-01),
 * 第二条 — 全体公民放假的节日:
 *   元旦 1 天（1月1日）; 春节 4 天（农历除夕、正月初一至初三）; 清明节 1 天（农历清明当日）;
 *   劳动节 2 天（5月1日、2日）; 端午节 1 天（农历端午当日）; 中秋节 1 天（农历中秋当日）;
 *   国庆节 3 天（10月1日至3日）.
 * What the yearly State Council notice adds is NOT guessed here: the make-up working days (调休上班),
 * the bridging days off they pay for, and the 补假 for a holiday on a weekend (第六条 says one is due
 * "在工作日", not which day). A provisional deadline can therefore move either way once the year's
 * schedule is imported; the import recomputes every open provisional deadline.
 *
 * Lunar dates and 清明 come from `chinese-days` (getLunarDate, getSolarTermDate). Both are called
 * only in ways that do not depend on the process time zone: getLunarDate counts whole days between
 * UTC instants, and getSolarTermDate's answer, formatted by the package in local time from a UTC
 * midnight, is corrected for zones west of UTC (see solarTermDate).
 */
import chineseDays from 'chinese-days';
import type { DayRule } from './package-data.js';
import { addCalendarDays, isLocalDate, type LocalDate } from './time.js';

/** The first year the 2024 revision governs; earlier unpublished years are not estimated. */
export const PROVISIONAL_FIRST_YEAR = 2025;
/** The last year the package's lunar table (1900–2100) answers for whole. */
export const PROVISIONAL_LAST_YEAR = 2099;

export function canEstimateYear(year: number): boolean {
  return Number.isInteger(year) && year >= PROVISIONAL_FIRST_YEAR && year <= PROVISIONAL_LAST_YEAR;
}

const pad = (value: number) => String(value).padStart(2, '0');

function localDate(year: number, month: number, day: number): LocalDate {
  const text = `${year}-${pad(month)}-${pad(day)}`;
  if (!isLocalDate(text)) throw new RangeError(`无效日期 ${text}`);
  return text;
}

/** The Gregorian day in [from, to] that is lunar month `month`, day `day` (not a leap month). */
function lunarDay(year: number, month: number, day: number, from: LocalDate, to: LocalDate): LocalDate {
  for (let date = from; date <= to; date = addCalendarDays(date, 1)) {
    const lunar = chineseDays.getLunarDate(date);
    if (lunar.lunarYear === year && lunar.lunarMon === month && lunar.lunarDay === day && !lunar.isLeap) {
      return date;
    }
  }
  throw new RangeError(`${year} 年找不到农历${month}月${day}日`);
}

/**
 * 清明 of `year`. The package builds `${year}-4-${day}` as a UTC midnight and formats it with local
 * getters, so west of UTC (a negative offset, getTimezoneOffset() > 0) it answers the day before.
 */
function solarTermDate(year: number): LocalDate {
  const formatted = chineseDays.getSolarTermDate(year, 4, 'pure_brightness');
  if (!isLocalDate(formatted)) throw new RangeError(`chinese-days 返回的清明日期无效：${formatted}`);
  const westOfUtc = new Date(Date.UTC(year, 3, 5)).getTimezoneOffset() > 0;
  return westOfUtc ? addCalendarDays(formatted, 1) : formatted;
}

const cache = new Map<number, readonly DayRule[]>();

/** The statutory days off of `year` (all `isOffDay: true`), sorted by date. */
export function statutoryHolidays(year: number): readonly DayRule[] {
  if (!canEstimateYear(year)) throw new RangeError(`${year} 年不在可预估的范围内`);
  const known = cache.get(year);
  if (known) return known;
  const springFestival = lunarDay(year, 1, 1, localDate(year, 1, 19), localDate(year, 2, 22));
  const dragonBoat = lunarDay(year, 5, 5, localDate(year, 5, 25), localDate(year, 6, 25));
  const midAutumn = lunarDay(year, 8, 15, localDate(year, 9, 5), localDate(year, 10, 10));
  const off = (date: LocalDate, name: string): DayRule => ({ date, isOffDay: true, name });
  const days: DayRule[] = [
    off(localDate(year, 1, 1), '元旦'),
    ...[-1, 0, 1, 2].map((n) => off(addCalendarDays(springFestival, n), '春节')),
    off(solarTermDate(year), '清明节'),
    off(localDate(year, 5, 1), '劳动节'),
    off(localDate(year, 5, 2), '劳动节'),
    off(dragonBoat, '端午节'),
    off(midAutumn, '中秋节'),
    ...[1, 2, 3].map((d) => off(localDate(year, 10, d), '国庆节')),
  ];
  // 中秋 can fall on 1–3 October (as on 2020-10-01): still one day off, carrying both names.
  const byDate = new Map<LocalDate, DayRule>();
  for (const day of days) {
    const same = byDate.get(day.date);
    byDate.set(day.date, same ? { ...same, name: `${same.name}、${day.name}` } : day);
  }
  const unique = [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
  cache.set(year, unique);
  return unique;
}
