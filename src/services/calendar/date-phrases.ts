/**
 * The one reader of dates and times as members and notices write them, for every dialog (deadlines,
 * extension dates, case-call deadlines, scheduled notices, guestbook receipt times, filing dates)
 * and for the deadline sentences of a 通报:
 *
 *   今天 / 明天 / 后天 / 昨天 / 前天        本周五 / 下周一 / 上周三        月底 / 下月底 / 年底
 *   2026-12-01 / 2026/12/1 / 2026年12月1日  12月1日 / 12-01 / 12.1          18:00 / 9点半 / 下午5点 / 24时
 *   明天9:00 / 下周一 9:00 / 3月21日前 / 于3月21日17时前
 *   5个工作日 / 五个工作日内 / 24小时内 / 3天内 / 现在
 *
 * Pure: the calling dialog gives the anchor day (today, or a notice's own date) and decides what a
 * phrase means for it (deadline-input.ts for deadlines, typed-time.ts for past moments). A month and
 * day without a year is returned as such: whether it means this year, the next or the last is the
 * caller's question to ask (see year-choice.ts), never a silent roll.
 */
import { addCalendarDays, isLocalDate, weekdayOf, type LocalDate } from './time.js';

export interface ClockTime {
  hour: number;
  minute: number;
}

export type DatePart =
  | { kind: 'date'; date: LocalDate; text: string }
  /** 12月1日, 12-01: no year given. */
  | { kind: 'month-day'; month: number; day: number; text: string };

export type DatePhrase =
  /** A day, with a time of day or not; `time.hour` 24 is the end of the day (24时). */
  | { kind: 'day'; day: DatePart; time: ClockTime | null }
  /** 18:00 alone: the anchor day's. */
  | { kind: 'time'; time: ClockTime }
  | { kind: 'working-days'; days: number }
  | { kind: 'hours'; hours: number }
  /** 3天内: 24:00 of the anchor day plus N. */
  | { kind: 'calendar-days'; days: number }
  | { kind: 'now' };

export type PhraseRead =
  | { ok: true; phrase: DatePhrase }
  /** `unknown`: not a date phrase at all (the dialog adds its own examples); `invalid`: says why. */
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'invalid'; error: string };

const CN_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
}; // prettier-ignore

/** `5`, `五`, `十`, `十五`, `二十三`, `一百` → number; null for anything else. */
export function parseSmallNumber(text: string): number | null {
  if (/^\d{1,4}$/.test(text)) return Number(text);
  if (text === '一百') return 100;
  const match = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!match || text === '') return null;
  const [, tens, ten, ones] = match;
  if (!ten) return tens && !ones ? (CN_DIGITS[tens] ?? null) : null;
  return (tens ? CN_DIGITS[tens]! : 1) * 10 + (ones ? CN_DIGITS[ones]! : 0);
}

const NUMBER = '(\\d{1,4}|[一二两三四五六七八九十百]{1,4})';
const LEAD = '(?:请于|请在|务必于|务必在|需于|须于|应于|于|在)?';
const WITHIN = '(?:内|之内|以内)?';
const WORKING_DAYS = new RegExp(`^${LEAD}\\s*${NUMBER}\\s*个?\\s*工作日${WITHIN}(?:完成|办结|报送)?$`);
const HOURS = new RegExp(`^${LEAD}\\s*${NUMBER}\\s*个?\\s*(?:小时|钟头)${WITHIN}(?:完成|办结|报送)?$`);
const CALENDAR_DAYS = new RegExp(`^${LEAD}\\s*${NUMBER}\\s*(?:天|日)(?:内|之内|以内)(?:完成|办结|报送)?$`);
const NOW = /^(?:现在|刚才|刚刚|此刻|立即|马上)$/;

/** Words around a date that do not change it: 于…前, 截止…, …之前. */
const PREFIX = /^(?:请于|请在|务必于|务必在|需于|须于|应于|截至|截止到|截止至|截止|最迟|不晚于|于|在)\s*/;
const SUFFIX = /\s*(?:之前|以前|前|截止|为止|止)$/;

const RELATIVE_DAYS: Readonly<Record<string, number>> = {
  大前天: -3, 前天: -2, 昨天: -1, 昨日: -1, 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3,
}; // prettier-ignore
const RELATIVE = /^(大前天|前天|昨天|昨日|今天|今日|明天|明日|大后天|后天)/;
const WEEKDAYS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const WEEK =
  /^(本周|这周|本星期|这星期|这个星期|下周|下星期|下个星期|下礼拜|上周|上星期|上个星期)\s*([一二三四五六日天])/;
const MONTH_END = /^(本月底|本月末|月底|月末|下月底|下月末|下个月底|下个月末|年底|年末|本年底)/;
const FULL_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?/;
const MONTH_DAY = /^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/.]\s*(\d{1,2})(?![\d.]))/;
const TIME =
  /^(凌晨|早上|上午|中午|下午|傍晚|晚上)?\s*(\d{1,2})\s*(?:[:：]\s*(\d{2})|[点时]\s*(?:(半)|(\d{1,2})\s*分?)?)?$/;

const pad = (value: number) => String(value).padStart(2, '0');

