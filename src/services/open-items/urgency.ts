// Ordering and presenting open items by urgency, the same way in digests, status and the board.
import { memberText } from '../../messages/member-text.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { colourTag, viewDeadline, type DeadlineView } from '../calendar/deadline-text.js';
import type { OpenItem } from './items.js';

export interface RankedItem {
  item: OpenItem;
  view: DeadlineView | undefined;
}

const RANK = { red: 0, yellow: 1, green: 2 } as const;

/**
 * The deadline view of many items at one moment. Deadlines repeat (a batch shares one, most are
 * 24:00 of a day), so each distinct instant is worked out once.
 */
export function deadlineViews(
  calendar: WorkCalendar,
  now: Date,
): (deadline: Date, provisional?: boolean) => DeadlineView {
  const cache = new Map<string, DeadlineView>();
  return (deadline, provisional = false) => {
    const key = `${deadline.getTime()}:${provisional}`;
    let view = cache.get(key);
    if (!view) {
      view = viewDeadline(calendar, deadline, now, provisional);
      cache.set(key, view);
    }
    return view;
  };
}

/** Overdue first (most days late first), then due soonest; items without a deadline last. */
export function rankByUrgency(
  items: OpenItem[],
  calendar: WorkCalendar,
  now: Date,
  views: (deadline: Date, provisional?: boolean) => DeadlineView = deadlineViews(calendar, now),
): RankedItem[] {
  return items
    .map((item) => ({
      item,
      view: item.deadline ? views(item.deadline, item.deadlineEstimated ?? false) : undefined,
    }))
    .sort((a, b) => {
      if (!a.view || !b.view) return a.view ? -1 : b.view ? 1 : a.item.ref.localeCompare(b.item.ref);
      return (
        RANK[a.view.colour] - RANK[b.view.colour] ||
        b.view.daysLate - a.view.daysLate ||
        a.item.deadline!.getTime() - b.item.deadline!.getTime()
      );
    });
}

/** `🔴逾期 T12 标题（待办）· 2026-03-20（周五）24时截止，已逾期1个工作日` */
export function itemLine(ranked: RankedItem): string {
  const { item, view } = ranked;
  const head = `${view ? colourTag(view.colour) : '<font color="comment">无期限</font>'} **${item.ref}** ${memberText(item.title.replace(/\s+/g, ' '))}（${item.state}）`;
  return view ? `${head} · ${view.remaining}` : head;
}
