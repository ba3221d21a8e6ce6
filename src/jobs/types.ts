import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { InboundDispatcher } from '../app/pipeline.js';
import type { OutboxDispatcher } from '../bot/outbox.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { CalendarProvider } from '../services/calendar/provider.js';
import type { ContentService } from '../services/content/service.js';

/** What every job receives; a job is a plain function of (deps, now). */
export interface JobDeps {
  dataSource: DataSource;
  config: Readonly<Config>;
  clock: Clock;
  logger: Logger;
  outbox: OutboxDispatcher;
  inbound: InboundDispatcher;
  calendar: CalendarProvider;
  /** The content service: the site patrol reads pages through its guarded fetcher and worker pool. */
  content: ContentService;
}

/** About the fire being run: the scheduled time, and whether it is a catch-up after downtime. */
export interface FireInfo {
  fireTime: Date;
  catchUp: boolean;
}

export interface Job {
  name: string;
  /**
   * node-cron expression in Asia/Shanghai. Keep them simple (`0 9 * * *`): the job asks the
   * calendar about working days itself (a weekday cron gets make-up Saturdays wrong).
   */
  cron: string;
  /**
   * Housekeeping that is safe to run on every instance at once (idempotent sweeps) sets this;
   * every other job runs once per fire across instances.
   */
  everyInstance?: boolean;
  /** Skip days the calendar says are not working days (调休 Saturdays are working days). */
  workingDaysOnly?: boolean;
  /**
   * After downtime, missed fires of the last 24 hours: `same-day` runs them if they are of today
   * (a reminder still due), `window` runs them whatever the day, `never` skips them.
   */
  catchUp?: 'same-day' | 'window' | 'never';
  /** Returns a short summary for the job_run row. */
  run: (deps: JobDeps, now: Date, fire: FireInfo) => Promise<string | void>;
}
