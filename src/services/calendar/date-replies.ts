/**
 * Date phrases read for a dialog: the value, or the words to answer with (the one place these
 * words live, so every dialog says the same). A year question carries `ask`: the canonical text the
 * dialog re-reads when the member answers 是 (see dateStep in handlers/flow/steps.ts).
 */
import type { ClockTime } from './date-phrases.js';
import { canonicalText, readDatePhrase } from './date-phrases.js';
import type { WorkCalendar } from './calendar.js';
import { readDeadline, type DeadlineContext, type DeadlineValue } from './deadline-input.js';
import { provisionalWarning } from './deadlines.js';
import { formatDate, formatDeadline, shanghaiDate, startOfShanghaiDay, type LocalDate } from './time.js';
import { placeMonthDay } from './year-choice.js';

// No date with a year in the fixed examples: one written here is past some day, and a member who
// types an example must never be told it has passed. Where `now` is at hand, a dated example a
// month ahead is added (exampleDate).
export const DEADLINE_EXAMPLES = '3月21日前、明天、下周一18:00、5个工作日 或 24小时内';

/** A weekday about a month after `now` (Shanghai), `2027-01-05`: an example date never yet past. */
export function exampleDate(now: Date): string {
  const day = new Date(startOfShanghaiDay(shanghaiDate(now)).getTime() + 30 * 86_400_000);
  for (let i = 0; i < 7; i++) {
    const date = shanghaiDate(new Date(day.getTime() + i * 86_400_000));
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return date;
  }
  return shanghaiDate(day);
}

/** The deadline examples with a dated one: `… 5个工作日、2027-01-05 18:00 或 24小时内`. */
export function deadlineExamples(now: Date): string {
  return `3月21日前、明天、下周一18:00、5个工作日、${exampleDate(now)} 18:00 或 24小时内`;
}
export const DATE_TIME_HINT = '如 2026-03-20 17:30、今天17:30、昨天 9:00';
export const DATE_HINT = '如 2026-03-20、3月20日、今天、昨天';

export type DialogRead<T> =
  | { ok: true; value: T }
  /** `ask`: the question in `error` is about the year; `ask` re-reads as the date asked about. */
  | { ok: false; error: string; ask?: string };

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

export function nextYearQuestion(typed: string, date: LocalDate): string {
  return `${typed}今年已过。是指明年的 ${formatDate(date)} 吗？请回复“是”或“否”（也可直接输入其他时间）。`;
}

export function lastYearQuestion(typed: string, date: LocalDate): string {
  return `${typed}今年还没到。是指去年的 ${formatDate(date)} 吗？请回复“是”或“否”（也可直接输入其他时间）。`;
}

/** After 否: ask for the date again, with the year this time. */
export function yearDeclined(now: Date): string {
  return `好的，请重新输入，写明年份（如 ${exampleDate(now)}）。`;
}

export function pastDeadlineError(deadline: Date): string {
  return `截止时间 ${formatDeadline(deadline)} 已过，请输入将来的时间。`;
}

export interface DialogDeadline extends DeadlineValue {
  /** Counted on the provisional calendar of a year not yet published (预估). */
  estimated: boolean;
  /** The calendar warning that goes with an estimate. */
  warning: string | null;
  /** Only with `allowPast` (a notice): the deadline has already passed. */
  past: boolean;
}

/** A deadline typed in a dialog, or written in a notice (`noticeDate`, `allowPast`). */
export function readDialogDeadline(
  input: string,
  context: DeadlineContext & { allowPast?: boolean },
): DialogRead<DialogDeadline> {
  const text = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const answer = readDeadline(text, context);
  switch (answer.kind) {
    case 'unknown':
      return {
        ok: false,
        error:
          text === ''
            ? `请输入截止时间，如 ${deadlineExamples(context.now)}。`
            : `没有看懂截止时间“${clip(text, 30)}”，请输入如 ${deadlineExamples(context.now)}。`,
      };
    case 'invalid':
      return { ok: false, error: answer.error };
    case 'ask-next-year':
      return { ok: false, error: nextYearQuestion(answer.typed, answer.date), ask: answer.canonical };
    case 'past':
    case 'deadline': {
      if (answer.kind === 'past' && !context.allowPast)
        return { ok: false, error: pastDeadlineError(answer.deadline) };
      const { kind, ...value } = answer;
      const estimated = value.provisionalYears.length > 0;
      const warnings = [
        ...(estimated ? [provisionalWarning(value.provisionalYears)] : []),
        ...restDayWarning(value, context.calendar),
      ];
      return {
        ok: true,
        value: {
          ...value,
          estimated,
          warning: warnings.length > 0 ? warnings.join('；') : null,
          past: kind === 'past',
        },
      };
    }
  }
}

