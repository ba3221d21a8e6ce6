// 10:00 on working days: supervisors get a digest of red and yellow items; an item overdue by two or
// more working days is also escalated to the supervisors assigned to its unit (分管; all supervisors
// when nobody is assigned).
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { markdown } from '../bot/messages.js';
import { Unit } from '../entities/unit.js';
import { UnitSupervisor } from '../entities/unit-supervisor.js';
import type { WorkCalendar } from '../services/calendar.js';
import { liaisonsByTopUnit, supervisors } from '../services/directory.js';
import { listOpenItems } from '../services/open-item-sources.js';
import { OPEN_ITEM_KIND_LABELS } from '../services/open-items.js';
import { formatDate, shanghaiDate } from '../services/time.js';
import { itemLine, rankByUrgency, type RankedItem } from '../services/urgency.js';
import { enqueueSpread, type ScheduledMessage } from './enqueue.js';
import type { Job } from './types.js';

export const ESCALATE_AFTER_WORKING_DAYS = 2;
const MAX_LINES = 30;

export async function planEscalation(
  tx: EntityManager,
  calendar: WorkCalendar,
  now: Date,
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
    const assigned = await tx.getRepository(UnitSupervisor).findBy({ unitId: In(unitIds) });
    const liaisons = await liaisonsByTopUnit(tx, unitIds);
    for (const entry of serious) {
      const unitSupervisors = assigned.filter((a) => a.unitId === entry.item.topUnitId).map((a) => a.userid);
      const recipients = unitSupervisors.length ? unitSupervisors : everyone.map((p) => p.userid);
      const names = (liaisons.get(entry.item.topUnitId) ?? []).map((p) => p.name).join('、') || '未登记';
      const content = [
        `**升级督办**：${units.get(entry.item.topUnitId) ?? ''}`,
        `> ${OPEN_ITEM_KIND_LABELS[entry.item.kind]} ${entry.item.ref} ${entry.item.title}`,
        `> ${entry.view!.due}，<font color="warning">${entry.view!.remaining}</font>`,
        `> 联络员：${names}`,
        '',
        `发送“催办 ${entry.item.ref}”提醒联络员。`,
      ].join('\n');
      for (const to of recipients) {
        messages.push({
          key: `escalate:${entry.item.kind}:${entry.item.ref}:${today}`,
          to,
          message: markdown(content),
          source: 'escalation',
        });
      }
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
    const messages = await planEscalation(deps.dataSource.manager, calendar, now);
    await deps.dataSource.transaction((tx) => enqueueSpread(tx, messages, fire.fireTime, now));
    deps.outbox.kick();
    return `${messages.length} escalation messages`;
  },
};
