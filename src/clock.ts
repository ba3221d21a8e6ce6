import { performance } from 'node:perf_hooks';

/**
 * The one source of time, injected everywhere so tests can fix or move it: `now()` is the wall
 * clock (business time, stored instants); `monotonic()` measures durations in milliseconds from an
 * arbitrary origin and never goes back, whatever happens to the wall clock.
 */
export interface Clock {
  now(): Date;
  monotonic(): number;
}

export const systemClock: Clock = { now: () => new Date(), monotonic: () => performance.now() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private current: number;
  private elapsed = 0;
  private perRead = 0;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  monotonic(): number {
    this.elapsed += this.perRead;
    return this.elapsed;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
    this.elapsed += ms;
  }

  /** Makes every monotonic reading `ms` later than the one before: work that seems to take long. */
  slowDown(ms: number): void {
    this.perRead = ms;
  }
}
