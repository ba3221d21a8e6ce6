// The bot's own metrics, and the one-line hooks the transport, outbox and scheduler call. Names
// follow Prometheus conventions (duban_ prefix, _total for counters, base units). Labels stay few
// and bounded: outcomes, API paths and WeCom errcodes, job names.
import { Counter, Histogram } from 'prom-client';
import { registry } from './registry.js';

export type CallbackOutcome = 'passive' | 'empty' | 'verified' | 'rejected' | 'unavailable' | 'error';

export const callbacks = new Counter({
  name: 'duban_callbacks_total',
  help: 'WeCom callbacks answered, by outcome (passive reply, empty 200, URL verification, rejected, 503, error) and HTTP status',
  labelNames: ['outcome', 'status'],
  registers: [registry],
});

export const callbackDuration = new Histogram({
  name: 'duban_callback_duration_seconds',
  help: 'Time from a callback request to its answer, by outcome (WeCom waits about 5 s)',
  labelNames: ['outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

const apiCalls = new Counter({
  name: 'duban_wecom_api_calls_total',
  help: 'Calls to the WeCom API, by path and errcode (0 = ok; http_<status>, timeout or network when no answer came)',
  labelNames: ['path', 'errcode'],
  registers: [registry],
});

const tokenRefreshes = new Counter({
  name: 'duban_wecom_token_refreshes_total',
  help: 'Access-token fetches (gettoken) by this instance, by result',
  labelNames: ['result'],
  registers: [registry],
});

const outboxMessages = new Counter({
  name: 'duban_outbox_messages_total',
  help: 'Outbox rows this instance handled, by outcome (sent, retried later, dead)',
  labelNames: ['outcome'],
  registers: [registry],
});

const jobRuns = new Counter({
  name: 'duban_job_runs_total',
  help: 'Scheduled job fires on this instance, by job and outcome (ran, failed, skipped, taken by another instance)',
  labelNames: ['job', 'outcome'],
  registers: [registry],
});

const sharedCommits = new Histogram({
  name: 'duban_shared_commit_members',
  help: 'Light deliveries per shared transaction, by outcome (committed, or rolled back and each run alone)',
  labelNames: ['outcome'],
  buckets: [1, 2, 4, 8, 16],
  registers: [registry],
});

/** One shared transaction of light deliveries (src/app/shared-commit.ts) and how it ended. */
export function countSharedCommit(members: number, committed: boolean): void {
  sharedCommits.observe({ outcome: committed ? 'committed' : 'rolled_back' }, members);
}

/** One answer from the WeCom API (`errcode`: 0, WeCom's errcode, or how the call failed). */
export function countApiCall(path: string, errcode: number | string): void {
  apiCalls.inc({ path, errcode: String(errcode) });
}

/** Counts a token fetch by how it ends; returns the same promise. */
export function countTokenRefresh<T>(fetching: Promise<T>): Promise<T> {
  return fetching.then(
    (token) => {
      tokenRefreshes.inc({ result: 'ok' });
      return token;
    },
    (error: unknown) => {
      tokenRefreshes.inc({ result: 'failed' });
      throw error;
    },
  );
}

/** Adds one dispatcher pass's figures. */
export function countOutboxRun(stats: { sent: number; retried: number; dead: number }): void {
  if (stats.sent) outboxMessages.inc({ outcome: 'sent' }, stats.sent);
  if (stats.retried) outboxMessages.inc({ outcome: 'retried' }, stats.retried);
  if (stats.dead) outboxMessages.inc({ outcome: 'dead' }, stats.dead);
}

/** Counts one fire of a scheduled job; returns its outcome. */
export function countJobFire<T extends string>(job: string, outcome: T): T {
  jobRuns.inc({ job, outcome });
  return outcome;
}
