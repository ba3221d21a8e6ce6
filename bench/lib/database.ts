// The bench and chaos databases are scratch: dropped and recreated (then migrated) on every run.
import mysql2 from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.js';

export async function resetDatabase(databaseUrl: string): Promise<DataSource> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/';
  const connection = await mysql2.createConnection({ uri: url.toString() });
  await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await connection.end();
  return openDatabase({ kind: 'mysql', url: databaseUrl });
}
