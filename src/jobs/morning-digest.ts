// 09:00 on working days: each liaison with open items gets one message listing them by urgency.
import { markdown } from '../messages/outbound.js';
import { liaisonsByTopUnit } from '../services/directory/lookup.js';
import { listOpenItems } from '../services/open-items/sources.js';
import { formatDate, shanghaiDate } from '../services/calendar/time.js';
import { deadlineViews, itemLine, rankByUrgency } from '../services/open-items/urgency.js';
import type { WorkCalendar } from '../services/calendar/calendar.js';
import type { EntityManager } from 'typeorm';
import { enqueueSpread, type ScheduledMessage } from './enqueue.js';
import type { Job } from './types.js';

const MAX_LINES = 15;

/** The digest messages for `now` (a plain function, so it can be planned and measured alone). */
export async function planMorningDigest(
  tx: EntityManager,
  calendar: WorkCalendar,
  now: Date,
): Promise<ScheduledMessage[]> {
  const items = (await listOpenItems(tx, { now, calendar })).filter((item) => item.awaiting === 'unit');
  const byUnit = new Map<number, typeof items>();
  for (const item of items) byUnit.set(item.topUnitId, [...(byUnit.get(item.topUnitId) ?? []), item]);
  const liaisons = await liaisonsByTopUnit(tx, [...byUnit.keys()]);
  const today = shanghaiDate(now);
  const views = deadlineViews(calendar, now);
  const messages: ScheduledMessage[] = [];
  for (const [unitId, unitItems] of byUnit) {
    const ranked = rankByUrgency(unitItems, calendar, now, views);
    const red = ranked.filter((r) => r.view?.colour === 'red').length;
    const lines = [
      `**今日待办** ${formatDate(today)}`,
      `共 ${ranked.length} 项${red ? `，其中逾期 ${red} 项` : ''}：`,
    ];
    for (const entry of ranked.slice(0, MAX_LINES)) lines.push(`> ${itemLine(entry)}`);
    if (ranked.length > MAX_LINES) lines.push(`> ……另有 ${ranked.length - MAX_LINES} 项`);
    lines.push('', '发送“我的任务”查看并办理。');
    const content = lines.join('\n');
    for (const liaison of liaisons.get(unitId) ?? []) {
      messages.push({
        key: `digest:${today}`,
        to: liaison.userid,
        message: markdown(content),
        source: 'digest',
      });
    }
  }
  return messages;
}

export const morningDigest: Job = {
  name: 'morning-digest',
  cron: '0 9 * * *',
  workingDaysOnly: true,
  catchUp: 'same-day',
  run: async (deps, now, fire) => {
    const calendar = await deps.calendar.get();
    const messages = await planMorningDigest(deps.dataSource.manager, calendar, now);
    await deps.dataSource.transaction((tx) => enqueueSpread(tx, messages, fire.fireTime, now));
    deps.outbox.kick();
    return `${messages.length} digests`;
  },
};
