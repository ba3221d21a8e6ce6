import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  calendarDaysBetween,
  endOfShanghaiDay,
  formatDate,
  formatDateTime,
  formatDeadline,
  formatIso,
  isLocalDate,
  parseLocalDate,
  parseShanghaiDateTime,
  shanghaiDate,
  shanghaiDateTimeParts,
  startOfShanghaiDay,
  weekdayOf,
} from '../src/services/calendar/time.js';
import { TIME_ZONES, inProcessTimeZone, useProcessTimeZone } from './support/time-zones.js';

describe.each(TIME_ZONES)('time helpers under TZ=%s', (zone) => {
  useProcessTimeZone(zone);

  it.each([
    // instant (UTC)               Shanghai date
    ['2026-03-06T15:59:59.999Z', '2026-03-06'], // 23:59:59.999 Friday in Shanghai
    ['2026-03-06T16:00:00.000Z', '2026-03-07'], // midnight: already Saturday in Shanghai
    ['2025-12-31T16:00:00.000Z', '2026-01-01'], // year boundary
    ['2026-01-01T00:00:00.000Z', '2026-01-01'],
    ['2024-02-28T16:30:00.000Z', '2024-02-29'], // leap day
  ])('shanghaiDate(%s) = %s', (iso, expected) => {
    expect(shanghaiDate(new Date(iso))).toBe(expected);
  });

  it('splits an instant into Shanghai wall-clock parts', () => {
    expect(shanghaiDateTimeParts(new Date('2026-12-02T10:05:09Z'))).toEqual({
      year: 2026,
      month: 12,
      day: 2,
      hour: 18,
      minute: 5,
      second: 9,
      weekday: 3,
      date: '2026-12-02',
    });
  });

  it('start and end of a Shanghai day are +08:00 midnights; 24:00 is the next 00:00', () => {
    expect(startOfShanghaiDay('2026-12-02').toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-12-02').toISOString()).toBe('2026-12-02T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-12-31').getTime()).toBe(startOfShanghaiDay('2027-01-01').getTime());
  });

  it.each([
    ['2026-12-02 18:00', '2026-12-02T10:00:00.000Z'],
    ['2026-12-02T18:00', '2026-12-02T10:00:00.000Z'],
    ['2026-01-01 00:00', '2025-12-31T16:00:00.000Z'],
    [' 2026-02-14 07:30 ', '2026-02-13T23:30:00.000Z'],
  ])('parseShanghaiDateTime(%j)', (text, iso) => {
    expect(parseShanghaiDateTime(text).toISOString()).toBe(iso);
  });

  it.each(['2026-12-02', '2026-12-02 24:00', '2026-12-02 18:60', '2027-02-29 09:00', '2026-2-1 09:00', 'x'])(
    'parseShanghaiDateTime rejects %j with a Chinese message',
    (text) => {
      expect(() => parseShanghaiDateTime(text)).toThrow(/无效，应为 YYYY-MM-DD HH:mm/);
    },
  );

  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-08', 0, '2026-03-08'],
    ['2026-03-01', 365, '2027-03-01'],
  ] as const)('addCalendarDays(%s, %i) = %s', (date, n, expected) => {
    expect(addCalendarDays(date, n)).toBe(expected);
    expect(calendarDaysBetween(date, expected)).toBe(n);
  });

  it.each([
    ['2026-12-02', 3, '2026-12-02（周三）'],
    ['2026-02-14', 6, '2026-02-14（周六）'],
    ['2026-02-15', 0, '2026-02-15（周日）'],
    ['2025-01-01', 3, '2025-01-01（周三）'],
  ] as const)('%s is weekday %i: %s', (date, weekday, formatted) => {
    expect(weekdayOf(date)).toBe(weekday);
    expect(formatDate(date)).toBe(formatted);
  });

  it('formats instants in Shanghai time', () => {
    const sixPm = parseShanghaiDateTime('2026-12-02 18:00');
    expect(formatDateTime(sixPm)).toBe('2026-12-02（周三）18:00');
    expect(formatIso(sixPm)).toBe('2026-12-02T18:00:00+08:00');
    expect(formatIso(endOfShanghaiDay('2026-12-02'))).toBe('2026-12-03T00:00:00+08:00');
  });

  it('shows a midnight deadline as 24时 of the day before', () => {
    expect(formatDeadline(endOfShanghaiDay('2026-12-02'))).toBe('2026-12-02（周三）24时');
    expect(formatDeadline(parseShanghaiDateTime('2026-12-02 18:00'))).toBe('2026-12-02（周三）18:00');
  });

  it('validates local dates strictly', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2027-02-29')).toBe(false);
    expect(isLocalDate('2026-2-28')).toBe(false);
    expect(isLocalDate('2026-13-01')).toBe(false);
    expect(isLocalDate('2026-00-10')).toBe(false);
    expect(parseLocalDate(' 2026-02-28 ')).toBe('2026-02-28');
    expect(() => parseLocalDate('2027-02-30')).toThrow('日期 2027-02-30 无效');
    expect(() => addCalendarDays('2026-2-1', 1)).toThrow(RangeError);
    expect(() => shanghaiDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

it('gives identical answers whatever the process time zone', () => {
  const answers = (): unknown[] => {
    const instants = [
      '2026-03-06T15:59:59Z',
      '2026-03-06T16:00:00Z',
      '2026-10-31T20:00:00Z',
      '2025-12-31T16:00:00Z',
    ];
    return instants.map((iso) => {
      const instant = new Date(iso);
      const date = shanghaiDate(instant);
      return [
        date,
        formatIso(instant),
        formatDateTime(instant),
        formatDate(addCalendarDays(date, 1)),
        startOfShanghaiDay(date).toISOString(),
      ];
    });
  };
  const [reference, ...others] = TIME_ZONES.map((zone) => inProcessTimeZone(zone, answers));
  for (const other of others) expect(other).toEqual(reference);
});
