import type { Job } from './types.js';

/** Re-runs deliveries recorded but never finished (the process died mid-way). */
export const inboundRecovery: Job = {
  name: 'inbound-recovery',
  cron: '15 * * * * *',
  everyInstance: true,
  run: async (deps) => {
    const handled = await deps.inbound.recoverStuck();
    return handled ? `re-ran ${handled}` : undefined;
  },
};
