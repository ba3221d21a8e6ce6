// Dates and times as members type them in chat (Shanghai wall-clock): 2026-03-20 17:30, 今天17:30,
// 昨天 9:00, 3月20日 下午5点半. Plain functions of (text, now); `now` only anchors 今天/昨天.
import { addCalendarDays, isLocalDate, shanghaiDate, startOfShanghaiDay, type LocalDate } from './time.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const RELATIVE_DAYS: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2 };

const FULL_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/;
const MONTH_DAY = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/;
const RELATIVE = /^(今天|今日|昨天|昨日|前天)/;
const TIME = /^(上午|早上|中午|下午|晚上)?\s*(\d{1,2})\s*(?:[:：点时]\s*(半|\d{1,2})?\s*分?)?$/;

export const DATE_TIME_HINT = '如 2026-03-20 17:30、今天17:30、昨天 9:00';
export const DATE_HINT = '如 2026-03-20、3月20日、今天、昨天';

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** The date at the start of `text` and what follows it, or an error. */
function leadingDate(text: string, now: Date): Parsed<{ date: LocalDate; rest: string }> | undefined {
  const today = shanghaiDate(now);
  const relative = RELATIVE.exec(text);
  if (relative) {
    const date = addCalendarDays(today, RELATIVE_DAYS[relative[1]!]!);
    return { ok: true, value: { date, rest: text.slice(relative[0].length) } };
  }
  const full = FULL_DATE.exec(text);
  if (full) {
    const date = `${full[1]}-${pad(Number(full[2]))}-${pad(Number(full[3]))}`;
    if (!isLocalDate(date)) return { ok: false, error: `日期“${full[0].trim()}”不存在，请检查。` };
    return { ok: true, value: { date, rest: text.slice(full[0].length) } };
  }
  const monthDay = MONTH_DAY.exec(text);
  if (monthDay) {
    // Without a year: this year's date, or last year's when that would lie in the future
    // (on 2 January, "12月30日" is three days ago).
    const year = Number(today.slice(0, 4));
    let date = `${year}-${pad(Number(monthDay[1]))}-${pad(Number(monthDay[2]))}`;
    if (!isLocalDate(date)) return { ok: false, error: `日期“${monthDay[0].trim()}”不存在，请检查。` };
    if (date > today) date = `${year - 1}${date.slice(4)}`;
    if (!isLocalDate(date)) return { ok: false, error: `日期“${monthDay[0].trim()}”不存在，请检查。` };
    return { ok: true, value: { date, rest: text.slice(monthDay[0].length) } };
  }
  return undefined;
}

/** A typed date: 2026-03-20, 2026/3/20, 2026年3月20日, 3月20日, 3-20, 今天, 昨天, 前天. */
export function parseTypedDate(input: string, now: Date): Parsed<LocalDate> {
  const text = input.normalize('NFKC').trim();
  const found = leadingDate(text, now);
  if (!found) return { ok: false, error: `无法识别日期“${input.trim()}”，${DATE_HINT}` };
  if (!found.ok) return found;
  if (found.value.rest.trim() !== '') {
    return { ok: false, error: `无法识别日期“${input.trim()}”，${DATE_HINT}` };
  }
  return { ok: true, value: found.value.date };
}

/**
 * A typed Shanghai date and time: 2026-03-20 17:30, 今天17:30, 昨天 9:00, 3月20日 下午5点半, 现在;
 * a bare time (17:30) is today's. A time is required: a day alone is ambiguous for an arrival.
 */
export function parseTypedDateTime(input: string, now: Date): Parsed<Date> {
  const text = input.normalize('NFKC').trim();
  if (text === '现在' || text === '刚才') return { ok: true, value: new Date(now.getTime()) };
  const failure: Parsed<Date> = { ok: false, error: `无法识别时间“${input.trim()}”，${DATE_TIME_HINT}` };
  if (text === '') return failure;
  // A bare time (17:30) is today's.
  const found = leadingDate(text, now) ?? { ok: true, value: { date: shanghaiDate(now), rest: text } };
  if (!found.ok) return found;
  const rest = found.value.rest.trim();
  if (rest === '') return { ok: false, error: `请同时写明时刻，${DATE_TIME_HINT}` };
  const time = TIME.exec(rest);
  if (!time) return failure;
  const [, period, hourText, minuteText] = time;
  let hour = Number(hourText);
  const minute = minuteText === '半' ? 30 : minuteText === undefined ? 0 : Number(minuteText);
  if ((period === '下午' || period === '晚上') && hour < 12) hour += 12;
  if (period === '中午' && hour < 11) hour += 12;
  if (hour > 23 || minute > 59) return { ok: false, error: `时刻 ${rest} 无效` };
  const value = new Date(startOfShanghaiDay(found.value.date).getTime() + (hour * 60 + minute) * 60_000);
  return { ok: true, value };
}
