// Runs the schedule table with node-cron in Asia/Shanghai. Business jobs run once per fire across
// instances: an instance claims a fire by inserting the (job, fire_time) row of job_run; whoever
// inserts first runs it, the others see the duplicate key and skip. At start, fires missed in the
// last 24 hours are caught up once, by the same claim.
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import { isDuplicateKeyError } from '../db/errors.js';
import { JobRun } from '../entities/job-run.js';
import { Lease } from '../entities/lease.js';
import { isWorkingDayOrWeekday } from '../services/calendar/calendar.js';
import { shanghaiDate } from '../services/calendar/time.js';
import { countJobFire } from '../metrics/metrics.js';
import type { Job, JobDeps } from './types.js';

export type FireOutcome = 'ran' | 'failed' | 'skipped' | 'taken';

const TIMEZONE = 'Asia/Shanghai';
const CATCH_UP_WINDOW_MS = 24 * 3_600_000;
const FIRST_START = 'scheduler-first-start';

export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly matchers = new Map<string, ScheduledTask>();

  constructor(
    private readonly deps: JobDeps,
    private readonly jobs: Job[],
    readonly instance = `${hostname()}:${process.pid}`,
  ) {
    for (const job of jobs) {
      if (!cron.validate(job.cron)) throw new Error(`invalid cron for ${job.name}: ${job.cron}`);
      // A stopped task only used to ask "does this expression match that minute?".
      this.matchers.set(
        job.name,
        cron.createTask(job.cron, () => undefined, { timezone: TIMEZONE }),
      );
    }
  }

  start(): void {
    for (const job of this.jobs) {
      const task = cron.schedule(
        job.cron,
        async (context) => {
          await this.fire(job, context.date);
        },
        { timezone: TIMEZONE, name: job.name, noOverlap: Boolean(job.everyInstance) },
      );
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((task) => Promise.resolve(task.destroy())));
    await Promise.all([...this.matchers.values()].map((task) => Promise.resolve(task.destroy())));
  }

  /** Runs one fire of a job (claiming it first unless the job runs on every instance). */
  async fire(job: Job, at: Date, options: { catchUp?: boolean } = {}): Promise<FireOutcome> {
    return countJobFire(job.name, await this.runFire(job, at, options));
  }

  private async runFire(job: Job, at: Date, options: { catchUp?: boolean }): Promise<FireOutcome> {
    const fireTime = new Date(Math.floor(at.getTime() / 1000) * 1000);
    const info = { fireTime, catchUp: options.catchUp ?? false };
    if (job.everyInstance) {
      try {
        await job.run(this.deps, this.deps.clock.now(), info);
        return 'ran';
      } catch (error) {
        this.deps.logger.error({ err: error, job: job.name }, 'job failed');
        return 'failed';
      }
    }
    const skip = await this.skipReason(job, fireTime, info.catchUp);
    if (!(await this.claim(job, fireTime, skip ? 'skipped' : 'running', skip))) return 'taken';
    if (skip) return 'skipped';
    const runs = this.deps.dataSource.getRepository(JobRun);
    try {
      const summary = await job.run(this.deps, this.deps.clock.now(), info);
      await runs.update(
        { job: job.name, fireTime },
        { status: 'done', finishedAt: this.deps.clock.now(), result: summary ? summary.slice(0, 500) : null },
      );
      this.deps.logger.info({ job: job.name, fireTime, summary, catchUp: info.catchUp }, 'job ran');
      return 'ran';
    } catch (error) {
      this.deps.logger.error({ err: error, job: job.name, fireTime }, 'job failed');
      await runs
        .update(
          { job: job.name, fireTime },
          { status: 'failed', finishedAt: this.deps.clock.now(), result: String(error).slice(0, 500) },
        )
        .catch(() => undefined);
      return 'failed';
    }
  }

  /**
   * Runs, once, the fires missed in the last 24 hours (called at start) — but never fires from
   * before the schedule first ran on this database: a new installation has missed nothing.
   */
  async catchUp(): Promise<{ job: string; fireTime: Date; outcome: FireOutcome }[]> {
    const now = this.deps.clock.now();
    const firstStart = await this.firstStart(now);
    const from = new Date(Math.max(now.getTime() - CATCH_UP_WINDOW_MS, firstStart.getTime()));
    const results: { job: string; fireTime: Date; outcome: FireOutcome }[] = [];
    for (const job of this.jobs) {
      if (job.everyInstance || job.catchUp === 'never') continue;
      const missed = await this.missedFires(job, from, now);
      for (const fireTime of missed) {
        results.push({ job: job.name, fireTime, outcome: await this.fire(job, fireTime, { catchUp: true }) });
      }
    }
    return results;
  }

  /** Fire times of `job` in (from, to] with no job_run row. */
  async missedFires(job: Job, from: Date, to: Date): Promise<Date[]> {
    const matcher = this.matchers.get(job.name)!;
    const candidates: Date[] = [];
    const start = Math.ceil((from.getTime() + 1) / 60_000) * 60_000;
    for (let t = start; t <= to.getTime(); t += 60_000) {
      if (matcher.match(new Date(t))) candidates.push(new Date(t));
    }
    if (candidates.length === 0) return [];
    const done = await this.deps.dataSource
      .getRepository(JobRun)
      .createQueryBuilder('r')
      .select('r.fire_time', 'fireTime')
      .where('r.job = :job AND r.fire_time > :from', { job: job.name, from })
      .getRawMany<{ fireTime: unknown }>();
    const seen = new Set(done.map((row) => toMs(row.fireTime)));
    return candidates.filter((candidate) => !seen.has(candidate.getTime()));
  }

  /** When the schedule first ran on this database (recorded on the first start). */
  private async firstStart(now: Date): Promise<Date> {
    const leases = this.deps.dataSource.getRepository(Lease);
    await leases
      .createQueryBuilder()
      .insert()
      .values({ name: FIRST_START, owner: this.instance, until: now })
      .orIgnore()
      .execute();
    const row = await leases.findOneByOrFail({ name: FIRST_START });
    return row.until ?? now;
  }

  private async skipReason(job: Job, fireTime: Date, catchUp: boolean): Promise<string | undefined> {
    const now = this.deps.clock.now();
    if (
      catchUp &&
      (job.catchUp ?? 'same-day') === 'same-day' &&
      shanghaiDate(fireTime) !== shanghaiDate(now)
    ) {
      return 'missed on an earlier day';
    }
    if (job.workingDaysOnly && !(await this.isWorkingDay(fireTime))) return 'not a working day';
    return undefined;
  }

  private async isWorkingDay(at: Date): Promise<boolean> {
    // A year without a published schedule: Monday–Friday, and the coverage reminder says so.
    return isWorkingDayOrWeekday(await this.deps.calendar.get(), shanghaiDate(at));
  }

  private async claim(
    job: Job,
    fireTime: Date,
    status: string,
    result: string | undefined,
  ): Promise<boolean> {
    try {
      await this.deps.dataSource.getRepository(JobRun).insert({
        job: job.name,
        fireTime,
        instance: this.instance.slice(0, 128),
        status,
        startedAt: this.deps.clock.now(),
        finishedAt: status === 'skipped' ? this.deps.clock.now() : null,
        result: result ?? null,
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}

function toMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return new Date(`${String(value).replace(' ', 'T')}Z`).getTime();
}
