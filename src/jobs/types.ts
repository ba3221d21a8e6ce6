import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { InboundDispatcher } from '../bot/dispatcher.js';
import type { OutboxDispatcher } from '../bot/outbox.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';

/** What every job receives; a job is a plain function of (deps, now). */
export interface JobDeps {
  dataSource: DataSource;
  config: Readonly<Config>;
  clock: Clock;
  logger: Logger;
  outbox: OutboxDispatcher;
  inbound: InboundDispatcher;
}

export interface Job {
  name: string;
  /** node-cron expression in Asia/Shanghai (6 fields = with seconds). Keep them simple. */
  cron: string;
  /**
   * Housekeeping that is safe to run on every instance at once (idempotent sweeps) sets this;
   * business jobs run once per fire across instances.
   */
  everyInstance?: boolean;
  run: (deps: JobDeps, now: Date) => Promise<unknown>;
}
