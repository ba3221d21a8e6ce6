// 10:00 on working days: supervisors get a digest of red and yellow items; an item overdue by two or
// more working days is also escalated to the supervisors assigned to its unit (分管; all supervisors
// when nobody is assigned).
import { memberText } from '../messages/member-text.js';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { boardLinkLine, boardUrl } from '../services/shared/board-links.js';
import { markdown } from '../messages/outbound.js';
import { Unit } from '../entities/unit.js';
import { UnitSupervisor } from '../entities/unit-supervisor.js';
import type { WorkCalendar } from '../services/calendar/calendar.js';
import { liaisonsByTopUnit, supervisors } from '../services/directory/lookup.js';
import { listOpenItems } from '../services/open-items/sources.js';
import { OPEN_ITEM_KIND_LABELS } from '../services/open-items/items.js';
import { formatDate, shanghaiDate } from '../services/calendar/time.js';
import { itemLine, rankByUrgency, type RankedItem } from '../services/open-items/urgency.js';
import { enqueueSpread, type ScheduledMessage } from './enqueue.js';
import type { Job } from './types.js';

export const ESCALATE_AFTER_WORKING_DAYS = 2;
const MAX_LINES = 30;
const MAX_ESCALATED_UNITS = 15;

/** With `boardUrl` (PUBLIC_BASE_URL set), each message ends with a link to the progress board. */
export async function planEscalation(
  tx: EntityManager,
  calendar: WorkCalendar,
  now: Date,
  boardUrl?: string,
): Promise<ScheduledMessage[]> {
  const all = await listOpenItems(tx, { now, calendar });
  // Only the units' own delays: an item waiting for the supervisors' review is not the unit's fault.
  const ranked = rankByUrgency(
    all.filter((item) => item.awaiting === 'unit'),
    calendar,
    now,
  ).filter((entry) => entry.view && entry.view.colour !== 'green');
  const toReview = all.filter((item) => item.awaiting === 'supervisor').length;
  if (ranked.length === 0 && toReview === 0) return [];
  const unitIds = [...new Set(ranked.map((entry) => entry.item.topUnitId))];
  const units = new Map(
    (await tx.getRepository(Unit).findBy({ id: In(unitIds) })).map((unit) => [unit.id, unit.name]),
  );
  const today = shanghaiDate(now);
  const everyone = await supervisors(tx);
  const messages: ScheduledMessage[] = [];

  const red = ranked.filter((entry) => entry.view!.colour === 'red');
  const yellow = ranked.filter((entry) => entry.view!.colour === 'yellow');
  const line = (entry: RankedItem) => `> ${units.get(entry.item.topUnitId) ?? ''}：${itemLine(entry)}`;
  const lines = [`**督办日报** ${formatDate(today)}`, `逾期 ${red.length} 项，临期 ${yellow.length} 项。`];
  const listed = [...red, ...yellow];
  if (red.length) lines.push('', '**逾期**', ...red.slice(0, MAX_LINES).map(line));
  if (yellow.length)
    lines.push('', '**临期**', ...yellow.slice(0, Math.max(0, MAX_LINES - red.length)).map(line));
  if (listed.length > MAX_LINES)
    lines.push(`> ……另有 ${listed.length - MAX_LINES} 项，发送“导出进度”获取完整表格`);
  if (toReview) lines.push('', `另有 ${toReview} 项已提交，等待审核或审批。`);
  lines.push('', '发送“催办 单位名”提醒对应联络员。');
  if (boardUrl) lines.push(boardLinkLine(boardUrl));
  for (const person of everyone) {
    messages.push({
      key: `escalation-digest:${today}`,
      to: person.userid,
      message: markdown(lines.join('\n')),
      source: 'escalation',
    });
  }

  const serious = red.filter((entry) => entry.view!.daysLate >= ESCALATE_AFTER_WORKING_DAYS);
  if (serious.length) {
    const byUnit = new Map<number, RankedItem[]>();
    for (const entry of serious)
      byUnit.set(entry.item.topUnitId, [...(byUnit.get(entry.item.topUnitId) ?? []), entry]);
    const assigned = await tx.getRepository(UnitSupervisor).findBy({ unitId: In([...byUnit.keys()]) });
    const liaisons = await liaisonsByTopUnit(tx, [...byUnit.keys()]);
    // One message per supervisor a day, however many units are late: the units they oversee (分管),
    // or every late unit when nobody oversees it.
    const unitsOf = new Map<string, number[]>();
    for (const unitId of byUnit.keys()) {
      const overseers = assigned.filter((a) => a.unitId === unitId).map((a) => a.userid);
      for (const to of overseers.length ? overseers : everyone.map((p) => p.userid)) {
        unitsOf.set(to, [...(unitsOf.get(to) ?? []), unitId]);
      }
    }
    for (const [to, unitIds] of unitsOf) {
      const ordered = unitIds
        .map((unitId) => ({ unitId, items: byUnit.get(unitId)! }))
        .sort((a, b) => b.items[0]!.view!.daysLate - a.items[0]!.view!.daysLate);
      const count = ordered.reduce((sum, unit) => sum + unit.items.length, 0);
      const content = [
        `**升级督办** ${formatDate(today)}`,
        `逾期 ${ESCALATE_AFTER_WORKING_DAYS} 个工作日以上：${ordered.length} 个单位，${count} 项。`,
        ...ordered.slice(0, MAX_ESCALATED_UNITS).map(({ unitId, items }) => {
          const worst = items[0]!;
          const names =
            (liaisons.get(unitId) ?? []).map((p) => memberText(p.name)).join('、') || '未登记联络员';
          const more = items.length > 1 ? ` 等 ${items.length} 项` : '';
          return `> ${memberText(units.get(unitId) ?? '')}：${OPEN_ITEM_KIND_LABELS[worst.item.kind]} **${worst.item.ref}** ${memberText(worst.item.title.replace(/\s+/g, ' '))}${more}，<font color="warning">${worst.view!.remaining}</font>；联络员 ${names}`;
        }),
        ...(ordered.length > MAX_ESCALATED_UNITS
          ? [`> ……另有 ${ordered.length - MAX_ESCALATED_UNITS} 个单位，发送“导出进度”获取完整表格`]
          : []),
        '',
        '发送“催办 单位名”或“催办 T12”提醒联络员。',
        ...(boardUrl ? [boardLinkLine(boardUrl)] : []),
      ].join('\n');
      messages.push({ key: `escalate:${today}`, to, message: markdown(content), source: 'escalation' });
    }
  }
  return messages;
}

export const escalation: Job = {
  name: 'escalation',
  cron: '0 10 * * *',
  workingDaysOnly: true,
  catchUp: 'same-day',
  run: async (deps, now, fire) => {
    const calendar = await deps.calendar.get();
    const messages = await planEscalation(deps.dataSource.manager, calendar, now, boardUrl(deps.config));
    await deps.dataSource.transaction((tx) => enqueueSpread(tx, messages, fire.fireTime, now));
    deps.outbox.kick();
    return `${messages.length} escalation messages`;
  },
};
