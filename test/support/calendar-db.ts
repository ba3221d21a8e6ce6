import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './db.js';

const open = new Map<DataSource, TestDatabase>();

/** A fresh, migrated test database (MariaDB, or SQLite when none answers); drop it after the test. */
export async function createCalendarTestDatabase(): Promise<DataSource> {
  const database = await createTestDatabase();
  open.set(database.dataSource, database);
  return database.dataSource;
}

export async function dropCalendarTestDatabase(dataSource: DataSource): Promise<void> {
  await open.get(dataSource)?.drop();
  open.delete(dataSource);
}
