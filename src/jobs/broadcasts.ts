// Every minute: scheduled notices that are due go out. One-off notices missed during downtime go
// out late (once); a recurring notice missed earlier today goes out once, older ones are skipped.
import { LessThanOrEqual } from 'typeorm';
import { Broadcast } from '../entities/broadcast.js';
import { occurrencesBetween, sendOccurrence } from '../services/broadcasts/store.js';
import { isWorkingDayOrWeekday } from '../services/calendar/calendar.js';
import { shanghaiDate } from '../services/calendar/time.js';
import type { Job, JobDeps } from './types.js';

/** Sends what is due at `now`; returns how many broadcasts went out. */
export async function runDueBroadcasts(
  deps: Pick<JobDeps, 'dataSource' | 'calendar'>,
  now: Date,
): Promise<number> {
  const calendar = await deps.calendar.get();
  const repo = deps.dataSource.getRepository(Broadcast);
  const once = await repo.find({ where: { status: 'active', runAt: LessThanOrEqual(now) } });
  const recurring = (await repo.find({ where: { status: 'active' } })).filter((b) => b.cron);
  let sent = 0;
  for (const broadcast of once) {
    await deps.dataSource.transaction(async (tx) => {
      await sendOccurrence(tx, broadcast, broadcast.runAt!, now, true);
      await tx
        .getRepository(Broadcast)
        .update(
          { id: broadcast.id, status: 'active' },
          { status: 'done', lastRunAt: now, runCount: broadcast.runCount + 1, checkedThrough: now },
        );
    });
    sent++;
  }
  const today = shanghaiDate(now);
  for (const broadcast of recurring) {
    const due = occurrencesBetween(broadcast.cron!, broadcast.checkedThrough, now).filter(
      (at) =>
        shanghaiDate(at) === today && (!broadcast.workingDaysOnly || isWorkingDayOrWeekday(calendar, today)),
    );
    const latest = due.at(-1);
    await deps.dataSource.transaction(async (tx) => {
      if (latest) await sendOccurrence(tx, broadcast, latest, now, true);
      await tx
        .getRepository(Broadcast)
        .update(
          { id: broadcast.id },
          latest
            ? { checkedThrough: now, lastRunAt: now, runCount: broadcast.runCount + 1 }
            : { checkedThrough: now },
        );
    });
    if (latest) sent++;
  }
  return sent;
}

export const broadcasts: Job = {
  name: 'broadcasts',
  cron: '* * * * *',
  // The job finds missed occurrences itself (checkedThrough), so no per-minute catch-up is needed.
  catchUp: 'never',
  run: async (deps, now) => {
    const sent = await runDueBroadcasts(deps, now);
    if (sent) deps.outbox.kick();
    return sent ? `${sent} broadcasts` : undefined;
  },
};
