// The 周报's part on reposts: each open item with its verified count and late units.
import type { EntityManager } from 'typeorm';
import { markdown, type OutMessage } from '../../messages/outbound.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { itemSummaries } from './status.js';
import { openItems } from './store.js';
import { summaryLine } from './views.js';

export async function repostWeeklyMessages(
  tx: EntityManager,
  calendar: WorkCalendar,
  now: Date,
): Promise<OutMessage[]> {
  const items = await openItems(tx);
  if (items.length === 0) return [];
  const summaries = await itemSummaries(tx, items, now);
  return [
    markdown(
      [
        `**重要信息转载**（${summaries.length} 条未完成）`,
        ...summaries.map((s) => summaryLine(calendar, s, now)),
      ].join('\n'),
    ),
  ];
}
