// Reminders and open items for typical-case calls: units below quota are reminded 3 and 1
// working days before the deadline (at 09:00), supervisors get a digest of the units still short at
// the same times, and every unit below quota has an open item 已提交2/5.
import type { EntityManager } from 'typeorm';
import { activeTopUnits, liaisonsByTopUnit, supervisors } from '../directory/lookup.js';
import type { OpenItem, OpenItemSource } from '../open-items/items.js';
import type { Reminder, ReminderRule } from '../open-items/reminders.js';
import { supervisorDigest, unitReminder } from './views.js';
import { callRef, reminderStage } from './rules.js';
import { deadlineDay } from '../calendar/deadlines.js';
import { callProgress, caseCounts, countsFor, openCalls, quotaOf } from './store.js';

export const CASE_REMINDER_SOURCE = 'case-call-reminder';

/** `@2026-10-09`: a call extended (延长征集) is reminded again before its new due day. */
const dueTag = (deadline: Date): string => `@${deadlineDay(deadline)}`;

/**
 * Due reminders for every open call whose deadline is 3 or 1 working days away today. Keys are
 * per (call, unit, stage) and (call, stage) for the digest, so asking twice sends nothing twice.
 */
export const caseQuotaReminders: ReminderRule = {
  name: 'case-call-quota',
  at: ['09:00'],
  async due(tx, { calendar, now, boardUrl }) {
    const reminders: Reminder[] = [];
    const calls = (await openCalls(tx)).flatMap((call) => {
      const stage = reminderStage(calendar, call.deadline, now);
      return stage ? [{ call, stage }] : [];
    });
    if (calls.length === 0) return reminders;
    const liaisons = await liaisonsByTopUnit(tx);
    const supervisorIds = (await supervisors(tx)).map((person) => person.userid);
    for (const { call, stage } of calls) {
      const short = (await callProgress(tx, call)).filter((row) => row.short > 0);
      for (const row of short) {
        const to = (liaisons.get(row.unit.id) ?? []).map((person) => person.userid);
        if (to.length === 0) continue;
        reminders.push({
          key: `remind:case-call:${call.id}:unit:${row.unit.id}:${stage}${dueTag(call.deadline)}`,
          to,
          message: unitReminder(call, row.counted, row.quota, calendar, now),
          source: CASE_REMINDER_SOURCE,
        });
      }
      if (short.length > 0 && supervisorIds.length > 0) {
        reminders.push({
          key: `remind:case-call:${call.id}:digest:${stage}${dueTag(call.deadline)}`,
          to: supervisorIds,
          message: supervisorDigest(call, short, calendar, now, boardUrl),
          source: CASE_REMINDER_SOURCE,
        });
      }
    }
    return reminders;
  },
};

/** One open item per (open call, top-level unit below its quota): 已提交2/5, the unit's move. */
export const caseCallOpenItems: OpenItemSource = {
  kind: 'case-call',
  async list(tx: EntityManager, query) {
    const calls = await openCalls(tx);
    if (calls.length === 0) return [];
    const units = (await activeTopUnits(tx)).filter(
      (unit) => !query.topUnitIds || query.topUnitIds.includes(unit.id),
    );
    const counts = await caseCounts(
      tx,
      calls.map((call) => call.id),
      units.map((unit) => unit.id),
    );
    const items: OpenItem[] = [];
    for (const call of calls) {
      for (const unit of units) {
        const quota = quotaOf(call, unit.kind);
        const counted = countsFor(counts, call.id, unit.id).counted;
        if (counted >= quota) continue;
        items.push({
          kind: 'case-call',
          ref: callRef(call.id),
          title: call.title,
          topUnitId: unit.id,
          deadline: call.deadline,
          deadlineEstimated: call.deadlineEstimated,
          state: `已提交${counted}/${quota}`,
          awaiting: 'unit',
        });
      }
    }
    return items;
  },
};
