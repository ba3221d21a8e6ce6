/**
 * A month and day typed without a year (12月1日) in a dialog: which year is meant. The day itself
 * is in the future or the past depending on the dialog (a deadline, or when something happened);
 * when this year's day lies on the wrong side of today the member is asked (是/否) instead of the
 * year being changed silently. Pure: the dialog shows the question and reads the answer.
 */
import { isLocalDate, type LocalDate } from './time.js';

/** What the dialog expects: a day still to come (deadline, send time) or one already past (receipt). */
export type Expectation = 'future' | 'past';

export type YearChoice =
  | { kind: 'date'; date: LocalDate }
  /** This year's day has passed: is next year's (`date`) meant? */
  | { kind: 'ask-next-year'; date: LocalDate }
  /** This year's day has not come yet: is last year's (`date`) meant? */
  | { kind: 'ask-last-year'; date: LocalDate }
  /** The day does not exist this year (2月29日 outside a leap year). */
  | { kind: 'no-such-day'; year: number };

const pad = (value: number) => String(value).padStart(2, '0');

function inYear(year: number, month: number, day: number): LocalDate | null {
  const text = `${year}-${pad(month)}-${pad(day)}`;
  return isLocalDate(text) ? text : null;
}

/** Today counts as both: a deadline of today and something that happened today are both fine. */
export function placeMonthDay(month: number, day: number, today: LocalDate, expect: Expectation): YearChoice {
  const year = Number(today.slice(0, 4));
  const date = inYear(year, month, day);
  if (!date) return { kind: 'no-such-day', year };
  if (expect === 'future' && date < today) {
    const next = inYear(year + 1, month, day);
    return next ? { kind: 'ask-next-year', date: next } : { kind: 'no-such-day', year: year + 1 };
  }
  if (expect === 'past' && date > today) {
    const last = inYear(year - 1, month, day);
    return last ? { kind: 'ask-last-year', date: last } : { kind: 'no-such-day', year: year - 1 };
  }
  return { kind: 'date', date };
}

/**
 * A notice's month-day deadline (3月21日前) is read against the notice's own date: that year, or the
 * next when the day is before the notice (a notice of 20 December asking for 1月10日前). No question:
 * the supervisor sees the full date in the proposal and may change it.
 */
export function placeAfterAnchor(month: number, day: number, anchor: LocalDate): LocalDate | null {
  const year = Number(anchor.slice(0, 4));
  const date = inYear(year, month, day);
  if (date && date >= anchor) return date;
  return inYear(year + 1, month, day);
}

export type YesNo = 'yes' | 'no' | null;

/** 是/否 and their usual variants; null for anything else (the member typed something new). */
export function readYesNo(input: string): YesNo {
  const text = input
    .normalize('NFKC')
    .trim()
    .replace(/[。.!！]$/, '');
  if (/^(是|是的|对|对的|嗯|好|好的|确认|yes|y)$/i.test(text)) return 'yes';
  if (/^(否|不是|不对|不|no|n)$/i.test(text)) return 'no';
  return null;
}
