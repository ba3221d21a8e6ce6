import type chineseDaysApi from 'chinese-days';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  CalendarNotPublishedError,
  WorkCalendar,
  missingCalendarReminder,
  type DayRule,
} from '../src/services/calendar/calendar.js';
import { packageCalendarData, parsePackageCalendarData } from '../src/services/calendar/package-data.js';
import {
  addCalendarDays,
  parseShanghaiDateTime,
  weekdayOf,
  type LocalDate,
} from '../src/services/calendar/time.js';
import { HOLIDAY_BLOCKS, HOLIDAY_DAYS, MAKE_UP_DAYS, datesFrom } from './support/calendar-fixtures.js';
import { TIME_ZONES, inProcessTimeZone, useProcessTimeZone } from './support/time-zones.js';

const calendar = WorkCalendar.create();
const at = parseShanghaiDateTime;

describe.each(TIME_ZONES)('calendar under TZ=%s', (zone) => {
  useProcessTimeZone(zone);

  describe('State Council schedules 2025 and 2026', () => {
    it.each(HOLIDAY_DAYS)('%s is a day off (%j)', (date, names) => {
      const info = calendar.dayInfo(date);
      expect(info.isWorkingDay).toBe(false);
      expect(info.kind).toBe('holiday');
      expect(names).toContain(info.reason);
    });

    it.each(MAKE_UP_DAYS)('%s is a make-up working day for %s', (date, name) => {
      expect([0, 6]).toContain(weekdayOf(date));
      expect(calendar.isWorkingDay(date)).toBe(true);
      expect(calendar.dayInfo(date)).toMatchObject({ kind: 'makeup-workday', reason: `${name}调休上班` });
    });

    it.each([
      // The days around each break, ordinary weekdays and weekends.
      ['2025-01-24', true, '2025-01-24（周五，工作日）'],
      ['2025-01-25', false, '2025-01-25（周六，周末）'],
      ['2025-01-27', true, '2025-01-27（周一，工作日）'],
      ['2025-02-05', true, '2025-02-05（周三，工作日）'],
      ['2025-02-09', false, '2025-02-09（周日，周末）'],
      ['2025-09-27', false, '2025-09-27（周六，周末）'],
      ['2025-09-30', true, '2025-09-30（周二，工作日）'],
      ['2025-10-09', true, '2025-10-09（周四，工作日）'],
      ['2025-10-12', false, '2025-10-12（周日，周末）'],
      ['2025-12-31', true, '2025-12-31（周三，工作日）'],
      ['2026-01-04', true, '2026-01-04（周日，元旦调休上班）'],
      ['2026-02-13', true, '2026-02-13（周五，工作日）'],
      ['2026-02-14', true, '2026-02-14（周六，春节调休上班）'],
      ['2026-02-15', false, '2026-02-15（周日，春节）'],
      ['2026-02-24', true, '2026-02-24（周二，工作日）'],
      ['2026-02-28', true, '2026-02-28（周六，春节调休上班）'],
      ['2026-03-01', false, '2026-03-01（周日，周末）'],
      ['2026-04-05', false, '2026-04-05（周日，清明节）'],
      ['2026-05-09', true, '2026-05-09（周六，劳动节调休上班）'],
      ['2026-09-20', true, '2026-09-20（周日，国庆节调休上班）'],
      ['2026-09-30', true, '2026-09-30（周三，工作日）'],
      ['2026-10-01', false, '2026-10-01（周四，国庆节）'],
      ['2026-10-08', true, '2026-10-08（周四，工作日）'],
      ['2026-10-11', false, '2026-10-11（周日，周末）'],
      ['2026-12-31', true, '2026-12-31（周四，工作日）'],
    ] as const)('%s: working=%s, %s', (date, working, description) => {
      expect(calendar.isWorkingDay(date)).toBe(working);
      expect(calendar.describe(date)).toBe(description);
    });

    it.each([
      [2025, 248],
      [2026, 248],
    ])('%i has %i working days', (year, expected) => {
      const days = datesFrom(`${year}-01-01`, `${year}-12-31`);
      expect(days.filter((d) => calendar.isWorkingDay(d))).toHaveLength(expected);
      expect(calendar.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`)).toBe(expected);
    });
  });

  it.each([
    // from, n, expected
    ['2026-03-06', 1, '2026-03-09'], // Friday → Monday
    ['2026-03-07', 1, '2026-03-09'], // Saturday → Monday
    ['2026-03-09', 0, '2026-03-09'],
    ['2025-01-24', 1, '2025-01-26'], // → make-up Sunday
    ['2025-01-24', 2, '2025-01-27'],
    ['2025-01-24', 3, '2025-02-05'], // across the Spring Festival break
    ['2025-02-07', 1, '2025-02-08'], // → make-up Saturday
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-13', 2, '2026-02-24'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-09-30', 1, '2026-10-08'], // across National Day
    ['2026-09-30', 3, '2026-10-10'], // make-up Saturday
    ['2025-12-31', 1, '2026-01-04'], // year boundary into 元旦's make-up Sunday
    ['2025-12-31', 2, '2026-01-05'],
    ['2026-02-24', -1, '2026-02-14'],
    ['2026-01-05', -2, '2025-12-31'],
  ] as const)('addWorkingDays(%s, %i) = %s', (from, n, expected) => {
    expect(calendar.addWorkingDays(from, n)).toBe(expected);
    if (n === 1) expect(calendar.nextWorkingDay(from)).toBe(expected);
    expect(calendar.workingDaysBetween(from, expected)).toBe(n);
  });

  it.each([
    ['2026-02-13', '2026-02-24', 2],
    ['2026-02-24', '2026-02-13', -2],
    ['2026-03-09', '2026-03-09', 0],
    ['2026-03-06', '2026-03-08', 0],
    ['2026-03-06', '2026-03-09', 1],
    ['2025-12-31', '2026-01-05', 2],
    ['2026-09-30', '2026-10-10', 3],
  ] as const)('workingDaysBetween(%s, %s) = %i', (a, b, expected) => {
    expect(calendar.workingDaysBetween(a, b)).toBe(expected);
  });

  it('inverts addWorkingDays across 2025 and 2026', () => {
    for (let from: LocalDate = '2025-01-01'; from <= '2026-11-30'; from = addCalendarDays(from, 7)) {
      for (const n of [1, 2, 3, 10]) {
        const to = calendar.addWorkingDays(from, n);
        expect(calendar.isWorkingDay(to)).toBe(true);
        expect(calendar.workingDaysBetween(from, to)).toBe(n);
        expect(calendar.workingDaysBetween(to, from)).toBe(-n);
      }
    }
  });

  describe('years without a published schedule', () => {
    it('knows which years it covers, from the package data', () => {
      expect(calendar.covers(2025)).toBe(true);
      expect(calendar.covers(2026)).toBe(true);
      expect(calendar.covers(2027)).toBe(false);
      expect(calendar.coveredYears).toContain(2004);
    });

    it.each(['2003-12-31', '2100-01-04'] as const)('refuses to guess about %s', (date) => {
      expect(() => calendar.isWorkingDay(date)).toThrow(CalendarNotPublishedError);
      expect(() => calendar.describe(date)).toThrow(/年的节假日安排尚未发布或尚未导入/);
    });

    it.each([
      // date, working, description: weekends and the holidays the 2024 law fixes, never 调休
      ['2027-01-01', false, '2027-01-01（周五，元旦，预估）'],
      ['2027-01-04', true, '2027-01-04（周一，工作日，预估）'],
      ['2027-02-04', true, '2027-02-04（周四，工作日，预估）'],
      ['2027-02-05', false, '2027-02-05（周五，春节，预估）'], // 除夕
      ['2027-02-06', false, '2027-02-06（周六，春节，预估）'], // 正月初一
      ['2027-02-08', false, '2027-02-08（周一，春节，预估）'], // 初三
      ['2027-02-09', true, '2027-02-09（周二，工作日，预估）'],
      ['2027-04-05', false, '2027-04-05（周一，清明节，预估）'],
      ['2027-05-01', false, '2027-05-01（周六，劳动节，预估）'],
      ['2027-05-03', true, '2027-05-03（周一，工作日，预估）'], // no 补假 guessed
      ['2027-06-09', false, '2027-06-09（周三，端午节，预估）'],
      ['2027-09-15', false, '2027-09-15（周三，中秋节，预估）'],
      ['2027-10-04', true, '2027-10-04（周一，工作日，预估）'],
      ['2027-10-09', false, '2027-10-09（周六，周末，预估）'],
      ['2028-01-25', false, '2028-01-25（周二，春节，预估）'],
      ['2028-10-03', false, '2028-10-03（周二，中秋节、国庆节，预估）'],
    ] as const)('estimates %s provisionally: working=%s', (date, working, description) => {
      expect(calendar.isWorkingDay(date)).toBe(working);
      expect(calendar.describe(date)).toBe(description);
      expect(calendar.dayInfo(date).provisional).toBe(true);
    });

    it('counts across the boundary into a provisional year', () => {
      expect(calendar.nextWorkingDay('2026-12-31')).toBe('2027-01-04');
      expect(calendar.workingDaysBetween('2026-12-30', '2027-01-08')).toBe(6);
      expect(calendar.uncoveredYears('2026-06-01', '2028-01-01')).toEqual([2027, 2028]);
      expect(calendar.answers(2027)).toBe(true);
      expect(calendar.answers(2100)).toBe(false);
    });

    it('names the years it cannot estimate', () => {
      expect(() => calendar.workingDaysBetween('2099-12-30', '2100-01-03')).toThrow(
        expect.objectContaining({
          years: [2100],
          message: '2100 年的节假日安排尚未发布或尚未导入，无法按工作日计算',
        }),
      );
    });

    it.each([
      // now (Shanghai)       missing next year
      ['2026-10-31 23:59', null],
      ['2026-11-01 00:00', 2027],
      ['2026-12-31 23:59', 2027],
      ['2026-06-01 09:00', null],
      ['2025-11-15 09:00', null], // 2026 is published
    ] as const)('missingNextYear(%s) = %s', (now, expected) => {
      expect(calendar.missingNextYear(at(now))).toBe(expected);
    });

    it.each([
      // now (Shanghai), missing years, remind today
      ['2026-06-01 09:00', [], false],
      ['2026-10-30 09:00', [], false], // Friday, before 1 November
      ['2026-11-01 09:00', [2027], false], // Sunday
      ['2026-11-02 09:00', [2027], true], // Monday
      ['2026-12-31 09:00', [2027], true],
      ['2027-01-04 09:00', [2027], true], // the current year itself is unknown: Monday–Friday
      ['2027-01-09 09:00', [2027], false], // Saturday
      ['2027-11-02 09:00', [2027, 2028], true],
    ] as const)('coverage(%s): missing %j, remind %s', (now, missingYears, remindToday) => {
      expect(calendar.coverage(at(now))).toMatchObject({ missingYears, remindToday });
    });

    it('the reminder names the missing years and how to import them', () => {
      const text = missingCalendarReminder(calendar.coverage(at('2026-11-02 09:00')));
      expect(text).toContain('2027 年节假日安排尚未导入');
      expect(text).toContain('按周末和法定节假日预估（不含调休）');
      expect(text).toContain('npx duban import-calendar');
      expect(missingCalendarReminder({ missingYears: [] })).toBeNull();
    });
  });

  describe('imported years and overrides', () => {
    const imported2027: DayRule[] = [
      { date: '2027-01-01', isOffDay: true, name: '元旦' },
      { date: '2027-02-06', isOffDay: false, name: '春节' },
    ];

    it('an imported year becomes covered', () => {
      const withImport = WorkCalendar.create({ imported: [{ year: 2027, days: imported2027 }] });
      expect(withImport.covers(2027)).toBe(true);
      expect(withImport.describe('2027-01-01')).toBe('2027-01-01（周五，元旦）');
      expect(withImport.describe('2027-02-06')).toBe('2027-02-06（周六，春节调休上班）');
      expect(withImport.dayInfo('2027-01-04')).toMatchObject({ isWorkingDay: true, source: 'weekly-rule' });
      expect(withImport.nextWorkingDay('2026-12-31')).toBe('2027-01-04');
      expect(withImport.missingNextYear(at('2026-11-02 09:00'))).toBeNull();
    });

    it('an imported year replaces the package data of that year entirely', () => {
      const corrected = WorkCalendar.create({
        imported: [{ year: 2026, days: [{ date: '2026-02-16', isOffDay: true, name: '春节' }] }],
      });
      expect(corrected.describe('2026-02-14')).toBe('2026-02-14（周六，周末）');
      expect(corrected.describe('2026-02-16')).toBe('2026-02-16（周一，春节）');
      expect(corrected.isWorkingDay('2026-02-17')).toBe(true);
      expect(corrected.dayInfo('2026-02-16').source).toBe('import');
      expect(corrected.dayInfo('2025-01-28').source).toBe('package');
    });

    it.each([
      ['2026-02-14', false, '单位统一放假', '2026-02-14（周六，单位统一放假）'], // over a package make-up day
      ['2026-10-01', true, '国庆值班', '2026-10-01（周四，国庆值班）'], // over a package holiday
      ['2026-03-09', false, '临时停电', '2026-03-09（周一，临时停电）'], // over the weekly rule
      ['2026-03-07', true, '防汛值班', '2026-03-07（周六，防汛值班）'],
    ] as const)('an override of %s wins (working=%s)', (date, isWorking, name, description) => {
      const withOverride = WorkCalendar.create({ overrides: [{ date, isOffDay: !isWorking, name }] });
      expect(withOverride.isWorkingDay(date)).toBe(isWorking);
      expect(withOverride.describe(date)).toBe(description);
      expect(withOverride.dayInfo(date).source).toBe('override');
    });

    it('an override wins over an imported day too', () => {
      const both = WorkCalendar.create({
        imported: [{ year: 2027, days: imported2027 }],
        overrides: [{ date: '2027-02-06', isOffDay: true, name: '春节延长假期' }],
      });
      expect(both.describe('2027-02-06')).toBe('2027-02-06（周六，春节延长假期）');
    });

    it('an override alone does not make its year covered, but wins over the provisional rules', () => {
      const onlyOverride = WorkCalendar.create({
        overrides: [{ date: '2027-01-04', isOffDay: true, name: '停电' }],
      });
      expect(onlyOverride.covers(2027)).toBe(false);
      expect(onlyOverride.describe('2027-01-04')).toBe('2027-01-04（周一，停电，预估）');
    });
  });
});

it('gives identical answers whatever the process time zone', () => {
  const answers = () =>
    datesFrom('2025-12-20', '2026-03-10').map((d) => [
      calendar.describe(d),
      calendar.nextWorkingDay(d),
      calendar.workingDaysBetween(d, '2026-03-10'),
    ]);
  const [reference, ...others] = TIME_ZONES.map((zone) => inProcessTimeZone(zone, answers));
  for (const other of others) expect(other).toEqual(reference);
});

describe('chinese-days package data', () => {
  it('publishes consecutive years up to the current schedule and nothing beyond', () => {
    const { years } = packageCalendarData();
    expect(years).toEqual(Array.from({ length: years.length }, (_, i) => (years[0] ?? 0) + i));
    expect(years).toContain(2026);
    expect(years).not.toContain(2027);
  });

  it('agrees with the hand-typed notices on every day of 2025 and 2026', () => {
    const offDays = new Set(HOLIDAY_DAYS.map(([date]) => date));
    const makeUpDays = new Set(MAKE_UP_DAYS.map(([date]) => date));
    for (const date of datesFrom('2025-01-01', '2026-12-31')) {
      const weekend = [0, 6].includes(weekdayOf(date));
      const expected = makeUpDays.has(date) || (!weekend && !offDays.has(date));
      expect({ date, working: calendar.isWorkingDay(date) }).toEqual({ date, working: expected });
    }
    expect(HOLIDAY_BLOCKS).toHaveLength(13);
  });

  it("agrees with the package's own API (loaded and called under TZ=Asia/Shanghai, the only zone where it is right)", () => {
    // chinese-days builds its tables when first loaded, in the process time zone; load a fresh copy
    // under Shanghai time so this cross-check holds whatever TZ the test run started with.
    const require = createRequire(import.meta.url);
    const path = require.resolve('chinese-days');
    inProcessTimeZone('Asia/Shanghai', () => {
      delete require.cache[path];
      const chineseDays = require(path) as typeof chineseDaysApi;
      for (const date of datesFrom('2004-01-01', '2026-12-31')) {
        expect({ date, working: calendar.isWorkingDay(date) }).toEqual({
          date,
          working: chineseDays.isWorkday(date),
        });
      }
    });
  });

  it('rejects data in an unexpected format instead of guessing', () => {
    expect(() => parsePackageCalendarData({ holidays: { '2026-01-01': 'New Year' }, workdays: {} })).toThrow(
      /chinese-days 的数据格式与预期不符/,
    );
    expect(() => parsePackageCalendarData({})).toThrow(/chinese-days/);
    expect(
      parsePackageCalendarData({ holidays: { '2030-10-01': 'National Day,国庆节,3' }, workdays: {} }),
    ).toEqual({
      years: [2030],
      days: [{ date: '2030-10-01', isOffDay: true, name: '国庆节' }],
    });
  });
});
