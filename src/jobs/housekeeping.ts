// Nightly: everything kept only for a while is deleted here, as README's table "Where personal
// information lives" says (keep the two in step).
import { LessThan } from 'typeorm';
import { AuditLog } from '../entities/audit-log.js';
import { BoardSession } from '../entities/board-session.js';
import { ConversationState } from '../entities/conversation-state.js';
import { InboundMessage } from '../entities/inbound-message.js';
import { JobRun } from '../entities/job-run.js';
import { OutboxMessage } from '../entities/outbox-message.js';
import { deleteExpiredFiles } from '../db/files.js';
import type { Job } from './types.js';

const DAY = 86_400_000;

/** How long each kind of row is kept (days), where the configuration does not say. */
export const RETENTION_DAYS = {
  /** Finished delivery records (dedupe key, sender, status; the body is gone already). */
  inbound: 7,
  /** Sent and dead outbound messages (their content is the bot's message). */
  outbox: 90,
  jobRuns: 30,
} as const;

export const housekeeping: Job = {
  name: 'housekeeping',
  cron: '30 3 * * *',
  catchUp: 'window',
  run: async (deps, now) => {
    const manager = deps.dataSource.manager;
    const before = (days: number) => new Date(now.getTime() - days * DAY);
    const conversations = await manager.delete(ConversationState, { expiresAt: LessThan(now) });
    // Dedupe rows are needed while WeCom may retry (seconds); seven days is plenty. Rows still
    // `received` are kept for the recovery sweep, quarantined ones until an admin retries or drops them.
    const inbound = await manager
      .createQueryBuilder()
      .delete()
      .from(InboundMessage)
      .where('received_at < :cutoff AND status NOT IN (:...kept)', {
        cutoff: before(RETENTION_DAYS.inbound),
        // Unfinished deliveries wait for the recovery sweep, quarantined ones for an admin.
        kept: ['received', 'quarantined'],
      })
      .execute();
    const outbox = await manager
      .createQueryBuilder()
      .delete()
      .from(OutboxMessage)
      .where('created_at < :cutoff AND status IN (:...finished)', {
        cutoff: before(RETENTION_DAYS.outbox),
        finished: ['sent', 'dead'],
      })
      .execute();
    const runs = await manager.delete(JobRun, { fireTime: LessThan(before(RETENTION_DAYS.jobRuns)) });
    const sessions = await manager.delete(BoardSession, { expiresAt: LessThan(now) });
    // Old exports, and uploads of replies never submitted (the dialog expired or was left).
    const files = await manager.transaction((tx) => deleteExpiredFiles(tx, now));
    const audit = await manager.delete(AuditLog, { at: LessThan(before(deps.config.auditRetentionDays)) });
    return (
      `conversations ${conversations.affected ?? 0}, inbound ${inbound.affected ?? 0}, ` +
      `outbox ${outbox.affected ?? 0}, runs ${runs.affected ?? 0}, sessions ${sessions.affected ?? 0}, ` +
      `files ${files}, audit ${audit.affected ?? 0}`
    );
  },
};
