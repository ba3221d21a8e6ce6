// Guestbook messages in the shared open-items list and their reminders: the working day before the
// deadline and the deadline day, at 09:00 and 15:00, to the unit's liaisons. Overdue messages get no
// further reminder from here: they stay open (red) for the status views and the escalation job.
import { And, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { markdown } from '../../messages/outbound.js';
import { nextWorkingDayOrWeekday } from '../calendar/calendar.js';
import { deadlineDay } from '../calendar/deadlines.js';
import { liaisonsByTopUnit, supervisors } from '../directory/lookup.js';
import { clip } from '../shared/duty.js';
import { guestbookRef, openMessages, withSitesAndUnits } from './store.js';
import { GUESTBOOK_STATUS_LABELS, GuestbookMessage } from '../../entities/guestbook-message.js';
import { groupedFlagCounts } from '../open-items/flag-counts.js';
import type { OpenItemSource } from '../open-items/items.js';
import type { Reminder, ReminderRule } from '../open-items/reminders.js';
import { reminderSlot, slotKey } from '../open-items/reminder-slots.js';
import { endOfShanghaiDay } from '../calendar/time.js';

export const guestbookOpenItems: OpenItemSource = {
  kind: 'guestbook',
  async list(tx, query) {
    const open = await openMessages(tx, query.topUnitIds);
    return open.map(({ message, website }) => ({
      kind: 'guestbook' as const,
      ref: guestbookRef(message.id),
      title: `${website?.name ?? '网站'}：${clip(message.summary, 30)}`,
      topUnitId: message.topUnitId,
      deadline: message.deadline,
      deadlineEstimated: message.deadlineEstimated,
      // An answer waiting for review waits for the supervisors; the message is still open.
      state: message.reviewStatus === 'pending' ? IN_REVIEW_STATE : GUESTBOOK_STATUS_LABELS.open,
      awaiting: message.reviewStatus === 'pending' ? ('supervisor' as const) : ('unit' as const),
    }));
  },
  flagCounts: (tx, query) =>
    groupedFlagCounts(
      tx,
      { entity: GuestbookMessage, unitColumn: 'x.top_unit_id', openStatus: 'open' },
      query,
    ),
};

export const GUESTBOOK_REMINDER_TIMES = ['09:00', '15:00'];

import { IN_REVIEW_STATE, reminderText, type Stage } from './views.js';

/**
 * On a working day at 09:00 and 15:00: messages due today (deadline-day) or due by the end of the
 * next working day (day-before). One reminder per (message, stage, day, time); a unit without a
 * liaison is reported to the supervisors instead.
 */
export const guestbookReminderRule: ReminderRule = {
  name: 'guestbook-deadline',
  at: GUESTBOOK_REMINDER_TIMES,
  async due(tx, { calendar, now }) {
    const asked = reminderSlot(calendar, GUESTBOOK_REMINDER_TIMES, now);
    if (asked === null) return [];
    const { slot, today } = asked;
    const next = nextWorkingDayOrWeekday(calendar, today);
    // Not yet overdue, and due by the end of the next working day; not while the unit's answer waits
    // for review (the unit has acted; a 退回 tells it, and the reminders come back).
    const due = await tx.getRepository(GuestbookMessage).find({
      where: {
        status: 'open',
        reviewStatus: IsNull(),
        deadline: And(MoreThan(now), LessThanOrEqual(endOfShanghaiDay(next))),
      },
      order: { deadline: 'ASC', id: 'ASC' },
    });
    if (due.length === 0) return [];
    const entries = await withSitesAndUnits(tx, due);
    const liaisons = await liaisonsByTopUnit(tx, [...new Set(due.map((m) => m.topUnitId))]);
    const fallback = (await supervisors(tx)).map((person) => person.userid);
    const reminders: Reminder[] = [];
    for (const entry of entries) {
      const dueDate = deadlineDay(entry.message.deadline);
      const stage: Stage | null = dueDate === today ? 'deadline-day' : dueDate > today ? 'day-before' : null;
      if (stage === null) continue;
      const unitLiaisons = (liaisons.get(entry.message.topUnitId) ?? []).map((person) => person.userid);
      const to = unitLiaisons.length > 0 ? unitLiaisons : fallback;
      if (to.length === 0) continue;
      reminders.push({
        key: `remind:guestbook:${entry.message.id}:${stage}:${today}:${slotKey(slot)}`,
        to,
        message: markdown(reminderText(entry, stage, unitLiaisons.length === 0)),
        source: 'reminder:guestbook',
      });
    }
    return reminders;
  },
};
