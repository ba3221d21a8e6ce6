// The provisional calendar: the statutory holidays of the 2024 revision of 《全国年节及纪念日放假办法》,
// computed from chinese-days' lunar and solar-term functions, checked against the published 2025 and
// 2026 schedules and against dates typed by hand, under every process time zone.
import { describe, expect, it } from 'vitest';
import {
  PROVISIONAL_FIRST_YEAR,
  PROVISIONAL_LAST_YEAR,
  canEstimateYear,
  statutoryHolidays,
} from '../src/services/calendar/provisional.js';
import { HOLIDAY_DAYS } from './support/calendar-fixtures.js';
import { TIME_ZONES, inProcessTimeZone, useProcessTimeZone } from './support/time-zones.js';

describe.each(TIME_ZONES)('statutory holidays under TZ=%s', (zone) => {
  useProcessTimeZone(zone);

  it.each([
    // year, 除夕 … 初三, 清明, 端午, 中秋 (lunar dates from the almanac, typed by hand)
    [2025, ['01-28', '01-29', '01-30', '01-31'], '04-04', '05-31', '10-06'],
    [2026, ['02-16', '02-17', '02-18', '02-19'], '04-05', '06-19', '09-25'],
    [2027, ['02-05', '02-06', '02-07', '02-08'], '04-05', '06-09', '09-15'],
    [2028, ['01-25', '01-26', '01-27', '01-28'], '04-04', '05-28', '10-03'],
    [2029, ['02-12', '02-13', '02-14', '02-15'], '04-04', '06-16', '09-22'],
  ] as const)(
    '%i: 元旦, 春节 from 除夕, 清明, 劳动节 2, 端午, 中秋, 国庆 3',
    (year, spring, qingming, duanwu, zhongqiu) => {
      const days = statutoryHolidays(year);
      const named = (name: string) => days.filter((d) => d.name.includes(name)).map((d) => d.date.slice(5));
      expect(named('元旦')).toEqual(['01-01']);
      expect(named('春节')).toEqual(spring);
      expect(named('清明节')).toEqual([qingming]);
      expect(named('劳动节')).toEqual(['05-01', '05-02']);
      expect(named('端午节')).toEqual([duanwu]);
      expect(named('中秋节')).toEqual([zhongqiu]);
      expect(named('国庆节')).toEqual(['10-01', '10-02', '10-03']);
      expect(days.every((d) => d.isOffDay)).toBe(true);
    },
  );

  it('every statutory day of 2025 and 2026 is a day off in the published schedule', () => {
    const published = new Set(HOLIDAY_DAYS.map(([date]) => date));
    for (const year of [2025, 2026]) {
      for (const day of statutoryHolidays(year)) expect(published.has(day.date), day.date).toBe(true);
    }
  });
});

it('gives identical answers whatever the process time zone', () => {
  const answers = () => [2027, 2031, 2042, 2060].map((year) => statutoryHolidays(year + 0));
  const [reference, ...others] = TIME_ZONES.map((zone) => inProcessTimeZone(zone, answers));
  for (const other of others) expect(other).toEqual(reference);
});

it.each([
  [2024, false],
  [PROVISIONAL_FIRST_YEAR, true],
  [2050, true],
  [PROVISIONAL_LAST_YEAR, true],
  [2100, false],
  [2027.5, false],
])('canEstimateYear(%s) = %s', (year, expected) => {
  expect(canEstimateYear(year)).toBe(expected);
  if (!expected) expect(() => statutoryHolidays(year)).toThrow(/不在可预估的范围内/);
});