function normalise(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** The date at the start of `text`, or undefined; `invalid` for a date that does not exist. */
function leadingDate(
  text: string,
  anchor: LocalDate,
): { part: DatePart; rest: string } | { invalid: string } | undefined {
  const relative = RELATIVE.exec(text);
  if (relative) {
    const date = addCalendarDays(anchor, RELATIVE_DAYS[relative[1]!]!);
    return { part: { kind: 'date', date, text: relative[1]! }, rest: text.slice(relative[0].length) };
  }
  const week = WEEK.exec(text);
  if (week) {
    // Weeks run Monday to Sunday, as on a Chinese calendar.
    const monday = addCalendarDays(anchor, -((weekdayOf(anchor) + 6) % 7));
    const shift = week[1]!.startsWith('下') ? 7 : week[1]!.startsWith('上') ? -7 : 0;
    const date = addCalendarDays(monday, shift + WEEKDAYS[week[2]!]! - 1);
    return { part: { kind: 'date', date, text: week[0] }, rest: text.slice(week[0].length) };
  }
  const monthEnd = MONTH_END.exec(text);
  if (monthEnd) {
    const [year, month] = [Number(anchor.slice(0, 4)), Number(anchor.slice(5, 7))];
    const word = monthEnd[1]!;
    let date: LocalDate;
    if (word.startsWith('年') || word.startsWith('本年')) date = `${year}-12-31` as LocalDate;
    else {
      const next = word.startsWith('下') ? 1 : 0;
      // The day before the first of the month after.
      const first = new Date(Date.UTC(year, month - 1 + next + 1, 1));
      date = addCalendarDays(`${first.getUTCFullYear()}-${pad(first.getUTCMonth() + 1)}-01` as LocalDate, -1);
    }
    return { part: { kind: 'date', date, text: word }, rest: text.slice(monthEnd[0].length) };
  }
  const full = FULL_DATE.exec(text);
  if (full) {
    const date = `${full[1]}-${pad(Number(full[2]))}-${pad(Number(full[3]))}`;
    const typed = full[0].trim();
    if (!isLocalDate(date)) return { invalid: typed };
    return { part: { kind: 'date', date, text: typed }, rest: text.slice(full[0].length) };
  }
  const monthDay = MONTH_DAY.exec(text);
  if (monthDay) {
    const month = Number(monthDay[1]);
    const day = Number(monthDay[2] ?? monthDay[3]);
    const typed = monthDay[0].trim();
    // Checked against a leap year: 2月29日 exists in some year; the year decides later.
    if (!isLocalDate(`2028-${pad(month)}-${pad(day)}`)) return { invalid: typed };
    return { part: { kind: 'month-day', month, day, text: typed }, rest: text.slice(monthDay[0].length) };
  }
  return undefined;
}

/**
 * `18:00`, `9点`, `9点半`, `9时30分`, `下午5点`, `24时`, a bare `9` (9:00); undefined when it is
 * not a time at all, null when it is one that does not exist (25:00, 9:75).
 */
export function readClockTime(input: string): ClockTime | null | undefined {
  const match = TIME.exec(normalise(input));
  if (!match) return undefined;
  const [, period, hourText, colonMinute, half, cnMinute] = match;
  let hour = Number(hourText);
  const minute = half ? 30 : Number(colonMinute ?? cnMinute ?? 0);
  if ((period === '下午' || period === '晚上' || period === '傍晚') && hour < 12) hour += 12;
  if (period === '中午' && hour < 11) hour += 12;
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return null;
  return { hour, minute };
}

/** Reads one phrase relative to `anchor` (today, or the date of the notice it comes from). */
export function readDatePhrase(input: string, anchor: LocalDate): PhraseRead {
  const text = normalise(input);
  if (text === '') return { ok: false, reason: 'unknown' };
  if (NOW.test(text)) return { ok: true, phrase: { kind: 'now' } };
  const counted = countPhrase(text);
  if (counted) return counted;

  const core = text.replace(PREFIX, '').replace(SUFFIX, '').trim();
  const found = leadingDate(core, anchor);
  if (found && 'invalid' in found) {
    return { ok: false, reason: 'invalid', error: `日期“${found.invalid}”不存在，请检查。` };
  }
  const rest = (found ? found.rest : core).replace(/^[\s,，]+/, '').trim();
  if (found && rest === '') return { ok: true, phrase: { kind: 'day', day: found.part, time: null } };
  // A bare number is a time only after a date (明天9); alone it is more likely a slip.
  const time = found || !/^\d+$/.test(rest) ? readClockTime(rest) : undefined;
  if (time === undefined) return { ok: false, reason: 'unknown' };
  if (time === null) return { ok: false, reason: 'invalid', error: `时刻“${rest}”不存在，请检查。` };
  return found
    ? { ok: true, phrase: { kind: 'day', day: found.part, time } }
    : { ok: true, phrase: { kind: 'time', time } };
}

function countPhrase(text: string): PhraseRead | undefined {
  for (const [pattern, kind, max] of [
    [WORKING_DAYS, 'working-days', 250],
    [HOURS, 'hours', 720],
    [CALENDAR_DAYS, 'calendar-days', 365],
  ] as const) {
    const match = pattern.exec(text);
    if (!match) continue;
    const count = parseSmallNumber(match[1]!);
    if (count === null || count < 1 || count > max) {
      const unit = kind === 'working-days' ? '工作日数' : kind === 'hours' ? '小时数' : '天数';
      return { ok: false, reason: 'invalid', error: `${unit}应为 1 到 ${max} 之间的整数。` };
    }
    if (kind === 'working-days') return { ok: true, phrase: { kind, days: count } };
    if (kind === 'hours') return { ok: true, phrase: { kind, hours: count } };
    return { ok: true, phrase: { kind, days: count } };
  }
  return undefined;
}

/** `2027-12-01`, `2027-12-01 18:00`: what a phrase becomes once its year is settled (also re-readable). */
export function canonicalText(date: LocalDate, time: ClockTime | null): string {
  return time ? `${date} ${pad(time.hour)}:${pad(time.minute)}` : date;
}
