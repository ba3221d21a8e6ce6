// Nightly: expired conversations, delivery records, job runs and draft files past their use.
import { LessThan } from 'typeorm';
import { ConversationState } from '../entities/conversation-state.js';
import { InboundMessage } from '../entities/inbound-message.js';
import { JobRun } from '../entities/job-run.js';
import { OutboxMessage } from '../entities/outbox-message.js';
import { deleteExpiredDrafts } from '../db/files.js';
import type { Job } from './types.js';

const DAY = 86_400_000;

export const housekeeping: Job = {
  name: 'housekeeping',
  cron: '30 3 * * *',
  catchUp: 'window',
  run: async (deps, now) => {
    const manager = deps.dataSource.manager;
    const conversations = await manager.delete(ConversationState, { expiresAt: LessThan(now) });
    // Dedupe rows are needed while WeCom may retry (seconds); seven days is plenty. Rows still
    // `received` are kept for the recovery sweep, quarantined ones until an admin retries or drops them.
    const inbound = await manager
      .createQueryBuilder()
      .delete()
      .from(InboundMessage)
      .where('received_at < :cutoff AND status NOT IN (:...kept)', {
        cutoff: new Date(now.getTime() - 7 * DAY),
        kept: ['received', 'quarantined'],
      })
      .execute();
    const outbox = await manager
      .createQueryBuilder()
      .delete()
      .from(OutboxMessage)
      .where('created_at < :cutoff AND status = :sent', {
        cutoff: new Date(now.getTime() - 90 * DAY),
        sent: 'sent',
      })
      .execute();
    const runs = await manager.delete(JobRun, { fireTime: LessThan(new Date(now.getTime() - 30 * DAY)) });
    // Files of replies never submitted (the dialog expired or was left): 24 h after they came.
    const drafts = await manager.transaction((tx) => deleteExpiredDrafts(tx, now));
    return `conversations ${conversations.affected ?? 0}, inbound ${inbound.affected ?? 0}, outbox ${outbox.affected ?? 0}, runs ${runs.affected ?? 0}, draft files ${drafts}`;
  },
};
