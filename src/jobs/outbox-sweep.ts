import type { Job } from './types.js';

/** Sends what is due even when no commit kicked the dispatcher (backoffs, paced rows, restarts). */
export const outboxSweep: Job = {
  name: 'outbox-sweep',
  cron: '*/3 * * * * *',
  everyInstance: true,
  run: async (deps) => {
    deps.outbox.kick();
  },
};
