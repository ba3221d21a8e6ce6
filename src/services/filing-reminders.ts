// Account filings in the shared open-items list (waiting for a supervisor's confirmation) and the
// deadline-day reminder to supervisors: the filing in the national system is due within 3 working
// days of the change.
import { And, In, LessThanOrEqual, MoreThan } from 'typeorm';
import { markdown } from '../bot/messages.js';
import { AccountFiling } from '../entities/account-filing.js';
import { Unit } from '../entities/unit.js';
import { supervisors } from './directory.js';
import { filingRef, filingSubject, pendingFilings } from './filings.js';
import type { OpenItemSource } from './open-items.js';
import type { Reminder, ReminderRule } from './reminders.js';
import { reminderSlot } from './reminder-slots.js';
import { endOfShanghaiDay, formatDate } from './time.js';

export const filingOpenItems: OpenItemSource = {
  kind: 'filing',
  async list(tx, query) {
    const filings = await pendingFilings(tx, query.topUnitIds);
    return filings.map((filing) => ({
      kind: 'filing' as const,
      ref: filingRef(filing.id),
      title: filingSubject(filing),
      topUnitId: filing.topUnitId,
      deadline: filing.deadline,
      state: '待确认备案',
      awaiting: 'supervisor' as const,
    }));
  },
};

export const FILING_REMINDER_TIMES = ['09:00'];

/** On the deadline day (09:00), each filing not yet confirmed: one reminder to the supervisors. */
export const filingReminderRule: ReminderRule = {
  name: 'filing-deadline',
  at: FILING_REMINDER_TIMES,
  async due(tx, { calendar, now }) {
    const asked = reminderSlot(calendar, FILING_REMINDER_TIMES, now);
    if (asked === null) return [];
    const { today } = asked;
    const due = await tx.getRepository(AccountFiling).find({
      where: { status: 'submitted', deadline: And(MoreThan(now), LessThanOrEqual(endOfShanghaiDay(today))) },
      order: { id: 'ASC' },
    });
    if (due.length === 0) return [];
    const to = (await supervisors(tx)).map((person) => person.userid);
    if (to.length === 0) return [];
    const units = await tx.getRepository(Unit).findBy({ id: In([...new Set(due.map((f) => f.topUnitId))]) });
    const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
    return due.map((filing): Reminder => ({
      key: `remind:filing:${filing.id}:deadline-day:${today}`,
      to,
      source: 'reminder:filing',
      message: markdown(
        [
          `**【账号备案提醒】** ${filingRef(filing.id)} 今天24时到期${filing.deadlineEstimated ? '（期限按自然日估算）' : ''}`,
          `> ${unitName.get(filing.topUnitId) ?? '—'}：${filingSubject(filing)}`,
          `> 变更日期：${formatDate(filing.changeDate)}`,
          '',
          `请在全国政务新媒体信息报送系统完成备案后发送：备案确认 ${filingRef(filing.id)}`,
        ].join('\n'),
      ),
    }));
  },
};
