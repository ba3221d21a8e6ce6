// A fresh, migrated database for one test file.
import { randomBytes } from 'node:crypto';
import mysql2 from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { openDatabase } from '../../src/db/data-source.js';

export interface TestDatabase {
  dataSource: DataSource;
  kind: 'mysql' | 'sqlite';
  /** The URL of this file's own schema (MySQL only), for a second instance or a restart. */
  url?: string;
  /** Opens another connection pool on the same database (a second bot instance, a restart). */
  reopen(): Promise<DataSource>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const target = inject('testDatabase');
  if (target.kind === 'sqlite') {
    const dataSource = await openDatabase({ kind: 'sqlite', path: ':memory:' });
    return {
      dataSource,
      kind: 'sqlite',
      reopen: async () => dataSource,
      drop: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
      },
    };
  }
  const url = new URL(target.url);
  const name = `${url.pathname.slice(1)}_${process.pid}_${randomBytes(3).toString('hex')}`;
  url.pathname = `/${name}`;
  const dataSource = await openDatabase({ kind: 'mysql', url: url.toString() });
  const opened: DataSource[] = [dataSource];
  return {
    dataSource,
    kind: 'mysql',
    url: url.toString(),
    async reopen() {
      const another = await openDatabase({ kind: 'mysql', url: url.toString() });
      opened.push(another);
      return another;
    },
    async drop() {
      for (const source of opened) if (source.isInitialized) await source.destroy();
      const server = new URL(url.toString());
      server.pathname = '/';
      const connection = await mysql2.createConnection({ uri: server.toString() });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}
