// The working calendar as the running bot sees it: loaded from the database (package data plus
// imported years and overrides), cached briefly so every message does not re-read it, and reloaded
// at once on this instance after an import (other instances pick it up within the TTL).
import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock.js';
import type { WorkCalendar } from './calendar.js';
import { loadCalendar } from './store.js';

export class CalendarProvider {
  private cached: { calendar: WorkCalendar; loadedAt: number } | undefined;
  private loading: Promise<WorkCalendar> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  async get(): Promise<WorkCalendar> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.loadedAt < this.ttlMs && now >= this.cached.loadedAt) {
      return this.cached.calendar;
    }
    this.loading ??= loadCalendar(this.dataSource.manager)
      .then((calendar) => {
        this.cached = { calendar, loadedAt: this.clock.now().getTime() };
        return calendar;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** After an import or override: the next `get` reads the database again. */
  invalidate(): void {
    this.cached = undefined;
  }
}
