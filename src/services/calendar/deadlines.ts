/**
 * Deadline rules of the e-government office, each a named function of (calendar, instant).
 *
 * Sources: 淄博市人民政府办公室《关于2023年第一季度政府网站和政务新媒体普查情况的通报》, section 四:
 * - "我为政府网站找错" guestbook messages: "在2个工作日内（起始时间为收到留言的第2个工作日0时，
 *   截止时间为收到留言的第3个工作日24时）完成留言办理工作";
 * - new-media accounts: "开设、变更、关停、注销均在3个工作日内完成备案".
 *
 * A deadline is an instant; "24时" of a day is the next day's 00:00 (see endOfShanghaiDay). When the
 * schedule of a year involved is not published, the working days are counted on the provisional
 * calendar (weekends and statutory holidays, see provisional.ts) and the result lists those years in
 * `provisionalYears`: it is shown as 预估 and recomputed when the year's schedule is imported. A
 * provisional count is monotonic in N like any other (workdays:20 is never before workdays:19).
 */
import type { WorkCalendar } from './calendar.js';
import {
  addCalendarDays,
  endOfShanghaiDay,
  formatDate,
  formatDeadline,
  isLocalDate,
  shanghaiDate,
  shanghaiDateTimeParts,
  startOfShanghaiDay,
  type LocalDate,
} from './time.js';

export type DeadlineRule =
  { name: 'guestbook' } | { name: 'filing' } | { name: 'working-days'; days: number } | { name: 'explicit' };

interface DeadlineCommon {
  rule: DeadlineRule;
  /** The Shanghai day counting starts from (day of receipt, of the change, of assignment). */
  fromDate: LocalDate;
  /** When the clock starts: for guestbook messages 00:00 of the next working day, otherwise the event itself. */
  startsAt: Date;
}

export interface DeadlineResult extends DeadlineCommon {
  deadline: Date;
  /** The day whose 24:00 (or explicit time) is the deadline. */
  dueDate: LocalDate;
  /**
   * Years whose holiday schedule is not published and whose provisional calendar was used for the
   * count; non-empty means the deadline is an estimate (预估).
   */
  provisionalYears: number[];
}

/** The deadline was counted on the provisional calendar of a year not yet published (预估). */
export function isProvisional(result: Pick<DeadlineResult, 'provisionalYears'>): boolean {
  return result.provisionalYears.length > 0;
}

export type TaskDeadlineSpec =
  { kind: 'at'; at: Date } | { kind: 'working-days'; days: number; assignedAt: Date };

/** Guestbook messages: 2 working days, from 00:00 of the first working day after the day of receipt. */
export const GUESTBOOK_WORKING_DAYS = 2;
/** New-media account filing (开设/变更/关停/注销): 3 working days after the day of the change. */
export const FILING_WORKING_DAYS = 3;

/** What goes with a provisional deadline: why it is an estimate and what will happen. */
export function provisionalWarning(years: readonly number[]): string {
  return `${years.map((y) => `${y} 年`).join('、')}节假日安排尚未发布，期限按周末和法定节假日预估（不含调休），导入正式安排后自动重新计算`;
}

function toShanghaiDate(at: Date | LocalDate): LocalDate {
  return typeof at === 'string' ? (isLocalDate(at) ? at : invalidDate(at)) : shanghaiDate(at);
}

function invalidDate(text: string): never {
  throw new RangeError(`日期 ${text} 无效，应为 YYYY-MM-DD`);
}

/**
 * 24:00 of the n-th working day after `fromDate`, provisional where a year is not published. Throws
 * CalendarNotPublishedError only for a year the calendar cannot even estimate (before 2025, after 2099).
 */
function endOfNthWorkingDayAfter(
  calendar: WorkCalendar,
  fromDate: LocalDate,
  n: number,
  common: (dueDate: LocalDate) => DeadlineCommon,
): DeadlineResult {
  const dueDate = calendar.addWorkingDays(fromDate, n);
  const provisionalYears = calendar.uncoveredYears(addCalendarDays(fromDate, 1), dueDate);
  return { ...common(dueDate), deadline: endOfShanghaiDay(dueDate), dueDate, provisionalYears };
}

/**
 * "我为政府网站找错" guestbook message received at `receivedAt`. Counting the day of receipt as day 1,
 * the clock starts at 00:00 of the first working day after that calendar day (the notice's "第2个工作日
 * 0时") and the deadline is 24:00 of the second working day after it ("第3个工作日24时"). A message
 * received on a Saturday, a holiday or a make-up Saturday follows the same rule.
 */
export function guestbookDeadline(calendar: WorkCalendar, receivedAt: Date): DeadlineResult {
  const fromDate = shanghaiDate(receivedAt);
  const rule: DeadlineRule = { name: 'guestbook' };
  return endOfNthWorkingDayAfter(calendar, fromDate, GUESTBOOK_WORKING_DAYS, () => ({
    rule,
    fromDate,
    startsAt: startOfShanghaiDay(calendar.nextWorkingDay(fromDate)),
  }));
}

