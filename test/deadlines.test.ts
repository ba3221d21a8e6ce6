import { describe, expect, it } from 'vitest';
import { CalendarNotPublishedError, WorkCalendar } from '../src/services/calendar/calendar.js';
import {
  describeDeadline,
  describeRemaining,
  filingDeadline,
  guestbookDeadline,
  isProvisional,
  provisionalWarning,
  remainingTime,
  statusColour,
  taskDeadline,
  workingDaysDeadline,
  type DeadlineResult,
} from '../src/services/calendar/deadlines.js';
import { deadlineLine, viewDeadline } from '../src/services/calendar/deadline-text.js';
import { formatIso, parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { TIME_ZONES, inProcessTimeZone, useProcessTimeZone } from './support/time-zones.js';

const calendar = WorkCalendar.create();
/** Shanghai wall-clock time, as typed by a person. */
const at = parseShanghaiDateTime;

function deadlineIso(result: DeadlineResult): string {
  return formatIso(result.deadline);
}

describe.each(TIME_ZONES)('deadline rules under TZ=%s', (zone) => {
  useProcessTimeZone(zone);

  describe('guestbook messages: 2 working days from 0:00 of the next working day', () => {
    it.each([
      // received (Shanghai)    clock starts        deadline (24:00 of … = next 00:00)
      ['2026-03-04 10:00', '2026-03-05T00:00:00+08:00', '2026-03-07T00:00:00+08:00'], // ordinary Wednesday
      ['2026-03-05 23:59', '2026-03-06T00:00:00+08:00', '2026-03-10T00:00:00+08:00'], // Thursday late evening
      ['2026-03-06 00:30', '2026-03-09T00:00:00+08:00', '2026-03-11T00:00:00+08:00'], // Friday early morning
      ['2026-03-06 20:00', '2026-03-09T00:00:00+08:00', '2026-03-11T00:00:00+08:00'], // Friday evening
      ['2026-03-07 00:00', '2026-03-09T00:00:00+08:00', '2026-03-11T00:00:00+08:00'], // Saturday midnight
      ['2026-03-07 10:00', '2026-03-09T00:00:00+08:00', '2026-03-11T00:00:00+08:00'], // Saturday
      ['2026-03-08 22:00', '2026-03-09T00:00:00+08:00', '2026-03-11T00:00:00+08:00'], // Sunday
      // 2026 Spring Festival: break 02-15..02-23, make-up Saturdays 02-14 and 02-28.
      ['2026-02-13 16:00', '2026-02-14T00:00:00+08:00', '2026-02-25T00:00:00+08:00'], // Friday before
      ['2026-02-14 10:00', '2026-02-24T00:00:00+08:00', '2026-02-26T00:00:00+08:00'], // last day before the break (make-up Saturday)
      ['2026-02-18 09:00', '2026-02-24T00:00:00+08:00', '2026-02-26T00:00:00+08:00'], // during the break
      ['2026-02-27 18:00', '2026-02-28T00:00:00+08:00', '2026-03-03T00:00:00+08:00'], // Friday before the make-up Saturday
      ['2026-02-28 11:00', '2026-03-02T00:00:00+08:00', '2026-03-04T00:00:00+08:00'], // on the make-up Saturday
      // 2025 Spring Festival: break 01-28..02-04, make-up 01-26 (Sunday) and 02-08 (Saturday).
      ['2025-01-26 09:00', '2025-01-27T00:00:00+08:00', '2025-02-06T00:00:00+08:00'], // on the make-up Sunday
      ['2025-01-27 17:00', '2025-02-05T00:00:00+08:00', '2025-02-07T00:00:00+08:00'], // last day before the break
      ['2025-02-08 15:00', '2025-02-10T00:00:00+08:00', '2025-02-12T00:00:00+08:00'], // on the make-up Saturday
      // National Day 2025 (10-01..10-08, make-up 09-28 and 10-11).
      ['2025-09-30 10:00', '2025-10-09T00:00:00+08:00', '2025-10-11T00:00:00+08:00'],
      // Year boundaries.
      ['2024-12-31 10:00', '2025-01-02T00:00:00+08:00', '2025-01-04T00:00:00+08:00'], // 2025-01-03 is Friday
      ['2025-12-30 10:00', '2025-12-31T00:00:00+08:00', '2026-01-05T00:00:00+08:00'], // make-up Sunday 2026-01-04
      ['2025-12-31 15:00', '2026-01-04T00:00:00+08:00', '2026-01-06T00:00:00+08:00'],
      ['2026-12-29 10:00', '2026-12-30T00:00:00+08:00', '2027-01-01T00:00:00+08:00'], // ends exactly at 2026-12-31 24:00
    ])('received %s: clock starts %s, deadline %s', (received, startsAt, deadline) => {
      const result = guestbookDeadline(calendar, at(received));
      expect(result.provisionalYears).toEqual([]);
      expect(formatIso(result.startsAt)).toBe(startsAt);
      expect(deadlineIso(result)).toBe(deadline);
    });

    it('uses the Shanghai day of receipt, not the UTC one', () => {
      // 2026-03-05T16:30Z is Friday 00:30 in Shanghai (still Thursday in UTC and New York).
      expect(deadlineIso(guestbookDeadline(calendar, new Date('2026-03-05T15:30:00Z')))).toBe(
        '2026-03-10T00:00:00+08:00',
      );
      expect(deadlineIso(guestbookDeadline(calendar, new Date('2026-03-05T16:30:00Z')))).toBe(
        '2026-03-11T00:00:00+08:00',
      );
    });

    it('describes the deadline with the start of the clock', () => {
      expect(describeDeadline(guestbookDeadline(calendar, at('2026-03-06 20:00')))).toBe(
        '2026-03-10（周二）24时截止（2026-03-09（周一）0时起算）',
      );
    });
  });

  describe('new-media account filing: 24:00 of the third working day after the change', () => {
    it.each([
      ['2026-03-04 10:00', '2026-03-10T00:00:00+08:00'], // Wednesday → Monday
      ['2026-09-18 10:00', '2026-09-23T00:00:00+08:00'], // through the make-up Sunday 09-20
      ['2026-09-29 10:00', '2026-10-10T00:00:00+08:00'], // across National Day 2026
      ['2026-09-30 10:00', '2026-10-11T00:00:00+08:00'], // due on the make-up Saturday 10-10
      ['2026-10-03 10:00', '2026-10-11T00:00:00+08:00'], // changed during the holiday
      ['2026-10-10 10:00', '2026-10-15T00:00:00+08:00'], // changed on the make-up Saturday
      ['2025-09-26 10:00', '2025-10-01T00:00:00+08:00'], // through the make-up Sunday 09-28
      ['2025-09-30 10:00', '2025-10-12T00:00:00+08:00'], // across National Day 2025, due on make-up 10-11
      ['2025-12-31 10:00', '2026-01-07T00:00:00+08:00'], // year boundary
    ])('changed %s: deadline %s', (changed, deadline) => {
      expect(deadlineIso(filingDeadline(calendar, at(changed)))).toBe(deadline);
    });

    it('accepts the day of the change as a date', () => {
      const result = filingDeadline(calendar, '2026-09-30');
      expect(deadlineIso(result)).toBe('2026-10-11T00:00:00+08:00');
      expect(formatIso(result.startsAt)).toBe('2026-09-30T00:00:00+08:00');
      expect(describeDeadline(result)).toBe('2026-10-10（周六）24时截止');
      expect(() => filingDeadline(calendar, '2026-09-31')).toThrow(/无效/);
    });
  });

  describe('generic tasks', () => {
    it.each([
      ['2026-02-13 09:00', 1, '2026-02-15T00:00:00+08:00'], // the make-up Saturday counts
      ['2026-04-30 10:00', 5, '2026-05-12T00:00:00+08:00'], // Labour Day and make-up Saturday 05-09
      ['2025-01-20 10:00', 10, '2025-02-09T00:00:00+08:00'], // through the 2025 Spring Festival
      ['2026-03-09 10:00', 5, '2026-03-17T00:00:00+08:00'],
    ] as const)('assigned %s + %i working days: %s', (assigned, days, deadline) => {
      expect(deadlineIso(workingDaysDeadline(calendar, at(assigned), days))).toBe(deadline);
      expect(
        deadlineIso(taskDeadline(calendar, { kind: 'working-days', days, assignedAt: at(assigned) })),
      ).toBe(deadline);
    });

    it('takes an explicit date-time as is', () => {
      const result = taskDeadline(calendar, { kind: 'at', at: at('2027-06-30 18:00') });
      expect(result).toMatchObject({
        provisionalYears: [],
        rule: { name: 'explicit' },
        dueDate: '2027-06-30',
      });
      expect(describeDeadline(result)).toBe('2027-06-30（周三）18:00截止');
    });

    it.each([0, -1, 1.5])('rejects %s working days', (days) => {
      expect(() => workingDaysDeadline(calendar, at('2026-03-09 10:00'), days)).toThrow(/正整数/);
    });
  });

  describe('when a year has no published schedule: the provisional calendar (预估)', () => {
    it.each([
      // 2027-01-01 is 元旦 by law, 01-02/03 a weekend: the estimate never lands on them.
      ['guestbook', () => guestbookDeadline(calendar, at('2026-12-30 10:00')), '2027-01-05T00:00:00+08:00'],
      ['filing', () => filingDeadline(calendar, at('2026-12-29 10:00')), '2027-01-05T00:00:00+08:00'],
      [
        'workdays',
        () => workingDaysDeadline(calendar, at('2027-03-01 10:00'), 3),
        '2027-03-05T00:00:00+08:00',
      ],
      // 春节 2027: 除夕 02-05 to 初三 02-08 (a Monday) are days off by law.
      [
        'workdays over 春节',
        () => workingDaysDeadline(calendar, at('2027-02-03 10:00'), 2),
        '2027-02-10T00:00:00+08:00',
      ],
    ] as const)('%s: counted on weekends and statutory holidays', (_rule, compute, deadline) => {
      const result = compute();
      expect(result.provisionalYears).toEqual([2027]);
      expect(isProvisional(result)).toBe(true);
      expect(formatIso(result.deadline)).toBe(deadline);
      expect(describeDeadline(result)).toContain('24时截止（预估）');
      expect(provisionalWarning(result.provisionalYears)).toBe(
        '2027 年节假日安排尚未发布，期限按周末和法定节假日预估（不含调休），导入正式安排后自动重新计算',
      );
    });

    it('the issue of 2026-12-05: workdays:20 is after workdays:19, never six days before', () => {
      const from = at('2026-12-05 10:00');
      const nineteen = workingDaysDeadline(calendar, from, 19);
      const twenty = workingDaysDeadline(calendar, from, 20);
      expect(deadlineIso(nineteen)).toBe('2027-01-01T00:00:00+08:00'); // 2026-12-31 24时, published
      expect(nineteen.provisionalYears).toEqual([]);
      expect(deadlineIso(twenty)).toBe('2027-01-05T00:00:00+08:00'); // 2027-01-04 24时, 预估
      expect(twenty.provisionalYears).toEqual([2027]);
    });

    it.each(['2026-06-15 09:00', '2026-12-05 10:00', '2026-12-30 17:00', '2027-09-20 09:00'])(
      'is monotonic in N from %s (N = 1 … 80)',
      (start) => {
        let previous = 0;
        for (let n = 1; n <= 80; n++) {
          const deadline = workingDaysDeadline(calendar, at(start), n).deadline.getTime();
          expect(deadline, `N=${n}`).toBeGreaterThan(previous);
          previous = deadline;
        }
      },
    );

    it('refuses a year it cannot even estimate (after 2099)', () => {
      expect(() => workingDaysDeadline(calendar, at('2099-12-30 10:00'), 5)).toThrow(
        CalendarNotPublishedError,
      );
    });

    it('computes the real deadline once the year is imported', () => {
      const with2027 = WorkCalendar.create({
        imported: [{ year: 2027, days: [{ date: '2027-01-01', isOffDay: true, name: '元旦' }] }],
      });
      expect(deadlineIso(guestbookDeadline(with2027, at('2026-12-30 10:00')))).toBe(
        '2027-01-05T00:00:00+08:00',
      );
    });
  });
});

describe.each(TIME_ZONES)('remaining time and colour under TZ=%s', (zone) => {
  useProcessTimeZone(zone);

  const tuesdayMidnight = '2026-03-11 00:00'; // 2026-03-10（周二）24时
  const fridayMidnight = '2026-03-07 00:00'; // 2026-03-06（周五）24时
  const afterSpringFestival = '2026-02-25 00:00'; // 2026-02-24（周二）24时

  it.each([
    // deadline, now, text, colour
    [tuesdayMidnight, '2026-03-05 10:00', '还剩3个工作日', 'green'],
    [tuesdayMidnight, '2026-03-06 20:00', '还剩2个工作日', 'green'],
    [tuesdayMidnight, '2026-03-07 10:00', '还剩2个工作日', 'green'],
    [tuesdayMidnight, '2026-03-09 09:00', '还剩1个工作日', 'yellow'],
    [tuesdayMidnight, '2026-03-10 00:00', '今天24时截止', 'yellow'],
    [tuesdayMidnight, '2026-03-10 23:59', '今天24时截止', 'yellow'],
    [tuesdayMidnight, '2026-03-11 00:00', '已逾期1个工作日', 'red'],
    [tuesdayMidnight, '2026-03-13 10:00', '已逾期3个工作日', 'red'],
    [tuesdayMidnight, '2026-03-16 10:00', '已逾期4个工作日', 'red'],
    [fridayMidnight, '2026-03-06 08:00', '今天24时截止', 'yellow'],
    [fridayMidnight, '2026-03-07 10:00', '已逾期', 'red'], // the weekend after: no working day lost yet
    [fridayMidnight, '2026-03-09 10:00', '已逾期1个工作日', 'red'],
    [afterSpringFestival, '2026-02-13 10:00', '还剩2个工作日', 'green'], // 02-14 and 02-24
    [afterSpringFestival, '2026-02-14 10:00', '还剩1个工作日', 'yellow'],
    [afterSpringFestival, '2026-02-20 10:00', '还剩1个工作日', 'yellow'], // during the break: due the next working day
    ['2026-03-10 18:00', '2026-03-10 09:00', '今天18:00截止', 'yellow'],
    ['2026-03-10 18:00', '2026-03-10 19:00', '已逾期', 'red'],
    ['2026-03-08 18:00', '2026-03-06 10:00', '还剩不到1个工作日（2026-03-08（周日）18:00截止）', 'yellow'],
    ['2027-01-08 00:00', '2026-12-30 10:00', '还剩5个工作日（预估）', 'green'], // 12-31, 01-04 … 01-07
    ['2027-01-02 00:00', '2027-01-01 10:00', '今天24时截止', 'yellow'],
    ['2027-01-02 00:00', '2027-01-05 10:00', '已逾期2个工作日（预估）', 'red'], // 01-04, 01-05
  ] as const)('deadline %s, now %s: %s (%s)', (deadline, now, text, colour) => {
    const remaining = remainingTime(calendar, at(deadline), at(now));
    expect(describeRemaining(remaining)).toBe(text);
    expect(statusColour(remaining)).toBe(colour);
  });

  it('reports the years behind an estimate', () => {
    const remaining = remainingTime(calendar, at('2027-01-08 00:00'), at('2026-12-30 10:00'));
    expect(remaining).toMatchObject({ status: 'left', count: 5, provisionalYears: [2027] });
    // Marked once: not again when the deadline itself already carries （预估）.
    expect(describeRemaining(remaining, true)).toBe('还剩5个工作日');
  });

  it('prints a deadline on a day off once in a line that already names it', () => {
    const view = viewDeadline(calendar, at('2026-03-08 18:00'), at('2026-03-06 10:00'));
    expect(view.remaining).toBe('还剩不到1个工作日（2026-03-08（周日）18:00截止）');
    expect(view.remainingShort).toBe('还剩不到1个工作日');
    expect(deadlineLine(view)).toBe('2026-03-08（周日）18:00截止，还剩不到1个工作日');
  });
});

it('gives identical answers whatever the process time zone', () => {
  const instants = [
    '2026-02-13T15:30:00Z',
    '2026-02-13T16:30:00Z',
    '2025-12-31T07:00:00Z',
    '2026-12-30T02:00:00Z',
  ];
  const answers = () =>
    instants.flatMap((iso) => {
      const instant = new Date(iso);
      return [guestbookDeadline(calendar, instant), filingDeadline(calendar, instant)].map((result) => [
        describeDeadline(result),
        describeRemaining(remainingTime(calendar, result.deadline, instant)),
      ]);
    });
  const [reference, ...others] = TIME_ZONES.map((zone) => inProcessTimeZone(zone, answers));
  for (const other of others) expect(other).toEqual(reference);
});
