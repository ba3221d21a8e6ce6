// The worker pool that every parse of member-supplied content runs in (piscina): the main thread
// only routes. A job over its time limit (counted from when parsing starts) or its worker's memory
// limit (V8 resourceLimits) is killed with its worker thread; the caller gets a plain failure and
// the rest of the bot notices nothing. Jobs beyond the threads wait in a short queue; beyond that
// they are turned away at once, since each caller holds a database transaction while it waits.
import { MessageChannel } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { JOB_LIMITS } from './limits.js';
import type { JobKind, JobOptions, JobValue } from './parsers.js';
import type { WorkerJob } from './worker.js';

export type JobFailure =
  | { reason: 'time'; limitMs: number }
  | { reason: 'memory'; limitMb: number }
  | { reason: 'busy' }
  | { reason: 'crashed' };

export type JobOutcome<T> = { ok: true; value: T } | { ok: false; failure: JobFailure };

export interface ContentPoolOptions {
  /** Worker threads at most (default 2: the bot's machines have two cores). */
  maxThreads?: number;
  /** Per worker: V8 old-generation size. */
  memoryMb?: number;
  /** Per job, counted from when parsing starts. */
  timeMs?: number;
  /** Jobs that may wait for a thread; more are refused as busy. */
  maxWaiting?: number;
  /** An idle worker exits after this long (a fresh one loads the parsers in ~0.5–2 s). */
  idleTimeoutMs?: number;
  /** Start one worker now and keep it (the serving bot): the first file then waits for nothing. */
  keepWarm?: boolean;
  /** Told of a worker that died outside a job's own failure (logged by the bot). */
  onWorkerError?: (error: unknown) => void;
}

/** A worker that has not started a job this long after it was handed one is taken as broken. */
const START_TIMEOUT_MS = 30_000;

/**
 * Where the worker module is: beside the bundle (dist/content-worker.mjs, built with dist/cli.mjs
 * by bin/duban.mjs), or, running from the sources, the loader that brings in worker.ts through tsx.
 */
export function workerFile(moduleUrl: string = import.meta.url): string {
  const relative = moduleUrl.endsWith('.ts') ? './worker-source.mjs' : './content-worker.mjs';
  return fileURLToPath(new URL(relative, moduleUrl));
}

export class ContentPool {
  private piscina: Piscina | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  readonly limits: { timeMs: number; memoryMb: number };
  private readonly maxThreads: number;
  private readonly maxWaiting: number;

  constructor(private readonly options: ContentPoolOptions = {}) {
    this.limits = {
      timeMs: options.timeMs ?? JOB_LIMITS.timeMs,
      memoryMb: options.memoryMb ?? JOB_LIMITS.memoryMb,
    };
    this.maxThreads = options.maxThreads ?? 2;
    this.maxWaiting = options.maxWaiting ?? this.maxThreads * 2;
    if (options.keepWarm) this.start();
  }

  /** Threads are started on the first job: a bot that is never sent a file never starts one. */
  private start(): Piscina {
    if (this.piscina) return this.piscina;
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: this.options.keepWarm ? 1 : 0,
      maxThreads: this.maxThreads,
      idleTimeout: this.options.idleTimeoutMs ?? 60_000,
      // Parse threads run at a lower priority (nice +10, Linux): on a busy machine the main thread
      // (every member's callbacks) and the database get the CPU first.
      niceIncrement: 10,
      // Between jobs a worker's event loop keeps running (not parked in Atomics.wait), so that
      // what a job leaves behind is collected when it ends (worker.ts) rather than at the next job.
      atomics: 'async',
      resourceLimits: {
        maxOldGenerationSizeMb: this.limits.memoryMb,
        maxYoungGenerationSizeMb: Math.min(32, Math.max(4, Math.floor(this.limits.memoryMb / 8))),
        stackSizeMb: 4,
      },
    });
    // A worker killed over its limit is also reported on the pool itself (piscina emits 'error',
    // e.g. for a kept-warm worker); unheard, that event would throw and take the whole bot down.
    // Added once, when the pool is made (once per job, it leaked a listener a parse).
    this.piscina.on('error', (error: unknown) => this.options.onWorkerError?.(error));
    return this.piscina;
  }

  async run<K extends JobKind>(
    kind: K,
    data: Uint8Array,
    options: JobOptions<K>,
    limits: { timeMs?: number } = {},
  ): Promise<JobOutcome<JobValue<K>>> {
    if (!(await this.admit())) return { ok: false, failure: { reason: 'busy' } };
    try {
      return await this.execute(kind, data, options, limits.timeMs ?? this.limits.timeMs);
    } finally {
      this.release();
    }
  }

  private async admit(): Promise<boolean> {
    if (this.running < this.maxThreads) {
      this.running++;
      return true;
    }
    if (this.waiting.length >= this.maxWaiting) return false;
    // The slot is handed over by release(): `running` stays counted for the waiter.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true;
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async execute<K extends JobKind>(
    kind: K,
    data: Uint8Array,
    options: JobOptions<K>,
    timeMs: number,
  ): Promise<JobOutcome<JobValue<K>>> {
    const controller = new AbortController();
    const channel = new MessageChannel();
    let timedOut = false;
    let timer = setTimeout(() => controller.abort(), START_TIMEOUT_MS);
    channel.port1.once('message', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeMs);
    });
    const job: WorkerJob = { kind, data, options, started: channel.port2 };
    try {
      const value = (await this.start().run(job, {
        signal: controller.signal,
        transferList: [channel.port2],
      })) as JobValue<K>;
      return { ok: true, value };
    } catch (error) {
      if (timedOut) return { ok: false, failure: { reason: 'time', limitMs: timeMs } };
      if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        return { ok: false, failure: { reason: 'memory', limitMb: this.limits.memoryMb } };
      }
      return { ok: false, failure: { reason: 'crashed' } };
    } finally {
      clearTimeout(timer);
      channel.port1.close();
    }
  }

  /** Ends the worker threads (shutdown, the end of a CLI command or a test). */
  async close(): Promise<void> {
    const pool = this.piscina;
    this.piscina = undefined;
    await pool?.destroy();
  }
}
