// Account filings in the shared open-items list (waiting for a supervisor's confirmation) and the
// reminders to supervisors: the filing in the national system is due within 3 working days of the
// change, so they hear of it the working day before, on the day, and every working day it is late.
import { memberText } from '../../messages/member-text.js';
import { In, LessThanOrEqual } from 'typeorm';
import { markdown } from '../../messages/outbound.js';
import { boardLinkLine } from '../shared/board-links.js';
import { AccountFiling } from '../../entities/account-filing.js';
import { Unit } from '../../entities/unit.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { describeRemaining, remainingTime } from '../calendar/deadlines.js';
import { supervisors } from '../directory/lookup.js';
import { filingRef, filingSubject, pendingFilings } from './store.js';
import type { OpenItemSource } from '../open-items/items.js';
import type { Reminder, ReminderRule } from '../open-items/reminders.js';
import { reminderHorizon, reminderStage, type ReminderStage } from '../tasks/rules.js';
import { formatDate, shanghaiDate } from '../calendar/time.js';
import { formatDeadlineMarked } from '../calendar/deadline-text.js';

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
      deadlineEstimated: filing.deadlineEstimated,
      state: '待确认备案',
      awaiting: 'supervisor' as const,
    }));
  },
};

/** What the reminder's first line says at each stage. */
function stageClause(stage: ReminderStage, filing: AccountFiling, calendar: WorkCalendar, now: Date): string {
  if (stage === 'before')
    return `将于 ${formatDeadlineMarked(filing.deadline, filing.deadlineEstimated)} 到期`;
  if (stage === 'deadline-day') return '今天24时到期';
  const late = describeRemaining(remainingTime(calendar, filing.deadline, now), filing.deadlineEstimated);
  return `<font color="warning">${late}</font>，尚未确认备案`;
}

/**
 * At 09:00 on working days, each filing not yet confirmed: one reminder to the supervisors the
 * working day before its deadline, on the deadline day, and every working day after it.
 */
export const filingReminderRule: ReminderRule = {
  name: 'filing-deadline',
  at: ['09:00'],
  async due(tx, { calendar, now, boardUrl }) {
    const candidates = await tx.getRepository(AccountFiling).find({
      where: { status: 'submitted', deadline: LessThanOrEqual(reminderHorizon(calendar, now)) },
      order: { id: 'ASC' },
    });
    const due = candidates.flatMap((filing) => {
      const stage = reminderStage(calendar, filing.deadline, now);
      return stage ? [{ filing, stage }] : [];
    });
    if (due.length === 0) return [];
    const to = (await supervisors(tx)).map((person) => person.userid);
    if (to.length === 0) return [];
    const topUnitIds = [...new Set(due.map(({ filing }) => filing.topUnitId))];
    const units = await tx.getRepository(Unit).findBy({ id: In(topUnitIds) });
    const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
    const today = shanghaiDate(now);
    return due.map(({ filing, stage }): Reminder => ({
      key: `remind:filing:${filing.id}:${stage}:${today}`,
      to,
      source: 'reminder:filing',
      message: markdown(
        [
          `**【账号备案提醒】** ${filingRef(filing.id)} ${stageClause(stage, filing, calendar, now)}`,
          `> ${memberText(unitName.get(filing.topUnitId) ?? '—')}：${filingSubject(filing)}`,
          `> 变更日期：${formatDate(filing.changeDate)}`,
          '',
          `请在全国政务新媒体信息报送系统完成备案后发送：备案确认 ${filingRef(filing.id)}`,
          ...(boardUrl ? [boardLinkLine(boardUrl)] : []),
        ].join('\n'),
      ),
    }));
  },
};
