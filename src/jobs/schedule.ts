// The one schedule table, run by node-cron in Asia/Shanghai.
import cron, { type ScheduledTask } from 'node-cron';
import { inboundRecovery } from './inbound-recovery.js';
import { outboxSweep } from './outbox-sweep.js';
import type { Job, JobDeps } from './types.js';

export const SCHEDULE: Job[] = [outboxSweep, inboundRecovery];

export interface Scheduler {
  stop(): Promise<void>;
}

export function startScheduler(deps: JobDeps, jobs: Job[] = SCHEDULE): Scheduler {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.cron,
      async () => {
        try {
          await job.run(deps, deps.clock.now());
        } catch (error) {
          deps.logger.error({ err: error, job: job.name }, 'job failed');
        }
      },
      { timezone: 'Asia/Shanghai', name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((task) => Promise.resolve(task.destroy())));
    },
  };
}
