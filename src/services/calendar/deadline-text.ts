// How a deadline reads in chat, everywhere the same: the date, the remaining working days and the
// colour, with （预估） when the deadline or the count rests on a year whose schedule is not published.
import type { WorkCalendar } from './calendar.js';
import {
  PROVISIONAL_MARK,
  describeRemaining,
  remainingTime,
  statusColour,
  type StatusColour,
} from './deadlines.js';
import { formatDeadline } from './time.js';

export interface DeadlineView {
  colour: StatusColour;
  /** `2026-12-02（周三）24时截止`, or `2027-01-04（周一）24时截止（预估）` for a provisional deadline */
  due: string;
  /**
   * `还剩2个工作日` / `今天24时截止` / `已逾期1个工作日`; `还剩20个工作日（预估）` whenever the deadline
   * or the count is an estimate, so that a view showing only the remaining time still says so.
   */
  remaining: string;
  /** The same without the mark, for a line whose `due` already carries it (see deadlineLine). */
  remainingPlain: string;
  /** `remaining` for a view that prints the deadline beside it: the date is not repeated. */
  remainingShort: string;
  /** `remainingPlain` likewise. */
  remainingShortPlain: string;
  /** `due` carries （预估） (the deadline itself is provisional). */
  dueMarked: boolean;
  /** Working days overdue (0 unless red). */
  daysLate: number;
  /** True when the deadline or the count is an estimate (a year's schedule is not published). */
  provisional: boolean;
  /** Years not published that the deadline or the count rests on. */
  provisionalYears: number[];
}

/**
 * `provisional`: the deadline itself was counted on the provisional calendar (the row's
 * deadline_estimated flag).
 */
export function viewDeadline(
  calendar: WorkCalendar,
  deadline: Date,
  now: Date,
  provisional = false,
): DeadlineView {
  const remaining = remainingTime(calendar, deadline, now);
  const plain = describeRemaining(remaining, true);
  const short = describeRemaining(remaining, true, false);
  const marked = provisional || remaining.provisionalYears.length > 0;
  const mark = (text: string): string =>
    marked && !text.includes('截止') ? `${text}${PROVISIONAL_MARK}` : text;
  return {
    colour: statusColour(remaining),
    due: `${formatDeadline(deadline)}截止${provisional ? PROVISIONAL_MARK : ''}`,
    remaining: mark(plain),
    remainingPlain: plain,
    remainingShort: mark(short),
    remainingShortPlain: short,
    dueMarked: provisional,
    daysLate: remaining.status === 'overdue' ? remaining.count : 0,
    provisional: marked,
    provisionalYears: remaining.provisionalYears,
  };
}

export const COLOUR_LABELS: Record<StatusColour, string> = { green: '正常', yellow: '临期', red: '逾期' };

/** WeCom markdown has three font colours: info (green), warning (orange-red), comment (grey). */
export function colourTag(colour: StatusColour, text = COLOUR_LABELS[colour]): string {
  if (colour === 'red') return `<font color="warning">🔴${text}</font>`;
  if (colour === 'yellow') return `<font color="warning">🟡${text}</font>`;
  return `<font color="info">🟢${text}</font>`;
}

/** One line: `2026-12-02（周三）24时截止，还剩2个工作日`; the mark once, on the date when it is the deadline's. */
export function deadlineLine(view: DeadlineView): string {
  return `${view.due}，${view.dueMarked ? view.remainingShortPlain : view.remainingShort}`;
}

/** `2027-01-04（周一）24时` plus （预估） for a provisional deadline (no remaining time). */
export function formatDeadlineMarked(deadline: Date, provisional: boolean): string {
  return `${formatDeadline(deadline)}${provisional ? PROVISIONAL_MARK : ''}`;
}
