/**
 * A deadline as typed in a dialog or written in a notice, read into an instant: the one meaning of
 * every date phrase (date-phrases.ts) for deadlines. Pure: now, the calendar and the notice's date
 * are parameters.
 *
 * - A day without a time means its 24:00 (3月21日前 → 3月21日24时); 24时 says the same.
 * - N个工作日 is 24:00 of the N-th working day after the day counting starts (provisional, 预估,
 *   where a year is not published); 24小时内 is 24 hours from now; 3天内 is 24:00 three days on.
 * - A month and day without a year: this year's while it is still ahead; once passed the dialog
 *   asks whether next year's is meant. In a notice, the day is placed after the notice's own date.
 * - A deadline already past is returned as `past` (a dialog refuses it, a notice shows it as such).
 */
import type { WorkCalendar } from './calendar.js';
import { canonicalText, readDatePhrase, type ClockTime } from './date-phrases.js';
import { workingDaysDeadline } from './deadlines.js';
import {
  addCalendarDays,
  endOfShanghaiDay,
  shanghaiDate,
  startOfShanghaiDay,
  type LocalDate,
} from './time.js';
import { placeAfterAnchor, placeMonthDay } from './year-choice.js';

export interface DeadlineValue {
  deadline: Date;
  rule: 'date' | 'date-time' | 'working-days' | 'hours' | 'calendar-days';
  /** N of "N个工作日", counted from `countedFrom`: kept so a provisional deadline can be recomputed. */
  workingDays: number | null;
  countedFrom: Date | null;
  /** Years not yet published whose provisional calendar the count used (预估). */
  provisionalYears: number[];
}

export type DeadlineAnswer =
  | ({ kind: 'deadline' } & DeadlineValue)
  | ({ kind: 'past' } & DeadlineValue)
  /** A month-day already past this year: is next year's meant? `canonical` re-reads as that date. */
  | { kind: 'ask-next-year'; typed: string; date: LocalDate; canonical: string }
  | { kind: 'invalid'; error: string }
  /** Not a deadline phrase at all: the dialog says what it expects. */
  | { kind: 'unknown' };

export interface DeadlineContext {
  now: Date;
  calendar: WorkCalendar;
  /** The notice the phrase comes from (落款 or 发布日期): the anchor of its dates, no questions asked. */
  noticeDate?: LocalDate;
}

function at(date: LocalDate, time: ClockTime | null): Date {
  if (!time || time.hour === 24) return endOfShanghaiDay(date);
  return new Date(startOfShanghaiDay(date).getTime() + (time.hour * 60 + time.minute) * 60_000);
}

export function readDeadline(input: string, context: DeadlineContext): DeadlineAnswer {
  const { now, calendar, noticeDate } = context;
  const anchor = noticeDate ?? shanghaiDate(now);
  // Counting in a notice starts on the notice's day; in a dialog, now.
  const from = noticeDate ? startOfShanghaiDay(noticeDate) : now;
  const read = readDatePhrase(input, anchor);
  if (!read.ok)
    return read.reason === 'unknown' ? { kind: 'unknown' } : { kind: 'invalid', error: read.error };
  const phrase = read.phrase;
  const value = (deadline: Date, rest: Omit<DeadlineValue, 'deadline'>): DeadlineAnswer => ({
    kind: deadline.getTime() <= now.getTime() ? 'past' : 'deadline',
    deadline,
    ...rest,
  });
  const plain = { workingDays: null, countedFrom: null, provisionalYears: [] };
  switch (phrase.kind) {
    case 'now':
      return { kind: 'invalid', error: '截止时间不能是现在，请输入将来的时间。' };
    case 'working-days': {
      const result = workingDaysDeadline(calendar, from, phrase.days);
      return value(result.deadline, {
        rule: 'working-days',
        workingDays: phrase.days,
        countedFrom: from,
        provisionalYears: result.provisionalYears,
      });
    }
    case 'hours':
      return value(new Date(from.getTime() + phrase.hours * 3_600_000), { rule: 'hours', ...plain });
    case 'calendar-days':
      return value(endOfShanghaiDay(addCalendarDays(anchor, phrase.days)), {
        rule: 'calendar-days',
        ...plain,
      });
    case 'time':
      return value(at(anchor, phrase.time), { rule: 'date-time', ...plain });
    case 'day': {
      const rule = phrase.time && phrase.time.hour !== 24 ? 'date-time' : 'date';
      let date: LocalDate;
      if (phrase.day.kind === 'date') date = phrase.day.date;
      else if (noticeDate) {
        const placed = placeAfterAnchor(phrase.day.month, phrase.day.day, noticeDate);
        if (!placed) return { kind: 'invalid', error: `日期“${phrase.day.text}”不存在，请检查。` };
        date = placed;
      } else {
        const choice = placeMonthDay(phrase.day.month, phrase.day.day, anchor, 'future');
        if (choice.kind === 'no-such-day') {
          return { kind: 'invalid', error: `日期“${phrase.day.text}”在${choice.year}年不存在，请写明年份。` };
        }
        if (choice.kind === 'ask-next-year') {
          return {
            kind: 'ask-next-year',
            typed: phrase.day.text,
            date: choice.date,
            canonical: canonicalText(choice.date, phrase.time),
          };
        }
        date = choice.date;
      }
      return value(at(date, phrase.time), { rule, ...plain });
    }
  }
  return { kind: 'unknown' };
}
