// The one schedule table (Asia/Shanghai). Business jobs run once per fire across instances.
import { broadcasts } from './broadcasts.js';
import { calendarCoverage } from './calendar-coverage.js';
import { caseReviewCards } from './case-review-cards.js';
import { escalation } from './escalation.js';
import { housekeeping } from './housekeeping.js';
import { inboundRecovery } from './inbound-recovery.js';
import { morningDigest } from './morning-digest.js';
import { outboxSweep } from './outbox-sweep.js';
import { reminders } from './reminders.js';
import { repostDiscovery, repostDiscoveryRequests } from './repost-discovery.js';
import { Scheduler } from './scheduler.js';
import type { Job, JobDeps } from './types.js';
import { weeklyReportJob } from './weekly-report.js';

export const SCHEDULE: Job[] = [
  outboxSweep,
  inboundRecovery,
  morningDigest,
  reminders,
  escalation,
  calendarCoverage,
  broadcasts,
  caseReviewCards,
  weeklyReportJob,
  repostDiscovery,
  repostDiscoveryRequests,
  housekeeping,
];

/** Starts the schedule and catches up fires missed while no instance ran. */
export async function startScheduler(deps: JobDeps, jobs: Job[] = SCHEDULE): Promise<Scheduler> {
  const scheduler = new Scheduler(deps, jobs);
  scheduler.start();
  await scheduler.catchUp();
  return scheduler;
}