/** New-media account opened, changed, suspended or closed on `changedAt`: 24:00 of the 3rd working day after. */
export function filingDeadline(calendar: WorkCalendar, changedAt: Date | LocalDate): DeadlineResult {
  const fromDate = toShanghaiDate(changedAt);
  const startsAt = typeof changedAt === 'string' ? startOfShanghaiDay(fromDate) : changedAt;
  const rule: DeadlineRule = { name: 'filing' };
  return endOfNthWorkingDayAfter(calendar, fromDate, FILING_WORKING_DAYS, () => ({
    rule,
    fromDate,
    startsAt,
  }));
}

/** "N 个工作日" from the assignment: 24:00 of the N-th working day after the day of assignment. */
export function workingDaysDeadline(calendar: WorkCalendar, assignedAt: Date, days: number): DeadlineResult {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`工作日数必须是正整数：${days}`);
  const fromDate = shanghaiDate(assignedAt);
  const rule: DeadlineRule = { name: 'working-days', days };
  return endOfNthWorkingDayAfter(calendar, fromDate, days, () => ({ rule, fromDate, startsAt: assignedAt }));
}

/** A generic task: an explicit date-time (taken as is) or N working days from the assignment. */
export function taskDeadline(calendar: WorkCalendar, spec: TaskDeadlineSpec): DeadlineResult {
  if (spec.kind === 'working-days') return workingDaysDeadline(calendar, spec.assignedAt, spec.days);
  const dueDate = deadlineDay(spec.at);
  return {
    rule: { name: 'explicit' },
    fromDate: dueDate,
    startsAt: spec.at,
    deadline: spec.at,
    dueDate,
    provisionalYears: [],
  };
}

/** The Shanghai day a deadline belongs to: 24:00 (next day's 00:00) belongs to the day before. */
export function deadlineDay(deadline: Date): LocalDate {
  return shanghaiDate(new Date(deadline.getTime() - 1));
}

/** `2026-03-10（周二）24时截止`, with the start for guestbook messages and （预估） for estimates. */
export function describeDeadline(result: DeadlineResult): string {
  const due = `${formatDeadline(result.deadline)}截止${isProvisional(result) ? PROVISIONAL_MARK : ''}`;
  if (result.rule.name === 'guestbook') {
    return `${due}（${formatDate(shanghaiDate(result.startsAt))}0时起算）`;
  }
  return due;
}

/** How a provisional deadline or count is marked wherever it is shown. */
export const PROVISIONAL_MARK = '（预估）';

// ---------------------------------------------------------------------------------------------------
// Remaining time and status colour, as users read them. `now` is always passed in (never the clock).

export type StatusColour = 'green' | 'yellow' | 'red';

export interface RemainingTime {
  /** left: due after today; due-today: due before today's 24:00; overdue: the deadline has passed. */
  status: 'left' | 'due-today' | 'overdue';
  /**
   * left: working days d with today < d ≤ due day (so "due the next working day" is 1);
   * overdue: working days d with due day < d ≤ today (0 on the weekend right after a Friday deadline);
   * due-today: 0.
   */
  count: number;
  /** Years not published whose provisional calendar the count used (then it is 预估). */
  provisionalYears: number[];
  deadline: Date;
}

export function remainingTime(calendar: WorkCalendar, deadline: Date, now: Date): RemainingTime {
  const today = shanghaiDate(now);
  const dueDate = deadlineDay(deadline);
  const status: RemainingTime['status'] =
    now.getTime() >= deadline.getTime() ? 'overdue' : today === dueDate ? 'due-today' : 'left';
  if (status === 'due-today') return { status, count: 0, provisionalYears: [], deadline };
  const [from, to] = status === 'overdue' ? [dueDate, today] : [today, dueDate];
  return {
    status,
    count: Math.abs(calendar.workingDaysBetween(from, to)),
    provisionalYears: from < to ? calendar.uncoveredYears(addCalendarDays(from, 1), to) : [],
    deadline,
  };
}

/**
 * 还剩2个工作日 / 今天24时截止 / 已逾期1个工作日, plus （预估） when the count used a provisional year
 * (unless `markedElsewhere`: the deadline itself already carries the mark). `dated`: a deadline on a
 * day off before the next working day names its date (false where the date is printed beside it).
 */
export function describeRemaining(remaining: RemainingTime, markedElsewhere = false, dated = true): string {
  const mark = remaining.provisionalYears.length > 0 && !markedElsewhere ? PROVISIONAL_MARK : '';
  switch (remaining.status) {
    case 'due-today':
      return `今天${clockTimeOf(remaining.deadline)}截止`;
    case 'overdue':
      if (remaining.count === 0) return '已逾期';
      return `已逾期${remaining.count}个工作日${mark}`;
    case 'left':
      // Due on a day off before the next working day (an explicit deadline on a Sunday, say).
      if (remaining.count === 0)
        return dated ? `还剩不到1个工作日（${formatDeadline(remaining.deadline)}截止）` : '还剩不到1个工作日';
      return `还剩${remaining.count}个工作日${mark}`;
  }
}

/** red: overdue; yellow: due today or by the next working day; green: more than 1 working day left. */
export function statusColour(remaining: RemainingTime): StatusColour {
  if (remaining.status === 'overdue') return 'red';
  if (remaining.status === 'due-today' || remaining.count <= 1) return 'yellow';
  return 'green';
}

/** `24时` for a deadline at midnight, `18:00` otherwise. */
function clockTimeOf(deadline: Date): string {
  const { hour, minute, second } = shanghaiDateTimeParts(deadline);
  if (hour === 0 && minute === 0 && second === 0) return '24时';
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