/**
 * A date typed as the deadline that is not a working day (a Sunday, 元旦): said in the preview, with
 * the next working day, since units cannot act on it; nothing is moved without the member. Working
 * days and hours are counted as typed (24小时内 over a weekend is meant).
 */
function restDayWarning(value: DeadlineValue, calendar: WorkCalendar): string[] {
  if (value.rule !== 'date' && value.rule !== 'date-time') return [];
  // A whole-day deadline ends at 24:00, the next day's first instant: the day is the one before.
  const day = shanghaiDate(new Date(value.deadline.getTime() - 1));
  try {
    const info = calendar.dayInfo(day);
    if (info.isWorkingDay) return [];
    const reason = info.kind === 'weekend' ? '' : `，${info.reason}`;
    return [
      `截止日 ${formatDate(day)} 是休息日${reason}；如需顺延，可改为 ${formatDate(calendar.nextWorkingDay(day))}`,
    ];
  } catch {
    // A year with no calendar at all: the provisional warning (or the refusal) says so already.
    return [];
  }
}

/**
 * A day that has already happened (a change date, a receipt day): 2026-03-20, 3月20日, 今天, 昨天,
 * 上周五. A month-day still ahead this year asks whether last year's is meant.
 */
export function readPastDate(input: string, now: Date): DialogRead<LocalDate> {
  const today = shanghaiDate(now);
  const read = readDatePhrase(input, today);
  const unknown = { ok: false as const, error: `无法识别日期“${clip(input.trim(), 30)}”，${DATE_HINT}` };
  if (!read.ok) return read.reason === 'invalid' ? { ok: false, error: read.error } : unknown;
  const phrase = read.phrase;
  if (phrase.kind === 'now') return { ok: true, value: today };
  if (phrase.kind !== 'day' || phrase.time) return unknown;
  if (phrase.day.kind === 'date') return { ok: true, value: phrase.day.date };
  return placePast(phrase.day, null, today);
}

/**
 * A moment that has already happened (a receipt time): 2026-03-20 17:30, 今天17:30, 昨天 9:00,
 * 3月20日 下午5点半, 17:30 (today's), 现在. A time of day is required.
 */
export function readPastMoment(input: string, now: Date): DialogRead<Date> {
  const today = shanghaiDate(now);
  const read = readDatePhrase(input, today);
  const unknown = { ok: false as const, error: `无法识别时间“${clip(input.trim(), 30)}”，${DATE_TIME_HINT}` };
  if (!read.ok) return read.reason === 'invalid' ? { ok: false, error: read.error } : unknown;
  const phrase = read.phrase;
  if (phrase.kind === 'now') return { ok: true, value: new Date(now.getTime()) };
  if (phrase.kind === 'time') return { ok: true, value: momentOf(today, phrase.time) };
  if (phrase.kind !== 'day') return unknown;
  if (!phrase.time) return { ok: false, error: `请同时写明时刻，${DATE_TIME_HINT}` };
  if (phrase.time.hour === 24) return { ok: false, error: `时刻“24时”请写成次日 0:00。` };
  if (phrase.day.kind === 'date') return { ok: true, value: momentOf(phrase.day.date, phrase.time) };
  const placed = placePast(phrase.day, phrase.time, today);
  return placed.ok ? { ok: true, value: momentOf(placed.value, phrase.time) } : placed;
}

function placePast(
  day: { month: number; day: number; text: string },
  time: ClockTime | null,
  today: LocalDate,
): DialogRead<LocalDate> {
  const choice = placeMonthDay(day.month, day.day, today, 'past');
  if (choice.kind === 'no-such-day')
    return { ok: false, error: `日期“${day.text}”在${choice.year}年不存在，请写明年份。` };
  if (choice.kind === 'ask-last-year') {
    return {
      ok: false,
      error: lastYearQuestion(day.text, choice.date),
      ask: canonicalText(choice.date, time),
    };
  }
  return { ok: true, value: choice.date };
}

function momentOf(date: LocalDate, time: ClockTime): Date {
  return new Date(startOfShanghaiDay(date).getTime() + (time.hour * 60 + time.minute) * 60_000);
}
