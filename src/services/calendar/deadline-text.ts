// How a deadline reads in chat, everywhere the same: the date, the remaining working days and the
// colour, with the "按自然日估算" warning when a year's schedule is missing.
import type { WorkCalendar } from './calendar.js';
import { describeRemaining, remainingTime, statusColour, type StatusColour } from './deadlines.js';
import { formatDeadline } from './time.js';

export interface DeadlineView {
  colour: StatusColour;
  /** `2026-12-02（周三）24时截止` */
  due: string;
  /** `还剩2个工作日` / `今天24时截止` / `已逾期1个工作日` / `约还剩3天（按自然日估算）` */
  remaining: string;
  /** Working days overdue (0 unless red). */
  daysLate: number;
  /** True when the count is a natural-day estimate (a year's schedule is missing). */
  estimated: boolean;
  missingYears: number[];
}

export function viewDeadline(calendar: WorkCalendar, deadline: Date, now: Date): DeadlineView {
  const remaining = remainingTime(calendar, deadline, now);
  return {
    colour: statusColour(remaining),
    due: `${formatDeadline(deadline)}截止`,
    remaining: describeRemaining(remaining),
    daysLate: remaining.status === 'overdue' ? remaining.count : 0,
    estimated: remaining.unit === 'natural-day',
    missingYears: remaining.missingYears,
  };
}

export const COLOUR_LABELS: Record<StatusColour, string> = { green: '正常', yellow: '临期', red: '逾期' };

/** WeCom markdown has three font colours: info (green), warning (orange-red), comment (grey). */
export function colourTag(colour: StatusColour, text = COLOUR_LABELS[colour]): string {
  if (colour === 'red') return `<font color="warning">🔴${text}</font>`;
  if (colour === 'yellow') return `<font color="warning">🟡${text}</font>`;
  return `<font color="info">🟢${text}</font>`;
}

/** One line: `2026-12-02（周三）24时截止，还剩2个工作日`. */
export function deadlineLine(view: DeadlineView): string {
  return `${view.due}，${view.remaining}`;
}
