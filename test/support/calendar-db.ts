import { DataSource } from 'typeorm';
import { CalendarDay } from '../../src/entities/calendar-day.js';
import { CalendarYear } from '../../src/entities/calendar-year.js';

/** A fresh in-memory SQLite database with the calendar tables; destroy it after the test. */
export async function createCalendarTestDatabase(): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    synchronize: true,
    entities: [CalendarDay, CalendarYear],
  });
  return dataSource.initialize();
}
